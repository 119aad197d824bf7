"""Addressing concerns (000 §9, repeated in §12): informal support → support strategies →
monitoring with review deadlines → formal capability under the separate ReFocus capability
procedure. The source stops at that hand-over: it has no warnings, dismissal or appeals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from pmledger.events.signed_event import Act
from pmledger.events.support_acts import Outcome, OutcomeDecided, SupportPlanAgreed
from pmledger.policies.case_file import CaseFile, Mark
from pmledger.policies.judgement import RuleKind, Severity
from pmledger.policies.pack import APPEAL_ACTS
from pmledger.policies.rule import ActContext, Rule
from pmledger.policies.rules.conditions import Requires
from pmledger.policies.rules.fixed_dates import DueOn, FixedDue

FEEDBACK_GIVEN = "feedback_given"
CONCERN_OUTCOMES = frozenset({Outcome.SUFFICIENT, Outcome.INSUFFICIENT})
NOT_IN_THIS_PROCEDURE = frozenset({"warning_issued", "dismissed"}) | APPEAL_ACTS


def _after_insufficient_support(file: CaseFile, act: Act) -> bool:
    return bool(file.concerns) and any(
        p.outcome is Outcome.INSUFFICIENT for p in file.plans.values()
    )


def _informal_support_content(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, SupportPlanAgreed)
    return FEEDBACK_GIVEN in act.confirms


def _concern_outcome(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, OutcomeDecided)
    return act.outcome in CONCERN_OUTCOMES


def _review_dates(file: CaseFile) -> Iterator[FixedDue]:
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


class NoSanctionsOfItsOwn(Rule):
    """000 ends at "move to formal capability (Please see ReFocus capability procedure)".
    Warnings, dismissal and appeals belong to that other document, so recording them under
    this pack would invent rules the source does not have."""

    kind = RuleKind.HARD

    def judge(self, ctx: ActContext) -> None:
        if ctx.act.kind in NOT_IN_THIS_PROCEDURE:
            ctx.impossible(
                self,
                f"the ReFocus Performance Management Procedure has no {ctx.act.kind}: "
                "warnings, dismissal and appeals belong to the separate ReFocus capability "
                "procedure; record disagreement as the employee statement on App B/App D",
            )


RULES: tuple[Rule, ...] = (
    Requires(
        "rf-concern-route",
        "000 §9, §12",
        "Concerns go informal support → support strategies → monitoring → capability if "
        "progress is insufficient; capability without an informal plan decided insufficient "
        "needs a reason.",
        acts={"capability_started"},
        holds=_after_insufficient_support,
        message="formal capability is started without a concern, an informal support plan and "
        "a decision that progress is insufficient",
        consequence="exceptional",
        severity=Severity.MINOR,
    ),
    Requires(
        "rf-informal-support-content",
        "000 §9",
        "Informal support is feedback, objectives (the plan's targets) and a timeline (its "
        "review date); the plan confirms 'feedback_given'.",
        acts={"support_plan_agreed"},
        holds=_informal_support_content,
        message="informal support starts with feedback, objectives and a timeline: the plan "
        f"does not confirm '{FEEDBACK_GIVEN}'",
        severity=Severity.MINOR,
    ),
    DueOn(
        "rf-review-deadlines",
        "000 §9",
        "Monitor improvement with review deadlines: each review date the plan sets is due.",
        dues=_review_dates,
        severity=Severity.MINOR,
    ),
    Requires(
        "rf-concern-outcomes",
        "000 §9",
        "Informal support ends sufficient (back to the cycle) or insufficient (then formal "
        "capability). Not a digest row: the outcome enumeration the stage machine needs.",
        acts={"outcome_decided"},
        holds=_concern_outcome,
        message="informal support ends with progress sufficient or insufficient",
        consequence="impossible",
    ),
    NoSanctionsOfItsOwn(
        "rf-no-own-sanctions",
        "000 §9, §12",
        "No warnings, dismissal or appeals in this procedure (digest D-rf-6).",
    ),
)
