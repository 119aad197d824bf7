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
from pmledger.events.signed_event import Act
from pmledger.policies.case_file import CaseFile
from pmledger.policies.packfile.binding import pack_data
from pmledger.policies.rule import ActContext
from pmledger.policies.rules.suspension import capability_spans

from .cycle import NEW_CYCLE_STATEMENT
from .facts import (
    CHECKS,
    PM_MEETINGS,
    is_headteacher,
    line_manager,
    spelt,
)

DATA = pack_data(__package__)
"""This procedure's data, from its pack file."""

HPMP_MEMBERS = DATA.limit("hpmp-members")
GOVERNING_BODY = frozenset({Role.HPMP, Role.HPMP_CHAIR, Role.CHAIR_OF_GOVERNORS, Role.GOVERNOR})
"""Who acts for the Governing Body on the Headteacher's own performance management."""


@CHECKS.problem("hpmp-not-three", "002 Appointing reviewers L32")
def _three_governors(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, HpmpAppointed)
    members = set(act.members)
    if len(members) == HPMP_MEMBERS:
        return None
    return (
        f"the HPMP consists of {spelt(HPMP_MEMBERS)} members of the Governing Body, "
        f"not {len(members)}"
    )


@CHECKS.holds("chair-not-on-hpmp", "002 Appointing reviewers L33")
def _chair_not_on_panel(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, HpmpAppointed)
    return not act.includes_chair_of_governors


@CHECKS.problem("reviewer-appointed-by", "002 Appointing reviewers L34")
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


@CHECKS.problem("reviewer-not-line-manager", "002 Appointing reviewers L34")
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


@CHECKS.problem("redelegated-by", "002 ¶10.4 L112, Appointing reviewers L35")
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


@CHECKS.holds("not-recorded", "002 Principles L25")
def _not_recorded(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, MeetingHeld)
    return not act.recorded_electronically


@CHECKS.problem("no-appeal-route", "002 (no appeal route; packs.md D-hp-13)")
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


@CHECKS.problem("pm-while-capability", "002 ¶10.30 L159, Scope L11")
def _suspended(ctx: ActContext) -> str | None:
    if not ctx.file.capability_active or not _is_performance_management(ctx):
        return None
    started = ctx.file.capability[-1][0].on
    return (
        f"performance management is suspended while the Capability Policy runs (since "
        f"{started}); only a 'not met' rating and its pay recommendation may be recorded"
    )


# A review, statement, interim meeting or support-plan review that falls due while the
# Capability Policy runs is suspended, not missed: its rule says paused_while = this.
CHECKS.pauses("capability-runs", "002 ¶10.30 L159")(capability_spans)
