"""The data-key table held against the signed log, as `verify` streams it.

The key table is not signed (a destroyed key must be gone, not covered by a signature), so
what keeps it honest is the log: every live key must open a piece of the content sealed under
it (one sealed field per case and category is tried), every category with sealed content must
have a key row, and every destroyed key must be disposed of by a signed certificate of its own
case, on the same day under the same rule. A certificate whose key still lives is a purge that
stopped between signing and destroying: not tampering, and a rerun of the purge completes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pmledger.crypto.content import opens_with
from pmledger.crypto.data_keys import DataKey
from pmledger.events.values import SEALED_PREFIX

Slot = tuple[str, str]
"""(case or directory id, category)."""

_PREFIX = b'"' + SEALED_PREFIX.encode()
_OPENERS = (b":", b",", b"[")


@dataclass(frozen=True, slots=True)
class Certificate:
    as_of: str
    rule: str
    position: int
    version: int


@dataclass(frozen=True, slots=True)
class KeyProblem:
    aggregate_id: str
    category: str
    position: int
    version: int
    reason: str


@dataclass
class DataKeyAudit:
    """`keys` is the whole table read once before the stream; `lookup` reads one row the table
    gained while the log was being read (a case recorded during the run)."""

    keys: dict[Slot, DataKey]
    lookup: Callable[[str, str], DataKey | None]
    _sampled: set[Slot] = field(default_factory=set)
    _certified: dict[Slot, Certificate] = field(default_factory=dict)
    _learned: dict[Slot, DataKey] = field(default_factory=dict)

    def see_content(self, aggregate_id: str, payload: bytes) -> str | None:
        """Try the first sealed field of each category met: why it fails, or None. The
        category is read from the bytes; a token is decoded only for a category not yet tried
        (verify pays this for every event)."""
        start = payload.find(_PREFIX)
        while start >= 0:
            category_at = start + len(_PREFIX)
            category_end = payload.find(b":", category_at)
            slot = (aggregate_id, payload[category_at:category_end].decode())
            # A token opens a JSON string (after `:`, `,` or `[` in the compact canonical
            # form); the same letters after an escaped quote are text inside another string.
            if payload[start - 1 : start] in _OPENERS and slot not in self._sampled:
                self._sampled.add(slot)
                token = payload[start + 1 : payload.find(b'"', category_end)].decode()
                problem = self._check_sample(slot, token)
                if problem is not None:
                    return problem
            start = payload.find(_PREFIX, category_end)
        return None

    def _key(self, slot: Slot) -> DataKey | None:
        key = self.keys.get(slot)
        if key is None:
            key = self.lookup(*slot)
            if key is not None:
                self.keys[slot] = self._learned[slot] = key
        return key

    def findings(self) -> tuple[dict[Slot, Certificate], dict[Slot, DataKey]]:
        """The certificates seen and the keys looked up, for a verify run on several
        processes, each seeing some cases: `adopt` gathers them for `finish`."""
        return dict(self._certified), dict(self._learned)

    def adopt(self, certified: dict[Slot, Certificate], learned: dict[Slot, DataKey]) -> None:
        """Take in what another process's audit found (its `findings`). Certificates are
        kept in log order, as one process reading the whole log would have met them."""
        merged = {**self._certified, **certified}
        self._certified = dict(sorted(merged.items(), key=lambda item: item[1].position))
        for slot, key in learned.items():
            self.keys.setdefault(slot, key)

    def _check_sample(self, slot: Slot, token: str) -> str | None:
        key = self._key(slot)
        category = slot[1]
        if key is None:
            return (
                f"the {category} data key is missing from the key table, though {category} "
                "content is sealed under it: the key row was deleted (no disposal certificate "
                "leaves a case without its key row)"
            )
        if key.key is not None and not opens_with(key.key, slot[0], token):
            return (
                f"the {category} data key does not open the {category} content sealed at this "
                "version: the key was replaced (a random key, or another category's or case's)"
            )
        return None

    def see_certificate(
        self, aggregate_id: str, category: str, as_of: str, rule: str, position: int, version: int
    ) -> None:
        self._certified.setdefault(
            (aggregate_id, category), Certificate(as_of, rule, position, version)
        )

    def finish(self) -> tuple[KeyProblem | None, list[Slot]]:
        """The first destroyed key no certificate accounts for, and the certified categories
        whose keys still live (interrupted purges), once the whole log has been read."""
        for slot, key in self.keys.items():
            if key.key is not None:
                continue
            certificate = self._certified.get(slot)
            said = f"destroyed on {key.destroyed_on} under rule {key.rule!r}"
            if certificate is None:
                return KeyProblem(
                    *slot,
                    0,
                    0,
                    f"the {slot[1]} data key was {said}, but no signed disposal certificate of "
                    f"this case disposes of {slot[1]}: the key was destroyed or nulled outside "
                    "a purge",
                ), []
            if (str(key.destroyed_on), key.rule) != (certificate.as_of, certificate.rule):
                return KeyProblem(
                    *slot,
                    certificate.position,
                    certificate.version,
                    f"the {slot[1]} data key says it was {said}, but the signed certificate "
                    f"disposed of it on {certificate.as_of} under rule {certificate.rule!r}",
                ), []
        interrupted = [
            slot
            for slot in self._certified
            if (live := self._key(slot)) is not None and live.key is not None
        ]
        return None, interrupted
