"""Dismissal after the second formal meeting, and its notice (004 §6.1, §6.3, §9.3-§9.4, §11)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pmledger.calendar import SchoolCalendar, TimeLimit, TimeUnit
from pmledger.events.meeting_acts import LetterSent, MeetingPurpose
from pmledger.events.sanction_acts import Dismissed
from pmledger.events.signed_event import Act
from pmledger.policies.case_file import CaseFile
from pmledger.policies.rule import ActContext
from pmledger.policies.rules.due_after import Anchor

from .facts import (
    CHECKS,
    DATA,
    DISMISSAL_LETTER,
    LA_NOTIFICATION_PARTY,
    hr_advice_since,
    latest_held,
    letter_since,
    notified_since,
    recorded_since,
    shift,
)


@CHECKS.problem("no-second-formal-meeting", "§5.3, §9.3")
def _no_second_formal_meeting(ctx: ActContext) -> str | None:
    if latest_held(ctx.file, MeetingPurpose.SECOND_FORMAL) is not None:
        return None
    return "dismissal is decided only at a second formal meeting, and none has been held"


@CHECKS.problem("dismissal-problem", "§6.1, §6.3.1")
def _dismissal_problem(ctx: ActContext) -> str | None:
    meeting = latest_held(ctx.file, MeetingPurpose.SECOND_FORMAL)
    if meeting is None or meeting.record is None:
        return None
    actor = ctx.actor
    if actor.authority_level != 2:
        return (
            "only a Level 2 manager with authority to dismiss may dismiss; "
            f"{actor.person_id} acts at level {actor.authority_level or 'none'}"
        )
    if actor.person_id != meeting.record.chair_person_id:
        return (
            f"the dismissal is decided by the manager who conducted the second formal meeting "
            f"({meeting.record.chair_person_id}), not {actor.person_id}"
        )
    return None


def _second_formal_invited_version(file: CaseFile) -> int:
    invited = [
        m.invited.version
        for m in file.meetings.values()
        if m.purpose is MeetingPurpose.SECOND_FORMAL and m.invited is not None
    ]
    return max(invited, default=0)


@CHECKS.problem("alternatives-not-considered", "§9.4")
def _alternatives_not_considered(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, Dismissed)
    since = _second_formal_invited_version(ctx.file)
    if act.alternatives_considered or recorded_since(
        ctx.file, "alternative_roles_considered", since
    ):
        return None
    return "the manager had not considered alternative roles before dismissing"


@CHECKS.problem("no-hr-before-dismissal", "§9.4")
def _no_hr_before_dismissal(ctx: ActContext) -> str | None:
    if hr_advice_since(ctx.file, "dismissal", _second_formal_invited_version(ctx.file)):
        return None
    return (
        "advice should be sought from the School's HR Provider before a dismissal decision "
        "(topic dismissal)"
    )


@CHECKS.problem("local-authority-not-told", "§9.4")
def _local_authority_not_told(ctx: ActContext) -> str | None:
    """Judged when the case closes: §9.4 asks the school to "also inform" the council but sets
    no time, so telling it after the dismissal is in time, and only a case closed on a standing
    dismissal without it shows the council was never told."""
    if ctx.file.dismissed is None:
        return None
    since = _second_formal_invited_version(ctx.file)
    if notified_since(ctx.file, LA_NOTIFICATION_PARTY, since):
        return None
    return (
        "the case closed on a dismissal but the school never informed the HR Business Partner "
        "for Children's at Milton Keynes City Council "
        f"(external_party_notified, party {LA_NOTIFICATION_PARTY})"
    )


@CHECKS.clocks("dismissal-letters-due", "§9.3")
def _dismissal_letters_due(file: CaseFile) -> Iterable[Anchor]:
    if file.dismissed is None:
        return
    mark = file.dismissed[0]
    meeting = latest_held(file, MeetingPurpose.SECOND_FORMAL)
    start = meeting.held.on if meeting is not None and meeting.held is not None else mark.on
    yield Anchor(
        mark=mark,
        description="letter confirming the dismissal",
        done=letter_since(file, DISMISSAL_LETTER, start),
        start=start,
    )


@CHECKS.holds("sends-the-dismissal-letter", "§9.4")
def _dismissal_letter(file: CaseFile, act: Act) -> bool:
    return isinstance(act, LetterSent) and act.template == DISMISSAL_LETTER


def statutory_notice_weeks(calendar: SchoolCalendar, started: date, on: date) -> int:
    """ERA 1996 s.86 (external law the source relies on): a week after a month's service,
    then a week per complete year of service from two years, up to twelve."""
    if on < shift(calendar, started, DATA.time_limit("statutory-notice-service")):
        return 0
    years = 0
    while (
        years < 12
        and shift(calendar, started, TimeLimit(amount=years + 1, unit=TimeUnit.YEARS)) <= on
    ):
        years += 1
    return years if years >= 2 else 1


@CHECKS.problem("notice-below-statutory", "§11.1")
def _notice_below_statutory(ctx: ActContext) -> str | None:
    """Statutory notice, from the employment's start, where it is known."""
    act = ctx.act
    assert isinstance(act, Dismissed)
    started = ctx.file.opened.employment_started_on
    if started is None:
        return None
    statutory = statutory_notice_weeks(ctx.calendar, started, ctx.on)
    if act.notice_weeks >= statutory:
        return None
    return (
        f"{act.notice_weeks} week(s) of notice is less than the statutory {statutory} for "
        f"service since {started}"
    )


@CHECKS.problem("notice-below-contractual", "§11.1")
def _notice_below_contractual(ctx: ActContext) -> str | None:
    """Contractual notice, as the dismissal records it: the greater of the two applies."""
    act = ctx.act
    assert isinstance(act, Dismissed)
    contractual = act.contractual_notice_weeks
    if contractual is None or act.notice_weeks >= contractual:
        return None
    return (
        f"{act.notice_weeks} week(s) of notice is less than the contractual {contractual}: "
        "the greater of contractual and statutory notice applies"
    )


@CHECKS.problem("notice-worked", "§11.1")
def _notice_worked(ctx: ActContext) -> str | None:
    """Notice is paid and not normally worked."""
    act = ctx.act
    assert isinstance(act, Dismissed)
    return "employees are not normally required to work their notice" if act.notice_worked else None
