"""The ledger's public keyring: which key belongs to whom, valid from when until when.

Public keys live inside the ledger (not beside it) so that a bundle exported years later
carries everything needed to check its signatures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from pmledger.events.actors import Role
from pmledger.events.keyring_acts import KeyRegistered, KeyRevoked, OrganisationNamed
from pmledger.events.signed_event import KeyringEvent
from pmledger.integrity.envelope import GENESIS


@dataclass(slots=True)
class KeyRecord:
    key_id: str
    person_id: str
    roles: tuple[Role, ...]
    public_key: bytes
    valid_from: datetime
    revoked_at: datetime | None = None
    schools: tuple[str, ...] = ()
    authority_level: int | None = None

    def valid_at(self, when: datetime) -> bool:
        return self.valid_from <= when and (self.revoked_at is None or when < self.revoked_at)


@dataclass(slots=True)
class Keyring:
    id: UUID
    version: int = 0
    head: str = GENESIS
    keys: dict[str, KeyRecord] = field(default_factory=dict)
    by_person: dict[str, list[KeyRecord]] = field(default_factory=dict)
    """The same records by person, so finding someone's key does not scan every key (each
    act looks up its signer's)."""
    organisation: str | None = None
    """Whose ledger this is, as last signed (`OrganisationNamed`); None for a ledger made
    without naming it."""

    def apply(self, event: KeyringEvent) -> None:
        change = event.change
        if isinstance(change, KeyRegistered):
            record = KeyRecord(
                key_id=change.registered_key_id,
                person_id=change.person_id,
                roles=change.roles,
                public_key=bytes.fromhex(change.public_key),
                valid_from=change.valid_from,
                schools=change.schools,
                authority_level=change.authority_level,
            )
            self.keys[record.key_id] = record
            self.by_person.setdefault(record.person_id, []).append(record)
        elif isinstance(change, KeyRevoked):
            self.keys[change.revoked_key_id].revoked_at = change.revoked_at
        elif isinstance(change, OrganisationNamed):
            self.organisation = change.organisation
        self.version = event.originator_version
        self.head = event.digest

    def person(self, person_id: str, when: datetime) -> tuple[frozenset[Role], frozenset[str]]:
        """The roles and schools the person holds at `when`: those of their keys valid then.

        A revoked or superseded key grants nothing from its revocation on, so a Headteacher
        moved to another school, or HR staff who left HR, hold only what their current keys
        say, whatever their earlier keys carried."""
        keys = [k for k in self.by_person.get(person_id, []) if k.valid_at(when)]
        return (
            frozenset(r for k in keys for r in k.roles),
            frozenset(s for k in keys for s in k.schools),
        )

    def signing_key_for(self, person_id: str, when: datetime) -> KeyRecord | None:
        """The person's most recently registered key that is valid at `when`."""
        valid = [k for k in self.by_person.get(person_id, []) if k.valid_at(when)]
        return max(valid, key=lambda k: k.valid_from) if valid else None


def project_keyring(initial: Keyring | None, events: Iterable[KeyringEvent]) -> Keyring | None:
    keyring = initial
    for event in events:
        if keyring is None:
            keyring = Keyring(id=event.originator_id)
        keyring.apply(event)
    return keyring
