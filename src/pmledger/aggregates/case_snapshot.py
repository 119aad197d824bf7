"""Snapshots of long cases: a cache that speeds up loading, never a source of truth.

What keeps it honest: it is signed by the key that signed the event it was taken at (see
`integrity.snapshot_seal`), a load uses it only if that signature holds and the first event
after it links to its `head`, `verify` checks every snapshot's signature and head against the
signed chain, and verification and export always read the signed events themselves.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self
from uuid import UUID

from pydantic import AwareDatetime, TypeAdapter

from pmledger.aggregates.employee_case import EmployeeCase
from pmledger.events.values import FrozenModel
from pmledger.integrity.signing import Signer, b64
from pmledger.integrity.snapshot_seal import snapshot_message

_CASE = TypeAdapter(EmployeeCase)

SNAPSHOT_TOPIC = "pmledger.snapshot/case/v1"


class CaseSnapshot(FrozenModel):
    originator_id: UUID
    originator_version: int
    timestamp: AwareDatetime
    state: dict[str, Any]
    key_id: str | None = None
    signature: str | None = None

    @classmethod
    def take(cls, case: EmployeeCase, when: datetime, key_id: str, signer: Signer) -> Self:
        """The case as it stands, signed with `key_id` (the key of the event it is taken at)."""
        unsigned = cls(
            originator_id=case.id,
            originator_version=case.version,
            timestamp=when,
            state=_CASE.dump_python(case, mode="json"),
            key_id=key_id,
        )
        message = snapshot_message(unsigned.model_dump(mode="json"))
        return unsigned.model_copy(update={"signature": b64(signer.sign(key_id, message))})

    def restore(self) -> EmployeeCase:
        return _CASE.validate_python(self.state)

    @property
    def head(self) -> str:
        return str(self.state["head"])
