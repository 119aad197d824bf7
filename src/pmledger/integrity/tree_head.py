"""Signed tree heads: size + log root + cases root + time, signed by a person, publishable
outside the ledger.

A head printed on paper, emailed, or handed to the employee with a receipt lets anyone later
prove that nothing recorded before it was changed, dropped or reordered, even by someone who
holds the database and every signing key since. Its cases root (see `case_map`) also says
which event was each case's newest at that size, so a bundle cannot leave a case's newest
events out and still agree with the head.
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
    cases_root: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    """Root of the map of aggregate heads at `size`. None only in heads signed before pmledger
    kept the map: those still hold the log, but say nothing about where a case ends."""
    at: AwareDatetime
    key_id: str
    actor: Actor
    signature: str = ""

    def signed_bytes(self) -> bytes:
        """Everything but the signature; a head without a cases root is signed as it was
        before the field existed, so heads kept from then still verify."""
        unsigned = {"signature"} if self.cases_root is not None else {"signature", "cases_root"}
        return canonical_bytes(self.model_dump(mode="json", exclude=unsigned))

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
