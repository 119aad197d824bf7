"""People as people: directory details by person id, and who a case names.

Records keep ids (they are what signatures, chains and access rules rest on); what a reader
sees next to an id comes from here. An id the directory does not know is shown as the id, and
an entry a purge disposed of says so, so a bundle never guesses a name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from pmledger.events.actors import Actor


@dataclass(frozen=True)
class PersonDetails:
    person_id: str
    name: str | None = None
    """None: not in the directory, or disposed of."""
    job_title: str | None = None
    salutation: str | None = None
    address: tuple[str, ...] = ()
    left_on: date | None = None
    disposed: str | None = None
    """'disposed on 2032-09-01 under rule …' once a purge shredded the entry."""

    @property
    def known(self) -> bool:
        return self.name is not None

    @property
    def greeting(self) -> str:
        """How a letter greets them: their salutation, else their name, else their id."""
        return self.salutation or self.name or self.person_id

    @property
    def label(self) -> str:
        """'Michael Osei (Deputy Headteacher)', or the id with why no name is shown."""
        if self.name is None:
            if self.disposed:
                return f"{self.person_id} (directory entry {self.disposed})"
            return self.person_id
        return f"{self.name} ({self.job_title})" if self.job_title else self.name

    @property
    def titled(self) -> str:
        """'Michael Osei, Deputy Headteacher', as a letter names someone in its text."""
        if self.name is None:
            return self.label
        return f"{self.name}, {self.job_title}" if self.job_title else self.name

    @property
    def short(self) -> str:
        """The name alone where one is known, else the id."""
        return self.name or self.person_id


@dataclass(frozen=True)
class People(Mapping[str, PersonDetails]):
    """The directory details a reader may see, by person id; unknown ids answer with the id."""

    entries: Mapping[str, PersonDetails]

    def __getitem__(self, person_id: str) -> PersonDetails:
        return self.entries.get(person_id) or PersonDetails(person_id)

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def label(self, person_id: str) -> str:
        return self[person_id].label

    def short(self, person_id: str) -> str:
        return self[person_id].short


NO_PEOPLE = People({})
"""For a reader who may not see names: every id shows as itself."""


def people_named(acts: Iterable[tuple[Actor, BaseModel]]) -> set[str]:
    """Everyone the acts name: who signed each, and every person id in its fields (a chair,
    monitor, reviewer, attendee, panel member) at any depth."""
    found: set[str] = set()
    for actor, act in acts:
        found.add(actor.person_id)
        _ids_in(act, found)
    return found


def _ids_in(model: BaseModel, found: set[str]) -> None:
    for name in type(model).model_fields:
        _collect(name, getattr(model, name), found)


def _collect(name: str, value: Any, found: set[str]) -> None:
    if isinstance(value, BaseModel):
        _ids_in(value, found)
    elif isinstance(value, tuple | list):
        for item in value:
            _collect(name, item, found)
    elif isinstance(value, str) and (
        name == "person_id" or name.endswith("_person_id") or name == "members"
    ):
        found.add(value)
