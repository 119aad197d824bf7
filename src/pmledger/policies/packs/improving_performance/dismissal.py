"""Dismissal after the second formal meeting, and its notice (004 §6.1, §6.3, §9.3-§9.4, §11)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pmledger.calendar import SchoolCalendar, TimeLimit, TimeUnit
from pmledger.events.meeting_acts import LetterSent, MeetingPurpose
from pmledger.events.sanction_acts import Dismissed
from pmledger.events.signed_event import Act
from pmledger.policies.case_file import CaseFile
from pmledger.policies.judgement import RuleKind, Severity
from pmledger.policies.rule import ActContext, Rule, kinds
from pmledger.policies.rules.due_after import Anchor, DueAfter
from pmledger.policies.rules.problem import ProblemWith
from pmledger.policies.rules.required_contents import missing_contents

from .facts import (
    DATA,
    DISMISSAL_LETTER,
    LA_NOTIFICATION_PARTY,
    SOURCE,
    hr_advice_since,
    latest_held,
    letter_since,
    notified_since,
    recorded_since,
    shift,
)


def _no_second_formal_meeting(ctx: ActContext) -> str | None:
    if latest_held(ctx.file, MeetingPurpose.SECOND_FORMAL) is not None:
        return None
    return "dismissal is decided only at a second formal meeting, and none has been held"


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


def _alternatives_not_considered(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, Dismissed)
    since = _second_formal_invited_version(ctx.file)
    if act.alternatives_considered or recorded_since(
        ctx.file, "alternative_roles_considered", since
    ):
        return None
    return "the manager had not considered alternative roles before dismissing"


def _no_hr_before_dismissal(ctx: ActContext) -> str | None:
    if hr_advice_since(ctx.file, "dismissal", _second_formal_invited_version(ctx.file)):
        return None
    return (
        "advice should be sought from the School's HR Provider before a dismissal decision "
        "(topic dismissal)"
    )


def _local_authority_not_told(ctx: ActContext) -> str | None:
    since = _second_formal_invited_version(ctx.file)
    if notified_since(ctx.file, LA_NOTIFICATION_PARTY, since):
        return None
    return (
        "the school should also inform the HR Business Partner for Children's at Milton Keynes "
        f"City Council (external_party_notified, party {LA_NOTIFICATION_PARTY})"
    )


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


def _dismissal_letter(file: CaseFile, act: Act) -> bool:
    return isinstance(act, LetterSent) and act.template == DISMISSAL_LETTER


class DismissalLetter(DueAfter):
    """Within 7 calendar days of the meeting, with the reason, the appeal right and support."""

    acts = kinds(LetterSent)

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not _dismissal_letter(ctx.file, act):
            return
        assert isinstance(act, LetterSent)
        missing = missing_contents(
            ctx,
            ("reason_for_dismissal", "right_of_appeal", "notice_support_steps"),
            {"right_of_appeal": lambda c: act.states_right_of_appeal},
        )
        if missing:
            ctx.breach(self, f"the dismissal letter does not confirm: {', '.join(missing)}")


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


class NoticePeriod(Rule):
    """The greater of contractual and statutory notice, paid, normally not worked. Each is
    checked where it is known: the contractual notice as the dismissal records it, the
    statutory from the employment's start."""

    acts = kinds(Dismissed)

    kind = RuleKind.DEVIATION
    severity = Severity.MAJOR

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, Dismissed):
            return
        started = ctx.file.opened.employment_started_on
        if started is not None:
            statutory = statutory_notice_weeks(ctx.calendar, started, ctx.on)
            if act.notice_weeks < statutory:
                ctx.breach(
                    self,
                    f"{act.notice_weeks} week(s) of notice is less than the statutory "
                    f"{statutory} for service since {started}",
                )
        contractual = act.contractual_notice_weeks
        if contractual is not None and act.notice_weeks < contractual:
            ctx.breach(
                self,
                f"{act.notice_weeks} week(s) of notice is less than the contractual "
                f"{contractual}: the greater of contractual and statutory notice applies",
            )
        if act.notice_worked:
            ctx.exceptional(self, "employees are not normally required to work their notice")


RULES: tuple[Rule, ...] = (
    ProblemWith(
        "ip-dismissal-stage",
        f"{SOURCE} §5.3, §9.3",
        "Dismissal only at the second formal meeting (where a decision whether to dismiss may be "
        "made).",
        acts={"dismissed"},
        problem=_no_second_formal_meeting,
        severity=Severity.CRITICAL,
    ),
    ProblemWith(
        "ip-dismissal-authority",
        f"{SOURCE} §6.1, §6.3.1",
        "Only the Level 2 manager who conducted the second formal meeting dismisses.",
        acts={"dismissed"},
        problem=_dismissal_problem,
        severity=Severity.CRITICAL,
    ),
    ProblemWith(
        "ip-alternative-roles",
        f"{SOURCE} §9.4",
        "The manager will have considered alternative roles before dismissing.",
        acts={"dismissed"},
        problem=_alternatives_not_considered,
    ),
    ProblemWith(
        "ip-dismissal-hr-advice",
        f"{SOURCE} §9.4",
        "HR advice is sought before a dismissal decision.",
        acts={"dismissed"},
        problem=_no_hr_before_dismissal,
        severity=Severity.MINOR,
    ),
    ProblemWith(
        "ip-dismissal-notify-la",
        f"{SOURCE} §9.4",
        "The school informs the HR Business Partner for Children's at Milton Keynes City Council "
        f"(party {LA_NOTIFICATION_PARTY}).",
        acts={"dismissed"},
        problem=_local_authority_not_told,
        severity=Severity.MINOR,
    ),
    DismissalLetter(
        "ip-dismissal-letter",
        f"{SOURCE} §9.3",
        "The dismissal is confirmed in writing within 7 calendar days of the meeting, with the "
        "reason, the right to appeal and any support or steps during the notice period.",
        limit=DATA.time_limit("dismissal-letter"),
        anchors=_dismissal_letters_due,
    ),
    NoticePeriod(
        "ip-notice-period",
        f"{SOURCE} §11.1",
        "Contractual or statutory notice, whichever is greater (contractual_notice_weeks as "
        "recorded; statutory per ERA 1996 s.86), paid; not normally worked.",
    ),
)
