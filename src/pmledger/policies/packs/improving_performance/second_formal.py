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
from pmledger.policies.rule import ActContext
from pmledger.policies.rules.due_after import Anchor
from pmledger.policies.rules.meeting_chair import meeting_purpose

from .facts import (
    CHECKS,
    DATA,
    SECOND_FORMAL_NFA_LETTER,
    decided,
    in_window,
    letter_since,
    shift,
)
from .first_formal import (
    presented_by_line_manager,
)
from .formal_monitoring import returned_by_second_formal_nfa, second_formal_from_day_to_day

SECOND = frozenset({MeetingPurpose.SECOND_FORMAL})


def second_formal(file: CaseFile, meeting_id: str) -> MeetingFacts | None:
    meeting = file.meetings.get(meeting_id)
    return meeting if meeting is not None and meeting.purpose in SECOND else None


@CHECKS.problem("second-formal-without-line-manager", "§6.3.3, §9.2")
def _line_manager_absent(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, MeetingHeld)
    if meeting_purpose(ctx.file, act) not in SECOND or presented_by_line_manager(ctx.file, act):
        return None
    return "the line manager does not present the case at the second formal meeting"


@CHECKS.holds("invites-to-second-formal", "§9.1")
def _invites_to_second_formal(file: CaseFile, act: Act) -> bool:
    return isinstance(act, MeetingInvited) and act.purpose in SECOND


@CHECKS.problem("dismissal-possible-not-stated", "§9.1")
def _dismissal_possible_not_stated(ctx: ActContext) -> str | None:
    """The invitation says dismissal is a possible outcome; a dismissal repeats the finding."""
    act = ctx.act
    if isinstance(act, MeetingInvited) and act.purpose in SECOND:
        if act.states_dismissal_possible:
            return None
        return "the invitation does not advise that dismissal is possible"
    if act.kind != "dismissed":
        return None
    unwarned = [
        m.meeting_id
        for m in ctx.file.meetings.values()
        if m.purpose in SECOND
        and m.held is not None
        and m.invitation is not None
        and not m.invitation.states_dismissal_possible
    ]
    if not unwarned:
        return None
    return (
        "dismissed after a second formal meeting whose invitation did not advise that "
        f"dismissal was possible ({', '.join(unwarned)})"
    )


@CHECKS.problem("repeatedly-moved", "§9.1")
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


def _adjourned_for_monitoring(ctx: ActContext) -> tuple[MeetingAdjourned, MeetingFacts] | None:
    """The adjournment, when it is for further monitoring of a second formal meeting."""
    act = ctx.act
    if not isinstance(act, MeetingAdjourned):
        return None
    meeting = second_formal(ctx.file, act.meeting_id)
    if meeting is None or not further_monitoring(ctx.on, act):
        return None
    return act, meeting


def _adjourned_before(meeting: MeetingFacts) -> bool:
    return any(further_monitoring(mark.on, earlier) for mark, earlier in meeting.adjourned)


@CHECKS.problem("adjourned-again", "§9.3 note")
def _adjourned_again(ctx: ActContext) -> str | None:
    """Only one adjournment for further monitoring."""
    found = _adjourned_for_monitoring(ctx)
    if found is None or not _adjourned_before(found[1]):
        return None
    return f"second formal meeting {found[0].meeting_id} was already adjourned once"


@CHECKS.problem("adjourned-for-further-monitoring", "§9.3 note")
def _adjourned_for_further_monitoring(ctx: ActContext) -> str | None:
    """The one adjournment for further monitoring is exceptional."""
    found = _adjourned_for_monitoring(ctx)
    if found is None or _adjourned_before(found[1]):
        return None
    return "adjourning the second formal meeting for further monitoring is exceptional"


@CHECKS.problem("adjournment-beyond-the-limit", "§9.3 note")
def _adjournment_beyond_the_limit(ctx: ActContext) -> str | None:
    """The further monitoring is at most the limit, and the meeting reconvenes within it."""
    found = _adjourned_for_monitoring(ctx)
    if found is None or _adjourned_before(found[1]):
        return None
    act, meeting = found
    original = meeting.held.on if meeting.held is not None else ctx.on
    limit = DATA.time_limit("second-formal-adjournment")
    latest = shift(ctx.calendar, original, limit)
    weeks = act.further_monitoring_weeks or 0
    if act.reconvene_on <= latest and weeks <= limit.amount:
        return None
    return (
        f"the further monitoring is up to a maximum of 4 weeks and the meeting reconvenes "
        f"within 4 weeks of {original} (by {latest}); planned: {weeks} week(s), "
        f"reconvening {act.reconvene_on}"
    )


@CHECKS.clocks("reconvenings-due", "§9.3 note")
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


@CHECKS.clocks("nfa-letters-due", "§9.3")
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


@CHECKS.problem("outside-the-nfa-window", "§9.3")
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


@CHECKS.problem("not-improved-but-kept", "§9.3")
def _not_improved_but_kept(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, OutcomeDecided)
    if act.outcome is not Outcome.NOT_IMPROVED or meeting_purpose(ctx.file, act) not in SECOND:
        return None
    return "performance has not improved: the employee will normally be dismissed"
