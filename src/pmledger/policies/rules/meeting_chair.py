"""Who may convene, chair, adjourn and decide a meeting of a given purpose.

Authority belongs to the person (an actor's level), so the chair records the meeting themself:
otherwise a clerk's signature would stand in for an authority nobody checked. A meeting held by
someone without the authority happened all the same: it is recorded with a finding, `critical`
where the authority is the authority to dismiss (level 2).
"""

from __future__ import annotations

from collections.abc import Iterable

from pmledger.events.meeting_acts import (
    MeetingAdjourned,
    MeetingHeld,
    MeetingInvited,
    MeetingPurpose,
)
from pmledger.events.signed_event import Act
from pmledger.events.support_acts import OutcomeDecided
from pmledger.policies.case_file import CaseFile
from pmledger.policies.judgement import Severity
from pmledger.policies.rule import ActContext, Rule, kinds


def meeting_purpose(file: CaseFile, act: Act) -> MeetingPurpose | None:
    """The purpose of the meeting an invitation, record, adjournment or decision is about."""
    if isinstance(act, MeetingInvited):
        return act.purpose
    if isinstance(act, MeetingHeld) and act.purpose is not None:
        return act.purpose
    if isinstance(act, MeetingHeld | MeetingAdjourned):
        meeting = file.meetings.get(act.meeting_id)
    elif isinstance(act, OutcomeDecided):
        meeting = file.meetings.get(act.subject_id)
    else:
        return None
    return meeting.purpose if meeting is not None else None


class MeetingChair(Rule):
    """Invitations, records, adjournments and decisions of `purposes` need `min_level`."""

    acts = kinds(MeetingInvited, MeetingHeld, MeetingAdjourned, OutcomeDecided)

    def __init__(
        self,
        rule_id: str,
        source: str,
        summary: str,
        *,
        purposes: Iterable[MeetingPurpose],
        min_level: int,
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.purposes = frozenset(purposes)
        self.min_level = min_level

    def judge(self, ctx: ActContext) -> None:
        purpose = meeting_purpose(ctx.file, ctx.act)
        if purpose is None or purpose not in self.purposes:
            return
        actor = ctx.actor
        if actor.authority_level is None or actor.authority_level < self.min_level:
            ctx.breach(
                self,
                f"a {purpose.value} meeting is conducted at authority level {self.min_level} or "
                f"above; {actor.person_id} acts at level {actor.authority_level or 'none'}",
                Severity.CRITICAL if self.min_level >= 2 else Severity.MAJOR,
            )
        act = ctx.act
        if isinstance(act, MeetingHeld) and act.chair_person_id != actor.person_id:
            ctx.breach(
                self,
                f"the chair ({act.chair_person_id}) records the {purpose.value} meeting "
                f"themself, so that their authority is checked; {actor.person_id} cannot",
            )
