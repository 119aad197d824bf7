"""A clean Improving Performance case (seed 004) on real 2025-26 dates, built step by step.

Each `to_*` step brings a fresh case one stage further exactly as the policy wants it, so a
test can stop at any point and record the one act it is about.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.policies.script import EMPLOYEE, HR, LEVEL_2, Script

from pmledger.events.actors import Actor, Role
from pmledger.events.appeal_acts import (
    AppealDecided,
    AppealGround,
    AppealHeard,
    AppealHearingArranged,
    AppealLodged,
    AppealResult,
)
from pmledger.events.case_acts import Objective
from pmledger.events.meeting_acts import (
    Attendee,
    DocumentsSubmitted,
    LetterSent,
    MeetingHeld,
    MeetingInvited,
    MeetingPurpose,
    OneToOneHeld,
)
from pmledger.events.record_acts import HrAdviceObtained, RecordCopyProvided
from pmledger.events.sanction_acts import (
    AlternativeRolesConsidered,
    Dismissed,
    ExternalPartyNotified,
    WarningIssued,
    WarningKind,
)
from pmledger.events.support_acts import Outcome, OutcomeDecided, PlanKind, SupportPlanAgreed

PACK = "improving-performance"
LM = Actor(person_id="lm-1", role=Role.LINE_MANAGER, authority_level=1)
DIRECTOR = LEVEL_2
CHAIR_OF_GOVERNORS = Actor(person_id="gov-1", role=Role.CHAIR_OF_GOVERNORS)
APPEAL_CHAIR = Actor(person_id="gov-2", role=Role.GOVERNOR)
TARGET = Objective(
    objective_id="t1", text="Behaviour routines", success_criteria="Fewer than 2 incidents a week"
)
PIP_CONTENTS = (
    "performance_gap",
    "reasons_explored",
    "formal_procedure_confirmed",
    "maintain_long_term",
)
FIRST_INVITE_CONTENTS = ("reason_stated", "hr_present_stated", "papers_enclosed")
SECOND_INVITE_CONTENTS = ("reason_stated", "line_manager_and_hr_present_stated", "papers_enclosed")
FIRST_MEETING_CONTENTS = (
    "standard_set_out",
    "performance_gap_explained",
    "reasons_confirmed",
    "progress_reviewed",
    "mitigation_invited",
)
FIRST_LETTER_CONTENTS = ("formal_pip", "timescale", "provisional_second_formal_date")
DISMISSAL_LETTER_CONTENTS = ("reason_for_dismissal", "notice_support_steps")

WARNED = date(2025, 9, 8)
PIP_SET = date(2025, 9, 15)
PIP_121S = (date(2025, 9, 22), date(2025, 9, 29), date(2025, 10, 6), date(2025, 10, 13))
PIP_DECIDED = date(2025, 10, 13)
FIRST_INVITED = date(2025, 10, 15)
FIRST_MEETING = date(2025, 10, 22)
FORMAL_PIP_STARTS = date(2025, 11, 3)
FORMAL_PIP_REVIEW = date(2025, 12, 15)
FORMAL_121S = (
    date(2025, 11, 10),
    date(2025, 11, 17),
    date(2025, 11, 24),
    date(2025, 12, 1),
    date(2025, 12, 8),
    date(2025, 12, 15),
)
SECOND_INVITED = date(2025, 12, 16)
SECOND_MEETING = date(2026, 1, 7)
DISMISSAL_LETTER_SENT = date(2026, 1, 9)
APPEALED = date(2026, 1, 14)
ARRANGED = date(2026, 1, 20)
HEARING = date(2026, 2, 3)


def new_case(**opening: Any) -> Script:
    return Script(
        PACK,
        opened_on=date(2025, 9, 1),
        opening={
            "line_manager_person_id": "lm-1",
            "employment_started_on": date(2015, 9, 1),
            **opening,
        },
    )


def one_to_one(meeting_id: str, *, warned: bool = False, plan: str | None = None) -> OneToOneHeld:
    return OneToOneHeld(
        meeting_id=meeting_id,
        summary="Progress against the standard discussed.",
        pip_possibility_advised=warned,
        plan_id=plan,
    )


def pip(starts: date = PIP_SET, review: date = PIP_DECIDED, **changes: Any) -> SupportPlanAgreed:
    fields: dict[str, Any] = {
        "plan_id": "pip-1",
        "plan_kind": PlanKind.PIP,
        "starts_on": starts,
        "review_on": review,
        "targets": (TARGET,),
        "support": "Weekly coaching with the deputy head",
        "monitoring_frequency": "weekly 121",
        "provisional_meeting_on": date(2025, 11, 5),
        "confirms": PIP_CONTENTS,
    }
    return SupportPlanAgreed.model_validate({**fields, **changes})


def formal_pip(
    starts: date = FORMAL_PIP_STARTS, review: date = FORMAL_PIP_REVIEW, **changes: Any
) -> SupportPlanAgreed:
    fields: dict[str, Any] = {
        "plan_id": "fpip-1",
        "plan_kind": PlanKind.FORMAL_PIP,
        "starts_on": starts,
        "review_on": review,
        "targets": (TARGET,),
        "support": "Fortnightly observation and feedback",
        "monitoring_frequency": "weekly meetings and two observations",
        "provisional_meeting_on": date(2026, 1, 7),
        "confirms": ("improvements_required_early",),
    }
    return SupportPlanAgreed.model_validate({**fields, **changes})


def invite(
    meeting_id: str, purpose: MeetingPurpose, meeting_on: date, **changes: Any
) -> MeetingInvited:
    second = purpose is MeetingPurpose.SECOND_FORMAL
    fields: dict[str, Any] = {
        "meeting_id": meeting_id,
        "purpose": purpose,
        "scheduled_for": meeting_on,
        "venue": "Meeting room 2",
        "papers_due_on": date.fromordinal(meeting_on.toordinal() - 3),
        "states_right_to_companion": True,
        "states_dismissal_possible": second,
        "confirms": SECOND_INVITE_CONTENTS if second else FIRST_INVITE_CONTENTS,
    }
    return MeetingInvited.model_validate({**fields, **changes})


def held(meeting_id: str, chair: str = "lm-1", **changes: Any) -> MeetingHeld:
    fields: dict[str, Any] = {
        "meeting_id": meeting_id,
        "chair_person_id": chair,
        "attendees": (
            Attendee(person_id="lm-1", role="line manager"),
            Attendee(person_id="hr-1", role="HR adviser"),
        ),
        "hr_present": True,
        "minutes": "Evidence reviewed; the employee explained the mitigating circumstances.",
        "confirms": FIRST_MEETING_CONTENTS,
    }
    return MeetingHeld.model_validate({**fields, **changes})


def decide(subject: str, outcome: Outcome, **changes: Any) -> OutcomeDecided:
    return OutcomeDecided.model_validate(
        {"subject_id": subject, "outcome": outcome, "reasons": "As discussed.", **changes}
    )


def letter(template: str, about: str | None = None, **changes: Any) -> LetterSent:
    return LetterSent.model_validate(
        {"letter_id": f"L-{template}", "template": template, "about_id": about, **changes}
    )


def hr_advice(topic: str) -> HrAdviceObtained:
    return HrAdviceObtained(topic=topic, provider="Schools HR")


def to_pip(s: Script) -> None:
    s.act(WARNED, one_to_one("121-1", warned=True), by=LM)
    s.act(PIP_SET, pip(), by=LM)
    s.act(PIP_SET, one_to_one("121-2", plan="pip-1"), by=LM)
    for n, on in enumerate(PIP_121S, 3):
        s.act(on, one_to_one(f"121-{n}", plan="pip-1"), by=LM)


def to_first_formal(s: Script) -> None:
    to_pip(s)
    s.act(PIP_DECIDED, decide("pip-1", Outcome.NOT_IMPROVED), by=LM)
    s.act(date(2025, 10, 14), letter("ip-pip-formal-notice", "pip-1"), by=LM)
    s.act(date(2025, 10, 14), hr_advice("before_formal"), by=LM)


def to_first_meeting(s: Script) -> None:
    to_first_formal(s)
    s.act(FIRST_INVITED, invite("ff-1", MeetingPurpose.FIRST_FORMAL, FIRST_MEETING), by=LM)
    s.act(FIRST_MEETING, held("ff-1"), by=LM)


FIRST_LETTER = letter(
    "ip-first-formal-confirmation",
    "ff-1",
    states_dismissal_possible=True,
    states_right_of_appeal=True,
    confirms=FIRST_LETTER_CONTENTS,
)


def to_first_formal_decision(s: Script) -> None:
    to_first_meeting(s)
    s.act(FIRST_MEETING, decide("ff-1", Outcome.FORMAL_PIP_AND_WARNING), by=LM)
    s.act(FIRST_MEETING, WarningIssued(warning_id="w-1", warning_kind=WarningKind.WRITTEN), by=LM)


def to_formal_pip(s: Script) -> None:
    """The Formal PIP agreed and confirmed, its weekly meetings held, no HR advice yet."""
    to_first_formal_decision(s)
    s.act(FIRST_MEETING, formal_pip(), by=LM)
    s.act(date(2025, 10, 24), FIRST_LETTER, by=LM)
    for n, on in enumerate(FORMAL_121S, 1):
        s.act(on, one_to_one(f"f121-{n}", plan="fpip-1"), by=LM)
        s.act(on, notes_copy(s.version), by=LM)


def notes_copy(version: int) -> RecordCopyProvided:
    """The notes of the meeting recorded at `version`, shared with the employee."""
    return RecordCopyProvided(record_version=version, to="employee")


def to_formal_monitoring(s: Script) -> None:
    to_formal_pip(s)
    s.act(FORMAL_PIP_REVIEW, hr_advice("formal_outcome"), by=LM)


def to_second_formal(s: Script) -> None:
    to_formal_monitoring(s)
    s.act(FORMAL_PIP_REVIEW, decide("fpip-1", Outcome.NOT_IMPROVED), by=LM)


def to_second_meeting(s: Script) -> None:
    to_second_formal(s)
    s.act(
        SECOND_INVITED,
        invite("sf-1", MeetingPurpose.SECOND_FORMAL, SECOND_MEETING),
        by=DIRECTOR,
    )
    s.act(SECOND_MEETING, held("sf-1", chair="dir-1", confirms=()), by=DIRECTOR)


def dismissal(**changes: Any) -> Dismissed:
    fields: dict[str, Any] = {
        "effective_on": date(2026, 3, 18),
        "notice_weeks": 10,
        "contractual_notice_weeks": 8,
        "alternatives_considered": True,
        "reasons": "No sustained improvement after the Formal PIP.",
    }
    return Dismissed.model_validate({**fields, **changes})


def to_dismissal_decision(s: Script) -> None:
    to_second_meeting(s)
    s.act(SECOND_MEETING, hr_advice("dismissal"), by=DIRECTOR)
    s.act(SECOND_MEETING, AlternativeRolesConsidered(roles_considered=("cover supervisor",)))
    s.act(SECOND_MEETING, ExternalPartyNotified(party="la_hr_business_partner"), by=HR)
    s.act(SECOND_MEETING, decide("sf-1", Outcome.DISMISSAL), by=DIRECTOR)


def to_dismissed(s: Script) -> int:
    """Returns the version of the dismissal, the decision an appeal is against."""
    to_dismissal_decision(s)
    s.act(SECOND_MEETING, dismissal(), by=DIRECTOR)
    dismissed = s.version
    dismissal_letter = letter(
        "ip-dismissal",
        states_right_of_appeal=True,
        confirms=DISMISSAL_LETTER_CONTENTS,
    )
    s.act(DISMISSAL_LETTER_SENT, dismissal_letter, by=DIRECTOR)
    return dismissed


def appeal(against: int, **changes: Any) -> AppealLodged:
    fields: dict[str, Any] = {
        "appeal_id": "a-1",
        "against_version": against,
        "grounds": (AppealGround.NEW_EVIDENCE,),
        "details": "A medical report not available at the meeting.",
        "addressed_to_person_id": "dir-1",
    }
    return AppealLodged.model_validate({**fields, **changes})


def arrange(hearing_on: date = HEARING, **changes: Any) -> AppealHearingArranged:
    return AppealHearingArranged.model_validate(
        {"appeal_id": "a-1", "hearing_on": hearing_on, "chair_person_id": "gov-2", **changes}
    )


def to_appeal_hearing(s: Script) -> int:
    """A dismissal appealed in time, with the hearing arranged and papers exchanged."""
    dismissed = to_dismissed(s)
    s.act(APPEALED, appeal(dismissed), by=EMPLOYEE)
    s.act(ARRANGED, arrange(), by=CHAIR_OF_GOVERNORS)
    s.act(date(2026, 1, 23), papers("management"), by=DIRECTOR)
    s.act(date(2026, 1, 26), papers("employee"), by=EMPLOYEE)
    s.act(date(2026, 1, 28), letter("ip-appeal-papers-exchanged", "a-1"), by=CHAIR_OF_GOVERNORS)
    return dismissed


def papers(party: str, meeting_id: str = "a-1") -> DocumentsSubmitted:
    return DocumentsSubmitted.model_validate(
        {"meeting_id": meeting_id, "party": party, "documents": ("statement",)}
    )


def heard() -> AppealHeard:
    return AppealHeard(appeal_id="a-1", chair_person_id="gov-2", notes="Both sides heard.")


def appeal_decided(result: AppealResult = AppealResult.NOT_UPHELD) -> AppealDecided:
    return AppealDecided(appeal_id="a-1", result=result, confirms=("advised_by_hr",))
