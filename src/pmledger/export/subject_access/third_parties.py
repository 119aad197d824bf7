"""The redaction rule of a subject access answer: the requester's data, not other people's.

UK GDPR Art. 15(4) and DPA 2018 Sch. 2 para 16: the right of access must not adversely affect
the rights of others, so information identifying another person is withheld unless they
consent or it is reasonable to disclose without consent. pmledger applies one rule, the same
for every answer, and lists what it withheld:

1. **Every record on the requester's own cases is about the requester** — the case exists only
   to record their performance management — so its free text (minutes, reasons, statements,
   plans) is disclosed, whoever wrote it.
2. **What identifies anyone else is withheld from it**: every other person's id, name, each
   word of their name (so "Mr Smith" goes with "John Smith"), salutation, job title and
   address lines from the directory are replaced by `[third party]` wherever they appear in
   that text; people who signed or are named in a record are shown by their role in it
   ("[third party: line manager]"), never by name; fields whose whole value is another person's
   identity (a companion's name) are withheld whole, and that name, and each word of it, wherever
   any text repeats it; e-mail addresses are withheld wherever they appear (they identify their
   holder).
3. **Nothing from other people's cases** is included: those records are about them. The
   access log is disclosed as who-by-role read the requester's cases and when, without the
   readers' identities.
4. **Documents are disclosed as their text, with rule 2 applied**: the right of access is to
   the personal data, not the file, and pmledger cannot redact inside a PDF or a Word file, so
   each document's text (PDF, Word, e-mail, plain text) is given with everyone else masked.
   A document whose text cannot be read (an image, a scan) is held back for the DPO's review
   and listed. The DPO may release a reviewed document as held (`--release`), or withhold any
   on a ground (third-party data, privilege), listed.

A word of another person's name that is also a word of the requester's own name is not masked
(it would mask the requester's own data); the answer's redaction list says how many pieces each
record lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pmledger.export.redaction import RedactionGround
from pmledger.projections.people import People, PersonDetails

THIRD_PARTY = "[third party]"
COMPANION = "[third party: companion]"
EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
GROUND = RedactionGround.THIRD_PARTY_DATA.words
TITLES = frozenset({"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Sir", "Dame", "Revd", "Rev"})
IDENTITY_FIELDS = frozenset({"companion_name"})
"""Act fields whose whole value is another person's identity (besides CompanionNamed.name)."""


def _is_person_field(name: str) -> bool:
    return name == "person_id" or name.endswith("_person_id") or name == "members"


@dataclass
class ThirdParties:
    requester: PersonDetails
    others: People
    companions: tuple[str, ...] = ()
    """Names the requester's records give in identity fields (a companion's name): people
    outside the directory, withheld wherever they appear."""
    roles: dict[str, str] = field(default_factory=dict)
    """Person id → the role they first appear in on the requester's records."""
    masked: int = 0
    """Pieces withheld since the counter was last read (`taken`)."""

    def __post_init__(self) -> None:
        own = set(_words(self.requester.name or "")) | {self.requester.person_id}
        terms: set[str] = set()
        for pid, person in self.others.items():
            terms.add(pid)
            terms.update(_details(person))
            terms.update(w for w in _words(person.name or "") if w not in own)
        for name in self.companions:
            terms.add(name)
            terms.update(w for w in _words(name) if w not in own)
        terms -= own
        terms.discard("")
        ordered = sorted(terms, key=len, reverse=True)
        self._pattern = (
            re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ordered)) + r")(?![\w-])")
            if ordered
            else None
        )

    def taken(self) -> int:
        count, self.masked = self.masked, 0
        return count

    def text(self, value: str) -> str:
        """Free text with everything that identifies another person replaced."""
        replaced, count = EMAIL_ADDRESS.subn(THIRD_PARTY, value)
        if self._pattern is not None:
            replaced, named = self._pattern.subn(THIRD_PARTY, replaced)
            count += named
        self.masked += count
        return replaced

    def seen(self, person_id: str, role: str) -> None:
        if person_id != self.requester.person_id:
            self.roles.setdefault(person_id, role.replace("_", " "))

    def who(self, person_id: str) -> str:
        """How a person named by a record is shown: the requester by name, anyone else by the
        role they acted in."""
        if person_id == self.requester.person_id:
            return self.requester.name or "you"
        role = self.roles.get(person_id)
        return f"[third party: {role}]" if role else THIRD_PARTY

    def people(self, person_ids: Iterable[str]) -> People:
        """A directory for narration in which everyone else is their role."""
        return People(
            {
                pid: (
                    self.requester
                    if pid == self.requester.person_id
                    else PersonDetails(pid, name=self.who(pid))
                )
                for pid in person_ids
            }
        )

    def fields(self, data: Mapping[str, Any], kind: str) -> dict[str, Any]:
        """An act's fields (as JSON data) with every third party withheld."""
        return {name: self._value(name, value, kind) for name, value in data.items()}

    def _value(self, name: str, value: Any, kind: str) -> Any:
        if isinstance(value, Mapping):
            return self.fields(value, kind)
        if isinstance(value, list | tuple):
            return [self._value(name, item, kind) for item in value]
        if not isinstance(value, str) or not value:
            return value
        if _is_person_field(name):
            if value != self.requester.person_id:
                self.masked += 1
            return self.who(value)
        if _is_identity(name, kind):
            self.masked += 1
            return COMPANION
        return self.text(value)


def identities(data: Mapping[str, Any], kind: str) -> list[str]:
    """The values of an act's fields (as JSON data) that are wholly a person's identity."""
    found: list[str] = []
    for name, value in data.items():
        if isinstance(value, Mapping):
            found += identities(value, kind)
        elif isinstance(value, list | tuple):
            for item in value:
                if isinstance(item, Mapping):
                    found += identities(item, kind)
        elif isinstance(value, str) and value and _is_identity(name, kind):
            found.append(value)
    return found


def _is_identity(name: str, kind: str) -> bool:
    return name in IDENTITY_FIELDS or (kind == "companion_named" and name == "name")


def _details(person: PersonDetails) -> list[str]:
    found = [person.name, person.job_title, person.salutation, *person.address]
    return [s for s in found if s]


def _words(name: str) -> list[str]:
    return [
        w
        for w in re.findall(r"[^\W\d_][\w'-]*", name)
        if len(w) >= 2 and w.rstrip(".") not in TITLES
    ]
