"""Improving performance as part of day-to-day management: 121s and the PIP (004 §2.3, §4)."""

from __future__ import annotations

from pmledger.events.meeting_acts import MeetingInvited, MeetingPurpose, OneToOneHeld
from pmledger.events.sanction_acts import CapabilityBasis, CapabilityStarted
from pmledger.events.signed_event import Act
from pmledger.events.support_acts import (
    MonitoringPeriodChanged,
    Outcome,
    OutcomeDecided,
    PlanKind,
    SupportPlanAgreed,
    SupportPlanRevised,
)
from pmledger.policies.case_file import CaseFile, Mark
from pmledger.policies.ladder import Ladder
from pmledger.policies.rule import ActContext
from pmledger.policies.rules.plan_periods import FINAL_PLAN_OUTCOMES, words

from .facts import (
    CHECKS,
    DATA,
    PIP_FORMAL_NOTICE_LETTER,
    PIP_IMPROVED_LETTER,
    decided,
    in_window,
    is_line_manager,
    letter_since,
    pip_sustain_starts,
    shift,
)


@CHECKS.holds("sets-a-pip", "§4.3")
def _sets_a_pip(file: CaseFile, act: Act) -> bool:
    return isinstance(act, SupportPlanAgreed) and act.plan_kind is PlanKind.PIP


def _earlier_one_to_ones(ctx: ActContext) -> list[tuple[Mark, OneToOneHeld]]:
    """121s before the one at which the PIP is set (that one may be linked to the PIP)."""
    act = ctx.act
    assert isinstance(act, SupportPlanAgreed)
    earlier = [
        (m, a) for m, a in ctx.file.one_to_ones if m.on < ctx.on and a.plan_id != act.plan_id
    ]
    return sorted(earlier, key=lambda pair: (pair[0].on, pair[0].version))


@CHECKS.problem("no-earlier-one-to-ones", "§4.1")
def _no_earlier_one_to_ones(ctx: ActContext) -> str | None:
    if not _sets_a_pip(ctx.file, ctx.act) or _earlier_one_to_ones(ctx):
        return None
    return (
        "no 121 is recorded before this PIP: the policy is invoked only when 121s have failed "
        "to achieve the required improvement"
    )


@CHECKS.problem("previous-did-not-warn", "§4.2")
def _previous_did_not_warn(ctx: ActContext) -> str | None:
    if not _sets_a_pip(ctx.file, ctx.act):
        return None
    earlier = _earlier_one_to_ones(ctx)
    if not earlier:
        return "no previous 121 advised the employee that a PIP may be set"
    mark, previous = earlier[-1]
    if previous.pip_possibility_advised:
        return None
    return (
        f"the previous 121 ({previous.meeting_id} on {mark.on}) did not advise the employee that "
        "a PIP may be set if performance had not improved by the next 121"
    )


@CHECKS.shows("all-targets-have-standards", "§4.3")
def _all_targets_have_standards(ctx: ActContext) -> bool:
    act = ctx.act
    assert isinstance(act, SupportPlanAgreed)
    return all(target.success_criteria.strip() for target in act.targets)


@CHECKS.shows("support-stated", "§4.3")
def _support_stated(ctx: ActContext) -> bool:
    act = ctx.act
    assert isinstance(act, SupportPlanAgreed)
    return bool(act.support.strip())


@CHECKS.shows("consequences-in-writing", "§4.3")
def _consequences_in_writing(ctx: ActContext) -> bool:
    act = ctx.act
    assert isinstance(act, SupportPlanAgreed)
    return act.consequences_explained_in_writing


@CHECKS.problem("disputed-pip-not-by-line-manager", "§4.3")
def _disputed_pip_not_by_line_manager(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, SupportPlanAgreed)
    if act.plan_kind is not PlanKind.PIP or act.employee_agreed:
        return None
    if is_line_manager(ctx.file, ctx.actor):
        return None
    return (
        "where the employee disputes the PIP, the final decision on what needs addressing "
        f"rests with the line manager, not {ctx.actor.person_id} ({ctx.actor.role.value})"
    )


def _pip_outcome(ctx: ActContext) -> OutcomeDecided | None:
    act = ctx.act
    if not isinstance(act, OutcomeDecided) or act.outcome not in FINAL_PLAN_OUTCOMES:
        return None
    plan = ctx.file.plans.get(act.subject_id)
    return act if plan is not None and plan.kind is PlanKind.PIP else None


@CHECKS.problem("pip-not-on-the-121-record", "§4.4")
def _pip_not_on_the_121_record(ctx: ActContext) -> str | None:
    act = _pip_outcome(ctx)
    if act is None:
        return None
    if any(a.plan_id == act.subject_id and a.summary.strip() for _, a in ctx.file.one_to_ones):
        return None
    return (
        f"no 121 record summarises the discussion and includes the PIP {act.subject_id} "
        "(record the 121 with plan_id and a summary)"
    )


@CHECKS.problem("pip-shorter-than-the-minimum", "§4.3, §4.5")
def _pip_shorter_than_the_minimum(ctx: ActContext) -> str | None:
    act, file = ctx.act, ctx.file
    if isinstance(act, SupportPlanAgreed) and act.plan_kind is PlanKind.PIP:
        start, end, what = act.starts_on, act.ends_on or act.review_on, "the monitoring period"
    elif isinstance(act, SupportPlanRevised | MonitoringPeriodChanged):
        plan = file.plans.get(act.plan_id)
        if plan is None or plan.kind is not PlanKind.PIP:
            return None
        new_end = act.new_end_on if isinstance(act, MonitoringPeriodChanged) else act.review_on
        start, end, what = plan.plan.starts_on, new_end, "the revised monitoring period"
    elif (outcome := _pip_outcome(ctx)) is not None:
        start, end, what = file.plans[outcome.subject_id].plan.starts_on, ctx.on, "the decision"
    else:
        return None
    shortest = DATA.time_limit("pip-shortest")
    earliest = shift(ctx.calendar, start, shortest)
    if end >= earliest:
        return None
    return (
        f"{what} ({end}) comes sooner than {words(shortest)} after the PIP started on "
        f"{start}: monitoring lasts at least {words(shortest)} (not before {earliest})"
    )


@CHECKS.holds("has-provisional-first-formal", "§4.3")
def _has_provisional_first_formal(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, SupportPlanAgreed)
    return act.plan_kind is not PlanKind.PIP or act.provisional_meeting_on is not None


@CHECKS.problem("improved-not-confirmed", "§4.8")
def _improved_not_confirmed(ctx: ActContext) -> str | None:
    act = _pip_outcome(ctx)
    if act is None or act.outcome is not Outcome.IMPROVED or act.letter is not None:
        return None
    start = ctx.file.plans[act.subject_id].plan.starts_on
    if letter_since(ctx.file, PIP_IMPROVED_LETTER, start, act.subject_id) is not None:
        return None
    return (
        f"the line manager writes to confirm the improvement: name the letter on the decision "
        f"(letter=…) or send {PIP_IMPROVED_LETTER} first"
    )


@CHECKS.problem("formal-procedure-not-in-writing", "§4.8")
def _formal_procedure_not_in_writing(ctx: ActContext) -> str | None:
    act, file = ctx.act, ctx.file
    if not isinstance(act, MeetingInvited) or act.purpose is not MeetingPurpose.FIRST_FORMAL:
        return None
    entries = [mark for mark, stage in file.stage_history if stage is Ladder.FORMAL_STAGE_1]
    outcomes = decided(file, PlanKind.PIP, {Outcome.NOT_IMPROVED})
    if not entries or not outcomes or outcomes[-1][0].version != entries[-1].version:
        return None
    mark, outcome = outcomes[-1]
    if outcome.letter is not None:
        return None
    if letter_since(file, PIP_FORMAL_NOTICE_LETTER, mark.on, outcome.subject_id) is not None:
        return None
    return (
        f"the employee was not told in writing, after the PIP {outcome.subject_id} ended on "
        f"{mark.on}, that the formal procedure now applies ({PIP_FORMAL_NOTICE_LETTER})"
    )


def _in_a_pip_window(ctx: ActContext) -> bool:
    return any(
        in_window(ctx.calendar, start, ctx.on, DATA.time_limit("pip-sustain"))
        for start in pip_sustain_starts(ctx.file)
    )


@CHECKS.problem("no-window-to-deteriorate-in", "§4.8")
def _no_window_to_deteriorate_in(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, CapabilityStarted)
    if act.basis is not CapabilityBasis.NOT_SUSTAINED or _in_a_pip_window(ctx):
        return None
    return (
        "no PIP ended improved in the 12 months before this date, so there is no sustain window "
        "to deteriorate in: start the formal procedure with basis 'direct' and a §2.3 reason"
    )


@CHECKS.problem("straight-to-formal", "§2.3")
def _straight_to_formal(ctx: ActContext) -> str | None:
    if _in_a_pip_window(ctx):
        return None
    earlier = [
        mark.on
        for mark, _ in decided(ctx.file, PlanKind.PIP, FINAL_PLAN_OUTCOMES)
        if ctx.on < shift(ctx.calendar, mark.on, DATA.time_limit("pip-sustain"))
    ]
    found = (
        f"a PIP ended on {earlier[-1]}, within the past 12 months"
        if earlier
        else "no PIP in the past 12 months"
    )
    return (
        "moving straight to the formal procedure needs the issue's seriousness, or the same "
        f"issues handled informally in the past 12 months with the informal process exhausted "
        f"({found})"
    )
