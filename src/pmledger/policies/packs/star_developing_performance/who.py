"""Who the STAR Developing Performance Policy names for each act (003).

The manager runs the procedure (§4.1-4.6): the lead App 1 §9 suggests for the employee's staff
type (the Chair of Governors for the Headteacher, the Headteacher for SMT, the Head of
Department, Headteacher or line manager for others; rule st-lead-role checks which), with a
senior manager deputising. HR supports every stage (App 1 §9) and may send its letters, note an
absence or close the case. The employee names their companion (§3), brings evidence (§4.5) and
raises any concern within the process (§1.3).
"""

from __future__ import annotations

from pmledger.events.actors import Role
from pmledger.policies.who_acts import WhoActs, act_roles

from .entry import LEADS

MANAGERS = frozenset(
    {
        *(role for leads in LEADS.values() for role in leads),
        Role.DEPUTY_HEADTEACHER,
        Role.SENIOR_MANAGER,
        Role.SLT,
    }
)
"""Every lead of App 1 §9, and a deputy, senior manager or SMT member acting for one (a Head of
Department is often SMT; st-lead-role judges whether they lead this staff type)."""

ACT_ROLES = act_roles(
    WhoActs(
        "st-who-manages",
        "003 §4.1-4.5, App 1 §9",
        "the manager leading the procedure for this staff type",
        acts={
            "concern_raised",
            "meeting_invited",
            "meeting_rescheduled",
            "meeting_held",
            "support_plan_drafted",
            "support_plan_agreed",
            "support_plan_revised",
            "monitoring_role_assigned",
            "monitoring_reviewed",
            "outcome_decided",
            "capability_started",
            "capability_ended",
            "warning_issued",
            "dismissed",
        },
        roles=MANAGERS,
        covered_by={"st-lead-role"},
    ),
    WhoActs(
        "st-who-supports",
        "003 §4.1, §4.5, §4.6, App 1 §9",
        "the manager, or HR supporting them, who writes the model letters, notes an absence "
        "and closes the case",
        acts={"letter_sent", "absence_noted", "case_closed"},
        roles={*MANAGERS, Role.HR},
    ),
    WhoActs(
        "st-who-names-companion",
        "003 §3",
        "the employee, who chooses their companion",
        acts={"companion_named"},
        roles={Role.EMPLOYEE},
    ),
    WhoActs(
        "st-who-submits",
        "003 §4.5",
        "either party to the review meeting: the employee or the manager",
        acts={"documents_submitted"},
        roles={Role.EMPLOYEE, *MANAGERS},
    ),
    WhoActs(
        "st-who-raises-concern",
        "003 §1.3",
        "the employee, whose concern is raised within the process (there is no appeal)",
        acts={"appeal_lodged"},
        roles={Role.EMPLOYEE},
    ),
)
