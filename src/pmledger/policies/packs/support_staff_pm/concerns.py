"""Concerns during the cycle (§4.6), the move to capability (§5.1) and back (§5.2).

The Capability Procedure itself is a separate policy: only its entry, its exit, the warnings'
durations and the "next stage" rule for concerns recurring inside a live warning are 001's.
"""

from __future__ import annotations

from collections.abc import Iterator

from pmledger.calendar import SchoolCalendar
from pmledger.events.actors import Role
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
from pmledger.policies.judgement import RuleKind, Severity
from pmledger.policies.ladder import Ladder
from pmledger.policies.packfile.binding import pack_data
from pmledger.policies.rule import ActContext, DeadlineSpec, Rule
from pmledger.policies.rules.authority import ActorMust
from pmledger.policies.rules.conditions import Requires
from pmledger.policies.rules.required_contents import RequiredContents
from pmledger.policies.rules.windows import PlanReviewWindow

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

CONCERNS_MEETING_CONFIRMS = {
    "concerns_explained": "clear feedback on the nature and seriousness of the concerns",
    "employee_comments_invited": "the employee could comment on and discuss the concerns",
    "support_agreed": "the support to address the concerns was agreed",
    "review_date_set": "how, and by when, progress will be reviewed",
}
"""MeetingHeld.confirms of a §4.6 concerns meeting."""

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


def _plan_kind_is_concerns_support(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, SupportPlanAgreed)
    return file.stage not in PM_STAGES or act.plan_kind is PlanKind.CONCERNS_SUPPORT


def _concerns_meeting_held(file: CaseFile, act: Act) -> bool:
    return isinstance(act, MeetingHeld) and purpose_of(file, act) is MeetingPurpose.CONCERNS


def _concerns_outcome(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, OutcomeDecided)
    return file.stage is not Ladder.INFORMAL_SUPPORT or act.outcome in CONCERN_OUTCOMES


class SupportAgreedAtTheMeeting(Rule):
    """001 §4.6: the support is agreed when the reviewer meets the reviewee formally, so a
    concerns plan needs a concerns meeting held since the previous one."""

    severity = Severity.MINOR

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, SupportPlanAgreed) or act.plan_kind is not PlanKind.CONCERNS_SUPPORT:
            return
        since = max(
            [episode_start(ctx.file)] + [p.agreed.version for p in _concerns_plans(ctx.file)]
        )
        if not _concerns_meetings_since(ctx.file, since):
            ctx.breach(
                self,
                f"concerns plan {act.plan_id} was agreed without a formal concerns meeting",
            )


class ConcernsReview(PlanReviewWindow):
    """001 §4.6: the time allowed for improvement "should be no more than 30 working days", and
    progress is reviewed by the date set. The period runs from the plan's start (normally the
    concerns meeting itself, D-ss-9)."""

    def deadlines(self, file: CaseFile, calendar: SchoolCalendar) -> Iterator[DeadlineSpec]:
        for plan in _concerns_plans(file):
            since = max([plan.agreed.version] + [m.version for m, _ in plan.revisions])
            after = [m for m in _reviews(plan) if m.version > since]
            extension = file.extensions.get(f"{self.ref.id}@{plan.agreed.version}")
            yield DeadlineSpec(
                rule=self,
                description=f"progress review of concerns plan {plan.plan_id}",
                anchor_version=plan.agreed.version,
                due_on=extension[1].new_due_on if extension else plan.review_on,
                unit="by the review date set (at most 30 working days)",
                done=min(after, key=lambda m: m.version) if after else None,
            )


class ImplicationsExplained(Rule):
    """001 §4.6: the concerns meeting must "explain the implications and process if no or
    insufficient improvement is made" — confirmed on the meeting record or recorded in writing
    before it — and capability never starts without that having been done."""

    severity = Severity.MINOR

    def _explained_since(self, file: CaseFile, version: int) -> bool:
        written = any(mark.version > version for mark, _ in file.consequences)
        said = any(
            IMPLICATIONS_EXPLAINED in m.confirms for m in _concerns_meetings_since(file, version)
        )
        return written or said

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        since = episode_start(ctx.file)
        if isinstance(act, MeetingHeld) and _concerns_meeting_held(ctx.file, act):
            if IMPLICATIONS_EXPLAINED not in act.confirms and not self._explained_since(
                ctx.file, since
            ):
                ctx.breach(
                    self,
                    "the concerns meeting does not confirm that the implications of no or "
                    f"insufficient improvement were explained ({IMPLICATIONS_EXPLAINED})",
                )
        elif isinstance(act, CapabilityStarted) and not self._explained_since(ctx.file, since):
            ctx.breach(
                self,
                "capability starts but the implications of no or insufficient improvement were "
                "never explained at a concerns meeting",
            )


def _insufficient_review(file: CaseFile, act: Act) -> bool:
    since = episode_start(file)
    return any(
        mark.version > since and outcome.outcome is Outcome.INSUFFICIENT
        for mark, outcome in file.outcomes
    )


def _notice_sent(file: CaseFile, act: Act) -> bool:
    since = episode_start(file)
    return any(
        mark.version > since and letter.template == CAPABILITY_NOTICE
        for mark, letter in file.letters
    )


class ConcernsBeforeReentry(Rule):
    """001 §5.2: with a warning live, further concerns "must" go through §4.6 — a concerns
    meeting and a progress review, both since capability last ended — before capability again."""

    def __init__(self, rule_id: str, source: str, summary: str, *, settings: Settings) -> None:
        super().__init__(rule_id, source, summary)
        self.months = settings.warning_months

    def judge(self, ctx: ActContext) -> None:
        if not isinstance(ctx.act, CapabilityStarted) or not ctx.file.capability_ended:
            return
        live = highest_live(ctx.file, ctx.on, self.months)
        if live is None:
            return
        since = episode_start(ctx.file)
        missing = []
        if not _concerns_meetings_since(ctx.file, since):
            missing.append("concerns meeting")
        if not any(m.version > since for plan in _concerns_plans(ctx.file) for m in _reviews(plan)):
            missing.append("progress review")
        if missing:
            ctx.breach(
                self,
                f"a {live.value} warning is live on {ctx.on}: §4.6 must be followed before "
                f"capability again, but there was no {' and no '.join(missing)} since capability "
                "ended",
            )


class NextStage(Rule):
    """001 §5.2: re-entering capability inside a live warning, "it is expected that the next
    stage of the Capability Procedure will apply": after a written warning the final-warning
    stage, after a final written warning the stage beyond warnings. CapabilityStarted declares
    the re-entry (basis recurrence_in_warning), which the stage machine follows; this rule checks
    the claim against the warnings live that day and wants a reason for anything lower.
    """

    kind = RuleKind.DEVIATION

    def __init__(self, rule_id: str, source: str, summary: str, *, settings: Settings) -> None:
        super().__init__(rule_id, source, summary)
        self.months = settings.warning_months

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if isinstance(act, CapabilityStarted):
            self._entry(ctx, act)
        elif isinstance(act, WarningIssued) and ctx.file.capability:
            self._warning(ctx, act)

    def _entry(self, ctx: ActContext, act: CapabilityStarted) -> None:
        live = highest_live(ctx.file, ctx.on, self.months)
        recurrence = act.basis is CapabilityBasis.RECURRENCE_IN_WARNING
        if recurrence and live is None:
            ctx.breach(
                self,
                f"no warning is live on {ctx.on}, so capability starts at its first stage, not "
                "at the next one (basis recurrence_in_warning)",
            )
        if live is not None and not recurrence:
            ctx.exceptional(
                self,
                f"a {live.value} warning is live on {ctx.on}: the next stage of the Capability "
                "Procedure is expected (basis recurrence_in_warning); starting at the first stage",
            )

    def _warning(self, ctx: ActContext, act: WarningIssued) -> None:
        mark, started = ctx.file.capability[-1]
        if started.basis is not CapabilityBasis.RECURRENCE_IN_WARNING:
            return
        live = highest_live(ctx.file, mark.on, self.months, before_version=mark.version)
        if live is WarningKind.FINAL_WRITTEN:
            ctx.exceptional(
                self,
                "a final written warning was live when capability resumed: the next stage is "
                f"beyond warnings, not another {act.warning_kind.value} warning",
            )
        elif live is WarningKind.WRITTEN and act.warning_kind is WarningKind.WRITTEN:
            ctx.exceptional(
                self,
                "a written warning was live when capability resumed: the next stage is a final "
                "written warning, not another written warning",
            )


def rules(settings: Settings) -> tuple[Rule, ...]:
    return (
        Requires(
            "ss-concerns-meeting",
            "001 §4.6",
            "Support under this policy is the §4.6 concerns support.",
            acts={"support_plan_agreed"},
            holds=_plan_kind_is_concerns_support,
            message="support under this policy is agreed at a §4.6 concerns meeting "
            "(plan kind concerns_support)",
        ),
        SupportAgreedAtTheMeeting(
            "ss-concerns-meeting",
            "001 §4.6",
            "Support is agreed at a formal concerns meeting.",
        ),
        RequiredContents(
            "ss-concerns-meeting",
            "001 §4.6",
            "The concerns meeting gives the concerns, hears the employee, agrees support and "
            "sets the review date.",
            applies=_concerns_meeting_held,
            keys=CONCERNS_MEETING_CONFIRMS,
            what="the concerns meeting record",
            severity=Severity.MINOR,
        ),
        ConcernsReview(
            "ss-concerns-review-30wd",
            "001 §4.6",
            "Progress is reviewed by a date no more than 30 working days ahead.",
            plan_kinds={PlanKind.CONCERNS_SUPPORT},
            maximum=DATA.time_limit("concerns-review-longest"),
        ),
        ImplicationsExplained(
            "ss-concerns-implications",
            "001 §4.6",
            "The implications of no or insufficient improvement are explained.",
        ),
        Requires(
            "ss-concerns-outcome",
            "001 §4.6",
            "A concerns review ends sufficient (back to the normal cycle) or insufficient.",
            acts={"outcome_decided"},
            holds=_concerns_outcome,
            message="a §4.6 progress review finds improvement sufficient or insufficient",
            consequence="impossible",
        ),
        Requires(
            "ss-capability-via-concerns",
            "001 §4.6, §5.1",
            "Capability starts when the reviewer is not satisfied with progress after §4.6.",
            acts={"capability_started"},
            holds=_insufficient_review,
            message="capability starts without a §4.6 progress review finding improvement "
            "insufficient",
            severity=Severity.MINOR,
        ),
        Requires(
            "ss-capability-written-notice",
            "001 §5.1",
            "The reviewee is told in writing that performance management no longer applies.",
            acts={"capability_started"},
            holds=_notice_sent,
            message=f"no written notice ({CAPABILITY_NOTICE}) that performance management no "
            "longer applies was sent before capability started",
        ),
        ActorMust(
            "ss-capability-end-ht",
            "001 §5.2",
            "Capability ends when the Headteacher is satisfied.",
            acts={"capability_ended"},
            roles={Role.HEADTEACHER},
        ),
        ActorMust(
            "ss-warning-in-capability",
            "001 §5.2",
            "Warnings belong to the Capability Procedure and are issued by its decision makers.",
            acts={"warning_issued"},
            roles=settings.warning_issuers,
        ),
        ConcernsBeforeReentry(
            "ss-recurrence-concerns-first",
            "001 §5.2",
            "Concerns inside a live warning go through §4.6 before capability again.",
            settings=settings,
        ),
        NextStage(
            "ss-recurrence-next-stage",
            "001 §5.2",
            "Inside a live warning, the next stage of the Capability Procedure applies.",
            settings=settings,
        ),
        ActorMust(
            "ss-dismissal-invariant",
            "001 §5 (DESIGN invariant)",
            "Dismissal only at the final stage of capability, by the school's dismissal roles.",
            acts={"dismissed"},
            roles=settings.dismissal_roles,
            severity=Severity.CRITICAL,
        ),
    )
