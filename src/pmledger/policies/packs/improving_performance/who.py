"""Who the Improving Performance Policy names for each act (004 §4 to §10).

Managers (a line manager or a manager the school authorises at level 1 or 2, §6; the governors
for a Headteacher, §1.0) run the procedure; HR advises and tells the council (§9.4); the
employee appeals, names a companion and submits papers (§5.3, §10.2, §10.7); the Chair of
Governors arranges the appeal hearing (§10.5) and a governor hears and decides it (§10.10).
"""

from __future__ import annotations

from pmledger.events.actors import Role
from pmledger.policies.judgement import Severity
from pmledger.policies.who_acts import WhoActs, act_roles

from .facts import SOURCE

GOVERNORS = frozenset({Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS, Role.APPEAL_CHAIR})
MANAGERS = frozenset(
    {
        Role.LINE_MANAGER,
        Role.HEADTEACHER,
        Role.DEPUTY_HEADTEACHER,
        Role.SENIOR_MANAGER,
        Role.SLT,
        Role.CHAIR_OF_GOVERNORS,
        Role.GOVERNOR,
    }
)
"""Level 1 and 2 managers, and the governors who manage a Headteacher's performance."""

ACT_ROLES = act_roles(
    WhoActs(
        "ip-who-manages",
        f"{SOURCE} §4 to §9",
        "the manager running the procedure",
        acts={
            "concern_raised",
            "one_to_one_held",
            "support_plan_agreed",
            "support_plan_revised",
            "monitoring_reviewed",
            "monitoring_period_changed",
            "capability_started",
            "meeting_invited",
            "meeting_rescheduled",
            "meeting_held",
            "meeting_adjourned",
            "outcome_decided",
            "warning_issued",
            "alternative_roles_considered",
            "dismissed",
        },
        roles=MANAGERS,
    ),
    WhoActs(
        "ip-who-notifies-council",
        f"{SOURCE} §9.4",
        "HR, who tells the council's HR business partner of a dismissal, and HR or the manager "
        "who closes the case (when §9.4 asks whether the council was told)",
        acts={"external_party_notified", "case_closed"},
        roles={Role.HR, *MANAGERS},
    ),
    WhoActs(
        "ip-who-appeals",
        f"{SOURCE} §10.2",
        "the employee, who lodges an appeal",
        acts={"appeal_lodged"},
        roles={Role.EMPLOYEE},
    ),
    WhoActs(
        "ip-who-names-companion",
        f"{SOURCE} §5.3",
        "the employee, who chooses their companion",
        acts={"companion_named"},
        roles={Role.EMPLOYEE},
        severity=Severity.MINOR,
    ),
    WhoActs(
        "ip-who-arranges-appeal",
        f"{SOURCE} §10.5",
        "the Chair of Governors, who arranges the appeal hearing",
        acts={"appeal_hearing_arranged"},
        roles={Role.CHAIR_OF_GOVERNORS},
    ),
    WhoActs(
        "ip-who-hears-appeal",
        f"{SOURCE} §10.10, §10.14",
        "the governor who chairs the appeal hearing",
        acts={
            "appeal_accepted",
            "appeal_heard",
            "appeal_decided",
            "dismissal_overturned",
            "warning_rescinded",
            "warning_reduced",
        },
        roles=GOVERNORS,
    ),
    WhoActs(
        "ip-who-writes",
        f"{SOURCE} §7.3, §9.5, §10.8, §10.15",
        "the chair who wrote the letter: a manager, or a governor for the appeal",
        acts={"letter_sent", "time_limit_extended"},
        roles={*MANAGERS, *GOVERNORS, Role.HR},
    ),
    WhoActs(
        "ip-who-submits",
        f"{SOURCE} §10.7",
        "either party to the hearing: the employee or management",
        acts={"documents_submitted"},
        roles={Role.EMPLOYEE, *MANAGERS},
    ),
)
