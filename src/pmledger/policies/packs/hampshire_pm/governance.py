"""Who reviews whom, the Headteacher's panel, meetings not recorded, no appeal route, and the
suspension of performance management while the Capability Policy runs (002 L21-35, ¶10.30).
"""

from __future__ import annotations

from pmledger.events.actors import Role
from pmledger.events.case_acts import (
    CycleOpened,
    HpmpAppointed,
    ReviewerAssigned,
    ReviewerBasis,
)
from pmledger.events.meeting_acts import MeetingHeld, MeetingInvited
from pmledger.events.pay_acts import PayRecommended, Rating, RatingRecorded
from pmledger.events.record_acts import StatementRecorded
from pmledger.policies.packfile.binding import pack_data
from pmledger.policies.rule import ActContext, Rule
from pmledger.policies.rules.problem import ProblemWith

from .cycle import NEW_CYCLE_STATEMENT
from .facts import (
    PM_MEETINGS,
    SOURCE,
    is_headteacher,
    line_manager,
)

DATA = pack_data(__package__)
"""This procedure's data, from its pack file."""

HPMP_MEMBERS = DATA.limit("hpmp-members")
GOVERNING_BODY = frozenset({Role.HPMP, Role.HPMP_CHAIR, Role.CHAIR_OF_GOVERNORS, Role.GOVERNOR})
"""Who acts for the Governing Body on the Headteacher's own performance management."""

SUSPENDED_ACTS = frozenset(
    {
        "cycle_opened",
        "reviewer_assigned",
        "expectations_communicated",
        "objectives_set",
        "objectives_revised",
        "development_plan_agreed",
        "meeting_invited",
        "meeting_held",
        "rating_recorded",
        "pay_recommended",
        "statement_recorded",
    }
)
"""Acts that may be performance management (the judge narrows meetings, ratings, pay and
statements to the ones that are)."""


def _three_governors(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, HpmpAppointed)
    members = set(act.members)
    if len(members) == HPMP_MEMBERS:
        return None
    return f"the HPMP consists of three members of the Governing Body, not {len(members)}"


def _chair_included(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, HpmpAppointed)
    if not act.includes_chair_of_governors:
        return None
    return "it would not normally be appropriate for the Chair of Governors to be on the HPMP"


def _appointer(ctx: ActContext) -> str | None:
    role = ctx.actor.role
    if is_headteacher(ctx.file):
        allowed: frozenset[Role] = GOVERNING_BODY
        who = "the Governing Body (HPMP)"
    else:
        allowed = frozenset({Role.HEADTEACHER})
        who = "the Headteacher"
    if role in allowed:
        return None
    return f"{who} decides who reviews this employee, not {role.value}"


def _not_line_manager(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, ReviewerAssigned | CycleOpened)
    if is_headteacher(ctx.file):
        return None
    if (
        isinstance(act, ReviewerAssigned)
        and act.basis is ReviewerBasis.REDELEGATED_ON_CONCERN
        and ctx.file.concerns
    ):
        return None
    manager = line_manager(ctx.file)
    if manager is not None:
        if act.reviewer_person_id == manager:
            return None
    elif isinstance(act, CycleOpened) or act.basis is ReviewerBasis.LINE_MANAGER:
        return None
    return (
        "the reviewer will normally be the employee's line manager"
        + (f" ({manager})" if manager else "")
        + f"; {act.reviewer_person_id} was appointed"
    )


def _redelegator(ctx: ActContext) -> str | None:
    role = ctx.actor.role
    if is_headteacher(ctx.file):
        return (
            None
            if role in GOVERNING_BODY
            else (f"the Headteacher's reviewer is the HPMP; {role.value} cannot change it")
        )
    if role is Role.HEADTEACHER:
        return None
    return f"only the Headteacher may re-delegate the reviewer role, not {role.value}"


def _recorded(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, MeetingHeld)
    if not act.recorded_electronically:
        return None
    return "audio or video recording of meetings under this policy is not normally permitted"


def _no_appeal(ctx: ActContext) -> str | None:
    return (
        "this policy has no appeal route; pay appeals go through the school's Pay Policy "
        "(record grievance_invoked for an external route)"
    )


def _is_performance_management(ctx: ActContext) -> bool:
    act = ctx.act
    if isinstance(act, MeetingInvited | MeetingHeld):
        meeting = ctx.file.meetings.get(act.meeting_id)
        purpose = act.purpose or (meeting.purpose if meeting else None)
        return purpose in PM_MEETINGS
    if isinstance(act, RatingRecorded):
        return act.rating is not Rating.NOT_MET
    if isinstance(act, PayRecommended):
        rating = ctx.file.ratings.get(act.cycle_id)
        return rating is None or rating[1] is not Rating.NOT_MET
    if isinstance(act, StatementRecorded):
        return act.form == NEW_CYCLE_STATEMENT
    return True


def _suspended(ctx: ActContext) -> str | None:
    if not ctx.file.capability_active or not _is_performance_management(ctx):
        return None
    started = ctx.file.capability[-1][0].on
    return (
        f"performance management is suspended while the Capability Policy runs (since "
        f"{started}); only a 'not met' rating and its pay recommendation may be recorded"
    )


def governance_rules() -> tuple[Rule, ...]:
    return (
        ProblemWith(
            "hp-hpmp-three",
            f"{SOURCE} Appointing reviewers L32",
            "The HPMP is a sub-group of exactly three governors.",
            acts={"hpmp_appointed"},
            problem=_three_governors,
        ),
        ProblemWith(
            "hp-hpmp-not-chair",
            f"{SOURCE} Appointing reviewers L33",
            "The Chair of Governors is not normally on the HPMP.",
            acts={"hpmp_appointed"},
            problem=_chair_included,
            consequence="exceptional",
        ),
        ProblemWith(
            "hp-reviewer-assignment",
            f"{SOURCE} Appointing reviewers L34",
            "The Headteacher (for the Headteacher: the Governing Body) decides who reviews.",
            acts={"reviewer_assigned", "cycle_opened"},
            problem=_appointer,
        ),
        ProblemWith(
            "hp-reviewer-assignment",
            f"{SOURCE} Appointing reviewers L34",
            "... this will normally be the employee's line manager.",
            acts={"reviewer_assigned", "cycle_opened"},
            problem=_not_line_manager,
            consequence="exceptional",
        ),
        ProblemWith(
            "hp-redelegate",
            f"{SOURCE} ¶10.4 L112, Appointing reviewers L35",
            "Only the Headteacher re-delegates the reviewer role when concerns arise.",
            acts={"reviewer_changed"},
            problem=_redelegator,
        ),
        ProblemWith(
            "hp-no-recording",
            f"{SOURCE} Principles L25",
            "Recording meetings is not normally permitted (a reason such as a disability makes "
            "it a recorded deviation; the digest's outright ban is stricter than the source).",
            acts={"meeting_held"},
            problem=_recorded,
            consequence="exceptional",
        ),
        ProblemWith(
            "hp-no-appeal-route",
            f"{SOURCE} (no appeal route; packs.md D-hp-13)",
            "The policy has no appeal; pay appeals belong to the school's Pay Policy.",
            acts={"appeal_lodged"},
            problem=_no_appeal,
            consequence="impossible",
        ),
        ProblemWith(
            "hp-pm-suspended",
            f"{SOURCE} ¶10.30 L159, Scope L11",
            "While the Capability Policy runs performance management is suspended, except a "
            "'not met' rating and its pay acts (D-hp-3); its deadlines show as suspended.",
            acts=SUSPENDED_ACTS,
            problem=_suspended,
        ),
    )
