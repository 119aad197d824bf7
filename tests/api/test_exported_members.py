"""The public surface is `pmledger`, one import deep, and it changes only on purpose (as
httpx's tests/test_exported_members.py pins its own)."""

from __future__ import annotations

import inspect

import pmledger
from pmledger import errors
from pmledger.events.signed_event import CASE_ACTS

EXPORTED = {
    # the ledger and how to reach it
    "Ledger", "Calendars", "KeyStore", "EncryptedFileKeyStore", "MemoryKeyStore", "Nation",
    # commands
    "Actor", "Role", "EmployeeRef", "RecordAct", "Act", "CASE_ACTS",
    # acts, in catalogue order
    "CaseOpened", "EmploymentStatusChanged", "CycleOpened", "CycleClosed", "ReviewerAssigned",
    "ReviewerChanged", "ReviewerChangeRequested", "ReviewerChangeDecided", "HpmpAppointed",
    "ExpectationsCommunicated", "ObjectivesSet", "ObjectivesRevised", "ObjectivesApproved",
    "DevelopmentPlanAgreed", "DevelopmentRequested", "DevelopmentRequestDecided",
    "RatingRecorded", "PayRecommended", "PayRecommendationApproved", "PayRecommendationShared",
    "PayRecommendationReferred", "PayDecided", "BonusDecided", "MeetingInvited",
    "MeetingRescheduled", "MeetingHeld", "MeetingAdjourned", "OneToOneHeld", "CompanionNamed",
    "DocumentsSubmitted", "LetterSent", "ObservationPlanned", "ObservationHeld",
    "FeedbackGiven", "StatementRecorded", "RecordAcknowledged", "RecordSubmitted",
    "RecordCopyProvided", "DisagreementReferred", "DeviationReasonGiven", "ConcernRaised",
    "EmployeeConcernRaised",
    "ConcernNotified", "ReasonableAdjustmentsConsidered", "AbsenceNoted", "HrAdviceObtained",
    "SupportMeasureStarted", "SupportPlanDrafted", "MonitoringRoleAssigned",
    "SupportPlanAgreed", "SupportPlanRevised", "MonitoringReviewed", "MonitoringPeriodChanged",
    "ConsequencesExplained", "OutcomeDecided", "CapabilityStarted", "CapabilityEnded",
    "WarningIssued", "WarningRescinded", "WarningReduced", "AlternativeRolesConsidered",
    "ExternalPartyNotified", "Dismissed", "DismissalOverturned", "AppealLodged",
    "AppealAccepted", "AppealHearingArranged", "AppealHeard", "AppealDecided",
    "GrievanceInvoked", "TimeLimitExtended", "LegalHoldPlaced", "LegalHoldReleased",
    "RecordsDisposed", "EmploymentEnded", "CaseClosed", "SubjectAccessRequested",
    "SubjectAccessExtended", "SubjectAccessAnswered",
    # the values acts take
    "AppealGround", "AppealResult", "Attendee", "CapabilityBasis", "CompanionKind",
    "ConcernCategory", "Consequence", "ContractKind", "CycleKind", "Delivery", "DisposalCount",
    "DocumentRef", "HoldReason", "MeetingPurpose", "Objective", "ObjectiveKind", "Outcome",
    "PlanKind", "Progress", "Rating", "RescheduleCause", "ReviewerBasis", "StaffGroup",
    "StatementKind", "WarningKind",
    # the boxes of the procedures' forms (StatementRecorded.contents)
    "MidYearReviewPart", "EndOfCycleReviewPart", "EndOfCycleStatement", "AssessmentSummary",
    "MidYearReviewStatement", "ObjectiveProgress", "ObjectiveAssessment",
    # errors
    "PmLedgerError", "FieldError", "InvalidInput", "ActorRequired", "UnknownEmployee",
    "CaseAlreadyOpen", "UnknownKey", "KeyStoreError", "ConcurrencyConflict", "ActRefused",
    "ContentDisposed", "StorageError", "BatchRejected", "AccessDenied", "AuthorityNotRegistered",
    "DocumentRejected", "DocumentTypeNotAllowed", "DocumentTooLarge", "DocumentDigestMismatch",
    "DocumentUnavailable", "TamperingDetected", "LedgerNotFound", "ConnectionFailed",
    "DatabaseMissing", "ConnectionRefused", "AuthenticationFailed", "TLSFailed",
    # views and their JSON
    "Receipt", "CaseStatus", "AwaitingSignature", "PayLine", "AppealLine", "ReviewPoint",
    "WarningView", "WarningStatus",
    "Deadline", "DeadlineStatus", "Finding", "ReasonGiven", "RuleRef", "Severity", "Ladder",
    "CaseSummary", "CaseEvent", "CaseReader", "VerifyReport", "SignedTreeHead", "to_json",
    # export
    "export_case", "ExportResult", "ChosenRedaction", "RedactionGround",
}  # fmt: skip


def test_the_public_names_are_exactly_these() -> None:
    assert set(pmledger.__all__) == EXPORTED
    assert len(pmledger.__all__) == len(EXPORTED), "no name listed twice"


def test_every_public_name_imports() -> None:
    namespace: dict[str, object] = {}
    exec("from pmledger import *", namespace)
    for name in EXPORTED:
        assert getattr(pmledger, name) is namespace[name], name


def test_every_act_and_every_error_is_one_import_deep() -> None:
    for act in CASE_ACTS:
        assert getattr(pmledger, act.__name__) is act
    for name, value in vars(errors).items():
        if inspect.isclass(value) and issubclass(value, errors.PmLedgerError):
            assert getattr(pmledger, name) is value
