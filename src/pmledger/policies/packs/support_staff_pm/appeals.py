"""Appeals (§4.8): first to the reviewer, then the school's Grievance Policy.

001 has no appeal hearing of its own. Appeals against capability decisions (warnings, dismissal)
belong to the separate Capability Procedure and are recorded at its level without judging them.
"""

from __future__ import annotations

from pmledger.events.actors import Role
from pmledger.events.appeal_acts import AppealDecided, AppealLodged, GrievanceInvoked
from pmledger.policies.judgement import RuleKind, Severity
from pmledger.policies.rule import ActContext, Rule

from .facts import is_reviewer

REVIEW_RECORDS = frozenset(
    {
        "statement_recorded",
        "objectives_set",
        "objectives_revised",
        "outcome_decided",
        "meeting_held",
    }
)
"""Entries in the planning and review statement, and outcomes of reviews (§4.8)."""

CAPABILITY_RECORDS = frozenset({"capability_started", "warning_issued", "dismissed"})


class ReviewerFirst(Rule):
    """001 §4.8: a reviewee "unhappy with any of the entries in the planning and review statement
    or the outcome of any review" first seeks to address it with the reviewer; "If they continue
    to remain aggrieved" the Grievance Policy follows."""

    kind = RuleKind.HARD
    severity = Severity.MINOR

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if isinstance(act, AppealLodged):
            self._lodged(ctx, act)
        elif isinstance(act, AppealDecided):
            appeal = ctx.file.appeals.get(act.appeal_id)
            if appeal is None:
                ctx.impossible(self, f"no appeal {act.appeal_id} was lodged in this case")
            elif appeal.appeal.level == "reviewer" and not is_reviewer(ctx.file, ctx.actor):
                ctx.breach(
                    self,
                    f"the reviewer decides an appeal to the reviewer, not {ctx.actor.person_id} "
                    f"({ctx.actor.role.value})",
                )
        elif isinstance(act, GrievanceInvoked) and not any(
            a.appeal.level == "reviewer"
            and a.appeal.against_version == act.about_version
            and a.decided is not None
            for a in ctx.file.appeals.values()
        ):
            ctx.breach(
                self,
                f"the grievance about version {act.about_version} was raised before the "
                "reviewer had been asked to address it",
            )

    def _lodged(self, ctx: ActContext, act: AppealLodged) -> None:
        against = ctx.file.kinds.get(act.against_version)
        if act.level == "appeal_hearing":
            if against not in CAPABILITY_RECORDS:
                ctx.impossible(
                    self,
                    "this policy has no appeal hearing: appeal first to the reviewer (level "
                    "reviewer), then under the Grievance Policy",
                )
            return
        if ctx.actor.role is not Role.EMPLOYEE:
            ctx.breach(self, "only the reviewee takes an entry or a review outcome to the reviewer")
        if against not in REVIEW_RECORDS:
            ctx.impossible(
                self,
                f"version {act.against_version} "
                + (f"is a {against} record" if against else "is not in this case")
                + ", not an entry in the planning and review statement or a review outcome",
            )


def rules() -> tuple[Rule, ...]:
    return (
        ReviewerFirst(
            "ss-appeal-reviewer-first",
            "001 §4.8",
            "Appeals go to the reviewer first, then the Grievance Policy.",
        ),
    )
