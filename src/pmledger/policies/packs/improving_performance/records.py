"""A written record of every meeting under the process (004 §13.2)."""

from __future__ import annotations

from pmledger.events.appeal_acts import AppealHeard
from pmledger.events.meeting_acts import MeetingHeld, OneToOneHeld
from pmledger.policies.rule import ActContext

from .facts import CHECKS


@CHECKS.problem("no-written-record", "§13.2")
def _no_written_record(ctx: ActContext) -> str | None:
    act = ctx.act
    if isinstance(act, MeetingHeld):
        text, what = act.minutes, f"meeting {act.meeting_id} (minutes)"
    elif isinstance(act, OneToOneHeld):
        text, what = act.summary, f"121 {act.meeting_id} (summary)"
    elif isinstance(act, AppealHeard):
        text, what = act.notes, f"the hearing of appeal {act.appeal_id} (notes)"
    else:
        return None
    return None if text.strip() else f"no written record is made of {what}"
