"""The first formal meeting, its Formal PIP, warning and confirmation letter (004 §5.4-§7).

Also the rescheduling notes that §7.1 and §9.1 share, applied to both formal meetings.
"""

from __future__ import annotations

from collections.abc import Iterable

from pmledger.events.appeal_acts import AppealResult
from pmledger.events.meeting_acts import (
    LetterSent,
    MeetingHeld,
    MeetingInvited,
    MeetingPurpose,
    MeetingRescheduled,
)
from pmledger.events.sanction_acts import WarningIssued, WarningKind
from pmledger.events.signed_event import Act
from pmledger.events.support_acts import Outcome, OutcomeDecided, PlanKind, SupportPlanAgreed
from pmledger.policies.case_file import CaseFile, MeetingFacts
from pmledger.policies.judgement import Severity
from pmledger.policies.ladder import Ladder
from pmledger.policies.rule import ActContext, Rule, kinds
from pmledger.policies.rules.conditions import Requires
from pmledger.policies.rules.due_after import Anchor, DueAfter
from pmledger.policies.rules.meeting_chair import MeetingChair, meeting_purpose
from pmledger.policies.rules.notice import NoticeBeforeMeeting
from pmledger.policies.rules.papers_before_meeting import PapersBeforeMeeting
from pmledger.policies.rules.problem import ProblemWith
from pmledger.policies.rules.required_contents import RequiredContents
from pmledger.policies.rules.windows import PlanReviewWindow

from .facts import (
    DATA,
    FIRST_FORMAL_LETTER,
    FORMAL_MEETINGS,
    SOURCE,
    against_dismissal,
    before,
    decided,
    held_meetings,
    hr_advice_since,
    last_return_to_day_to_day,
    latest_held,
    letter_since,
    line_manager,
    shift,
)

FIRST = frozenset({MeetingPurpose.FIRST_FORMAL})


def hr_advice_since_day_to_day(file: CaseFile) -> bool:
    """HR advice on moving to the formal procedure, recorded since the case last left
    day-to-day management (or opened)."""
    return hr_advice_since(file, "before_formal", last_return_to_day_to_day(file))


def presented_by_line_manager(file: CaseFile, act: MeetingHeld) -> bool:
    """True when the line manager chairs or attends; unknown line managers count as present."""
    manager = line_manager(file)
    if manager is None or act.chair_person_id == manager:
        return True
    return any(
        a.person_id == manager or a.role.strip().lower().replace(" ", "_") == "line_manager"
        for a in act.attendees
    )


def _first_formal_held(file: CaseFile, act: Act) -> MeetingHeld | None:
    if isinstance(act, MeetingHeld) and meeting_purpose(file, act) is MeetingPurpose.FIRST_FORMAL:
        return act
    return None


class FirstFormalChair(MeetingChair):
    """Level 1 or above conducts the first formal meeting; normally the line manager."""

    def judge(self, ctx: ActContext) -> None:
        super().judge(ctx)
        act = _first_formal_held(ctx.file, ctx.act)
        manager = line_manager(ctx.file)
        if act is not None and manager is not None and act.chair_person_id != manager:
            ctx.exceptional(
                self,
                f"the first formal meeting is normally conducted by the line manager ({manager}), "
                f"not {act.chair_person_id}",
            )


def _line_manager_absent(ctx: ActContext) -> str | None:
    act = _first_formal_held(ctx.file, ctx.act)
    if act is None or presented_by_line_manager(ctx.file, act):
        return None
    return (
        "another manager conducts the first formal meeting and the line manager is not there "
        "to present the case"
    )


def _no_hr_before_formal(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, MeetingInvited)
    if act.purpose is not MeetingPurpose.FIRST_FORMAL or hr_advice_since_day_to_day(ctx.file):
        return None
    return (
        "the line manager should contact the School's HR Provider before moving to the "
        "formal procedure; no HR advice on it (topic before_formal) is recorded"
    )


def _invites_to_first_formal(file: CaseFile, act: Act) -> bool:
    return isinstance(act, MeetingInvited) and act.purpose is MeetingPurpose.FIRST_FORMAL


def companion_and_papers_due(ctx: ActContext) -> bool:
    """The invitation gives a due date at least 3 calendar days before the meeting."""
    act = ctx.act
    assert isinstance(act, MeetingInvited)
    latest = before(ctx.calendar, act.scheduled_for, DATA.time_limit("companion-and-papers"))
    return act.papers_due_on is not None and act.papers_due_on <= latest


def states_right_to_companion(ctx: ActContext) -> bool:
    act = ctx.act
    assert isinstance(act, MeetingInvited)
    return act.states_right_to_companion


def _hr_was_present(file: CaseFile, act: Act) -> bool:
    return _first_formal_held(file, act) is None or (
        isinstance(act, MeetingHeld) and act.hr_present
    )


def _moved_beyond_a_week(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, MeetingRescheduled)
    meeting = ctx.file.meetings.get(act.meeting_id)
    if meeting is None or meeting.purpose not in FORMAL_MEETINGS or meeting.original_date is None:
        return None
    latest = shift(
        ctx.calendar, meeting.original_date, DATA.time_limit("formal-meeting-postponement")
    )
    if act.new_date <= latest:
        return None
    return (
        f"the alternative date for the {meeting.purpose.value} meeting ({act.new_date}) is "
        f"normally within 7 calendar days of the original date {meeting.original_date} "
        f"(by {latest})"
    )


def _held_in_absence_without_hr(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, MeetingHeld)
    meeting = ctx.file.meetings.get(act.meeting_id)
    if (
        meeting is None
        or meeting.purpose not in FORMAL_MEETINGS
        or not meeting.rescheduled
        or "held_in_absence" not in act.confirms
    ):
        return None
    if hr_advice_since(ctx.file, "hold_in_absence", meeting.rescheduled[-1][0].version):
        return None
    return (
        "advice must be sought from the School's HR Provider before a rescheduled meeting is "
        "held in the absence of the employee or their companion; none on it (topic "
        "hold_in_absence) is recorded since the meeting was rescheduled"
    )


def _agrees_a_formal_pip(file: CaseFile, act: Act) -> bool:
    return isinstance(act, SupportPlanAgreed) and act.plan_kind is PlanKind.FORMAL_PIP


def _support_stated(ctx: ActContext) -> bool:
    act = ctx.act
    assert isinstance(act, SupportPlanAgreed)
    return bool(act.support.strip())


def _monitoring_stated(ctx: ActContext) -> bool:
    act = ctx.act
    assert isinstance(act, SupportPlanAgreed)
    return bool(act.monitoring_frequency.strip())


def _first_meeting_nfa(file: CaseFile, meeting: MeetingFacts) -> bool:
    return any(
        act.subject_id == meeting.meeting_id
        for _, act in decided(file, MeetingPurpose.FIRST_FORMAL, {Outcome.NO_FURTHER_ACTION})
    )


def _warnings_due(file: CaseFile) -> Iterable[Anchor]:
    for meeting in held_meetings(file, MeetingPurpose.FIRST_FORMAL):
        assert meeting.held is not None
        if _first_meeting_nfa(file, meeting):
            continue
        issued = sorted(
            (w.issued for w in file.warnings.values() if w.issued.on >= meeting.held.on),
            key=lambda mark: mark.version,
        )
        yield Anchor(
            mark=meeting.held,
            description=f"12-month written warning at first formal meeting {meeting.meeting_id}",
            done=issued[0] if issued else None,
        )


class FirstFormalWarning(DueAfter):
    """The warning is due at the meeting; a first formal meeting without one is exceptional."""

    acts = kinds(OutcomeDecided)

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if (
            isinstance(act, OutcomeDecided)
            and act.outcome is Outcome.NO_FURTHER_ACTION
            and meeting_purpose(ctx.file, act) is MeetingPurpose.FIRST_FORMAL
        ):
            ctx.exceptional(
                self,
                "the first formal meeting issues a formal 12-month written warning with a "
                "Formal PIP; concluding it with no further action is exceptional (D-ip-9)",
            )


def _warning_problem(ctx: ActContext) -> str | None:
    act, file = ctx.act, ctx.file
    assert isinstance(act, WarningIssued)
    if act.warning_kind is not WarningKind.WRITTEN:
        return "this policy's only warning is the formal 12-month written warning"
    if file.stage is Ladder.DISMISSED:
        if any(
            appeal.result is AppealResult.UPHELD_LESSER_SANCTION
            and against_dismissal(file, appeal.appeal.against_version)
            for appeal in file.appeals.values()
        ):
            return None
        return (
            "after a dismissal a warning is issued only as the lesser sanction of an upheld appeal"
        )
    meeting = latest_held(file, MeetingPurpose.FIRST_FORMAL)
    if meeting is None or meeting.held is None or _first_meeting_nfa(file, meeting):
        return "the written warning is issued at a first formal meeting that decided on it"
    if any(w.issued.on >= meeting.held.on for w in file.warnings.values()):
        return f"first formal meeting {meeting.meeting_id} has already issued its warning"
    if ctx.actor.authority_level is None:
        return (
            "the warning is issued by the manager conducting the first formal meeting "
            "(authority level 1 or above)"
        )
    return None


def _first_letters_due(file: CaseFile) -> Iterable[Anchor]:
    for meeting in held_meetings(file, MeetingPurpose.FIRST_FORMAL):
        assert meeting.held is not None
        yield Anchor(
            mark=meeting.held,
            description=f"letter confirming first formal meeting {meeting.meeting_id}",
            done=letter_since(file, FIRST_FORMAL_LETTER, meeting.held.on, meeting.meeting_id),
        )


def _first_letter(file: CaseFile, act: Act) -> bool:
    return isinstance(act, LetterSent) and act.template == FIRST_FORMAL_LETTER


def _states_dismissal(ctx: ActContext) -> bool:
    return bool(getattr(ctx.act, "states_dismissal_possible", False))


def _states_appeal(ctx: ActContext) -> bool:
    return bool(getattr(ctx.act, "states_right_of_appeal", False))


RESCHEDULING: tuple[Rule, ...] = (
    ProblemWith(
        "ip-reschedule-7cd",
        f"{SOURCE} §7.1 note, §9.1 note",
        "If the companion cannot attend (or other circumstances beyond the employee's control), "
        "the alternative date is normally within 7 calendar days of the original (the digest "
        "omits 'normally': D-ip-7).",
        acts={"meeting_rescheduled"},
        problem=_moved_beyond_a_week,
        consequence="exceptional",
        severity=Severity.MINOR,
    ),
    ProblemWith(
        "ip-reschedule-absence-hr",
        f"{SOURCE} §7.1 note, §9.1 note",
        "HR advice must be sought before a rescheduled formal meeting is held in the absence of "
        "the employee or companion (missing from the digest: D-ip-7).",
        acts={"meeting_held"},
        problem=_held_in_absence_without_hr,
    ),
)

RULES: tuple[Rule, ...] = (
    ProblemWith(
        "ip-hr-before-formal",
        f"{SOURCE} §5.4",
        "Line managers contact the School's HR Provider before moving to the formal procedure.",
        acts={"meeting_invited"},
        problem=_no_hr_before_formal,
        severity=Severity.MINOR,
    ),
    FirstFormalChair(
        "ip-first-formal-authority",
        f"{SOURCE} §6.1, §6.2.1",
        "The first formal meeting is conducted at authority level 1 or above, normally by the "
        "line manager (the §6.1 table is garbled, D-ip-1: level 1 includes line managers).",
        purposes=FIRST,
        min_level=1,
    ),
    ProblemWith(
        "ip-first-formal-lm-presents",
        f"{SOURCE} §6.2.2",
        "When another manager conducts it, the line manager normally attends to present the case.",
        acts={"meeting_held"},
        problem=_line_manager_absent,
        consequence="exceptional",
        severity=Severity.MINOR,
    ),
    NoticeBeforeMeeting(
        "ip-first-invite-notice",
        f"{SOURCE} §7.1",
        "At least 7 calendar days' written notice of the first formal meeting (judged on the "
        "original invitation: D-ip-2).",
        purposes=FIRST,
        limit=DATA.time_limit("first-formal-notice"),
    ),
    RequiredContents(
        "ip-first-invite-contents",
        f"{SOURCE} §7.1",
        "The invitation outlines the reason, the right to be accompanied, that HR will be "
        "present, encloses the papers, and asks for the companion's name and papers 3 calendar "
        "days before.",
        applies=_invites_to_first_formal,
        acts=kinds(MeetingInvited),
        keys=(
            "reason_stated",
            "right_to_companion",
            "hr_present_stated",
            "papers_enclosed",
            "companion_and_papers_due",
        ),
        shown_by={
            "right_to_companion": states_right_to_companion,
            "companion_and_papers_due": companion_and_papers_due,
        },
        what="the first formal invitation",
        severity=Severity.MINOR,
    ),
    PapersBeforeMeeting(
        "ip-first-companion-docs",
        f"{SOURCE} §7.1",
        "The employee names their companion and sends any papers at least 3 calendar days "
        "before the first formal meeting (an employee-side time limit).",
        purposes=FIRST,
        limit=DATA.time_limit("companion-and-papers"),
    ),
    Requires(
        "ip-first-hr-present",
        f"{SOURCE} §7.1",
        "A HR representative is present at the first formal meeting.",
        acts={"meeting_held"},
        holds=_hr_was_present,
        message="no HR representative was present at the first formal meeting",
        severity=Severity.MINOR,
    ),
    RequiredContents(
        "ip-first-meeting-content",
        f"{SOURCE} §7.2",
        "The chair sets out the standard, explains the performance gap and its impact, confirms "
        "any specific reasons, reviews progress and support so far, and invites mitigation.",
        applies=lambda file, act: _first_formal_held(file, act) is not None,
        acts=kinds(MeetingHeld),
        keys=(
            "standard_set_out",
            "performance_gap_explained",
            "reasons_confirmed",
            "progress_reviewed",
            "mitigation_invited",
        ),
        what="the first formal meeting record",
        severity=Severity.MINOR,
    ),
    RequiredContents(
        "ip-formal-pip-contents",
        f"{SOURCE} §7.2",
        "The Formal PIP identifies the improvements, that they are required early on, the "
        "timescale, how performance is measured and the additional support or training.",
        applies=_agrees_a_formal_pip,
        acts=kinds(SupportPlanAgreed),
        keys=("improvements_required_early", "how_measured", "support_agreed"),
        shown_by={"how_measured": _monitoring_stated, "support_agreed": _support_stated},
        what="the Formal PIP",
        severity=Severity.MINOR,
    ),
    PlanReviewWindow(
        "ip-formal-pip-length",
        f"{SOURCE} §7.2, §8.0",
        "The Formal PIP's timescale is normally 6 to 8 weeks; slightly longer exceptionally "
        "where the role is complex.",
        plan_kinds={PlanKind.FORMAL_PIP},
        minimum=DATA.time_limit("formal-pip-shortest"),
        maximum=DATA.time_limit("formal-pip-longest"),
        exceptional=True,
        severity=Severity.MINOR,
    ),
    FirstFormalWarning(
        "ip-first-formal-warning",
        f"{SOURCE} §7.2",
        "The first formal meeting issues a formal 12-month written warning; no further action "
        "instead is exceptional (D-ip-9).",
        limit=DATA.time_limit("first-formal-warning"),
        anchors=_warnings_due,
    ),
    ProblemWith(
        "ip-warning-stage",
        f"{SOURCE} §7.2",
        "The only warning is the 12-month written warning, issued at a first formal meeting "
        "(or as an appeal's lesser sanction), once per meeting.",
        acts={"warning_issued"},
        problem=_warning_problem,
    ),
    DueAfter(
        "ip-first-letter-7cd",
        f"{SOURCE} §7.3",
        "The manager writes within 7 calendar days of the first formal meeting to confirm it.",
        limit=DATA.time_limit("first-formal-letter"),
        anchors=_first_letters_due,
    ),
    RequiredContents(
        "ip-first-letter-contents",
        f"{SOURCE} §7.3",
        "The confirmation letter gives the Formal PIP, the timescale and the provisional second "
        "formal date, that dismissal may follow, and the right of appeal.",
        applies=_first_letter,
        acts=kinds(LetterSent),
        keys=(
            "formal_pip",
            "timescale",
            "provisional_second_formal_date",
            "dismissal_possible",
            "right_of_appeal",
        ),
        shown_by={"dismissal_possible": _states_dismissal, "right_of_appeal": _states_appeal},
        what=f"the {FIRST_FORMAL_LETTER} letter",
    ),
)
