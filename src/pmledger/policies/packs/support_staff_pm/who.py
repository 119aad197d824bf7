"""Who the Support Staff Performance Management Policy names for each act (001).

The reviewer (ideally the line manager) conducts the process with the reviewee (§3, §4); the
Headteacher appoints a reviewer where line management is unclear and hears the reviewee's
request for another (§3), and decides when capability ends (§5.2); warnings and dismissal are
the Capability Procedure's decision makers', the school's setting (§5). Some of these acts also
have a rule of their own saying who (ss-reviewer-appointed-by-ht, ss-capability-end-ht,
ss-warning-in-capability, ss-dismissal-invariant); the table names the same roles.
"""

from __future__ import annotations

from pmledger.events.actors import Role
from pmledger.policies.who_acts import WhoActs, act_roles

from .settings import Settings

REVIEWERS = frozenset({Role.REVIEWER, Role.LINE_MANAGER, Role.HEADTEACHER})
"""The reviewer, normally the line manager; the Headteacher may review (§3)."""


def table(settings: Settings) -> dict[str, WhoActs]:
    """The act-role table as one school reads 001 (its warning and dismissal roles)."""
    return act_roles(
        WhoActs(
            "ss-who-reviews",
            "001 §3, §4.4-4.7, §5.1",
            "the reviewer, who conducts the process with the reviewee",
            acts={
                "cycle_opened",
                "objectives_set",
                "objectives_revised",
                "meeting_held",
                "support_plan_agreed",
                "support_plan_revised",
                "monitoring_reviewed",
                "outcome_decided",
                "capability_started",
            },
            roles=REVIEWERS,
        ),
        WhoActs(
            "ss-who-appoints",
            "001 §3, §5.2",
            "the Headteacher, who appoints the reviewer and decides when capability ends",
            acts={"reviewer_assigned", "reviewer_changed", "capability_ended"},
            roles={Role.HEADTEACHER},
        ),
        WhoActs(
            "ss-who-asks-for-reviewer",
            "001 §3",
            "the reviewee, who asks the Headteacher in writing for another reviewer",
            acts={"reviewer_change_requested"},
            roles={Role.EMPLOYEE},
        ),
        WhoActs(
            "ss-who-warns",
            "001 §5",
            "the Capability Procedure's decision makers",
            acts={"warning_issued"},
            roles=settings.warning_issuers,
        ),
        WhoActs(
            "ss-who-dismisses",
            "001 §5",
            "the Capability Procedure's decision makers",
            acts={"dismissed"},
            roles=settings.dismissal_roles,
        ),
    )
