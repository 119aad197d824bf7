"""Who reviews whom, who decides bonuses, who approves development requests (000 §4, §5,
§10, §11)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

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
from pmledger.policies.judgement import RuleKind, Severity
from pmledger.policies.rule import ActContext, Rule
from pmledger.policies.rules.authority import ActorMust
from pmledger.policies.rules.fixed_dates import DueOn, FixedDue

from .cycle import mid_year_reviews, span_of_cycle, span_on

ALLOCATION_ACTS = frozenset({"cycle_opened", "reviewer_assigned", "reviewer_changed"})
BONUS_SIGNERS = frozenset({Role.HEADTEACHER, Role.GOVERNOR_COMMITTEE})
PDP_APPROVERS = frozenset({Role.HEADTEACHER, Role.SLT, Role.DEPUTY_HEADTEACHER})
"""§10 "the Headteacher or SLT": a Deputy Headteacher approves as a member of SLT."""
SEPARATE_APPROVERS = frozenset({Role.LINE_MANAGER, Role.HEADTEACHER})
RequestStatus = Literal["pending", "approved", "declined"]


def _staff_group(file: CaseFile) -> str:
    return file.employment.get("staff_group") or file.opened.staff_group.value


class ReviewerAllocation(Rule):
    """The Headteacher "has discretion over appraiser allocation": no reason is needed, but
    nobody else allocates. An administrator may record a cycle (with its reviewer) for the
    Headteacher, as the cycle is school administration."""

    kind = RuleKind.HARD

    def judge(self, ctx: ActContext) -> None:
        if ctx.act.kind not in ALLOCATION_ACTS or ctx.actor.role is Role.HEADTEACHER:
            return
        if ctx.act.kind == "cycle_opened" and ctx.actor.role is Role.ADMINISTRATOR:
            return
        ctx.breach(
            self,
            f"the Headteacher allocates appraisers; {ctx.actor.role.value} cannot record "
            f"{ctx.act.kind}",
        )


class SltReviewedByHeadteacher(Rule):
    """SLT performance management is "conducted by the Headteacher": the reviewer named for a
    senior leader must be the Headteacher naming themself (the ledger knows a person is the
    Headteacher only by the role they sign in)."""

    kind = RuleKind.HARD

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, CycleOpened | ReviewerAssigned | ReviewerChanged):
            return
        if _staff_group(ctx.file) != StaffGroup.SENIOR_LEADER.value:
            return
        if ctx.actor.role is Role.HEADTEACHER and act.reviewer_person_id == ctx.actor.person_id:
            return
        ctx.breach(
            self,
            "SLT performance management is conducted by the Headteacher: the Headteacher "
            f"records it naming themself as reviewer, not {act.reviewer_person_id} "
            f"(recorded by {ctx.actor.role.value})",
        )


class BonusAfterReview(Rule):
    """Term n's bonus is informed by the evidence reviewed at mid-point review n."""

    severity = Severity.MINOR

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, BonusDecided) or bonus_signatures(ctx.file, act):
            return
        span = span_of_cycle(ctx.file, act.cycle_id) or span_on(ctx.file, ctx.on)
        if len(mid_year_reviews(ctx.file, span)) < act.term:
            ctx.breach(
                self,
                f"the term {act.term} bonus is decided before mid-point review {act.term} of "
                f"{span.label} was held",
            )


def bonus_signatures(file: CaseFile, act: BonusDecided) -> list[Recorded]:
    """The signatures already recorded on the decision for the same cycle and term."""
    return [
        r
        for r in file.recorded("bonus_decided")
        if isinstance(r.act, BonusDecided)
        and (r.act.cycle_id, r.act.term) == (act.cycle_id, act.term)
    ]


class BonusCoSigned(DueOn):
    """One decision, two signatures: the Headteacher and the governor committee each record
    the same BonusDecided. A second signature that says something else, or the same body
    signing twice, would make the decision ambiguous. Until both have signed the decision is
    awaiting co-signature; the source sets no limit, so the latest meaningful day is the end
    of the cycle the bonus rewards."""

    def __init__(self, rule_id: str, source: str, summary: str) -> None:
        super().__init__(rule_id, source, summary, dues=_co_signatures, kind=RuleKind.HARD)

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, BonusDecided):
            return
        signed = bonus_signatures(ctx.file, act)
        if any(r.actor.role is ctx.actor.role for r in signed):
            ctx.breach(
                self,
                f"the {ctx.actor.role.value} has already signed the term {act.term} bonus "
                f"decision of {act.cycle_id}",
            )
        first = signed[0].act if signed else None
        if isinstance(first, BonusDecided) and (first.awarded, first.amount) != (
            act.awarded,
            act.amount,
        ):
            ctx.breach(
                self,
                f"the co-signature must confirm the decision signed on {signed[0].mark.on} "
                f"(awarded {first.awarded}, amount {first.amount}), not awarded {act.awarded}, "
                f"amount {act.amount}",
            )


def _co_signatures(file: CaseFile) -> Iterator[FixedDue]:
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


class PdpApprovers(Rule):
    """§10: external training requested through the PDP documentation goes to the Headteacher
    or SLT. A decision must name a request of the case, so its route is known. The event's
    `approver_role` has no SLT value, so on this route the signer's own role is what counts."""

    kind = RuleKind.HARD

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, DevelopmentRequestDecided):
            return
        request = _requests(ctx.file).get(act.request_id)
        if request is None:
            ctx.impossible(self, f"there is no development request {act.request_id} in this case")
            return
        if request.route == "pdp" and ctx.actor.role not in PDP_APPROVERS:
            ctx.breach(
                self,
                "external training requested through the PDP is approved by the Headteacher or "
                f"SLT, not {ctx.actor.role.value}",
            )


class SeparateApprovals(Rule):
    """§11: a request made separately needs the line manager's and the Headteacher's approval:
    each is signed by that approver, once."""

    kind = RuleKind.HARD

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, DevelopmentRequestDecided):
            return
        request = _requests(ctx.file).get(act.request_id)
        if request is None or request.route != "separate":
            return
        if ctx.actor.role not in SEPARATE_APPROVERS or act.approver_role != ctx.actor.role:
            ctx.breach(
                self,
                f"a separate request is approved by the line manager and the Headteacher, each "
                f"signing their own approval; a {ctx.actor.role.value} cannot record the "
                f"{act.approver_role.value}'s approval",
            )
        if any(
            d.approver_role == act.approver_role for _, d in _decisions(ctx.file, act.request_id)
        ):
            ctx.breach(
                self,
                f"the {act.approver_role.value} has already decided request {act.request_id}",
            )


RULES: tuple[Rule, ...] = (
    SltReviewedByHeadteacher(
        "rf-slt-reviewer",
        "000 §5",
        "SLT performance management is conducted by the Headteacher, supported by a governor "
        "committee.",
    ),
    ReviewerAllocation(
        "rf-reviewer-allocation",
        "000 §5",
        "Line managers typically review; the Headteacher has discretion over appraiser "
        "allocation and is the only one who allocates.",
    ),
    ActorMust(
        "rf-bonus-decision",
        "000 §5",
        "Final bonus decisions are made by the Headteacher and the governor committee: nobody "
        "else signs one.",
        acts={"bonus_decided"},
        roles=BONUS_SIGNERS,
    ),
    BonusCoSigned(
        "rf-bonus-decision",
        "000 §5",
        "Both sign the same decision, once each; a decision signed by one awaits the other's "
        "co-signature (shown due by the end of the cycle).",
    ),
    BonusAfterReview(
        "rf-bonus-evidence",
        "000 §4, App A",
        "Evidence reviewed at mid-point review n informs the term n bonus (§4 pairs review 2 "
        "with term 2; App A names term 1 only).",
    ),
    PdpApprovers(
        "rf-pdp-external-training",
        "000 §10",
        "External training requested through the PDP is approved by the Headteacher or SLT "
        "(a Deputy Headteacher as SLT); anyone else is refused (D-rf-1).",
    ),
    SeparateApprovals(
        "rf-cpd-separate-request",
        "000 §11",
        "A separate PDP/CPD request is approved by the line manager and the Headteacher, each "
        "signing their own decision once; it is approved only when both approve, declined when "
        "either declines (development_request_status).",
    ),
)
