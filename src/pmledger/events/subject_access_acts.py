"""Subject access requests (UK GDPR Art. 15): received, extended, answered — acts on the
requester's case, so the one-month clock is signed, dated and shown among the case's deadlines.

Art. 12(3): the controller answers "without undue delay and in any event within one month of
receipt", extendable "by two further months where necessary, taking into account the
complexity and number of the requests", telling the requester of the extension and its reasons
within the first month. The request's date is the record's `occurred_on` (the day it was
received); the clock itself is the `subject-access` rule's (`policies/rules/subject_access.py`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from pmledger.events.base_act import ActBase
from pmledger.events.documents import SHA256_HEX
from pmledger.events.values import Identifier, PersonalReason, PersonalText


class SubjectAccessRequested(ActBase):
    """A request received from the employee (in any form: Art. 15 prescribes none)."""

    kind: Literal["subject_access_requested"] = "subject_access_requested"
    request_id: Identifier
    details: PersonalText = ""
    """How it arrived and what it asks for, in the requester's words where they gave any."""


class SubjectAccessExtended(ActBase):
    """The deadline extended by one or two further months, with the reason the requester is
    told (Art. 12(3)); more than two months in all is recorded with a finding."""

    kind: Literal["subject_access_extended"] = "subject_access_extended"
    request_id: Identifier
    months: Literal[1, 2]
    reason: PersonalReason


class SubjectAccessAnswered(ActBase):
    """The answer given: the digest of the export (`pmledger sar`) sent to the requester."""

    kind: Literal["subject_access_answered"] = "subject_access_answered"
    request_id: Identifier
    sha256: str = Field(pattern=SHA256_HEX)
