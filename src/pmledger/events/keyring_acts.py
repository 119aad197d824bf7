"""Changes to the ledger's public keyring: who may sign, from when, until when."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from pmledger.events.actors import Role
from pmledger.events.base_act import ActBase
from pmledger.events.values import Identifier, Reason

KEY_ID_PATTERN = r"^ed25519:[0-9a-f]{32}$"


class KeyRegistered(ActBase):
    kind: Literal["key_registered"] = "key_registered"
    registered_key_id: str = Field(pattern=KEY_ID_PATTERN)
    person_id: Identifier
    roles: tuple[Role, ...] = Field(min_length=1)
    public_key: str = Field(pattern=r"^[0-9a-f]{64}$")
    valid_from: AwareDatetime
    schools: tuple[Identifier, ...] = ()
    """Schools the person works at; empty for trust-wide roles (HR, DPO, administrators).
    Access control reads it: a Headteacher sees the cases of their own school only."""
    authority_level: Literal[1, 2] | None = None
    """The person's authority under the Improving Performance Policy (004 §6), as the school
    configured it: signed here with the key, valid while the key is, so an act claiming a
    higher level is refused rather than believed."""


class KeyRevoked(ActBase):
    """Ends a key's validity; `rotated_to` names the successor when this is a rotation."""

    kind: Literal["key_revoked"] = "key_revoked"
    revoked_key_id: str = Field(pattern=KEY_ID_PATTERN)
    revoked_at: AwareDatetime
    """With its time zone: compared with the aware times every event is signed at."""
    reason: Reason
    rotated_to: str | None = Field(default=None, pattern=KEY_ID_PATTERN)


class OrganisationNamed(ActBase):
    """Names the organisation (trust or school) whose staff the ledger records, signed by a
    key manager: an operator sees whose ledger a command opened, and `verify` (and a bundle's
    keyring) carries the name under a signature rather than in a file beside the ledger. The
    latest naming holds, so a trust that changes its name signs the new one."""

    kind: Literal["organisation_named"] = "organisation_named"
    organisation: Identifier
