"""The Work Performance Support Plan: contents, signatures, people, timescale (§4.2-§4.4, §6).

Duties that run to the end of a support period (the plan signed, roles confirmed, letter 2
sent, amendments agreed) are judged when the review outcome is recorded, the procedure's own
point of decision; the source sets no earlier time limit for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from pmledger.calendar import SchoolCalendar
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
from pmledger.policies.judgement import Severity
from pmledger.policies.packfile.binding import pack_data
from pmledger.policies.rule import ActContext, DeadlineSpec, Rule
from pmledger.policies.rules.problem import ProblemWith
from pmledger.policies.rules.required_contents import RequiredContents
from pmledger.policies.rules.windows import PlanReviewWindow

from .facts import (
    INITIAL,
    INTERIM,
    decisions,
    episode_since,
    first_decision,
    letters_since,
    meetings_since,
    people,
    period_start,
    problems,
    recorded_since,
    targets_now,
)

DATA = pack_data(__package__)
"""This procedure's data, from its pack file."""

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


def _not_a_support_plan(ctx: ActContext) -> str | None:
    kind = _plan_of(ctx).plan_kind
    if kind is PlanKind.SUPPORT_PLAN:
        return None
    return f"a plan under this procedure is the Work Performance Support Plan, not a {kind.value}"


def _is_support_plan(file: CaseFile, act: Act) -> bool:
    return isinstance(act, SupportPlanAgreed)


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


def _no_letter_2(ctx: ActContext) -> str | None:
    plan_id = _decided_plan(ctx)
    if plan_id is None or letters_since(ctx.file, "star-2", episode_since(ctx.file)):
        return None
    return "the finalised Support Plan was never confirmed in writing with model letter 2"


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


def _no_work_contact(ctx: ActContext) -> str | None:
    act = _plan_of(ctx)
    if act.named_work_contact_person_id or "named_work_contact_considered" in act.confirms:
        return None
    return (
        "the Support Plan names no work contact for support and does not confirm that one was "
        "considered ('named_work_contact_considered')"
    )


def _unknown_plan(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, SupportPlanRevised)
    if act.plan_id in ctx.file.plans:
        return None
    return f"there is no Support Plan {act.plan_id} to amend"


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


class InterimReview(Rule):
    """App 1 §7: "It may be helpful to also include ... an interim review meeting at the half way
    point in the review period so that any concerns ... can be highlighted at the earliest
    opportunity." Optional, so the half-way date is advisory: each Support Plan's current
    period gets a row met by an interim review held in it, lapsed (not missed) without one."""

    def deadlines(self, file: CaseFile, calendar: SchoolCalendar) -> Iterable[DeadlineSpec]:
        for plan in file.plans.values():
            if plan.kind is not PlanKind.SUPPORT_PLAN:
                continue
            start = period_start(plan)
            half_way = start.on + timedelta(days=(plan.review_on - start.on).days // 2)
            held = sorted(
                (m.held for m in file.meetings.values() if m.purpose is INTERIM and m.held),
                key=lambda mark: (mark.on, mark.version),
            )
            in_period = [mark for mark in held if start.on <= mark.on <= plan.review_on]
            yield DeadlineSpec(
                rule=self,
                description=f"interim review of plan {plan.plan_id} at the half way point of "
                f"its review period ({start.on} to {plan.review_on})",
                anchor_version=start.version,
                due_on=half_way,
                unit="advisory: at the half way point of the review period",
                done=in_period[0] if in_period else None,
                advisory=True,
            )


RULES: tuple[Rule, ...] = (
    ProblemWith(
        "st-consequences-explained",
        "003 §4.2",
        "By the time the plan is finalised the employee knows the process ends in a decision "
        "that may transfer them to the Capability Procedure.",
        acts={"support_plan_agreed"},
        problem=_consequences_unexplained,
        severity=Severity.MINOR,
    ),
    ProblemWith(
        "st-plan-confirmed-letter-2",
        "003 §4.2",
        "The finalised plan is confirmed in writing with model letter 2 (no time limit is "
        "stated, D-st-8: judged at the plan's first review outcome).",
        acts={"outcome_decided"},
        problem=_no_letter_2,
        severity=Severity.MINOR,
    ),
    ProblemWith(
        "st-plan-contents",
        "003 §4.2, §6",
        "A plan recorded under this procedure is its Work Performance Support Plan.",
        acts={"support_plan_agreed"},
        problem=_not_a_support_plan,
        consequence="impossible",
    ),
    RequiredContents(
        "st-plan-contents",
        "003 App 1 §4",
        "The plan sets out improvement areas, behaviours, actions, support, and monitoring "
        "arrangements (weightings only where targets are weighted; success criteria per "
        "target under st-plan-smart).",
        applies=_is_support_plan,
        keys=(
            "improvement_areas",
            "behaviours_stated",
            "actions_stated",
            "support",
            "monitoring_arrangements",
        ),
        shown_by={
            "improvement_areas": lambda ctx: all(t.text.strip() for t in _plan_of(ctx).targets),
            "support": lambda ctx: bool(_plan_of(ctx).support.strip()),
            "monitoring_arrangements": lambda ctx: bool(_plan_of(ctx).monitoring_frequency.strip()),
        },
        what="the Support Plan",
        severity=Severity.MINOR,
    ),
    ProblemWith(
        "st-plan-smart",
        "003 App 1 §4, §6",
        "Targets are SMART: each has success criteria and a deadline (§6 'Deadline/review').",
        acts={"support_plan_agreed", "support_plan_revised"},
        problem=_unsmart,
        severity=Severity.MINOR,
    ),
    ProblemWith(
        "st-plan-signed",
        "003 §6",
        "The plan is signed by the employee as well as the manager (D-st-6); unsigned at its "
        "review is a finding.",
        acts={"outcome_decided"},
        problem=_unsigned,
        severity=Severity.MINOR,
    ),
    ProblemWith(
        "st-weighting-disclosed",
        "003 §4.5, App 1 §4",
        "A decisive target decides the outcome only if the plan marks it and the employee was "
        "told before the plan started (the outcome is never derived from it: D-st-5).",
        acts={"outcome_decided"},
        problem=_decisive_undisclosed,
    ),
    PlanReviewWindow(
        "st-timescale",
        "003 §4.3, App 1 §5",
        "Review as a general guide at least 4 weeks and at most three months after the "
        "Initial Meeting (a further period: after the review that gave it) (D-st-3).",
        plan_kinds={PlanKind.SUPPORT_PLAN},
        minimum=DATA.time_limit("review-earliest"),
        maximum=DATA.time_limit("review-latest"),
        exceptional=True,
        counted_from=_initial_meeting,
    ),
    ProblemWith(
        "st-monitor-support-separate",
        "003 §4.4, App 1 §8",
        "Monitoring and support by different people unless the employee agrees.",
        acts={"support_plan_agreed", "monitoring_role_assigned"},
        problem=_same_person,
        consequence="exceptional",
    ),
    ProblemWith(
        "st-roles-confirmed",
        "003 §4.4, §5",
        "Everyone monitoring and supporting is told their role and the timetable before the "
        "support period starts.",
        acts={"monitoring_role_assigned", "outcome_decided"},
        problem=_roles_unconfirmed,
        severity=Severity.MINOR,
    ),
    ProblemWith(
        "st-named-work-contact",
        "003 App 1 §6",
        "Support through a named work contact must be considered.",
        acts={"support_plan_agreed"},
        problem=_no_work_contact,
    ),
    ProblemWith(
        "st-plan-amendment",
        "003 App 1 §6",
        "Only an agreed plan can be amended.",
        acts={"support_plan_revised"},
        problem=_unknown_plan,
        consequence="impossible",
    ),
    ProblemWith(
        "st-plan-amendment",
        "003 App 1 §6",
        "An amendment's reason (required by the event) is agreed with the employee, shown by "
        "their acknowledgement before the next review outcome.",
        acts={"outcome_decided"},
        problem=_amendments_unagreed,
        severity=Severity.MINOR,
    ),
    InterimReview(
        "st-interim-review",
        "003 App 1 §7",
        "It may be helpful to hold an interim review meeting at the half way point of the "
        "review period: an advisory row per Support Plan, met by an interim_review meeting "
        "held in the period, lapsed without one, never a finding.",
    ),
)
