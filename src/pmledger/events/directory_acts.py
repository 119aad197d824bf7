"""The directory: who the people the records name by id are, by name and job title.

Records name people by id (`emp-1042`, `dh-osei`) so that signatures, chains and access rules
never depend on how a name is spelt; letters, cast lists and bundles need the person. Names,
job titles and addresses are personal data, so each person's entry is its own signed stream,
its content sealed under a data key of its own (category `directory`) that a purge destroys
once the school's schedule says so; the signed certificate of that disposal stays.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from pmledger.events.base_act import ActBase
from pmledger.events.values import Identifier, Name, PersonalName


class PersonDetailsRecorded(ActBase):
    """A person's details as HR records them; a later record replaces the whole entry."""

    kind: Literal["person_details_recorded"] = "person_details_recorded"
    person_id: Identifier
    name: PersonalName
    """As it is printed: 'Michael Osei'."""
    job_title: PersonalName
    """'Deputy Headteacher, Oakfield Primary'."""
    salutation: PersonalName | None = None
    """How a letter greets them ('Mr Osei'); letters fall back to the full name."""
    address: tuple[PersonalName, ...] = Field(default=(), max_length=8)
    """Postal address lines, for letters sent by post."""


class PersonLeft(ActBase):
    """The person's employment or engagement ended: the day their entry's retention runs from."""

    kind: Literal["person_left"] = "person_left"
    person_id: Identifier
    left_on: date


class DirectoryEntryDisposed(ActBase):
    """The signed certificate that a person's entry was shredded, under which rule."""

    kind: Literal["directory_entry_disposed"] = "directory_entry_disposed"
    person_id: Identifier
    as_of: date
    rule: Name
