"""Concerns during the cycle (§4.6), the move to capability (§5.1) and back (§5.2).

The Capability Procedure itself is a separate policy: only its entry, its exit, the warnings'
durations and the "next stage" rule for concerns recurring inside a live warning are 001's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from pmledger.events.meeting_acts import MeetingHeld, MeetingPurpose
from pmledger.events.sanction_acts import (
    CapabilityBasis,
    CapabilityStarted,
    WarningIssued,
    WarningKind,
)
from pmledger.events.signed_event import Act
from pmledger.events.support_acts import Outcome, OutcomeDecided, PlanKind, SupportPlanAgreed
from pmledger.policies.case_file import CaseFile, Mark, PlanFacts
from pmledger.policies.ladder import Ladder
from pmledger.policies.named_checks import NamedChecks
from pmledger.policies.packfile.binding import pack_data
from pmledger.policies.rule import ActContext
from pmledger.policies.rules.fixed_dates import FixedDue

from .facts import (
    episode_start,
    held_meetings,
    highest_live,
    purpose_of,
)
from .settings import CAPABILITY_NOTICE, Settings
from .stages import PM_STAGES

DATA = pack_data(__package__)
"""This procedure's data, from its pack file."""

IMPLICATIONS_EXPLAINED = "implications_explained"
"""MeetingHeld.confirms: the implications and process if there is no or insufficient improvement
were explained (§4.6); a ConsequencesExplained record says the same in writing."""

CONCERN_OUTCOMES = frozenset({Outcome.SUFFICIENT, Outcome.INSUFFICIENT})


def _concerns_plans(file: CaseFile) -> list[PlanFacts]:
    return [p for p in file.plans.values() if p.kind is PlanKind.CONCERNS_SUPPORT]


def _concerns_meetings_since(file: CaseFile, version: int) -> list[MeetingHeld]:
    return [
        m.record
        for m in held_meetings(file, MeetingPurpose.CONCERNS)
        if m.held is not None and m.held.version > version and m.record is not None
    ]


def _reviews(plan: PlanFacts) -> list[Mark]:
    return [mark for mark, _ in plan.reviews] + ([plan.decided] if plan.decided else [])


def plan_kind_is_concerns_support(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, SupportPlanAgreed)
    return file.stage not in PM_STAGES or act.plan_kind is PlanKind.CONCERNS_SUPPORT


def concerns_meeting_held(file: CaseFile, act: Act) -> bool:
    return isinstance(act, MeetingHeld) and purpose_of(file, act) is MeetingPurpose.CONCERNS


def concerns_outcome(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, OutcomeDecided)
    return file.stage is not Ladder.INFORMAL_SUPPORT or act.outcome in CONCERN_OUTCOMES


def support_without_concerns_meeting(ctx: ActContext) -> str | None:
    """001 §4.6: the support is agreed when the reviewer meets the reviewee formally, so a
    concerns plan needs a concerns meeting held since the previous one."""
    act = ctx.act
    assert isinstance(act, SupportPlanAgreed)
    if act.plan_kind is not PlanKind.CONCERNS_SUPPORT:
        return None
    since = max([episode_start(ctx.file)] + [p.agreed.version for p in _concerns_plans(ctx.file)])
    if _concerns_meetings_since(ctx.file, since):
        return None
    return f"concerns plan {act.plan_id} was agreed without a formal concerns meeting"


def concerns_reviews(file: CaseFile) -> Iterator[FixedDue]:
    """001 §4.6: the time allowed for improvement "should be no more than 30 working days"
    (ss-concerns-review-30wd's window, the file's concerns-review-longest), and progress is
    reviewed by the date set. The period runs from the plan's start (normally the concerns
    meeting itself, D-ss-9)."""
    longest = DATA.time_limits["concerns-review-longest"].words
    for plan in _concerns_plans(file):
        since = max([plan.agreed.version] + [m.version for m, _ in plan.revisions])
        after = [m for m in _reviews(plan) if m.version > since]
        yield FixedDue(
            mark=plan.agreed,
            description=f"progress review of concerns plan {plan.plan_id}",
            due_on=plan.review_on,
            unit=f"by the review date set (at most {longest})",
            done=min(after, key=lambda m: m.version) if after else None,
        )


def _explained_since(file: CaseFile, version: int) -> bool:
    written = any(mark.version > version for mark, _ in file.consequences)
    said = any(
        IMPLICATIONS_EXPLAINED in m.confirms for m in _concerns_meetings_since(file, version)
    )
    return written or said


def implications_not_explained(ctx: ActContext) -> str | None:
    """001 §4.6: the concerns meeting must "explain the implications and process if no or
    insufficient improvement is made" — confirmed on the meeting record or recorded in writing
    before it — and capability never starts without that having been done."""
    act = ctx.act
    since = episode_start(ctx.file)
    if isinstance(act, MeetingHeld):
        if not concerns_meeting_held(ctx.file, act):
            return None
        if IMPLICATIONS_EXPLAINED in act.confirms or _explained_since(ctx.file, since):
            return None
        return (
            "the concerns meeting does not confirm that the implications of no or insufficient "
            f"improvement were explained ({IMPLICATIONS_EXPLAINED})"
        )
    if _explained_since(ctx.file, since):
        return None
    return (
        "capability starts but the implications of no or insufficient improvement were never "
        "explained at a concerns meeting"
    )


def insufficient_review(file: CaseFile, act: Act) -> bool:
    """001 §4.6, §5.1: capability follows a progress review finding improvement insufficient."""
    since = episode_start(file)
    return any(
        mark.version > since and outcome.outcome is Outcome.INSUFFICIENT
        for mark, outcome in file.outcomes
    )


def notice_sent(file: CaseFile, act: Act) -> bool:
    """001 §5.1: the reviewee is told in writing that performance management no longer applies."""
    since = episode_start(file)
    return any(
        mark.version > since and letter.template == CAPABILITY_NOTICE
        for mark, letter in file.letters
    )


def reentry_without_concerns(ctx: ActContext, months: Mapping[WarningKind, int]) -> str | None:
    """001 §5.2: with a warning live, further concerns "must" go through §4.6 — a concerns
    meeting and a progress review, both since capability last ended — before capability
    again."""
    if not ctx.file.capability_ended:
        return None
    live = highest_live(ctx.file, ctx.on, months)
    if live is None:
        return None
    since = episode_start(ctx.file)
    missing = []
    if not _concerns_meetings_since(ctx.file, since):
        missing.append("concerns meeting")
    if not any(m.version > since for plan in _concerns_plans(ctx.file) for m in _reviews(plan)):
        missing.append("progress review")
    if not missing:
        return None
    return (
        f"a {live.value} warning is live on {ctx.on}: §4.6 must be followed before capability "
        f"again, but there was no {' and no '.join(missing)} since capability ended"
    )


def recurrence_without_live_warning(
    ctx: ActContext, months: Mapping[WarningKind, int]
) -> str | None:
    """001 §5.2: CapabilityStarted declares a re-entry inside a live warning (basis
    recurrence_in_warning), which the stage machine follows to the next stage; with no warning
    live that day, capability starts at its first stage."""
    act = ctx.act
    assert isinstance(act, CapabilityStarted)
    if act.basis is not CapabilityBasis.RECURRENCE_IN_WARNING:
        return None
    if highest_live(ctx.file, ctx.on, months) is not None:
        return None
    return (
        f"no warning is live on {ctx.on}, so capability starts at its first stage, not at the "
        "next one (basis recurrence_in_warning)"
    )


def first_stage_inside_live_warning(
    ctx: ActContext, months: Mapping[WarningKind, int]
) -> str | None:
    """001 §5.2: re-entering capability inside a live warning, "it is expected that the next
    stage of the Capability Procedure will apply"; anything lower needs a reason."""
    act = ctx.act
    assert isinstance(act, CapabilityStarted)
    live = highest_live(ctx.file, ctx.on, months)
    if live is None or act.basis is CapabilityBasis.RECURRENCE_IN_WARNING:
        return None
    return (
        f"a {live.value} warning is live on {ctx.on}: the next stage of the Capability "
        "Procedure is expected (basis recurrence_in_warning); starting at the first stage"
    )


def warning_below_next_stage(ctx: ActContext, months: Mapping[WarningKind, int]) -> str | None:
    """001 §5.2: after a written warning the next stage is the final-warning stage, after a
    final written warning the stage beyond warnings: a warning at or below the one live when
    capability resumed needs a reason."""
    act = ctx.act
    assert isinstance(act, WarningIssued)
    if not ctx.file.capability:
        return None
    mark, started = ctx.file.capability[-1]
    if started.basis is not CapabilityBasis.RECURRENCE_IN_WARNING:
        return None
    live = highest_live(ctx.file, mark.on, months, before_version=mark.version)
    if live is WarningKind.FINAL_WRITTEN:
        return (
            "a final written warning was live when capability resumed: the next stage is "
            f"beyond warnings, not another {act.warning_kind.value} warning"
        )
    if live is WarningKind.WRITTEN and act.warning_kind is WarningKind.WRITTEN:
        return (
            "a written warning was live when capability resumed: the next stage is a final "
            "written warning, not another written warning"
        )
    return None


def register(checks: NamedChecks, settings: Settings) -> None:
    """This module's named checks; warnings are live for the school's warning lengths."""
    months = settings.warning_months
    checks.holds("concerns-support-plan", "001 §4.6")(plan_kind_is_concerns_support)
    checks.problem("support-without-concerns-meeting", "001 §4.6")(support_without_concerns_meeting)
    checks.holds("concerns-meeting-held", "001 §4.6")(concerns_meeting_held)
    checks.due_rows("concerns-reviews", "001 §4.6")(lambda file, _: concerns_reviews(file))
    checks.problem("implications-not-explained", "001 §4.6")(implications_not_explained)
    checks.holds("concerns-outcome", "001 §4.6")(concerns_outcome)
    checks.holds("insufficient-review", "001 §4.6, §5.1")(insufficient_review)
    checks.holds("capability-notice-sent", "001 §5.1")(notice_sent)
    checks.problem("reentry-without-concerns", "001 §5.2")(
        lambda ctx: reentry_without_concerns(ctx, months)
    )
    checks.problem("recurrence-without-live-warning", "001 §5.2")(
        lambda ctx: recurrence_without_live_warning(ctx, months)
    )
    checks.problem("first-stage-inside-live-warning", "001 §5.2")(
        lambda ctx: first_stage_inside_live_warning(ctx, months)
    )
    checks.problem("warning-below-next-stage", "001 §5.2")(
        lambda ctx: warning_below_next_stage(ctx, months)
    )
