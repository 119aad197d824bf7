"""Targets: usually three, SMART, with success criteria, set in September and agreed by the
Headteacher and Deputy Headteachers by the first mid-point review (000 §3, §4, §6)."""

from __future__ import annotations

from collections.abc import Iterator

from pmledger.calendar import SchoolCalendar
from pmledger.events.actors import Role
from pmledger.events.case_acts import ObjectivesApproved, ObjectivesRevised, ObjectivesSet
from pmledger.events.meeting_acts import MeetingHeld, MeetingPurpose
from pmledger.events.signed_event import Act
from pmledger.policies.case_file import CaseFile
from pmledger.policies.rule import ActContext
from pmledger.policies.rules.fixed_dates import FixedDue

from .cycle import (
    CHECKS,
    DATA,
    TARGET_SETTING,
    cycle_spans,
    mid_year_number,
    span_of_cycle,
    span_on,
)

TARGET_ACTS = frozenset({"objectives_set", "objectives_revised"})
APPROVERS = frozenset({Role.HEADTEACHER, Role.DEPUTY_HEADTEACHER})
"""The Headteacher and the Deputy Headteachers; one approval is enough (setting
`target_approval: any_of`, D-rf-2)."""


@CHECKS.holds("usual-number-of-targets", "000 §3")
def _usual_number(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, ObjectivesSet | ObjectivesRevised)
    return len(act.objectives) == DATA.limit("targets")


@CHECKS.holds("targets-have-success-criteria", "000 §4, §6")
def _all_have_success_criteria(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, ObjectivesSet | ObjectivesRevised)
    return all(o.success_criteria.strip() for o in act.objectives)


@CHECKS.problem("targets-untimed", "000 §3, §6")
def _untimed(ctx: ActContext) -> str | None:
    """Only the parts of SMART a record can show are checked: Time-bound (a deadline or
    milestones on each target) here, and the reviewer's attestation that the whole framework
    was followed (`[required] smart-targets`). Measurable is rf-targets-success-criteria, so
    one gap gives one finding."""
    act = ctx.act
    assert isinstance(act, ObjectivesSet | ObjectivesRevised)
    untimed = [o.objective_id for o in act.objectives if o.due_on is None and not o.milestones]
    if not untimed:
        return None
    return (
        "targets must be time-bound, with clear deadlines and milestones: "
        f"{', '.join(untimed)} have neither a due date nor milestones"
    )


@CHECKS.holds("targets-set", "000 §3, §6")
def _targets_set(file: CaseFile, act: Act) -> bool:
    return isinstance(act, ObjectivesSet)


@CHECKS.problem("targets-set-early", "000 §4, App C")
def _set_early(ctx: ActContext) -> str | None:
    """The month is a window: set too early is found here, set late or never shows as the
    cycle's deadline (the window's last day) missed or overdue, so one lapse is reported once."""
    act = ctx.act
    assert isinstance(act, ObjectivesSet)
    span = span_of_cycle(ctx.file, act.cycle_id)
    if span is None or not span.applies(TARGET_SETTING):
        return None
    first, _ = span.window(TARGET_SETTING)
    if ctx.on >= first:
        return None
    return (
        f"targets for {span.label} are set in {TARGET_SETTING.words}; these were set on "
        f"{ctx.on}, before {first}"
    )


@CHECKS.due_rows("targets-set-in-window", "000 §4, App C")
def _set_in_window(file: CaseFile, calendar: SchoolCalendar) -> Iterator[FixedDue]:
    for span in cycle_spans(file):
        if span.mark is None or span.cycle_id is None or not span.applies(TARGET_SETTING):
            continue
        _, last = span.window(TARGET_SETTING)
        yield FixedDue(
            mark=span.mark,
            description=f"targets set for cycle {span.cycle_id} ({span.label})",
            due_on=last,
            unit=f"by {last.day} {last:%B} (target setting takes place in {TARGET_SETTING.words})",
            done=file.objectives_set.get(span.cycle_id),
        )


@CHECKS.problem("approved-by-another", "000 §4")
def _approved_by_another(ctx: ActContext) -> str | None:
    """Approval is an authority act: only the Headteacher or a Deputy gives it. One given by
    someone else happened all the same, and is recorded with this finding."""
    if not isinstance(ctx.act, ObjectivesApproved) or ctx.actor.role in APPROVERS:
        return None
    return (
        "targets are reviewed and agreed by the Headteacher and Deputy Headteachers "
        f"(headteacher or deputy_headteacher), not {ctx.actor.role.value}"
    )


@CHECKS.problem("approves-no-targets", "000 §4")
def _approves_no_targets(ctx: ActContext) -> str | None:
    """An approval names a target record of the case; one naming none cannot be."""
    act = ctx.act
    if not isinstance(act, ObjectivesApproved):
        return None
    if ctx.file.kinds.get(act.objectives_version) not in TARGET_ACTS:
        return f"version {act.objectives_version} is not a target record of this case"
    if act.cycle_id not in ctx.file.objectives:
        return f"cycle {act.cycle_id} has no targets to agree"
    return None


def current_targets(file: CaseFile, cycle_id: str) -> int | None:
    """The version of the cycle's targets as they now stand (the last set or revised)."""
    versions = [
        r.mark.version
        for r in file.recorded(*TARGET_ACTS)
        if isinstance(r.act, ObjectivesSet | ObjectivesRevised) and r.act.cycle_id == cycle_id
    ]
    return max(versions, default=None)


@CHECKS.problem("not-approved-by-first-review", "000 §4")
def _not_approved_by_first_review(ctx: ActContext) -> str | None:
    """§4 sets no date for the agreement, but the first mid-point review reviews evidence
    "against targets": targets not agreed by then are being reviewed unagreed. A revision made
    after an approval needs agreeing again, so the approval must name the current targets."""
    act = ctx.act
    assert isinstance(act, MeetingHeld)
    known = ctx.file.meetings.get(act.meeting_id)
    purpose = act.purpose or (known.purpose if known else None)
    if purpose is not MeetingPurpose.MID_YEAR_REVIEW:
        return None
    span = span_on(ctx.file, ctx.on)
    if span.cycle_id is None or mid_year_number(ctx.file, span, act.meeting_id) != 1:
        return None
    current = current_targets(ctx.file, span.cycle_id)
    if current is None:
        return None
    approved = any(
        isinstance(r.act, ObjectivesApproved)
        and r.act.cycle_id == span.cycle_id
        and r.act.objectives_version == current
        for r in ctx.file.recorded("objectives_approved")
    )
    if approved:
        return None
    return (
        f"the targets of cycle {span.cycle_id} (version {current}) are not agreed by the "
        "Headteacher or a Deputy Headteacher by mid-point review 1"
    )
