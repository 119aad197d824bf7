"""The Work Performance Support Plan: contents, signatures, people, timescale (§4.2-§4.4, §6).

Duties that run to the end of a support period (the plan signed, roles confirmed, letter 2
sent, amendments agreed) are judged when the review outcome is recorded, the procedure's own
point of decision; the source sets no earlier time limit for them.
"""

from __future__ import annotations

from datetime import date

from pmledger.events.signed_event import Act
from pmledger.events.support_acts import (
    Consequence,
    MonitoringRoleAssigned,
    Outcome,
    OutcomeDecided,
    PlanKind,
    SupportPlanAgreed,
    SupportPlanRevised,
)
from pmledger.policies.case_file import CaseFile
from pmledger.policies.rule import ActContext

from .facts import (
    CHECKS,
    INITIAL,
    decisions,
    episode_since,
    first_decision,
    letters_since,
    meetings_since,
    people,
    problems,
    recorded_since,
    targets_now,
)

_CAPABILITY_WARNINGS = frozenset(
    {Consequence.CAPABILITY_POSSIBLE, Consequence.FORMAL_PROCEDURE_APPLIES}
)


def _plan_of(ctx: ActContext) -> SupportPlanAgreed:
    act = ctx.act
    assert isinstance(act, SupportPlanAgreed)
    return act


def _decided_plan(ctx: ActContext) -> str | None:
    """The plan whose first review outcome `ctx` records, if it is one."""
    act = ctx.act
    assert isinstance(act, OutcomeDecided)
    return act.subject_id if first_decision(ctx.file, act.subject_id) else None


@CHECKS.problem("consequences-unexplained", "§4.2")
def _consequences_unexplained(ctx: ActContext) -> str | None:
    act, file = _plan_of(ctx), ctx.file
    if act.consequences_explained_in_writing:
        return None
    since = episode_since(file)
    if any(
        mark.version > since and _CAPABILITY_WARNINGS & set(explained.consequences)
        for mark, explained in file.consequences
    ):
        return None
    initial = meetings_since(file, frozenset({INITIAL}), since)
    if any(m.record and "consequences_explained" in m.record.confirms for m in initial):
        return None
    return (
        "the employee is not recorded as told, by the time the Support Plan is finalised, that "
        "failing to improve leads to the Capability Procedure"
    )


@CHECKS.problem("not-a-support-plan", "§4.2")
def _not_a_support_plan(ctx: ActContext) -> str | None:
    kind = _plan_of(ctx).plan_kind
    if kind is PlanKind.SUPPORT_PLAN:
        return None
    return f"a plan under this procedure is the Work Performance Support Plan, not a {kind.value}"


@CHECKS.shows("areas-given", "App 1 §4")
def _areas_given(ctx: ActContext) -> bool:
    return all(t.text.strip() for t in _plan_of(ctx).targets)


@CHECKS.shows("support-given", "App 1 §4")
def _support_given(ctx: ActContext) -> bool:
    return bool(_plan_of(ctx).support.strip())


@CHECKS.shows("monitoring-given", "App 1 §4")
def _monitoring_given(ctx: ActContext) -> bool:
    return bool(_plan_of(ctx).monitoring_frequency.strip())


@CHECKS.holds("is-support-plan", "App 1 §4")
def _is_support_plan(file: CaseFile, act: Act) -> bool:
    return isinstance(act, SupportPlanAgreed)


@CHECKS.counts_from("initial-meeting", "§4.3")
def _initial_meeting(ctx: ActContext, plan: SupportPlanAgreed) -> tuple[date, str] | None:
    """§4.3, App 1 §5: the window runs "between the Initial Meeting and the Review Meeting", so
    from the Initial Meeting held in this episode (the latest, if it was reconvened); a plan
    agreed before any is held is counted from its own start."""
    held = [
        meeting.held
        for meeting in meetings_since(ctx.file, frozenset({INITIAL}), episode_since(ctx.file))
        if meeting.held is not None
    ]
    if not held:
        return None
    last = max(held, key=lambda mark: mark.version)
    return last.on, f"the Initial Meeting held on {last.on}"


@CHECKS.problem("unsmart", "App 1 §4")
def _unsmart(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, SupportPlanAgreed | SupportPlanRevised)
    found = []
    for target in act.targets:
        gaps = [
            what
            for what, missing in (
                ("success criteria", not target.success_criteria.strip()),
                ("deadline", target.due_on is None),
            )
            if missing
        ]
        if gaps:
            found.append(f"target {target.objective_id} has no {' and no '.join(gaps)}")
    return problems(found)


@CHECKS.problem("unsigned", "§6")
def _unsigned(ctx: ActContext) -> str | None:
    plan_id = _decided_plan(ctx)
    if plan_id is None:
        return None
    plan = ctx.file.plans[plan_id]
    if plan.agreed.version in ctx.file.acknowledged:
        return None
    return (
        f"the Support Plan agreed on {plan.agreed.on} was never signed by the employee "
        "before its review"
    )


@CHECKS.problem("no-letter-2", "§4.2")
def _no_letter_2(ctx: ActContext) -> str | None:
    plan_id = _decided_plan(ctx)
    if plan_id is None or letters_since(ctx.file, "star-2", episode_since(ctx.file)):
        return None
    return "the finalised Support Plan was never confirmed in writing with model letter 2"


@CHECKS.problem("decisive-undisclosed", "§4.5")
def _decisive_undisclosed(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, OutcomeDecided)
    plan = ctx.file.plans.get(act.subject_id)
    if act.outcome is not Outcome.UNSUCCESSFUL or act.basis != "decisive_target_missed":
        return None
    if plan is None:
        return None
    if not any(target.decisive for target in targets_now(plan)):
        return "an unsuccessful outcome rests on a decisive target, but the plan marks none"
    told = plan.plan.decisive_targets_told_before_start or any(
        "decisive_targets_told" in revision.confirms for _, revision in plan.revisions
    )
    if told:
        return None
    return (
        "an unsuccessful outcome rests on a decisive target the employee was not told about "
        "before the plan started"
    )


@CHECKS.problem("same-person", "§4.4")
def _same_person(ctx: ActContext) -> str | None:
    act = ctx.act
    if isinstance(act, SupportPlanAgreed):
        roles = people(act)
        both = roles["monitor"] & roles["supporter"]
        agreed = act.employee_agreed_same_monitor_and_supporter
    elif isinstance(act, MonitoringRoleAssigned) and act.plan_id in ctx.file.plans:
        plan = ctx.file.plans[act.plan_id].plan
        other = "supporter" if act.role == "monitor" else "monitor"
        both = {act.person_id} & people(plan)[other]
        agreed = act.employee_agreed_same_person or plan.employee_agreed_same_monitor_and_supporter
    else:
        return None
    if not both or agreed:
        return None
    return (
        f"the same person ({', '.join(sorted(both))}) monitors and supports without the "
        "employee's agreement"
    )


@CHECKS.problem("roles-unconfirmed", "§4.4")
def _roles_unconfirmed(ctx: ActContext) -> str | None:
    act, file = ctx.act, ctx.file
    earlier = recorded_since(file, "monitoring_role_assigned", episode_since(file))
    if isinstance(act, MonitoringRoleAssigned):
        plan = file.plans.get(act.plan_id)
        if plan is None or earlier or ctx.on <= plan.plan.starts_on:
            return None
        return (
            f"the roles of those monitoring and supporting were first confirmed on {ctx.on}, "
            f"after the support period started on {plan.plan.starts_on}"
        )
    if _decided_plan(ctx) is None or earlier:
        return None
    return (
        "no one monitoring or supporting the employee is recorded as told their role and the "
        "timetable (no MonitoringRoleAssigned)"
    )


@CHECKS.problem("no-work-contact", "App 1 §6")
def _no_work_contact(ctx: ActContext) -> str | None:
    act = _plan_of(ctx)
    if act.named_work_contact_person_id or "named_work_contact_considered" in act.confirms:
        return None
    return (
        "the Support Plan names no work contact for support and does not confirm that one was "
        "considered ('named_work_contact_considered')"
    )


@CHECKS.problem("unknown-plan", "App 1 §6")
def _unknown_plan(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, SupportPlanRevised)
    if act.plan_id in ctx.file.plans:
        return None
    return f"there is no Support Plan {act.plan_id} to amend"


@CHECKS.problem("amendments-unagreed", "App 1 §6")
def _amendments_unagreed(ctx: ActContext) -> str | None:
    act, file = ctx.act, ctx.file
    assert isinstance(act, OutcomeDecided)
    plan = file.plans.get(act.subject_id)
    if plan is None:
        return None
    after = max((mark.version for mark, _ in decisions(file, plan.plan_id)), default=0)
    unagreed = [
        mark.on.isoformat()
        for mark, _ in plan.revisions
        if mark.version > after and mark.version not in file.acknowledged
    ]
    if not unagreed:
        return None
    return (
        f"the amendments of {', '.join(unagreed)} to the Support Plan were not agreed with the "
        "employee (no acknowledgement)"
    )
