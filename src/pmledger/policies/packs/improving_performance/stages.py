"""The shape of the procedure (004 §2, §4-§9): which plans, meetings and decisions belong where.

The stages, the stage machine and what each stage decides are data in the pack file; this
module holds the named checks that read them. Day-to-day management and 121s → an informal
PIP → the first formal meeting and its formal monitoring period under a 12-month written
warning → the second formal meeting, where dismissal may be decided. Improvement returns the
case to day-to-day management, with a 12-month sustain window after a PIP (§4.8) or a second
formal meeting (§9.3), or for the rest of the live warning after formal monitoring (§8.3,
reconstructed: the source table is garbled).
"""

from __future__ import annotations

from pmledger.events.actors import Role
from pmledger.events.case_acts import StaffGroup
from pmledger.events.meeting_acts import (
    MeetingAdjourned,
    MeetingHeld,
    MeetingInvited,
    MeetingPurpose,
    MeetingRescheduled,
    OneToOneHeld,
)
from pmledger.events.record_acts import ConcernCategory, ConcernRaised
from pmledger.events.signed_event import Act
from pmledger.events.support_acts import (
    MonitoringPeriodChanged,
    MonitoringReviewed,
    OutcomeDecided,
    PlanKind,
    SupportPlanAgreed,
    SupportPlanRevised,
)
from pmledger.policies.case_file import CaseFile
from pmledger.policies.ladder import Ladder
from pmledger.policies.rule import ActContext, Impossible
from pmledger.policies.rules.plan_periods import FINAL_PLAN_OUTCOMES
from pmledger.policies.stage_machine import subject_of

from .facts import (
    CHECKS,
    DATA,
    MONITORED_PLANS,
    latest_held,
    staff_group,
)

DECISIONS = DATA.decisions()
"""What each decision of the policy is taken at and may conclude (§4.8, §7.2, §8.3, §9.3): the
stages' `decides` in the pack file."""

MEETINGS = frozenset(
    {
        MeetingPurpose.ONE_TO_ONE,
        MeetingPurpose.SUPERVISION,
        MeetingPurpose.FIRST_FORMAL,
        MeetingPurpose.SECOND_FORMAL,
    }
)
"""§1.0 '121 process and supervision arrangements', §7 and §9; appeals have their own acts."""


@CHECKS.problem("plan-problem", "§4.3, §7.2")
def _plan_problem(ctx: ActContext) -> str | None:
    act, file = ctx.act, ctx.file
    if isinstance(act, SupportPlanAgreed):
        if act.plan_id in file.plans:
            return Impossible(
                f"plan {act.plan_id} already exists in this case; give the new plan its own id"
            )
        if act.plan_kind is PlanKind.PIP and file.stage is not Ladder.NORMAL_CYCLE:
            return "a PIP is set from day-to-day management (§4.2), not during another plan"
        if act.plan_kind is PlanKind.FORMAL_PIP and (
            file.stage is not Ladder.FORMAL_STAGE_1
            or latest_held(file, MeetingPurpose.FIRST_FORMAL) is None
        ):
            return "a Formal PIP is agreed at the first formal meeting (§7.2)"
        if act.plan_kind not in MONITORED_PLANS:
            return Impossible(
                f"this policy's plans are the PIP (§4) and the Formal PIP (§7.2), "
                f"not {act.plan_kind.value}"
            )
        return None
    if isinstance(act, SupportPlanRevised | MonitoringPeriodChanged | MonitoringReviewed):
        plan_id: str | None = act.plan_id
    elif isinstance(act, OneToOneHeld):
        plan_id = act.plan_id
    else:
        return None
    if plan_id is not None and plan_id not in file.plans:
        return Impossible(f"there is no plan {plan_id} in this case")
    return None


@CHECKS.problem("outcome-problem", "§4.8, §7.2, §8.3, §9.3")
def _outcome_problem(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, OutcomeDecided)
    subject = subject_of(ctx.file, act.subject_id)
    if subject not in DECISIONS:
        return Impossible(
            f"{act.subject_id} is neither a PIP, a Formal PIP nor a first or second formal "
            "meeting of this case"
        )
    stage, outcomes = DECISIONS[subject]
    if ctx.file.stage is not stage:
        return f"a {subject.value} is decided at stage {stage.value}"
    if act.outcome not in outcomes:
        allowed = ", ".join(sorted(o.value for o in outcomes))
        return Impossible(f"a {subject.value} concludes {allowed}, not {act.outcome.value}")
    plan = ctx.file.plans.get(act.subject_id)
    if plan is not None and plan.outcome in FINAL_PLAN_OUTCOMES:
        return f"{act.subject_id} was already decided ({plan.outcome.value})"
    meeting = ctx.file.meetings.get(act.subject_id)
    if plan is None and (meeting is None or meeting.held is None):
        return f"the {subject.value} meeting {act.subject_id} has not been held"
    return None


_SECOND_FORMAL_INVITED_AT = frozenset({Ladder.NORMAL_CYCLE, Ladder.FORMAL_STAGE_2})
"""From day-to-day management only inside a window, which ip-formal-improved and
ip-second-nfa-sustain judge."""
_SECOND_FORMAL_HELD_AT = frozenset({Ladder.FORMAL_STAGE_2})


@CHECKS.problem("meeting-problem", "§1.0, §7, §9")
def _meeting_problem(ctx: ActContext) -> str | None:
    act, file = ctx.act, ctx.file
    if isinstance(act, MeetingRescheduled | MeetingAdjourned):
        if act.meeting_id not in file.meetings:
            return Impossible(f"there is no meeting {act.meeting_id} in this case")
        return None
    if not isinstance(act, MeetingInvited | MeetingHeld):
        return None
    known = file.meetings.get(act.meeting_id)
    purpose = act.purpose or (known.purpose if known is not None else None)
    if purpose is None:
        return Impossible(f"meeting {act.meeting_id} has no invitation: record its purpose")
    if known is not None and known.purpose is not None and known.purpose is not purpose:
        return Impossible(
            f"meeting {act.meeting_id} was called as {known.purpose.value}, not {purpose.value}"
        )
    if purpose is MeetingPurpose.APPEAL_HEARING:
        return Impossible(
            "appeal hearings are recorded with the appeal acts (appeal_hearing_arranged, …)"
        )
    if purpose not in MEETINGS:
        return Impossible(f"this policy has no {purpose.value} meeting")
    if purpose is MeetingPurpose.FIRST_FORMAL and file.stage is not Ladder.FORMAL_STAGE_1:
        return "the first formal meeting belongs to the formal procedure's first stage"
    at = _SECOND_FORMAL_INVITED_AT if isinstance(act, MeetingInvited) else _SECOND_FORMAL_HELD_AT
    if purpose is MeetingPurpose.SECOND_FORMAL and file.stage not in at:
        return (
            "a second formal meeting follows an unsuccessful formal monitoring period (§8.3) "
            "or a concern while a warning or sustain window is live (§7.3, §9.3)"
        )
    return None


@CHECKS.holds("performance-concern", "§2.2")
def _performance_concern(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, ConcernRaised)
    return act.category is not ConcernCategory.MISCONDUCT


_GOVERNORS = frozenset({Role.CHAIR_OF_GOVERNORS, Role.GOVERNOR})


@CHECKS.problem("headteacher-case-problem", "§1.0")
def _headteacher_case_problem(ctx: ActContext) -> str | None:
    if staff_group(ctx.file) != StaffGroup.HEADTEACHER.value or ctx.actor.role in _GOVERNORS:
        return None
    return (
        "a Headteacher's performance is managed by the chair of governors or an appointed "
        f"governor, not by {ctx.actor.role.value}"
    )
