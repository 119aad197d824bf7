"""Who reviews whom, who decides bonuses, who approves development requests (000 §4, §5,
§10, §11)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pmledger.calendar import SchoolCalendar
from pmledger.events.actors import Role
from pmledger.events.case_acts import (
    CycleOpened,
    DevelopmentRequestDecided,
    DevelopmentRequested,
    ReviewerAssigned,
    ReviewerChanged,
    StaffGroup,
)
from pmledger.events.pay_acts import BonusDecided
from pmledger.policies.case_file import CaseFile, Recorded
from pmledger.policies.rule import ActContext, Impossible
from pmledger.policies.rules.fixed_dates import FixedDue

from .cycle import CHECKS, DATA, mid_year_reviews, span_of_cycle, span_on

BONUS_SIGNERS = frozenset(
    Role(role)
    for entry in DATA.rule("rf-bonus-decision")
    if entry.kind == "performed_by"
    for role in entry.params["roles"]
)
"""Who signs a term bonus decision (§5), as the pack file's rf-bonus-decision names them."""
PDP_APPROVERS = frozenset({Role.HEADTEACHER, Role.SLT, Role.DEPUTY_HEADTEACHER})
"""§10 "the Headteacher or SLT": a Deputy Headteacher approves as a member of SLT."""
SEPARATE_APPROVERS = frozenset({Role.LINE_MANAGER, Role.HEADTEACHER})
ALLOCATION_ACTS = frozenset({"cycle_opened", "reviewer_assigned", "reviewer_changed"})
RequestStatus = Literal["pending", "approved", "declined"]


def _staff_group(file: CaseFile) -> str:
    return file.employment.get("staff_group") or file.opened.staff_group.value


@CHECKS.problem("allocated-by-another", "000 §5")
def _allocated_by_another(ctx: ActContext) -> str | None:
    """The Headteacher "has discretion over appraiser allocation": no reason is needed, but
    nobody else allocates. An administrator may record a cycle (with its reviewer) for the
    Headteacher, as the cycle is school administration."""
    if ctx.act.kind not in ALLOCATION_ACTS or ctx.actor.role is Role.HEADTEACHER:
        return None
    if ctx.act.kind == "cycle_opened" and ctx.actor.role is Role.ADMINISTRATOR:
        return None
    return (
        f"the Headteacher allocates appraisers; {ctx.actor.role.value} cannot record {ctx.act.kind}"
    )


@CHECKS.problem("slt-not-reviewed-by-headteacher", "000 §5")
def _slt_not_by_headteacher(ctx: ActContext) -> str | None:
    """SLT performance management is "conducted by the Headteacher": the reviewer named for a
    senior leader must be the Headteacher naming themself (the ledger knows a person is the
    Headteacher only by the role they sign in)."""
    act = ctx.act
    if not isinstance(act, CycleOpened | ReviewerAssigned | ReviewerChanged):
        return None
    if _staff_group(ctx.file) != StaffGroup.SENIOR_LEADER.value:
        return None
    if ctx.actor.role is Role.HEADTEACHER and act.reviewer_person_id == ctx.actor.person_id:
        return None
    return (
        "SLT performance management is conducted by the Headteacher: the Headteacher "
        f"records it naming themself as reviewer, not {act.reviewer_person_id} "
        f"(recorded by {ctx.actor.role.value})"
    )


@CHECKS.problem("bonus-before-review", "000 §4, App A")
def _bonus_before_review(ctx: ActContext) -> str | None:
    """Term n's bonus is informed by the evidence reviewed at mid-point review n (judged on
    the first signature only)."""
    act = ctx.act
    assert isinstance(act, BonusDecided)
    if bonus_signatures(ctx.file, act):
        return None
    span = span_of_cycle(ctx.file, act.cycle_id) or span_on(ctx.file, ctx.on)
    if len(mid_year_reviews(ctx.file, span)) >= act.term:
        return None
    return (
        f"the term {act.term} bonus is decided before mid-point review {act.term} of "
        f"{span.label} was held"
    )


def bonus_signatures(file: CaseFile, act: BonusDecided) -> list[Recorded]:
    """The signatures already recorded on the decision for the same cycle and term."""
    return [
        r
        for r in file.recorded("bonus_decided")
        if isinstance(r.act, BonusDecided)
        and (r.act.cycle_id, r.act.term) == (act.cycle_id, act.term)
    ]


@CHECKS.problem("bonus-signed-twice", "000 §5")
def _signed_twice(ctx: ActContext) -> str | None:
    """One decision, two signatures: the same body signing twice would make it ambiguous."""
    act = ctx.act
    assert isinstance(act, BonusDecided)
    if not any(r.actor.role is ctx.actor.role for r in bonus_signatures(ctx.file, act)):
        return None
    return (
        f"the {ctx.actor.role.value} has already signed the term {act.term} bonus "
        f"decision of {act.cycle_id}"
    )


@CHECKS.problem("co-signature-differs", "000 §5")
def _co_signature_differs(ctx: ActContext) -> str | None:
    """The second signature records the same BonusDecided as the first: one that says
    something else would make the decision ambiguous."""
    act = ctx.act
    assert isinstance(act, BonusDecided)
    signed = bonus_signatures(ctx.file, act)
    first = signed[0].act if signed else None
    if not isinstance(first, BonusDecided) or (first.awarded, first.amount) == (
        act.awarded,
        act.amount,
    ):
        return None
    return (
        f"the co-signature must confirm the decision signed on {signed[0].mark.on} "
        f"(awarded {first.awarded}, amount {first.amount}), not awarded {act.awarded}, "
        f"amount {act.amount}"
    )


@CHECKS.due_rows("bonus-co-signed", "000 §5")
def _co_signatures(file: CaseFile, calendar: SchoolCalendar) -> Iterator[FixedDue]:
    """Until both have signed, the decision awaits co-signature; the source sets no limit, so
    the latest meaningful day is the end of the cycle the bonus rewards."""
    firsts: dict[tuple[str, int], list[Recorded]] = {}
    for record in file.recorded("bonus_decided"):
        if isinstance(record.act, BonusDecided):
            firsts.setdefault((record.act.cycle_id, record.act.term), []).append(record)
    for (cycle_id, term), signed in firsts.items():
        span = span_of_cycle(file, cycle_id) or span_on(file, signed[0].mark.on)
        other = "governor committee" if signed[0].actor.role is Role.HEADTEACHER else "Headteacher"
        yield FixedDue(
            mark=signed[0].mark,
            description=f"term {term} bonus decision of {cycle_id} co-signed by the {other}",
            due_on=span.ends_on,
            unit="by the end of the cycle (000 §5 sets no limit)",
            done=signed[1].mark if len(signed) > 1 else None,
        )


def _requests(file: CaseFile) -> dict[str, DevelopmentRequested]:
    return {
        r.act.request_id: r.act
        for r in file.recorded("development_requested")
        if isinstance(r.act, DevelopmentRequested)
    }


def _decisions(file: CaseFile, request_id: str) -> list[tuple[Role, DevelopmentRequestDecided]]:
    return [
        (r.actor.role, r.act)
        for r in file.recorded("development_request_decided")
        if isinstance(r.act, DevelopmentRequestDecided) and r.act.request_id == request_id
    ]


def development_request_status(file: CaseFile, request_id: str) -> RequestStatus | None:
    """Where a request stands (None: no such request). A PDP request (§10) is decided by one
    approval of the Headteacher or SLT; a separate request (§11) is approved only once the line
    manager and the Headteacher both approve, and declined as soon as either declines."""
    request = _requests(file).get(request_id)
    if request is None:
        return None
    decisions = _decisions(file, request_id)
    if any(not d.approved for _, d in decisions):
        return "declined"
    if request.route == "pdp":
        return "approved" if decisions else "pending"
    approvers = {d.approver_role for _, d in decisions}
    return "approved" if approvers >= SEPARATE_APPROVERS else "pending"


@CHECKS.problem("pdp-approver", "000 §10")
def _pdp_approver(ctx: ActContext) -> str | None:
    """§10: external training requested through the PDP documentation goes to the Headteacher
    or SLT. A decision must name a request of the case, so its route is known. The event's
    `approver_role` has no SLT value, so on this route the signer's own role is what counts."""
    act = ctx.act
    if not isinstance(act, DevelopmentRequestDecided):
        return None
    request = _requests(ctx.file).get(act.request_id)
    if request is None:
        return Impossible(f"there is no development request {act.request_id} in this case")
    if request.route != "pdp" or ctx.actor.role in PDP_APPROVERS:
        return None
    return (
        "external training requested through the PDP is approved by the Headteacher or "
        f"SLT, not {ctx.actor.role.value}"
    )


def _separate(ctx: ActContext) -> DevelopmentRequestDecided | None:
    act = ctx.act
    if not isinstance(act, DevelopmentRequestDecided):
        return None
    request = _requests(ctx.file).get(act.request_id)
    return act if request is not None and request.route == "separate" else None


@CHECKS.problem("separate-approver", "000 §11")
def _separate_approver(ctx: ActContext) -> str | None:
    """§11: a request made separately needs the line manager's and the Headteacher's approval,
    each signed by that approver."""
    act = _separate(ctx)
    if act is None or (
        ctx.actor.role in SEPARATE_APPROVERS and act.approver_role == ctx.actor.role
    ):
        return None
    return (
        f"a separate request is approved by the line manager and the Headteacher, each "
        f"signing their own approval; a {ctx.actor.role.value} cannot record the "
        f"{act.approver_role.value}'s approval"
    )


@CHECKS.problem("separate-decided-twice", "000 §11")
def _separate_decided_twice(ctx: ActContext) -> str | None:
    """§11: each approver decides a separate request once."""
    act = _separate(ctx)
    if act is None or not any(
        d.approver_role == act.approver_role for _, d in _decisions(ctx.file, act.request_id)
    ):
        return None
    return f"the {act.approver_role.value} has already decided request {act.request_id}"
