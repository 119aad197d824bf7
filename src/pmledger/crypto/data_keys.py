"""Data keys: one AES-256 key per case and retention category, held apart from the events.

Destroying one key makes exactly one category of one employee's personal content unreadable
forever, while every signature and chain link (which cover the ciphertext) still verifies.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from pmledger.errors import ContentDisposed


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


@dataclass(frozen=True)
class DataKey:
    key: bytes | None
    """None once destroyed."""
    destroyed_on: date | None = None
    rule: str | None = None


Disposal = tuple[str, str, date, str]
"""(case id, category, day, rule) of a key to destroy."""


class DataKeys(Protocol):
    def get(self, case_id: str, category: str) -> DataKey | None:
        """The key, a destroyed key's record, or None if the category never had content."""
        ...

    def of_cases(self, case_ids: Collection[str]) -> dict[tuple[str, str], DataKey]:
        """Every key and destroyed key's record of these cases, by (case id, category): what
        a batch of acts reads in one query instead of one per case and category."""
        ...

    def create(self, case_id: str, category: str) -> bytes:
        """The existing live key, or a new one (two writers racing get the same key)."""
        ...

    def destroy(self, case_id: str, category: str, on: date, rule: str) -> bool:
        """Destroy the key; False if it was already destroyed (so a rerun changes nothing)."""
        ...

    def destroy_all(self, disposals: Sequence[Disposal]) -> set[tuple[str, str]]:
        """Destroy every key named, in one transaction (a purge's page of cases commits
        once, not once a key); the (case id, category) of those this call destroyed."""
        ...

    def destroyed(self, case_ids: Sequence[str]) -> dict[tuple[str, str], date]:
        """When each destroyed key of these cases was destroyed, by (case id, category), in
        one read (a live key, or a category without content, is absent)."""
        ...

    def every(self) -> dict[tuple[str, str], DataKey]:
        """Every key and destroyed key's record by (case id, category), for `verify`."""
        ...

    def scrub(self) -> None:
        """Remove what destroyed keys left behind in the store beyond their live rows (freed
        pages, logs, old row versions): after a run of destructions, and harmless whenever."""
        ...


class MemoryDataKeys:
    """Keys in process memory: tests and throwaway ledgers."""

    def __init__(self) -> None:
        self._keys: dict[tuple[str, str], DataKey] = {}

    def get(self, case_id: str, category: str) -> DataKey | None:
        return self._keys.get((case_id, category))

    def of_cases(self, case_ids: Collection[str]) -> dict[tuple[str, str], DataKey]:
        return {slot: key for slot, key in self._keys.items() if slot[0] in case_ids}

    def create(self, case_id: str, category: str) -> bytes:
        existing = self._keys.get((case_id, category))
        if existing is not None and existing.key is not None:
            return existing.key
        if existing is not None:
            msg = f"the {category} key of case {case_id} was destroyed; it cannot be reused"
            raise ContentDisposed(msg)
        key = new_key()
        self.keep(case_id, category, key)
        return key

    def every(self) -> dict[tuple[str, str], DataKey]:
        return dict(self._keys)

    def keep(self, case_id: str, category: str, key: bytes) -> None:
        """Store a key made (and already used) by the sealer for content being stored now."""
        self._keys[(case_id, category)] = DataKey(key)

    def destroy(self, case_id: str, category: str, on: date, rule: str) -> bool:
        return bool(self.destroy_all([(case_id, category, on, rule)]))

    def destroy_all(self, disposals: Sequence[Disposal]) -> set[tuple[str, str]]:
        done: set[tuple[str, str]] = set()
        for case_id, category, on, rule in disposals:
            existing = self._keys.get((case_id, category))
            if existing is not None and existing.key is not None:
                self._keys[(case_id, category)] = DataKey(None, on, rule)
                done.add((case_id, category))
        return done

    def destroyed(self, case_ids: Sequence[str]) -> dict[tuple[str, str], date]:
        wanted = set(case_ids)
        return {
            slot: key.destroyed_on
            for slot, key in self._keys.items()
            if slot[0] in wanted and key.key is None and key.destroyed_on is not None
        }

    def scrub(self) -> None:
        pass  # a replaced dict entry leaves nothing that outlives the process
