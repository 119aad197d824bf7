"""Appeals (§4.8): first to the reviewer, then the school's Grievance Policy.

001 has no appeal hearing of its own. Appeals against capability decisions (warnings, dismissal)
belong to the separate Capability Procedure and are recorded at its level without judging them.
"""

from __future__ import annotations

from pmledger.events.actors import Role
from pmledger.events.appeal_acts import AppealDecided, AppealLodged, GrievanceInvoked
from pmledger.policies.named_checks import NamedChecks
from pmledger.policies.rule import ActContext, Impossible

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


def not_to_the_reviewer_first(ctx: ActContext) -> str | None:
    """001 §4.8: a reviewee "unhappy with any of the entries in the planning and review
    statement or the outcome of any review" first seeks to address it with the reviewer; "If
    they continue to remain aggrieved" the Grievance Policy follows. An appeal against no such
    entry, to a hearing 001 does not have, or about no appeal of the case cannot be: refused."""
    act = ctx.act
    if isinstance(act, AppealLodged):
        return _lodged(ctx, act)
    if isinstance(act, AppealDecided):
        appeal = ctx.file.appeals.get(act.appeal_id)
        if appeal is None:
            return Impossible(f"no appeal {act.appeal_id} was lodged in this case")
        if appeal.appeal.level == "reviewer" and not is_reviewer(ctx.file, ctx.actor):
            return (
                f"the reviewer decides an appeal to the reviewer, not {ctx.actor.person_id} "
                f"({ctx.actor.role.value})"
            )
        return None
    if not isinstance(act, GrievanceInvoked) or any(
        a.appeal.level == "reviewer"
        and a.appeal.against_version == act.about_version
        and a.decided is not None
        for a in ctx.file.appeals.values()
    ):
        return None
    return (
        f"the grievance about version {act.about_version} was raised before the reviewer had "
        "been asked to address it"
    )


def _lodged(ctx: ActContext, act: AppealLodged) -> str | None:
    against = ctx.file.kinds.get(act.against_version)
    if act.level == "appeal_hearing":
        if against in CAPABILITY_RECORDS:
            return None
        return Impossible(
            "this policy has no appeal hearing: appeal first to the reviewer (level reviewer), "
            "then under the Grievance Policy"
        )
    if against not in REVIEW_RECORDS:
        return Impossible(
            f"version {act.against_version} "
            + (f"is a {against} record" if against else "is not in this case")
            + ", not an entry in the planning and review statement or a review outcome"
        )
    if ctx.actor.role is not Role.EMPLOYEE:
        return "only the reviewee takes an entry or a review outcome to the reviewer"
    return None


def register(checks: NamedChecks) -> None:
    """This module's named check."""
    checks.problem("not-to-the-reviewer-first", "001 §4.8")(not_to_the_reviewer_first)
