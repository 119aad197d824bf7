"""Snapshots of long cases: a cache that speeds up loading, never a source of truth.

A snapshot is not signed. What keeps it honest: the first event after it must link to its
`head` (checked on every load), `verify` checks every snapshot's head against the signed
chain, and verification and export always read the signed events themselves.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self
from uuid import UUID

from pydantic import AwareDatetime, TypeAdapter

from pmledger.aggregates.employee_case import EmployeeCase
from pmledger.events.values import FrozenModel

_CASE = TypeAdapter(EmployeeCase)

SNAPSHOT_TOPIC = "pmledger.snapshot/case/v1"


class CaseSnapshot(FrozenModel):
    originator_id: UUID
    originator_version: int
    timestamp: AwareDatetime
    state: dict[str, Any]

    @classmethod
    def take(cls, case: EmployeeCase, when: datetime) -> Self:
        return cls(
            originator_id=case.id,
            originator_version=case.version,
            timestamp=when,
            state=_CASE.dump_python(case, mode="json"),
        )

    def restore(self) -> EmployeeCase:
        return _CASE.validate_python(self.state)

    @property
    def head(self) -> str:
        return str(self.state["head"])
