"""The second formal meeting, where dismissal may be decided (004 §6.3, §9.1-§9.3)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pmledger.events.meeting_acts import (
    MeetingAdjourned,
    MeetingHeld,
    MeetingInvited,
    MeetingPurpose,
    MeetingRescheduled,
)
from pmledger.events.signed_event import Act
from pmledger.events.support_acts import Outcome, OutcomeDecided
from pmledger.policies.case_file import CaseFile, MeetingFacts
from pmledger.policies.judgement import RuleKind, Severity
from pmledger.policies.rule import ActContext, Rule, kinds
from pmledger.policies.rules.due_after import Anchor, DueAfter
from pmledger.policies.rules.meeting_chair import MeetingChair, meeting_purpose
from pmledger.policies.rules.notice import NoticeBeforeMeeting
from pmledger.policies.rules.papers_before_meeting import PapersBeforeMeeting
from pmledger.policies.rules.problem import ProblemWith
from pmledger.policies.rules.required_contents import RequiredContents

from .facts import (
    DATA,
    SECOND_FORMAL_NFA_LETTER,
    SOURCE,
    decided,
    in_window,
    letter_since,
    shift,
)
from .first_formal import (
    companion_and_papers_due,
    presented_by_line_manager,
    states_right_to_companion,
)
from .formal_monitoring import returned_by_second_formal_nfa, second_formal_from_day_to_day

SECOND = frozenset({MeetingPurpose.SECOND_FORMAL})


def second_formal(file: CaseFile, meeting_id: str) -> MeetingFacts | None:
    meeting = file.meetings.get(meeting_id)
    return meeting if meeting is not None and meeting.purpose in SECOND else None


def _line_manager_absent(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, MeetingHeld)
    if meeting_purpose(ctx.file, act) not in SECOND or presented_by_line_manager(ctx.file, act):
        return None
    return "the line manager does not present the case at the second formal meeting"


def _invites_to_second_formal(file: CaseFile, act: Act) -> bool:
    return isinstance(act, MeetingInvited) and act.purpose in SECOND


class DismissalPossibleStated(Rule):
    """The invitation says dismissal is a possible outcome; a dismissal repeats the finding."""

    acts = kinds(MeetingInvited) | {"dismissed"}

    severity = Severity.MAJOR

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if _invites_to_second_formal(ctx.file, act):
            assert isinstance(act, MeetingInvited)
            if not act.states_dismissal_possible:
                ctx.breach(self, "the invitation does not advise that dismissal is possible")
        elif act.kind == "dismissed":
            unwarned = [
                m.meeting_id
                for m in ctx.file.meetings.values()
                if m.purpose in SECOND
                and m.held is not None
                and m.invitation is not None
                and not m.invitation.states_dismissal_possible
            ]
            if unwarned:
                ctx.breach(
                    self,
                    "dismissed after a second formal meeting whose invitation did not advise "
                    f"that dismissal was possible ({', '.join(unwarned)})",
                )


def _repeatedly_moved(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, MeetingRescheduled)
    meeting = second_formal(ctx.file, act.meeting_id)
    if meeting is None or not meeting.rescheduled:
        return None
    return (
        f"second formal meeting {act.meeting_id} has already been rescheduled "
        f"{len(meeting.rescheduled)} time(s); it is not to be unreasonably delayed"
    )


def further_monitoring(adjourned_on: date, act: MeetingAdjourned) -> bool:
    """Beyond deliberating on the day (§9.3): a further monitoring period before the decision."""
    return bool(act.further_monitoring_weeks) or act.reconvene_on > adjourned_on


class SecondFormalAdjournment(DueAfter):
    """Exceptionally one adjournment for further monitoring, reconvened within 4 weeks."""

    acts = kinds(MeetingAdjourned)

    kind = RuleKind.DEVIATION

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, MeetingAdjourned):
            return
        meeting = second_formal(ctx.file, act.meeting_id)
        if meeting is None or not further_monitoring(ctx.on, act):
            return
        if any(further_monitoring(mark.on, earlier) for mark, earlier in meeting.adjourned):
            ctx.breach(self, f"second formal meeting {act.meeting_id} was already adjourned once")
            return
        ctx.exceptional(
            self, "adjourning the second formal meeting for further monitoring is exceptional"
        )
        original = meeting.held.on if meeting.held is not None else ctx.on
        latest = shift(ctx.calendar, original, DATA.time_limit("second-formal-adjournment"))
        weeks = act.further_monitoring_weeks or 0
        if act.reconvene_on > latest or weeks > DATA.time_limit("second-formal-adjournment").amount:
            ctx.breach(
                self,
                f"the further monitoring is up to a maximum of 4 weeks and the meeting reconvenes "
                f"within 4 weeks of {original} (by {latest}); planned: {weeks} week(s), "
                f"reconvening {act.reconvene_on}",
            )


def _reconvenings_due(file: CaseFile) -> Iterable[Anchor]:
    for meeting in file.meetings.values():
        if meeting.purpose not in SECOND:
            continue
        for mark, act in meeting.adjourned:
            if not further_monitoring(mark.on, act):
                continue
            held = meeting.held
            yield Anchor(
                mark=mark,
                description=f"second formal meeting {meeting.meeting_id} reconvened",
                done=held if held is not None and held.version > mark.version else None,
            )


def _nfa_letters_due(file: CaseFile) -> Iterable[Anchor]:
    """Counted from the meeting that decided (the reconvened one, after an adjournment)."""
    for mark, act in decided(file, MeetingPurpose.SECOND_FORMAL, {Outcome.NO_FURTHER_ACTION}):
        meeting = file.meetings[act.subject_id]
        start = meeting.held.on if meeting.held is not None else mark.on
        yield Anchor(
            mark=mark,
            description=f"letter confirming no further action after second formal meeting "
            f"{act.subject_id}",
            done=letter_since(file, SECOND_FORMAL_NFA_LETTER, start, act.subject_id),
            start=start,
        )


def _outside_the_nfa_window(ctx: ActContext) -> str | None:
    if not second_formal_from_day_to_day(ctx):
        return None
    nfa = returned_by_second_formal_nfa(ctx.file)
    if nfa is None or in_window(
        ctx.calendar, nfa.on, ctx.on, DATA.time_limit("second-formal-sustain")
    ):
        return None
    return (
        f"the 12 months to sustain the standard after the second formal meeting's decision of "
        f"{nfa.on} are over: a new concern starts again from day-to-day management"
    )


def _not_improved_but_kept(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, OutcomeDecided)
    if act.outcome is not Outcome.NOT_IMPROVED or meeting_purpose(ctx.file, act) not in SECOND:
        return None
    return "performance has not improved: the employee will normally be dismissed"


RULES: tuple[Rule, ...] = (
    MeetingChair(
        "ip-second-formal-level2",
        f"{SOURCE} §6.3.1",
        "The second formal meeting must be conducted by a Level 2 manager with authority to "
        "dismiss: invitation, record, adjournment and decision.",
        purposes=SECOND,
        min_level=2,
    ),
    ProblemWith(
        "ip-second-formal-lm-presents",
        f"{SOURCE} §6.3.3, §9.2",
        "The employee's line manager normally presents the case.",
        acts={"meeting_held"},
        problem=_line_manager_absent,
        consequence="exceptional",
        severity=Severity.MINOR,
    ),
    NoticeBeforeMeeting(
        "ip-second-invite-notice",
        f"{SOURCE} §9.1",
        "At least 7 calendar days' written notice of the second formal meeting (judged on the "
        "original invitation: D-ip-2).",
        purposes=SECOND,
        limit=DATA.time_limit("second-formal-notice"),
    ),
    DismissalPossibleStated(
        "ip-second-invite-dismissal",
        f"{SOURCE} §9.1",
        "The invitation advises that a possible outcome is dismissal on grounds of "
        "underperformance (capability).",
    ),
    RequiredContents(
        "ip-second-invite-contents",
        f"{SOURCE} §9.1",
        "The invitation outlines the reason, the right to be accompanied, that the line manager "
        "and HR will be present, encloses the papers, and asks for the companion's name and "
        "papers 3 calendar days before.",
        applies=_invites_to_second_formal,
        acts=kinds(MeetingInvited),
        keys=(
            "reason_stated",
            "right_to_companion",
            "line_manager_and_hr_present_stated",
            "papers_enclosed",
            "companion_and_papers_due",
        ),
        shown_by={
            "right_to_companion": states_right_to_companion,
            "companion_and_papers_due": companion_and_papers_due,
        },
        what="the second formal invitation",
        severity=Severity.MINOR,
    ),
    PapersBeforeMeeting(
        "ip-second-companion-docs",
        f"{SOURCE} §9.1",
        "The employee names their companion and sends any papers at least 3 calendar days "
        "before the second formal meeting (an employee-side time limit).",
        purposes=SECOND,
        limit=DATA.time_limit("companion-and-papers"),
    ),
    ProblemWith(
        "ip-second-not-delayed",
        f"{SOURCE} §9.1",
        "The second formal meeting is not unreasonably delayed: a second rescheduling needs a "
        "reason.",
        acts={"meeting_rescheduled"},
        problem=_repeatedly_moved,
        consequence="exceptional",
        severity=Severity.MINOR,
    ),
    SecondFormalAdjournment(
        "ip-second-adjourn",
        f"{SOURCE} §9.3 note",
        "Exceptionally a further monitoring period of up to a maximum of 4 weeks, once; the "
        "meeting reconvenes within 4 weeks of the original date.",
        limit=DATA.time_limit("second-formal-adjournment"),
        anchors=_reconvenings_due,
    ),
    DueAfter(
        "ip-second-nfa-letter",
        f"{SOURCE} §9.3",
        "No further action is confirmed in writing within 7 calendar days of the meeting.",
        limit=DATA.time_limit("second-formal-letter"),
        anchors=_nfa_letters_due,
    ),
    ProblemWith(
        "ip-second-nfa-sustain",
        f"{SOURCE} §9.3",
        "After no further action the standard is sustained for 12 months; a concern within them "
        "leads to a further second formal meeting, and only within them.",
        acts={"meeting_invited"},
        problem=_outside_the_nfa_window,
    ),
    ProblemWith(
        "ip-dismissal-normal",
        f"{SOURCE} §9.3",
        "Where performance has not improved the employee will normally be dismissed; another "
        "course needs a reason.",
        acts={"outcome_decided"},
        problem=_not_improved_but_kept,
        consequence="exceptional",
    ),
)
