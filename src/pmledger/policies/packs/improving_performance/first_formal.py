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
from pmledger.policies.ladder import Ladder
from pmledger.policies.rule import ActContext
from pmledger.policies.rules.due_after import Anchor
from pmledger.policies.rules.meeting_chair import meeting_purpose

from .facts import (
    CHECKS,
    DATA,
    FIRST_FORMAL_LETTER,
    FORMAL_MEETINGS,
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


@CHECKS.holds("first-formal-record", "§7.2")
def _first_formal_record(file: CaseFile, act: Act) -> bool:
    return _first_formal_held(file, act) is not None


@CHECKS.problem("first-formal-not-chaired-by-line-manager", "§6.1, §6.2.1")
def _not_chaired_by_line_manager(ctx: ActContext) -> str | None:
    """The first formal meeting is normally conducted by the line manager."""
    act = _first_formal_held(ctx.file, ctx.act)
    manager = line_manager(ctx.file)
    if act is None or manager is None or act.chair_person_id == manager:
        return None
    return (
        f"the first formal meeting is normally conducted by the line manager ({manager}), "
        f"not {act.chair_person_id}"
    )


@CHECKS.problem("first-formal-without-line-manager", "§6.2.2")
def _line_manager_absent(ctx: ActContext) -> str | None:
    act = _first_formal_held(ctx.file, ctx.act)
    if act is None or presented_by_line_manager(ctx.file, act):
        return None
    return (
        "another manager conducts the first formal meeting and the line manager is not there "
        "to present the case"
    )


@CHECKS.problem("no-hr-before-formal", "§5.4")
def _no_hr_before_formal(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, MeetingInvited)
    if act.purpose is not MeetingPurpose.FIRST_FORMAL or hr_advice_since_day_to_day(ctx.file):
        return None
    return (
        "the line manager should contact the School's HR Provider before moving to the "
        "formal procedure; no HR advice on it (topic before_formal) is recorded"
    )


@CHECKS.holds("invites-to-first-formal", "§7.1")
def _invites_to_first_formal(file: CaseFile, act: Act) -> bool:
    return isinstance(act, MeetingInvited) and act.purpose is MeetingPurpose.FIRST_FORMAL


@CHECKS.shows("companion-and-papers-due", "§7.1")
def companion_and_papers_due(ctx: ActContext) -> bool:
    """The invitation gives a due date at least 3 calendar days before the meeting."""
    act = ctx.act
    assert isinstance(act, MeetingInvited)
    latest = before(ctx.calendar, act.scheduled_for, DATA.time_limit("companion-and-papers"))
    return act.papers_due_on is not None and act.papers_due_on <= latest


@CHECKS.shows("states-right-to-companion", "§7.1")
def states_right_to_companion(ctx: ActContext) -> bool:
    act = ctx.act
    assert isinstance(act, MeetingInvited)
    return act.states_right_to_companion


@CHECKS.holds("hr-was-present", "§7.1")
def _hr_was_present(file: CaseFile, act: Act) -> bool:
    return _first_formal_held(file, act) is None or (
        isinstance(act, MeetingHeld) and act.hr_present
    )


@CHECKS.problem("moved-beyond-a-week", "§7.1 note, §9.1 note")
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


@CHECKS.problem("held-in-absence-without-hr", "§7.1 note, §9.1 note")
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


@CHECKS.holds("agrees-a-formal-pip", "§7.2")
def _agrees_a_formal_pip(file: CaseFile, act: Act) -> bool:
    return isinstance(act, SupportPlanAgreed) and act.plan_kind is PlanKind.FORMAL_PIP


@CHECKS.shows("monitoring-stated", "§7.2")
def _monitoring_stated(ctx: ActContext) -> bool:
    act = ctx.act
    assert isinstance(act, SupportPlanAgreed)
    return bool(act.monitoring_frequency.strip())


def _first_meeting_nfa(file: CaseFile, meeting: MeetingFacts) -> bool:
    return any(
        act.subject_id == meeting.meeting_id
        for _, act in decided(file, MeetingPurpose.FIRST_FORMAL, {Outcome.NO_FURTHER_ACTION})
    )


@CHECKS.clocks("warnings-due", "§7.2")
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


@CHECKS.problem("first-formal-concluded-without-warning", "§7.2")
def _concluded_without_warning(ctx: ActContext) -> str | None:
    """A first formal meeting concluded with no further action instead of its warning."""
    act = ctx.act
    if (
        isinstance(act, OutcomeDecided)
        and act.outcome is Outcome.NO_FURTHER_ACTION
        and meeting_purpose(ctx.file, act) is MeetingPurpose.FIRST_FORMAL
    ):
        return (
            "the first formal meeting issues a formal 12-month written warning with a "
            "Formal PIP; concluding it with no further action is exceptional (D-ip-9)"
        )
    return None


@CHECKS.problem("warning-problem", "§7.2")
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


@CHECKS.clocks("first-letters-due", "§7.3")
def _first_letters_due(file: CaseFile) -> Iterable[Anchor]:
    for meeting in held_meetings(file, MeetingPurpose.FIRST_FORMAL):
        assert meeting.held is not None
        yield Anchor(
            mark=meeting.held,
            description=f"letter confirming first formal meeting {meeting.meeting_id}",
            done=letter_since(file, FIRST_FORMAL_LETTER, meeting.held.on, meeting.meeting_id),
        )


@CHECKS.holds("first-letter", "§7.3")
def _first_letter(file: CaseFile, act: Act) -> bool:
    return isinstance(act, LetterSent) and act.template == FIRST_FORMAL_LETTER


@CHECKS.shows("states-dismissal-possible", "§7.3")
def _states_dismissal(ctx: ActContext) -> bool:
    return bool(getattr(ctx.act, "states_dismissal_possible", False))


@CHECKS.shows("states-right-of-appeal", "§7.3")
def _states_appeal(ctx: ActContext) -> bool:
    return bool(getattr(ctx.act, "states_right_of_appeal", False))
