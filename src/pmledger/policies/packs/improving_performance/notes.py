"""Notes of the meetings held while a plan runs, shared with the employee (004 §4.6, §8.2).

Neither paragraph gives a time limit, so the notes of a monitoring period are judged once, at
the decision that ends it (improved or not improved): by then the employee must have them, and
§8.2's notes "may be referred to the second formal meeting". A copy is RecordCopyProvided
(to='employee') naming the record of the meeting.
"""

from __future__ import annotations

from collections.abc import Callable

from pmledger.events.meeting_acts import MeetingPurpose
from pmledger.events.support_acts import OutcomeDecided, PlanKind
from pmledger.policies.case_file import Recorded
from pmledger.policies.rule import ActContext
from pmledger.policies.rules.plan_periods import FINAL_PLAN_OUTCOMES
from pmledger.policies.rules.problem import ProblemFn

from .facts import (
    CHECKS,
    FORMAL_MEETINGS,
    copied_to_employee,
)


def _notes_not_shared(
    kind: PlanKind,
    kinds: tuple[str, ...],
    skip: frozenset[MeetingPurpose],
    what: Callable[[str], str],
) -> ProblemFn:
    """Records of `kinds` made since the plan was agreed, other than meetings of `skip`
    purposes, that have no copy to the employee when the plan of `kind` is decided."""

    def problem(ctx: ActContext) -> str | None:
        act = ctx.act
        if not isinstance(act, OutcomeDecided) or act.outcome not in FINAL_PLAN_OUTCOMES:
            return None
        plan = ctx.file.plans.get(act.subject_id)
        if plan is None or plan.kind is not kind:
            return None
        missing = [
            r
            for r in ctx.file.recorded(*kinds)
            if r.mark.version > plan.agreed.version
            and _purpose(ctx, r) not in skip
            and not copied_to_employee(ctx.file, r.mark.version)
        ]
        if not missing:
            return None
        return f"{what(plan.plan_id)}: no copy to the employee of " + ", ".join(
            f"{getattr(r.act, 'meeting_id', '')} ({r.mark.on})" for r in missing
        )

    return problem


def _purpose(ctx: ActContext, record: Recorded) -> MeetingPurpose | None:
    """A meeting's purpose; a 121 (OneToOneHeld) has none in the case file's meetings."""
    meeting = ctx.file.meetings.get(getattr(record.act, "meeting_id", ""))
    return meeting.purpose if meeting is not None else None


_PIP_NOTES = _notes_not_shared(
    PlanKind.PIP,
    ("meeting_held",),
    FORMAL_MEETINGS | {MeetingPurpose.ONE_TO_ONE},
    lambda plan: f"notes of the meetings besides the 121s during PIP {plan}",
)
_FORMAL_PIP_NOTES = _notes_not_shared(
    PlanKind.FORMAL_PIP,
    ("one_to_one_held", "meeting_held"),
    FORMAL_MEETINGS,
    lambda plan: f"notes of the discussions during Formal PIP {plan} are not shared",
)


@CHECKS.problem("pip-notes-not-copied", "§4.6")
def _pip_notes_not_copied(ctx: ActContext) -> str | None:
    """Notes of meetings besides the 121s during the PIP, each copied to the employee."""
    return _PIP_NOTES(ctx)


@CHECKS.problem("formal-pip-notes-not-shared", "§8.2")
def _formal_pip_notes_not_shared(ctx: ActContext) -> str | None:
    """Notes of the 121s and other meetings during formal monitoring, shared with the employee."""
    return _FORMAL_PIP_NOTES(ctx)
