"""pmledger: the signed legal record of staff performance-management and capability cases.

One import gives a host everything it needs: the `Ledger`, every act a case can record (with
the values those acts take), every error (each with its `http_status`), and every view a
query returns, with `to_json(view)` for their JSON form.

Importing pmledger has no side effects: no global state, no environment reads, no I/O.
`export_case` is imported on first use, because the PDF bundle pulls in ReportLab and most
hosts and commands never export.
"""

from typing import TYPE_CHECKING, Any

from pmledger.audit.verifier import VerifyReport
from pmledger.calendar import Nation
from pmledger.commands import EmployeeRef, RecordAct
from pmledger.errors import (
    AccessDenied,
    ActorRequired,
    ActRefused,
    BatchRejected,
    CaseAlreadyOpen,
    ConcurrencyConflict,
    ContentDisposed,
    FieldError,
    InvalidInput,
    KeyStoreError,
    PmLedgerError,
    StorageError,
    UnknownEmployee,
    UnknownKey,
)
from pmledger.events.actors import Actor, Role
from pmledger.events.appeal_acts import (
    AppealAccepted,
    AppealDecided,
    AppealGround,
    AppealHeard,
    AppealHearingArranged,
    AppealLodged,
    AppealResult,
    GrievanceInvoked,
    TimeLimitExtended,
)
from pmledger.events.case_acts import (
    CaseOpened,
    ContractKind,
    CycleClosed,
    CycleKind,
    CycleOpened,
    DevelopmentPlanAgreed,
    DevelopmentRequestDecided,
    DevelopmentRequested,
    EmploymentStatusChanged,
    ExpectationsCommunicated,
    HpmpAppointed,
    Objective,
    ObjectiveKind,
    ObjectivesApproved,
    ObjectivesRevised,
    ObjectivesSet,
    ReviewerAssigned,
    ReviewerBasis,
    ReviewerChanged,
    ReviewerChangeDecided,
    ReviewerChangeRequested,
    StaffGroup,
)
from pmledger.events.documents import DocumentRef
from pmledger.events.governance_acts import (
    CaseClosed,
    DisposalCount,
    EmploymentEnded,
    HoldReason,
    LegalHoldPlaced,
    LegalHoldReleased,
    RecordsDisposed,
)
from pmledger.events.meeting_acts import (
    Attendee,
    CompanionKind,
    CompanionNamed,
    Delivery,
    DocumentsSubmitted,
    FeedbackGiven,
    LetterSent,
    MeetingAdjourned,
    MeetingHeld,
    MeetingInvited,
    MeetingPurpose,
    MeetingRescheduled,
    ObservationHeld,
    ObservationPlanned,
    OneToOneHeld,
    RescheduleCause,
)
from pmledger.events.pay_acts import (
    BonusDecided,
    PayDecided,
    PayRecommendationApproved,
    PayRecommendationReferred,
    PayRecommendationShared,
    PayRecommended,
    Rating,
    RatingRecorded,
)
from pmledger.events.record_acts import (
    AbsenceNoted,
    ConcernCategory,
    ConcernNotified,
    ConcernRaised,
    DisagreementReferred,
    EmployeeConcernRaised,
    HrAdviceObtained,
    ReasonableAdjustmentsConsidered,
    RecordAcknowledged,
    RecordCopyProvided,
    RecordSubmitted,
    StatementKind,
    StatementRecorded,
)
from pmledger.events.sanction_acts import (
    AlternativeRolesConsidered,
    CapabilityBasis,
    CapabilityEnded,
    CapabilityStarted,
    DismissalOverturned,
    Dismissed,
    ExternalPartyNotified,
    WarningIssued,
    WarningKind,
    WarningReduced,
    WarningRescinded,
)
from pmledger.events.signed_event import CASE_ACTS, Act, CaseEvent
from pmledger.events.support_acts import (
    Consequence,
    ConsequencesExplained,
    MonitoringPeriodChanged,
    MonitoringReviewed,
    MonitoringRoleAssigned,
    Outcome,
    OutcomeDecided,
    PlanKind,
    Progress,
    SupportMeasureStarted,
    SupportPlanAgreed,
    SupportPlanDrafted,
    SupportPlanRevised,
)
from pmledger.integrity.keystore import EncryptedFileKeyStore, KeyStore, MemoryKeyStore
from pmledger.integrity.tree_head import SignedTreeHead
from pmledger.ledger.archive import CaseSummary
from pmledger.ledger.calendars import Calendars
from pmledger.ledger.facade import Ledger, Receipt
from pmledger.ledger.reader import CaseReader
from pmledger.policies.judgement import Deadline, DeadlineStatus, Finding, RuleRef, Severity
from pmledger.policies.ladder import Ladder
from pmledger.projections.case_status import AwaitingSignature, CaseStatus, PayLine
from pmledger.projections.warnings import WarningStatus, WarningView
from pmledger.view_json import to_json

if TYPE_CHECKING:
    from pmledger.export.exporter import ExportResult, export_case


def __getattr__(name: str) -> Any:
    """`export_case` and `ExportResult`, imported on first use (see the module's docstring)."""
    if name in ("export_case", "ExportResult"):
        from pmledger.export import exporter

        return getattr(exporter, name)
    raise AttributeError(f"module 'pmledger' has no attribute {name!r}")


__all__ = [
    "CASE_ACTS",
    "AbsenceNoted",
    "AccessDenied",
    "Act",
    "ActRefused",
    "Actor",
    "ActorRequired",
    "AlternativeRolesConsidered",
    "AppealAccepted",
    "AppealDecided",
    "AppealGround",
    "AppealHeard",
    "AppealHearingArranged",
    "AppealLodged",
    "AppealResult",
    "Attendee",
    "AwaitingSignature",
    "BatchRejected",
    "BonusDecided",
    "Calendars",
    "CapabilityBasis",
    "CapabilityEnded",
    "CapabilityStarted",
    "CaseAlreadyOpen",
    "CaseClosed",
    "CaseEvent",
    "CaseOpened",
    "CaseReader",
    "CaseStatus",
    "CaseSummary",
    "CompanionKind",
    "CompanionNamed",
    "ConcernCategory",
    "ConcernNotified",
    "ConcernRaised",
    "ConcurrencyConflict",
    "Consequence",
    "ConsequencesExplained",
    "ContentDisposed",
    "ContractKind",
    "CycleClosed",
    "CycleKind",
    "CycleOpened",
    "Deadline",
    "DeadlineStatus",
    "Delivery",
    "DevelopmentPlanAgreed",
    "DevelopmentRequestDecided",
    "DevelopmentRequested",
    "DisagreementReferred",
    "DismissalOverturned",
    "Dismissed",
    "DisposalCount",
    "DocumentRef",
    "DocumentsSubmitted",
    "EmployeeConcernRaised",
    "EmployeeRef",
    "EmploymentEnded",
    "EmploymentStatusChanged",
    "EncryptedFileKeyStore",
    "ExpectationsCommunicated",
    "ExportResult",
    "ExternalPartyNotified",
    "FeedbackGiven",
    "FieldError",
    "Finding",
    "GrievanceInvoked",
    "HoldReason",
    "HpmpAppointed",
    "HrAdviceObtained",
    "InvalidInput",
    "KeyStore",
    "KeyStoreError",
    "Ladder",
    "Ledger",
    "LegalHoldPlaced",
    "LegalHoldReleased",
    "LetterSent",
    "MeetingAdjourned",
    "MeetingHeld",
    "MeetingInvited",
    "MeetingPurpose",
    "MeetingRescheduled",
    "MemoryKeyStore",
    "MonitoringPeriodChanged",
    "MonitoringReviewed",
    "MonitoringRoleAssigned",
    "Nation",
    "Objective",
    "ObjectiveKind",
    "ObjectivesApproved",
    "ObjectivesRevised",
    "ObjectivesSet",
    "ObservationHeld",
    "ObservationPlanned",
    "OneToOneHeld",
    "Outcome",
    "OutcomeDecided",
    "PayDecided",
    "PayLine",
    "PayRecommendationApproved",
    "PayRecommendationReferred",
    "PayRecommendationShared",
    "PayRecommended",
    "PlanKind",
    "PmLedgerError",
    "Progress",
    "Rating",
    "RatingRecorded",
    "ReasonableAdjustmentsConsidered",
    "Receipt",
    "RecordAcknowledged",
    "RecordAct",
    "RecordCopyProvided",
    "RecordSubmitted",
    "RecordsDisposed",
    "RescheduleCause",
    "ReviewerAssigned",
    "ReviewerBasis",
    "ReviewerChangeDecided",
    "ReviewerChangeRequested",
    "ReviewerChanged",
    "Role",
    "RuleRef",
    "Severity",
    "SignedTreeHead",
    "StaffGroup",
    "StatementKind",
    "StatementRecorded",
    "StorageError",
    "SupportMeasureStarted",
    "SupportPlanAgreed",
    "SupportPlanDrafted",
    "SupportPlanRevised",
    "TimeLimitExtended",
    "UnknownEmployee",
    "UnknownKey",
    "VerifyReport",
    "WarningIssued",
    "WarningKind",
    "WarningReduced",
    "WarningRescinded",
    "WarningStatus",
    "WarningView",
    "export_case",
    "to_json",
]
