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

from pydantic import AwareDatetime, PrivateAttr, TypeAdapter

from pmledger.aggregates.employee_case import EmployeeCase
from pmledger.canonical import canonical_bytes, float_free_bytes
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

    _stored: bytes | None = PrivateAttr(default=None)

    @classmethod
    def take(cls, case: EmployeeCase, when: datetime, key_id: str, signer: Signer) -> Self:
        """The case as it stands, signed with `key_id` (the key of the event it is taken at).

        The state is a JSON-mode dump already, which dumping the model would only walk again
        (twice: for the signature, then to store it; most of a long case's snapshot time).
        So the document is the small fields dumped with the state as it is — the same data
        as `model_dump(mode="json")` — and its canonical bytes are kept for `stored()`. No
        field of a case can hold a float (`tests/core/test_canonical.py` holds its schema to
        that, as it does the events'), so neither encoding walks the state looking for one."""
        unsigned = cls(
            originator_id=case.id,
            originator_version=case.version,
            timestamp=when,
            state=_CASE.dump_python(case, mode="json"),
            key_id=key_id,
        )
        document = {**unsigned.model_dump(mode="json", exclude={"state"}), "state": unsigned.state}
        message = snapshot_message(document, float_free=True)
        signature = b64(signer.sign(key_id, message))
        signed = unsigned.model_copy(update={"signature": signature})
        private = signed.__pydantic_private__
        assert private is not None, "a CaseSnapshot declares a private attribute"
        private["_stored"] = float_free_bytes({**document, "signature": signature})
        return signed

    def stored(self) -> bytes:
        """Its stored form: the canonical bytes of `model_dump(mode="json")`."""
        private = self.__pydantic_private__
        assert private is not None, "a CaseSnapshot declares a private attribute"
        kept: bytes | None = private["_stored"]
        return kept if kept is not None else canonical_bytes(self.model_dump(mode="json"))

    def restore(self) -> EmployeeCase:
        return _CASE.validate_python(self.state)

    @property
    def head(self) -> str:
        return str(self.state["head"])
