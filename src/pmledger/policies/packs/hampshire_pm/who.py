"""Who the Hampshire Performance Management Policy names for each act (002).

The Headteacher decides who reviews whom and the reviewer (normally the line manager) runs the
cycle (Appointing reviewers L31-35); the Headteacher's own cycle is run by the HPMP, three
governors the Governing Body appoints (L31-33). Pay recommendations are approved by the
Headteacher and decided by the governors' pay panel (L91). Concerns are the manager's (the
Headteacher, or the HPMP and the Chair of Governors for the Headteacher, ¶10.1-10.30). The
employee may comment on the statement (L83). Roles of both kinds of case are in one table:
access control already refuses an HPMP member outside a Headteacher's case.
"""

from __future__ import annotations

from pmledger.events.actors import Role
from pmledger.policies.who_acts import WhoActs, act_roles

from .facts import HPMP_ROLES, SOURCE

APPOINTERS = frozenset({Role.HEADTEACHER, *HPMP_ROLES, Role.CHAIR_OF_GOVERNORS, Role.GOVERNOR})
"""The Headteacher for staff; the Governing Body (HPMP, Chair, governors) for the Headteacher."""
REVIEWERS = frozenset({Role.REVIEWER, Role.LINE_MANAGER, Role.HEADTEACHER, *HPMP_ROLES})
MANAGERS = frozenset(
    {
        *REVIEWERS,
        Role.DEPUTY_HEADTEACHER,
        Role.SENIOR_MANAGER,
        Role.CHAIR_OF_GOVERNORS,
    }
)
"""Who deals with concerns and the Capability Policy: the reviewer or Headteacher (deputised),
and for the Headteacher the HPMP and the Chair of Governors (¶10.5)."""

ACT_ROLES = act_roles(
    WhoActs(
        "hp-who-appoints",
        f"{SOURCE} Appointing reviewers L31-34",
        "the Headteacher (the Governing Body for the Headteacher), who decides who reviews whom",
        acts={"cycle_opened", "reviewer_assigned", "reviewer_changed"},
        roles=APPOINTERS,
    ),
    WhoActs(
        "hp-who-appoints-hpmp",
        f"{SOURCE} Appointing reviewers L31-33",
        "the Governing Body, which appoints the Headteacher's panel",
        acts={"hpmp_appointed"},
        roles={Role.CHAIR_OF_GOVERNORS, Role.GOVERNOR},
    ),
    WhoActs(
        "hp-who-reviews",
        f"{SOURCE} Appointing reviewers L31-34, Annual Assessment L77-88",
        "the reviewer (the HPMP for the Headteacher)",
        acts={
            "expectations_communicated",
            "objectives_set",
            "objectives_revised",
            "development_plan_agreed",
            "meeting_invited",
            "meeting_held",
            "rating_recorded",
            "pay_recommended",
        },
        roles=REVIEWERS,
    ),
    WhoActs(
        "hp-who-observes",
        f"{SOURCE} Observation L47-48",
        "the reviewer or an observer with QTS",
        acts={"observation_held"},
        roles={*REVIEWERS, Role.OBSERVER, Role.DEPUTY_HEADTEACHER, Role.SENIOR_MANAGER},
    ),
    WhoActs(
        "hp-who-states",
        f"{SOURCE} Annual Assessment L77-83",
        "the reviewer, who writes the statement, or the employee commenting on it",
        acts={"statement_recorded"},
        roles={*REVIEWERS, Role.EXTERNAL_ADVISER, Role.EMPLOYEE},
    ),
    WhoActs(
        "hp-who-approves-pay",
        f"{SOURCE} L91",
        "the Headteacher, who approves a recommendation before it is shared or referred "
        "(the HPMP refers the Headteacher's own)",
        acts={
            "pay_recommendation_approved",
            "pay_recommendation_shared",
            "pay_recommendation_referred",
        },
        roles={Role.HEADTEACHER, *HPMP_ROLES},
    ),
    WhoActs(
        "hp-who-decides-pay",
        f"{SOURCE} L91, L95-107",
        "the governors' pay panel",
        acts={"pay_decided"},
        roles={Role.PAY_PANEL, Role.GOVERNOR_COMMITTEE},
        covered_by={"hp-pay-decision-gb"},
    ),
    WhoActs(
        "hp-who-manages-concerns",
        f"{SOURCE} ¶10.1-10.30, Appointing reviewers L35",
        "the manager dealing with the concern (the HPMP or Chair of Governors for the Headteacher)",
        acts={
            "concern_raised",
            "support_measure_started",
            "support_plan_agreed",
            "support_plan_revised",
            "monitoring_reviewed",
            "outcome_decided",
            "consequences_explained",
            "capability_started",
            "capability_ended",
            "warning_issued",
            "dismissed",
        },
        roles=MANAGERS,
    ),
    WhoActs(
        "hp-who-appeals",
        f"{SOURCE} (no appeal route; packs.md D-hp-13)",
        "the employee (this policy has no appeal route)",
        acts={"appeal_lodged"},
        roles={Role.EMPLOYEE},
    ),
)
