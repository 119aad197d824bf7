"""Who the procedure is for, when it may start, who leads it, and where it may lead (§1-§4.1)."""

from __future__ import annotations

from pmledger.events.actors import Role
from pmledger.events.appeal_acts import AppealLodged
from pmledger.events.case_acts import CaseOpened, StaffGroup
from pmledger.events.record_acts import ConcernCategory, ConcernRaised
from pmledger.events.signed_event import Act
from pmledger.policies.case_file import CaseFile
from pmledger.policies.ladder import Ladder
from pmledger.policies.rule import ActContext

from .facts import (
    CHECKS,
    CONVERSATIONS,
    INITIAL,
    concerns_since,
    episode_since,
    held_purpose,
    invitation_letters,
    meeting_of,
    meetings_since,
    problems,
    starts_episode,
)

LEADS = {
    StaffGroup.HEADTEACHER: frozenset({Role.CHAIR_OF_GOVERNORS}),
    StaffGroup.SENIOR_LEADER: frozenset({Role.HEADTEACHER}),
    StaffGroup.TEACHER: frozenset({Role.LINE_MANAGER, Role.HEADTEACHER}),
    StaffGroup.SUPPORT_STAFF: frozenset({Role.LINE_MANAGER, Role.HEADTEACHER}),
}
"""App 1 §9: the Chair of Governors leads for the Headteacher, the Headteacher for SMT, the Head
of Department (a line manager) or in a primary the Headteacher for teachers, and the line manager
for support staff, who in a small primary is the Headteacher."""

_TRUE = frozenset({"true", "yes", "1"})


def _staff_group(file: CaseFile) -> StaffGroup:
    changed = file.employment.get("staff_group")
    known = {group.value: group for group in StaffGroup}
    return known.get(changed or "", file.opened.staff_group)


def _flag(file: CaseFile, name: str, opened: bool) -> bool:
    """An employment flag as last changed (EmploymentStatusChanged stores text), else as opened."""
    if name in file.employment:
        return (file.employment[name] or "").strip().lower() in _TRUE
    return opened


def _exclusions(file: CaseFile) -> list[str]:
    opened = file.opened
    excluded = []
    if (
        _flag(file, "in_probation", opened.in_probation)
        and _staff_group(file) is StaffGroup.SUPPORT_STAFF
    ):
        excluded.append("support staff in their probationary period")
    if _flag(file, "apprentice", opened.apprentice):
        excluded.append("apprentices")
    if _flag(file, "ect_induction", opened.ect_induction):
        excluded.append("ECTs in induction")
    return excluded


@CHECKS.problem("out-of-scope", "§1.1")
def _out_of_scope(ctx: ActContext) -> str | None:
    if not (isinstance(ctx.act, CaseOpened) or starts_episode(ctx.file, ctx.act)):
        return None
    excluded = _exclusions(ctx.file)
    if not excluded:
        return None
    return f"this procedure does not apply to {' or '.join(excluded)}"


@CHECKS.holds("performance-concern", "§1.1")
def _performance_concern(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, ConcernRaised)
    return act.category not in (ConcernCategory.MISCONDUCT, ConcernCategory.ATTENDANCE)


@CHECKS.problem("no-prior-concern", "§2.1")
def _no_prior_concern(ctx: ActContext) -> str | None:
    if not starts_episode(ctx.file, ctx.act):
        return None
    if concerns_since(ctx.file, episode_since(ctx.file)):
        return None
    return (
        "Developing Performance is started without a concern recorded from performance "
        "management, which should normally address underperformance first"
    )


@CHECKS.problem("no-pattern", "§4.1")
def _no_pattern(ctx: ActContext) -> str | None:
    if held_purpose(ctx) is not INITIAL:
        return None
    concerns = concerns_since(ctx.file, episode_since(ctx.file))
    if any(concern.pattern_evidence.strip() for concern in concerns):
        return None
    return (
        "the initial meeting is held without a recorded pattern of underperformance "
        "(no concern records pattern_evidence)"
    )


@CHECKS.problem("conversation-then-writing", "§4.1")
def _conversation_then_writing(ctx: ActContext) -> str | None:
    if held_purpose(ctx) is not INITIAL:
        return None
    file, since = ctx.file, episode_since(ctx.file)
    spoken = [
        m.held.on
        for m in meetings_since(file, CONVERSATIONS, since)
        if m.held is not None and m.held.version > since
    ] + [mark.on for mark, _ in file.one_to_ones if mark.version > since]
    written = [mark.on for mark, _ in invitation_letters(file, meeting_of(ctx), INITIAL, since)]
    found = []
    if not spoken:
        found.append("no 1:1 confidential conversation is recorded before the initial meeting")
    elif written and min(spoken) > min(written):
        found.append(
            f"letter 1 ({min(written)}) came before the 1:1 conversation ({min(spoken)}) it "
            "should follow up"
        )
    if not concerns_since(file, since):
        found.append("the areas of work performance to be discussed are not recorded")
    return problems(found)


@CHECKS.problem("not-the-lead", "App 1 §9")
def _not_the_lead(ctx: ActContext) -> str | None:
    if not starts_episode(ctx.file, ctx.act):
        return None
    group = _staff_group(ctx.file)
    leads = LEADS[group]
    actor = ctx.actor
    if actor.role in leads or actor.person_id == ctx.file.opened.line_manager_person_id:
        return None
    return (
        f"the suggested lead for {group.value.replace('_', ' ')} is "
        f"{' or '.join(sorted(r.value for r in leads))}, not {actor.role.value}"
    )


@CHECKS.problem("capability-without-developing-performance", "§2.1")
def _capability_without_developing_performance(ctx: ActContext) -> str | None:
    stage = ctx.file.stage
    if stage is Ladder.NORMAL_CYCLE:
        return "the Capability Procedure is invoked without first using Developing Performance"
    if stage is Ladder.INFORMAL_SUPPORT:
        return (
            "the Capability Procedure is invoked without first using Developing Performance to "
            "its review outcome"
        )
    return None


def _stages_around(file: CaseFile, version: int) -> set[Ladder]:
    """The stages the case was in just before and just after the act at `version`."""
    before = after = Ladder.NORMAL_CYCLE
    for mark, stage in file.stage_history:
        if mark.version < version:
            before = stage
        if mark.version <= version:
            after = stage
    return {before, after}


@CHECKS.problem("appeal-against-procedure", "§1.3")
def _appeal_against_procedure(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, AppealLodged)
    if act.against_version not in ctx.file.kinds:
        return None
    if Ladder.INFORMAL_SUPPORT not in _stages_around(ctx.file, act.against_version):
        return None
    return (
        "Developing Performance has no appeal: a concern about how it is applied is dealt with "
        "within the process (record it as an employee concern)"
    )
