"""Setting objectives and communicating expectations at the start of the cycle (002 Setting
Objectives L37-42, Policy Statement L8), including the Headteacher's objectives.

"At the outset" means an `expectations_communicated` act naming the item for the cycle (or,
naming no cycle, recorded since the cycle opened) before the objectives are set; an item named
only after the objectives is judged late on the act that names it.
"""

from __future__ import annotations

from pmledger.events.case_acts import (
    DevelopmentPlanAgreed,
    ExpectationsCommunicated,
    HpmpAppointed,
    ObjectiveKind,
    ObjectivesRevised,
    ObjectivesSet,
)
from pmledger.events.meeting_acts import MeetingHeld
from pmledger.events.record_acts import StatementRecorded
from pmledger.events.signed_event import Act
from pmledger.policies.case_file import CaseFile
from pmledger.policies.named_checks import ProblemFn
from pmledger.policies.rule import ActContext

from .cycle import ANNUAL_STATEMENT
from .facts import (
    CHECKS,
    HPMP_ROLES,
    INTERIM,
    cycle_for,
    is_headteacher,
    is_support,
    is_teacher,
)

LEVEL_OF_EXPECTATION = "level_of_expectation"
CAREER_EXPECTATIONS_FRAMEWORK = "career_expectations_framework"
STANDARDS = frozenset({"standards", "headteacher_standards"})
KEY_ACCOUNTABILITIES = "key_accountabilities"


@CHECKS.problem("objectives-late", "002 Setting Objectives L38")
def _objectives_late(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, ObjectivesSet)
    found = ctx.file.cycles.get(act.cycle_id)
    if found is None or act.cycle_id in ctx.file.objectives_set:
        return None
    starts_on = found[1].starts_on
    if ctx.on <= starts_on:
        return None
    return (
        f"objectives are set before, or as soon as practicable after, the start of the cycle "
        f"({starts_on}); these were set on {ctx.on}"
    )


def communicated(file: CaseFile, cycle_id: str, item: str) -> bool:
    """Whether `item` was communicated for the cycle: by an act naming the cycle, or naming
    none and recorded since the cycle opened."""
    found = file.cycles.get(cycle_id)
    since = found[0].version if found else 0
    return any(
        isinstance(r.act, ExpectationsCommunicated)
        and item in r.act.what
        and (r.act.cycle_id == cycle_id or (r.act.cycle_id is None and r.mark.version > since))
        for r in file.recorded("expectations_communicated")
    )


def _said_at_outset(ctx: ActContext, item: str) -> bool:
    act = ctx.act
    assert isinstance(act, ObjectivesSet)
    return communicated(ctx.file, act.cycle_id, item)


def _named_late(ctx: ActContext, item: str) -> str | None:
    """An expectation named after the cycle's objectives were set was not given at the start."""
    act = ctx.act
    assert isinstance(act, ExpectationsCommunicated)
    found = cycle_for(ctx.file, act.cycle_id, ctx.on)
    if item not in act.what or found is None:
        return None
    objectives = ctx.file.objectives_set.get(found[0])
    if objectives is None or objectives.on >= ctx.on:
        return None
    return (
        f"{item.replace('_', ' ')} was communicated on {ctx.on}, after the objectives of cycle "
        f"{found[0]} were set on {objectives.on}: it belongs at the outset"
    )


@CHECKS.problem("expectation-not-at-outset", "002 Setting Objectives L38")
def _expectation_outset(ctx: ActContext) -> str | None:
    if isinstance(ctx.act, ExpectationsCommunicated):
        return _named_late(ctx, LEVEL_OF_EXPECTATION)
    if _said_at_outset(ctx, LEVEL_OF_EXPECTATION):
        return None
    return (
        "the level of expectation must be communicated at the outset of the cycle: no "
        "expectations_communicated naming level_of_expectation precedes the objectives"
    )


def _informed_late(items: frozenset[str], *, support: bool) -> ProblemFn:
    def problem(ctx: ActContext) -> str | None:
        act = ctx.act
        assert isinstance(act, ExpectationsCommunicated)
        named = items & set(act.what)
        found = cycle_for(ctx.file, act.cycle_id, ctx.on)
        if not named or found is None or is_support(ctx.file) is not support:
            return None
        starts_on = found[2].starts_on
        if ctx.on <= starts_on:
            return None
        return (
            f"{', '.join(sorted(named))} communicated on {ctx.on}, after cycle {found[0]} "
            f"started on {starts_on}: due before, or as soon as practicable after, the start"
        )

    return problem


@CHECKS.problem("no-development-plan", "002 Setting Objectives L41-42")
def _development_plan(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, MeetingHeld)
    meeting = ctx.file.meetings.get(act.meeting_id)
    purpose = act.purpose or (meeting.purpose if meeting else None)
    found = cycle_for(ctx.file, None, ctx.on)
    if purpose not in INTERIM or found is None:
        return None
    cycle_id, opened, _ = found
    earlier = [
        m
        for m in ctx.file.meetings.values()
        if m.purpose in INTERIM and m.held is not None and m.held.version > opened.version
    ]
    agreed = any(
        isinstance(r.act, DevelopmentPlanAgreed) and r.act.cycle_id == cycle_id
        for r in ctx.file.recorded("development_plan_agreed")
    )
    if earlier or agreed:
        return None
    return (
        f"the first interim meeting of cycle {found[0]} was held with no development plan "
        "agreed for the year"
    )


@CHECKS.problem("framework-not-shared", "002 Policy Statement L8")
def _framework_shared(ctx: ActContext) -> str | None:
    if not is_teacher(ctx.file):
        return None
    if isinstance(ctx.act, ExpectationsCommunicated):
        return _named_late(ctx, CAREER_EXPECTATIONS_FRAMEWORK)
    if _said_at_outset(ctx, CAREER_EXPECTATIONS_FRAMEWORK):
        return None
    return (
        "the Career Expectations Framework should be shared at the start of the cycle: no "
        "expectations_communicated naming career_expectations_framework precedes the objectives"
    )


@CHECKS.problem("ht-objectives-not-by-hpmp", "002 Setting Objectives L37")
def _set_by_hpmp(ctx: ActContext) -> str | None:
    if not is_headteacher(ctx.file) or ctx.actor.role in HPMP_ROLES:
        return None
    return (
        "the Headteacher's objectives are set by the Governing Body through the HPMP, not by "
        f"{ctx.actor.role.value}"
    )


@CHECKS.holds("adviser-consulted-on-ht-objectives", "002 Setting Objectives L37")
def _adviser_consulted(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, ObjectivesSet)
    return not is_headteacher(file) or act.external_adviser_consulted


@CHECKS.holds("ht-objective-on-pupil-outcomes", "002 Setting Objectives L37")
def _pupil_outcomes(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, ObjectivesSet | ObjectivesRevised)
    return not is_headteacher(file) or any(
        o.objective_kind is ObjectiveKind.PUPIL_OUTCOMES for o in act.objectives
    )


@CHECKS.problem("no-external-adviser", "002 Appointing reviewers L31, Annual Assessment L77")
def _adviser_in_assessment(ctx: ActContext) -> str | None:
    act = ctx.act
    if isinstance(act, StatementRecorded):
        if not is_headteacher(ctx.file) or act.form != ANNUAL_STATEMENT:
            return None
        if "external_adviser_consulted" in act.confirms:
            return None
        return (
            "the Headteacher's annual assessment does not confirm that the external adviser was "
            "consulted ('external_adviser_consulted')"
        )
    if isinstance(act, HpmpAppointed) and act.external_adviser_person_id is None:
        return "the HPMP was appointed with no external adviser to support it"
    return None


CHECKS.problem("standards-late", "002 Setting Objectives L41")(
    _informed_late(STANDARDS, support=False)
)
CHECKS.problem("accountabilities-late", "002 Setting Objectives L42")(
    _informed_late(frozenset({KEY_ACCOUNTABILITIES}), support=True)
)
