"""'At least N units notice of a meeting': the invitation must go out by a latest date."""

from __future__ import annotations

from collections.abc import Iterable

from pmledger.calendar import Direction, SchoolCalendar, TimeLimit
from pmledger.events.meeting_acts import MeetingInvited, MeetingPurpose
from pmledger.policies.case_file import CaseFile
from pmledger.policies.judgement import Severity
from pmledger.policies.rule import ActContext, DeadlineSpec, Rule, kinds


class NoticeBeforeMeeting(Rule):
    """Notice counts from the day the invitation was sent (`occurred_on`) to the meeting date.

    `exceptional=True` for procedures that say "normally": short notice then needs a reason.
    """

    acts = kinds(MeetingInvited)

    def __init__(
        self,
        rule_id: str,
        source: str,
        summary: str,
        *,
        purposes: Iterable[MeetingPurpose],
        limit: TimeLimit,
        exceptional: bool = False,
        severity: Severity = Severity.MAJOR,
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.purposes = frozenset(purposes)
        self.limit = limit
        self.exceptional = exceptional
        self.severity = severity

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, MeetingInvited) or act.purpose not in self.purposes:
            return
        latest, _ = self.due(ctx.calendar, act.scheduled_for, self.limit, Direction.BEFORE)
        if latest is not None and ctx.on > latest:
            message = (
                f"{act.purpose.value} meeting on {act.scheduled_for} needs at least "
                f"{self.limit.amount} {self.limit.unit.value.replace('_', ' ')} notice: the "
                f"invitation had to be sent by {latest}, it was sent {ctx.on}"
            )
            if self.exceptional:
                ctx.exceptional(self, message)
            else:
                ctx.breach(self, message)

    def deadlines(self, file: CaseFile, calendar: SchoolCalendar) -> Iterable[DeadlineSpec]:
        for meeting in file.meetings.values():
            if meeting.purpose not in self.purposes or meeting.invited is None:
                continue
            assert meeting.original_date is not None
            yield self.spec(
                file,
                calendar,
                description=f"notice of {meeting.purpose.value} meeting {meeting.meeting_id} "
                f"on {meeting.original_date}",
                anchor=meeting.invited,
                start=meeting.original_date,
                limit=self.limit,
                done=meeting.invited,
                direction=Direction.BEFORE,
            )
