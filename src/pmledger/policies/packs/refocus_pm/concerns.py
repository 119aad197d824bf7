"""Addressing concerns (000 §9, repeated in §12): informal support → support strategies →
monitoring with review deadlines → formal capability under the separate ReFocus capability
procedure. The source stops at that hand-over: it has no warnings, dismissal or appeals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from pmledger.calendar import SchoolCalendar
from pmledger.events.signed_event import Act
from pmledger.events.support_acts import Outcome, OutcomeDecided
from pmledger.policies.case_file import CaseFile, Mark
from pmledger.policies.pack import APPEAL_ACTS
from pmledger.policies.rule import ActContext
from pmledger.policies.rules.fixed_dates import FixedDue

from .cycle import CHECKS

CONCERN_OUTCOMES = frozenset({Outcome.SUFFICIENT, Outcome.INSUFFICIENT})
NOT_IN_THIS_PROCEDURE = frozenset({"warning_issued", "dismissed"}) | APPEAL_ACTS


@CHECKS.holds("after-insufficient-support", "000 §9, §12")
def _after_insufficient_support(file: CaseFile, act: Act) -> bool:
    return bool(file.concerns) and any(
        p.outcome is Outcome.INSUFFICIENT for p in file.plans.values()
    )


@CHECKS.holds("every-such-act", "000 §9")
def _every_such_act(file: CaseFile, act: Act) -> bool:
    """Every act of the kinds the rule names (a `required_contents` rule's `applies`)."""
    return True


@CHECKS.holds("concern-outcome", "000 §9")
def _concern_outcome(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, OutcomeDecided)
    return act.outcome in CONCERN_OUTCOMES


@CHECKS.due_rows("plan-review-dates", "000 §9")
def _review_dates(file: CaseFile, calendar: SchoolCalendar) -> Iterator[FixedDue]:
    """Every review date a plan set, met by the next thing that reviewed the plan: a
    monitoring review, a decision, or a revision (which re-dates it)."""
    for plan in file.plans.values():
        set_dates: list[tuple[Mark, date]] = [(plan.agreed, plan.plan.review_on)]
        set_dates += [(mark, revision.review_on) for mark, revision in plan.revisions]
        set_dates += [(mark, change.new_end_on) for mark, change in plan.period_changes]
        touches = [mark for mark, _ in plan.reviews]
        touches += [mark for mark, _ in plan.revisions]
        touches += [mark for mark, _ in plan.period_changes]
        touches += [plan.decided] if plan.decided else []
        for mark, due_on in set_dates:
            later = [t for t in touches if t.version > mark.version]
            yield FixedDue(
                mark=mark,
                description=f"review of support plan {plan.plan_id}",
                due_on=due_on,
                unit="by the plan's own review date (000 §9 sets no day count)",
                done=min(later, key=lambda t: t.version) if later else None,
            )


@CHECKS.problem("not-in-this-procedure", "000 §9, §12")
def _not_in_this_procedure(ctx: ActContext) -> str | None:
    """000 ends at "move to formal capability (Please see ReFocus capability procedure)".
    Warnings, dismissal and appeals belong to that other document, so recording them under
    this pack would invent rules the source does not have."""
    if ctx.act.kind not in NOT_IN_THIS_PROCEDURE:
        return None
    return (
        f"the ReFocus Performance Management Procedure has no {ctx.act.kind}: "
        "warnings, dismissal and appeals belong to the separate ReFocus capability "
        "procedure; record disagreement as the employee statement on App B/App D"
    )
