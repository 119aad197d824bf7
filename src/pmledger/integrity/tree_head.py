"""Signed tree heads: size + root + time, signed by a person, publishable outside the ledger.

A head printed on paper, emailed, or handed to the employee with a receipt lets anyone later
prove that nothing recorded before it was changed, dropped or reordered, even by someone who
holds the database and every signing key since.
"""

from __future__ import annotations

from typing import Self

from pydantic import AwareDatetime, Field

from pmledger.canonical import canonical_bytes
from pmledger.events.actors import Actor
from pmledger.events.values import FrozenModel
from pmledger.integrity.signing import Signer, b64, unb64, verify_signature


class SignedTreeHead(FrozenModel):
    size: int = Field(ge=0)
    root: str = Field(pattern=r"^[0-9a-f]{64}$")
    at: AwareDatetime
    key_id: str
    actor: Actor
    signature: str = ""

    def signed_bytes(self) -> bytes:
        return canonical_bytes(self.model_dump(mode="json", exclude={"signature"}))

    def sign(self, signer: Signer) -> Self:
        return self.model_copy(
            update={"signature": b64(signer.sign(self.key_id, self.signed_bytes()))}
        )

    def signature_holds(self, public_key: bytes) -> bool:
        try:
            signature = unb64(self.signature)
        except ValueError:
            return False
        return verify_signature(public_key, signature, self.signed_bytes())
