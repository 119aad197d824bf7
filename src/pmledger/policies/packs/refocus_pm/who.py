"""Who the ReFocus Performance Management Procedure names for each act (000).

Line managers appraise their staff and the Headteacher appraises SLT (§5); targets are agreed by
the Headteacher and Deputy Headteachers (§4), whose approval has its own rule; term bonuses are
decided by the Headteacher and the governor committee (§5); concerns are raised and supported
by the employee's line manager or the Headteacher (§9, §12).
"""

from __future__ import annotations

from pmledger.events.actors import Role
from pmledger.policies.who_acts import WhoActs, act_roles

from .people import BONUS_SIGNERS

APPRAISERS = frozenset(
    {Role.REVIEWER, Role.LINE_MANAGER, Role.HEADTEACHER, Role.DEPUTY_HEADTEACHER}
)
"""The appraiser the Headteacher allocates (a line manager, or the Headteacher for SLT), or a
Deputy Headteacher acting for the Headteacher."""

ACT_ROLES = act_roles(
    WhoActs(
        "rf-who-appraises",
        "000 §4, §5, §7, §12",
        "the appraiser: the line manager, or the Headteacher for SLT",
        acts={"objectives_set", "objectives_revised", "meeting_held"},
        roles=APPRAISERS,
    ),
    WhoActs(
        "rf-who-decides-bonus",
        "000 §5",
        "the Headteacher and the governor committee, who make the final bonus decisions",
        acts={"bonus_decided"},
        roles=BONUS_SIGNERS,
    ),
    WhoActs(
        "rf-who-addresses-concerns",
        "000 §9, §12",
        "the line manager or the Headteacher, who address concerns and move to capability",
        acts={
            "support_plan_agreed",
            "support_plan_revised",
            "monitoring_reviewed",
            "outcome_decided",
            "capability_started",
            "capability_ended",
        },
        roles=APPRAISERS,
    ),
)
