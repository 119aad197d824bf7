"""Stored events: an act plus who signed it, where it sits in its chain, and when."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar, Literal, Required, Union, get_args
from uuid import UUID

from pydantic import (
    AwareDatetime,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
)
from typing_extensions import TypedDict

from pmledger.events.actors import Actor
from pmledger.events.appeal_acts import (
    AppealAccepted,
    AppealDecided,
    AppealHeard,
    AppealHearingArranged,
    AppealLodged,
    GrievanceInvoked,
    TimeLimitExtended,
)
from pmledger.events.base_act import ActBase
from pmledger.events.case_acts import (
    CaseOpened,
    CycleClosed,
    CycleOpened,
    DevelopmentPlanAgreed,
    DevelopmentRequestDecided,
    DevelopmentRequested,
    EmploymentStatusChanged,
    ExpectationsCommunicated,
    HpmpAppointed,
    ObjectivesApproved,
    ObjectivesRevised,
    ObjectivesSet,
    ReviewerAssigned,
    ReviewerChanged,
    ReviewerChangeDecided,
    ReviewerChangeRequested,
)
from pmledger.events.directory_acts import (
    DirectoryEntryDisposed,
    PersonDetailsRecorded,
    PersonLeft,
)
from pmledger.events.governance_acts import (
    CaseClosed,
    EmploymentEnded,
    LegalHoldPlaced,
    LegalHoldReleased,
    RecordsDisposed,
)
from pmledger.events.keyring_acts import KeyRegistered, KeyRevoked, OrganisationNamed
from pmledger.events.meeting_acts import (
    CompanionNamed,
    DocumentsSubmitted,
    FeedbackGiven,
    LetterSent,
    MeetingAdjourned,
    MeetingHeld,
    MeetingInvited,
    MeetingRescheduled,
    ObservationHeld,
    ObservationPlanned,
    OneToOneHeld,
)
from pmledger.events.pay_acts import (
    BonusDecided,
    PayDecided,
    PayRecommendationApproved,
    PayRecommendationReferred,
    PayRecommendationShared,
    PayRecommended,
    RatingRecorded,
)
from pmledger.events.record_acts import (
    AbsenceNoted,
    ConcernNotified,
    ConcernRaised,
    DeviationReasonGiven,
    DisagreementReferred,
    EmployeeConcernRaised,
    HrAdviceObtained,
    ReasonableAdjustmentsConsidered,
    RecordAcknowledged,
    RecordCopyProvided,
    RecordSubmitted,
    StatementRecorded,
)
from pmledger.events.sanction_acts import (
    AlternativeRolesConsidered,
    CapabilityEnded,
    CapabilityStarted,
    DismissalOverturned,
    Dismissed,
    ExternalPartyNotified,
    WarningIssued,
    WarningReduced,
    WarningRescinded,
)
from pmledger.events.subject_access_acts import (
    SubjectAccessAnswered,
    SubjectAccessExtended,
    SubjectAccessRequested,
)
from pmledger.events.support_acts import (
    ConsequencesExplained,
    MonitoringPeriodChanged,
    MonitoringReviewed,
    MonitoringRoleAssigned,
    OutcomeDecided,
    SupportMeasureStarted,
    SupportPlanAgreed,
    SupportPlanDrafted,
    SupportPlanRevised,
)
from pmledger.events.values import FrozenModel, Identifier, PersonalReason
from pmledger.integrity.envelope import Envelope, build_envelope

Act = Annotated[
    Union[  # noqa: UP007 - a discriminated union needs the Union form under mypy
        CaseOpened,
        EmploymentStatusChanged,
        CycleOpened,
        CycleClosed,
        ReviewerAssigned,
        ReviewerChanged,
        ReviewerChangeRequested,
        ReviewerChangeDecided,
        HpmpAppointed,
        ExpectationsCommunicated,
        ObjectivesSet,
        ObjectivesRevised,
        ObjectivesApproved,
        DevelopmentPlanAgreed,
        DevelopmentRequested,
        DevelopmentRequestDecided,
        RatingRecorded,
        PayRecommended,
        PayRecommendationApproved,
        PayRecommendationShared,
        PayRecommendationReferred,
        PayDecided,
        BonusDecided,
        MeetingInvited,
        MeetingRescheduled,
        MeetingHeld,
        MeetingAdjourned,
        OneToOneHeld,
        CompanionNamed,
        DocumentsSubmitted,
        LetterSent,
        ObservationPlanned,
        ObservationHeld,
        FeedbackGiven,
        StatementRecorded,
        RecordAcknowledged,
        RecordSubmitted,
        RecordCopyProvided,
        DisagreementReferred,
        DeviationReasonGiven,
        ConcernRaised,
        EmployeeConcernRaised,
        ConcernNotified,
        ReasonableAdjustmentsConsidered,
        AbsenceNoted,
        HrAdviceObtained,
        SupportMeasureStarted,
        SupportPlanDrafted,
        MonitoringRoleAssigned,
        SupportPlanAgreed,
        SupportPlanRevised,
        MonitoringReviewed,
        MonitoringPeriodChanged,
        ConsequencesExplained,
        OutcomeDecided,
        CapabilityStarted,
        CapabilityEnded,
        WarningIssued,
        WarningRescinded,
        WarningReduced,
        AlternativeRolesConsidered,
        ExternalPartyNotified,
        Dismissed,
        DismissalOverturned,
        AppealLodged,
        AppealAccepted,
        AppealHearingArranged,
        AppealHeard,
        AppealDecided,
        GrievanceInvoked,
        TimeLimitExtended,
        LegalHoldPlaced,
        LegalHoldReleased,
        RecordsDisposed,
        EmploymentEnded,
        CaseClosed,
        SubjectAccessRequested,
        SubjectAccessExtended,
        SubjectAccessAnswered,
    ],
    Field(discriminator="kind"),
]

CASE_ACTS: tuple[type[ActBase], ...] = get_args(get_args(Act)[0])
"""Every act a case can record, in catalogue order."""

KeyChange = Annotated[
    Union[KeyRegistered, KeyRevoked, OrganisationNamed],  # noqa: UP007
    Field(discriminator="kind"),
]
DirectoryChange = Annotated[
    Union[PersonDetailsRecorded, PersonLeft, DirectoryEntryDisposed],  # noqa: UP007
    Field(discriminator="kind"),
]

_SEALED = "_envelope"
"""The key of `SignedEvent.sealed`'s cache in `__pydantic_private__`."""
_ENVELOPE_KEYS = {"originator_id", "originator_version", "timestamp", "prev", "key_id"}
_WITHOUT_ATTACHMENTS: dict[str, Any] = {
    **dict.fromkeys(_ENVELOPE_KEYS, True),
    "act": {"attachments": True},
}
"""A case event's payload as signed before acts could carry documents: built once, not per
dump (pydantic only reads it)."""


class SignedEvent(FrozenModel):
    """Fields every stored event has; the rest of the model is its signed payload."""

    stream: ClassVar[str]

    originator_id: UUID
    originator_version: int = Field(ge=1)
    timestamp: AwareDatetime
    prev: str = Field(pattern=r"^[0-9a-f]{64}$")
    key_id: str
    actor: Actor

    @property
    def kind(self) -> str:
        raise NotImplementedError

    @property
    def topic(self) -> str:
        return f"pmledger.{self.stream}/{self.kind}/v1"

    def payload(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude=_ENVELOPE_KEYS)

    def sealed(self) -> tuple[Envelope, bytes]:
        """The envelope and canonical payload bytes, computed once per event object.

        The cache is kept in `__pydantic_private__` (copied by `model_copy`, so a copy keeps
        the stored envelope), set here or by `keep_stored`, not declared as a `PrivateAttr`:
        a declared one is set on every event validated, by pydantic's Python-level
        `init_private_attributes` (≈ 2 µs of the ≈ 15 µs every load and every row of
        `verify` spends validating an event); reading it through the attribute would run
        pydantic's `__getattr__` (≈ 5 µs a read), and a recorded event's digest is asked for
        three times or more (its chain link, its receipt, its signature)."""
        private = self.__pydantic_private__
        cached: tuple[Envelope, bytes] | None = None if private is None else private[_SEALED]
        if cached is None:
            cached = build_envelope(
                aggregate_id=str(self.originator_id),
                version=self.originator_version,
                topic=self.topic,
                payload=self.payload(),
                prev=self.prev,
                key_id=self.key_id,
                recorded_at=self.timestamp.isoformat(),
            )
            object.__setattr__(self, "__pydantic_private__", {_SEALED: cached})
        return cached

    def keep_stored(self, envelope: Envelope, payload_bytes: bytes) -> None:
        """Pin the envelope this event was stored under, so `digest` and `sealed()` answer
        from the stored bytes; re-dumping the decoded model may differ from what was signed."""
        object.__setattr__(self, "__pydantic_private__", {_SEALED: (envelope, payload_bytes)})

    @property
    def digest(self) -> str:
        return self.sealed()[0].digest


class _PackRefDump(TypedDict, total=False):
    """PackRef as stored: typed, so the serialisation schema still admits no free-form data."""

    id: Required[str]
    version: Required[str]
    digest: str


class PackRef(FrozenModel):
    """The procedure version that judged an event, and the SHA-256 of its pack file's content.

    The digest shows exactly which rules and limits judged the record (a school's variant
    included); `verify` holds it to the pack file in force. Events recorded before packs had
    files carry none, and their stored bytes stay exactly as signed: no key is written for it.
    """

    id: Identifier
    version: Identifier
    digest: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")

    @model_serializer(mode="wrap")
    def _without_missing_digest(self, handler: SerializerFunctionWrapHandler) -> _PackRefDump:
        data: _PackRefDump = handler(self)
        if data.get("digest") is None:
            data.pop("digest", None)
        return data


class CaseEvent(SignedEvent):
    """One act in an employee's case, judged under a named version of its procedure."""

    stream: ClassVar[str] = "case"

    occurred_on: date
    pack: PackRef
    deviation_reason: PersonalReason | None = None
    """Why the procedure was departed from: about the person (an illness, a companion's
    availability), so sealed under the act's category like the act's own personal text."""
    act: Act

    @property
    def kind(self) -> str:
        return self.act.kind

    def payload(self) -> dict[str, Any]:
        """An act without documents signs the payload it did before acts could carry them,
        so every record signed earlier still verifies byte for byte."""
        if self.act.attachments:
            return super().payload()
        return self.model_dump(mode="json", exclude=_WITHOUT_ATTACHMENTS)


class KeyringEvent(SignedEvent):
    stream: ClassVar[str] = "keyring"

    change: KeyChange

    @property
    def kind(self) -> str:
        return self.change.kind


class DirectoryEvent(SignedEvent):
    """One change to a person's directory entry, in the person's own stream (see
    `pmledger.events.directory_acts`), signed by HR, an administrator or the DPO."""

    stream: ClassVar[str] = "person"

    change: DirectoryChange

    @property
    def kind(self) -> str:
        return self.change.kind


class AccessEntry(FrozenModel):
    """One read of, or refusal on, a case: what the DPO's access log is made of."""

    kind: Literal["access_recorded"] = "access_recorded"
    case_id: UUID | None
    operation: Identifier
    allowed: bool
    reason: str = Field(max_length=2000)
    on: date


class AccessEvent(SignedEvent):
    """Access log entries live in their own stream per person and day, never in the case, so
    reading a case does not change it and concurrent readers rarely contend."""

    stream: ClassVar[str] = "access"

    entry: AccessEntry

    @property
    def kind(self) -> str:
        return self.entry.kind


def event_class_for(topic: str) -> type[SignedEvent]:
    """Which model decodes a stored topic; unknown topics are an error, never a guess."""
    stream = topic.split("/", 1)[0]
    if stream == "pmledger.case":
        return CaseEvent
    if stream == "pmledger.keyring":
        return KeyringEvent
    if stream == "pmledger.access":
        return AccessEvent
    if stream == "pmledger.person":
        return DirectoryEvent
    raise ValueError(f"unknown event topic {topic!r}")


def from_stored(topic: str, env: dict[str, Any], payload: dict[str, Any]) -> SignedEvent:
    """The event a stored envelope and payload hold, validated against its model: what the
    ledger loads and what `verify` holds every signed row to, one function so the two cannot
    drift (a row verify passes always loads). Raises ValueError (pydantic's ValidationError
    is one) or KeyError for a payload its model refuses or an envelope without its fields."""
    fields = dict(payload)
    fields.update(
        originator_id=env["id"],
        originator_version=env["v"],
        timestamp=env["at"],
        prev=env["prev"],
        key_id=env["key"],
    )
    return event_class_for(topic).model_validate(fields)
