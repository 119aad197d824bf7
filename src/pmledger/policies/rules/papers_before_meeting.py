"""'Name your companion and send your papers at least N units before the meeting'.

Judged when the companion is named or the papers arrive, against the date the meeting is then
scheduled for (a rescheduled meeting moves the latest date with it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pmledger.calendar import Direction, TimeLimit
from pmledger.events.meeting_acts import CompanionNamed, DocumentsSubmitted, MeetingPurpose
from pmledger.policies.judgement import Severity
from pmledger.policies.rule import ActContext, Rule, kinds

Party = Literal["employee", "management"]


class PapersBeforeMeeting(Rule):
    """Companion names (always the employee's) and papers from `parties` are due `limit` before."""

    acts = kinds(CompanionNamed, DocumentsSubmitted)

    def __init__(
        self,
        rule_id: str,
        source: str,
        summary: str,
        *,
        purposes: Iterable[MeetingPurpose],
        limit: TimeLimit,
        parties: Iterable[Party] = ("employee",),
        severity: Severity = Severity.MINOR,
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.purposes = frozenset(purposes)
        self.limit = limit
        self.parties = frozenset(parties)
        self.severity = severity

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if isinstance(act, CompanionNamed):
            what, party = "the companion's name", "employee"
        elif isinstance(act, DocumentsSubmitted):
            what, party = f"{act.party} papers", act.party
        else:
            return
        meeting = ctx.file.meetings.get(act.meeting_id)
        if (
            party not in self.parties
            or meeting is None
            or meeting.purpose not in self.purposes
            or meeting.scheduled_for is None
        ):
            return
        latest, _ = self.due(ctx.calendar, meeting.scheduled_for, self.limit, Direction.BEFORE)
        if latest is not None and ctx.on > latest:
            ctx.breach(
                self,
                f"{what} for the {meeting.purpose.value} meeting on {meeting.scheduled_for} "
                f"were due at least {self.limit.amount} "
                f"{self.limit.unit.value.replace('_', ' ')} before it (by {latest}); they came "
                f"on {ctx.on} (the {party}'s time limit)",
            )
