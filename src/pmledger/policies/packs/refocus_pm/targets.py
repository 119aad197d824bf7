"""Targets: usually three, SMART, with success criteria, set in September and agreed by the
Headteacher and Deputy Headteachers by the first mid-point review (000 §3, §4, §6)."""

from __future__ import annotations

from collections.abc import Iterator

from pmledger.events.actors import Role
from pmledger.events.case_acts import ObjectivesApproved, ObjectivesRevised, ObjectivesSet
from pmledger.events.meeting_acts import MeetingHeld, MeetingPurpose
from pmledger.events.signed_event import Act
from pmledger.policies.case_file import CaseFile
from pmledger.policies.judgement import RuleKind, Severity
from pmledger.policies.packfile.binding import pack_data
from pmledger.policies.rule import ActContext, Rule
from pmledger.policies.rules.conditions import Requires
from pmledger.policies.rules.fixed_dates import DueOn, FixedDue

from .cycle import (
    SEPTEMBER,
    cycle_spans,
    mid_year_number,
    span_of_cycle,
    span_on,
)

DATA = pack_data(__package__)
"""This procedure's data, from its pack file."""

SMART_CONFIRMED = "smart_confirmed"
TARGET_ACTS = frozenset({"objectives_set", "objectives_revised"})
APPROVERS = frozenset({Role.HEADTEACHER, Role.DEPUTY_HEADTEACHER})
"""The Headteacher and the Deputy Headteachers; one approval is enough (setting
`target_approval: any_of`, D-rf-2)."""


def _three_targets(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, ObjectivesSet | ObjectivesRevised)
    return len(act.objectives) == DATA.limit("targets")


def _all_have_success_criteria(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, ObjectivesSet | ObjectivesRevised)
    return all(o.success_criteria.strip() for o in act.objectives)


class SmartTargets(Rule):
    """Only the parts of SMART a record can show are checked: Time-bound (a deadline or
    milestones on each target) and the reviewer's attestation that the whole framework was
    followed. Measurable is rf-targets-success-criteria, so one gap gives one finding."""

    severity = Severity.MAJOR

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, ObjectivesSet | ObjectivesRevised):
            return
        untimed = [o.objective_id for o in act.objectives if o.due_on is None and not o.milestones]
        if untimed:
            ctx.breach(
                self,
                "targets must be time-bound, with clear deadlines and milestones: "
                f"{', '.join(untimed)} have neither a due date nor milestones",
            )
        if isinstance(act, ObjectivesSet) and SMART_CONFIRMED not in act.confirms:
            ctx.breach(
                self,
                f"targets must follow the SMART framework: the record does not confirm "
                f"'{SMART_CONFIRMED}'",
            )


class SetInSeptember(DueOn):
    """September is a window: set too early is found here, set late or never shows as the
    cycle's deadline (30 September) missed or overdue, so one lapse is reported once."""

    def __init__(self, rule_id: str, source: str, summary: str) -> None:
        super().__init__(rule_id, source, summary, dues=_september, severity=Severity.MINOR)

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, ObjectivesSet):
            return
        span = span_of_cycle(ctx.file, act.cycle_id)
        if span is None or not span.applies(SEPTEMBER):
            return
        first, _ = span.window(SEPTEMBER)
        if ctx.on < first:
            ctx.breach(
                self,
                f"targets for {span.label} are set in September; these were set on {ctx.on}, "
                f"before {first}",
            )


def _september(file: CaseFile) -> Iterator[FixedDue]:
    for span in cycle_spans(file):
        if span.mark is None or span.cycle_id is None or not span.applies(SEPTEMBER):
            continue
        _, last = span.window(SEPTEMBER)
        yield FixedDue(
            mark=span.mark,
            description=f"targets set for cycle {span.cycle_id} ({span.label})",
            due_on=last,
            unit="by 30 September (target setting takes place in September)",
            done=file.objectives_set.get(span.cycle_id),
        )


class TargetsApproved(Rule):
    """Approval is an authority act: only the Headteacher or a Deputy may give it, and only to
    a target record that exists in the case."""

    kind = RuleKind.HARD

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, ObjectivesApproved):
            return
        if ctx.actor.role not in APPROVERS:
            ctx.breach(
                self,
                "targets are reviewed and agreed by the Headteacher and Deputy Headteachers "
                f"(headteacher or deputy_headteacher), not {ctx.actor.role.value}",
            )
        if ctx.file.kinds.get(act.objectives_version) not in TARGET_ACTS:
            ctx.impossible(
                self,
                f"version {act.objectives_version} is not a target record of this case",
            )
        if act.cycle_id not in ctx.file.objectives:
            ctx.impossible(self, f"cycle {act.cycle_id} has no targets to agree")


def current_targets(file: CaseFile, cycle_id: str) -> int | None:
    """The version of the cycle's targets as they now stand (the last set or revised)."""
    versions = [
        r.mark.version
        for r in file.recorded(*TARGET_ACTS)
        if isinstance(r.act, ObjectivesSet | ObjectivesRevised) and r.act.cycle_id == cycle_id
    ]
    return max(versions, default=None)


class ApprovedByFirstReview(Rule):
    """§4 sets no date for the agreement, but the first mid-point review reviews evidence
    "against targets": targets not agreed by then are being reviewed unagreed. A revision made
    after an approval needs agreeing again, so the approval must name the current targets."""

    severity = Severity.MINOR

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, MeetingHeld):
            return
        known = ctx.file.meetings.get(act.meeting_id)
        purpose = act.purpose or (known.purpose if known else None)
        if purpose is not MeetingPurpose.MID_YEAR_REVIEW:
            return
        span = span_on(ctx.file, ctx.on)
        if span.cycle_id is None or mid_year_number(ctx.file, span, act.meeting_id) != 1:
            return
        current = current_targets(ctx.file, span.cycle_id)
        if current is None:
            return
        approved = any(
            isinstance(r.act, ObjectivesApproved)
            and r.act.cycle_id == span.cycle_id
            and r.act.objectives_version == current
            for r in ctx.file.recorded("objectives_approved")
        )
        if not approved:
            ctx.breach(
                self,
                f"the targets of cycle {span.cycle_id} (version {current}) are not agreed by the "
                "Headteacher or a Deputy Headteacher by mid-point review 1",
            )


RULES: tuple[Rule, ...] = (
    Requires(
        "rf-targets-usual-3",
        "000 §3",
        "It is usual for 3 appraisal targets to be set: another number needs a reason. Never "
        "a cap (App B/D show three slots on paper only). Judged on revisions too.",
        acts=TARGET_ACTS,
        holds=_three_targets,
        message="it is usual for 3 appraisal targets to be set",
        consequence="exceptional",
        severity=Severity.MINOR,
    ),
    SmartTargets(
        "rf-targets-smart",
        "000 §3, §6",
        "Targets must follow the SMART framework: each time-bound (due date or milestones) "
        "and the record confirms 'smart_confirmed'.",
    ),
    Requires(
        "rf-targets-success-criteria",
        "000 §4, §6",
        "Targets must be recorded alongside relevant success criteria.",
        acts=TARGET_ACTS,
        holds=_all_have_success_criteria,
        message="each target must include success indicators and measures (success criteria)",
    ),
    SetInSeptember(
        "rf-targets-september",
        "000 §4, App C",
        "Target/objective setting takes place in September (1-30 September of the cycle).",
    ),
    TargetsApproved(
        "rf-targets-approved",
        "000 §4",
        "Targets are reviewed and agreed by the Headteacher and Deputy Headteachers: nobody "
        "else approves, and only a target record of the case.",
    ),
    ApprovedByFirstReview(
        "rf-targets-approved",
        "000 §4",
        "The current targets are agreed (one approval by the Headteacher or a Deputy) by "
        "mid-point review 1.",
    ),
)
