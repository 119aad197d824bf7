"""Dealing with performance concerns (002 ¶10.1-10.30): notifying, early steps, structured
managerial support (SMS), sustaining improvement and the move to the Capability Policy.

Capability "after SMS" means a programme agreed since capability last started and not confirmed
successful; anything else is the ¶10.25 by-pass, which needs a reason and EPS advice.
"""

from __future__ import annotations

from collections.abc import Iterable

from pmledger.calendar import CalendarError, Direction, SchoolCalendar
from pmledger.events.actors import Role
from pmledger.events.meeting_acts import MeetingHeld, MeetingPurpose
from pmledger.events.record_acts import (
    ConcernCategory,
    ConcernNotified,
    ConcernRaised,
    HrAdviceObtained,
    ReasonableAdjustmentsConsidered,
)
from pmledger.events.sanction_acts import CapabilityBasis, CapabilityStarted
from pmledger.events.signed_event import Act
from pmledger.events.support_acts import (
    MonitoringReviewed,
    Outcome,
    OutcomeDecided,
    PlanKind,
    SupportMeasureStarted,
    SupportPlanAgreed,
    SupportPlanRevised,
)
from pmledger.policies.case_file import CaseFile, Mark, PlanFacts
from pmledger.policies.ladder import Ladder
from pmledger.policies.named_checks import HoldsFn, ProblemFn
from pmledger.policies.packfile.binding import pack_data
from pmledger.policies.rule import ActContext
from pmledger.policies.rules.fixed_dates import FixedDue

from .facts import (
    CHECKS,
    CONCERN_DISCUSSIONS,
    HPMP_ROLES,
    SMS_DISCUSSION,
    concern_for,
    copied_to,
    is_headteacher,
    limit_words,
    live_sms,
    recorded_since,
    sms_plans,
    sustain_window,
)

DATA = pack_data(__package__)
"""This procedure's data, from its pack file."""

SMS = PlanKind.STRUCTURED_MANAGERIAL_SUPPORT
EARLY_MEETINGS = frozenset({MeetingPurpose.EARLY_CONVERSATION, SMS_DISCUSSION})
TYPICAL_MINIMUM = DATA.time_limit("support-typical-minimum")
"""¶10.28: "a period between four school weeks and half a term"."""
SUSTAIN_WORDS = limit_words("sustain")
"""¶10.23: "sustained independently over a six month period"."""
CONSEQUENCES_MIN_LEAD = DATA.time_limit("consequences-lead")
"""Setting `consequences_min_lead` (D-hp-7): "in good time" is undefined; the SMS monitoring
frequency is free text, so the fallback of 10 working days applies."""
SIP_ROLE = "school_improvement_provider"
EPS = frozenset({"eps", "education personnel services"})
"""HrAdviceObtained.provider naming Education Personnel Services (¶10.25)."""
SMS_PLAN_ACTS = frozenset(
    {"monitoring_reviewed", "support_plan_revised", "outcome_decided", "capability_started"}
)
COPIES = ("employee", "personal_file")
"""¶10.19-10.20: each written record goes on the personal file and a copy to the employee."""
HT_SUPPORT_ACTS = frozenset(
    {
        "meeting_held",
        "support_measure_started",
        "support_plan_agreed",
        "support_plan_revised",
        "monitoring_reviewed",
        "outcome_decided",
        "consequences_explained",
        "capability_started",
    }
)
SMS_RECORD = {
    key: entry.meaning for key, entry in DATA.required["support_plan_agreed (SMS)"].items()
}
"""¶10.17-10.18: what the written record of the SMS discussion confirms, in the pack file's
words; `seriousness_and_consequences_discussed` may be shown by the consequences having been
explained in writing."""


def _purpose(file: CaseFile, act: MeetingHeld) -> MeetingPurpose | None:
    meeting = file.meetings.get(act.meeting_id)
    return act.purpose or (meeting.purpose if meeting else None)


def _concern_id(act: Act) -> str | None:
    if isinstance(act, SupportMeasureStarted | SupportPlanAgreed):
        return act.concern_id
    return None


def _starts_support(ctx: ActContext) -> bool:
    act = ctx.act
    if isinstance(act, MeetingHeld):
        return _purpose(ctx.file, act) in EARLY_MEETINGS
    if isinstance(act, SupportPlanAgreed):
        return act.plan_kind is SMS
    return isinstance(act, SupportMeasureStarted | CapabilityStarted)


@CHECKS.holds("not-health-or-absence", "002 Principles L23-24")
def _not_health(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, ConcernRaised)
    return act.category not in (ConcernCategory.HEALTH, ConcernCategory.ATTENDANCE)


@CHECKS.problem("no-reasonable-adjustments", "002 ¶10.2 L110")
def _adjustments(ctx: ActContext) -> str | None:
    act = ctx.act
    if isinstance(act, SupportPlanAgreed) and act.plan_kind is not SMS:
        return None
    concern = concern_for(ctx.file, _concern_id(act))
    considered = [
        r.act.concern_id
        for r in ctx.file.recorded("reasonable_adjustments_considered")
        if isinstance(r.act, ReasonableAdjustmentsConsidered)
    ]
    if concern is None and considered:
        return None
    if concern is not None and concern[1].concern_id in considered:
        return None
    return (
        "consideration must be given to whether reasonable adjustments are appropriate: none is "
        "recorded" + (f" for concern {concern[1].concern_id} of {concern[0].on}" if concern else "")
    )


def _concern_discussed(file: CaseFile, mark: Mark) -> bool:
    meetings = file.meetings.values()
    if any(
        m.purpose in CONCERN_DISCUSSIONS and m.held is not None and m.held.version > mark.version
        for m in meetings
    ):
        return True
    acted = ("support_measure_started", "support_plan_agreed", "one_to_one_held")
    return any(recorded_since(file, kind, mark.version) for kind in acted)


@CHECKS.problem("concern-left-to-review", "002 ¶10.3 L111, ¶10.11 L123")
def _left_to_review(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, MeetingHeld)
    if _purpose(ctx.file, act) is not MeetingPurpose.END_OF_CYCLE_REVIEW:
        return None
    reviews = [
        m.held.version
        for m in ctx.file.meetings.values()
        if m.purpose is MeetingPurpose.END_OF_CYCLE_REVIEW and m.held is not None
    ]
    left = [
        f"{concern_id} (identified {mark.on})"
        for concern_id, (mark, concern) in ctx.file.concerns.items()
        if mark.on < ctx.on
        and "discussed_with_employee" not in concern.confirms
        and not any(version > mark.version for version in reviews)
        and not _concern_discussed(ctx.file, mark)
    ]
    if not left:
        return None
    return (
        "concerns are addressed when identified, not left to the next performance management "
        "meeting: " + ", ".join(left)
    )


def _notifications(file: CaseFile, concern_id: str) -> list[ConcernNotified]:
    return [
        r.act
        for r in file.recorded("concern_notified")
        if isinstance(r.act, ConcernNotified) and r.act.concern_id == concern_id
    ]


def _other_chair(file: CaseFile, concern_version: int) -> str:
    """¶10.5: the Chair of the HPMP notifies the Chair of Governors of concerns they identify,
    and the Chair of Governors notifies the Chair of the HPMP of theirs."""
    raiser = next((r.actor.role for r in file.history if r.mark.version == concern_version), None)
    return "hpmp_chair" if raiser is Role.CHAIR_OF_GOVERNORS else "chair_of_governors"


def _notified(*, headteacher_case: bool) -> ProblemFn:
    def problem(ctx: ActContext) -> str | None:
        if is_headteacher(ctx.file) is not headteacher_case or not _starts_support(ctx):
            return None
        if not headteacher_case and ctx.actor.role is Role.HEADTEACHER:
            return None
        concern = concern_for(ctx.file, _concern_id(ctx.act))
        if concern is None:
            return None
        mark, raised = concern
        told = _notifications(ctx.file, raised.concern_id)
        if headteacher_case:
            other = _other_chair(ctx.file, mark.version)
            if any(n.notified_role == other for n in told):
                return None
            return (
                f"the concern about the Headteacher ({raised.concern_id}, {mark.on}) must be "
                f"notified to the {other.replace('_', ' ')} first (concern_notified)"
            )
        to_head = [n for n in told if n.notified_role == "headteacher"]
        if any(n.how_to_proceed_agreed for n in to_head):
            return None
        if to_head:
            return (
                f"the Headteacher was notified of concern {raised.concern_id} ({mark.on}) but how "
                "to proceed was not agreed with them before support started"
            )
        return (
            f"a reviewer must notify the Headteacher of concern {raised.concern_id} ({mark.on}) "
            "and agree how to proceed before support starts"
        )

    return problem


@CHECKS.problem("ht-concern-not-by-hpmp", "002 ¶10.6 L114")
def _by_hpmp(ctx: ActContext) -> str | None:
    act = ctx.act
    if not is_headteacher(ctx.file) or ctx.actor.role in HPMP_ROLES:
        return None
    if isinstance(act, MeetingHeld) and _purpose(ctx.file, act) not in CONCERN_DISCUSSIONS:
        return None
    return (
        "concerns about the Headteacher are taken forward by the HPMP, not by "
        f"{ctx.actor.role.value}"
    )


@CHECKS.holds("not-after-early-steps-only", "002 ¶10.15 L131")
def _not_after_early_steps_only(file: CaseFile, act: Act) -> bool:
    return live_sms(file) is not None or file.stage is not Ladder.INFORMAL_SUPPORT


@CHECKS.problem("straight-to-capability", "002 ¶10.25 L147-150")
def _straight_to_capability(ctx: ActContext) -> str | None:
    if live_sms(ctx.file) is not None or ctx.file.stage is not Ladder.NORMAL_CYCLE:
        return None
    window = sustain_window(ctx.file, ctx.calendar, ctx.on)
    return "moving straight to the Capability Policy is for exceptional circumstances" + (
        f" (improvement confirmed on {window[0]} not sustained for {SUSTAIN_WORDS})"
        if window
        else ""
    )


@CHECKS.problem("no-eps-advice", "002 ¶10.25 L147")
def _eps_advice(ctx: ActContext) -> str | None:
    if live_sms(ctx.file) is not None:
        return None
    concern = concern_for(ctx.file, None)
    since = concern[0].version if concern else 0
    if any(
        isinstance(r.act, HrAdviceObtained)
        and r.act.provider.strip().lower() in EPS
        and r.mark.version > since
        for r in ctx.file.recorded("hr_advice_obtained")
    ):
        return None
    return (
        "by-passing structured managerial support is decided only after taking advice from "
        "Education Personnel Services: no hr_advice_obtained from EPS is recorded"
        + (f" since the concern of {concern[0].on}" if concern else "")
    )


@CHECKS.problem("sms-record-incomplete", "002 ¶10.17-10.19 L133-141")
def _sms_record(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, SupportPlanAgreed)
    if act.plan_kind is not SMS:
        return None
    missing = []
    if not act.support.strip():
        missing.append("the support that will be provided")
    if not act.monitoring_frequency.strip():
        missing.append("how frequently progress will be monitored and reviewed")
    for key, duty in SMS_RECORD.items():
        in_writing = key == "seriousness_and_consequences_discussed" and (
            act.consequences_explained_in_writing
        )
        if key not in act.confirms and not in_writing:
            missing.append(f"{duty} ({key})")
    if not missing:
        return None
    return "the written record of the structured managerial support discussion lacks: " + (
        "; ".join(missing)
    )


def _plan_of(file: CaseFile, act: Act) -> PlanFacts | None:
    if isinstance(act, MonitoringReviewed | SupportPlanRevised):
        return file.plans.get(act.plan_id)
    if isinstance(act, OutcomeDecided):
        return file.plans.get(act.subject_id)
    return live_sms(file)


def _sms_copies(*, reviews: bool) -> ProblemFn:
    """The plan's latest written record (the discussion agreeing it, or else its latest review)
    is judged at the plan's next act, once: by then it is on the personal file and with the
    employee. No limit is stated, so that is the latest meaningful moment."""

    def problem(ctx: ActContext) -> str | None:
        plan = _plan_of(ctx.file, ctx.act)
        if plan is None or plan.kind is not SMS:
            return None
        latest = max([plan.agreed, *(m for m, _ in plan.reviews)], key=lambda m: m.version)
        if (latest is not plan.agreed) is not reviews:
            return None
        acted = [m for m, _ in plan.revisions] + ([plan.decided] if plan.decided else [])
        if any(mark.version > latest.version for mark in acted):
            return None
        missing = [to for to in COPIES if to not in copied_to(ctx.file, latest.version)]
        if not missing:
            return None
        what = "the review of" if reviews else "the discussion agreeing"
        return (
            f"the written record of {what} plan {plan.plan_id} ({latest.on}) goes on the "
            f"personal file with a copy to the employee: no copy to {' or '.join(missing)} is "
            "recorded"
        )

    return problem


@CHECKS.holds("sip-invited", "002 ¶10.17 L133")
def _sip_invited(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, MeetingHeld)
    if not is_headteacher(file) or _purpose(file, act) is not SMS_DISCUSSION:
        return True
    return any(a.role == SIP_ROLE for a in act.attendees) or (
        "school_improvement_provider_invited" in act.confirms
    )


@CHECKS.due_rows("sms-reviews", "002 ¶10.20 L142")
def _sms_review_rows(file: CaseFile, calendar: SchoolCalendar) -> Iterable[FixedDue]:
    for plan in sms_plans(file):
        agreed = [(plan.agreed, plan.plan.review_on)]
        agreed += [(mark, revision.review_on) for mark, revision in plan.revisions]
        held = [mark for mark, _ in plan.reviews]
        if plan.decided is not None:
            held.append(plan.decided)
        for mark, review_on in agreed:
            done = min(
                (h for h in held if h.version > mark.version),
                key=lambda h: (h.on, h.version),
                default=None,
            )
            yield FixedDue(
                mark,
                f"review of structured managerial support plan {plan.plan_id}",
                review_on,
                "on the agreed review date",
                done,
            )


@CHECKS.holds("sms-confirmed-successful", "002 ¶10.21 L143")
def _sms_successful(file: CaseFile, act: Act) -> bool:
    if not isinstance(act, OutcomeDecided) or act.outcome is not Outcome.SUCCESSFUL:
        return False
    plan = file.plans.get(act.subject_id)
    return plan is not None and plan.kind is SMS


def _consequences_in_writing(*, after_sms: bool) -> HoldsFn:
    def holds(file: CaseFile, act: Act) -> bool:
        plan = live_sms(file)
        if (plan is not None) is not after_sms:
            return True
        since = plan.agreed.version if plan else 0
        return any(c.in_writing and m.version >= since for m, c in file.consequences)

    return holds


@CHECKS.problem("consequences-late", "002 ¶10.22 L144")
def _good_time(ctx: ActContext) -> str | None:
    plan = live_sms(ctx.file)
    if plan is None:
        return None
    told = sorted(
        m.on for m, c in ctx.file.consequences if c.in_writing and m.version >= plan.agreed.version
    )
    if not told:
        return None
    latest = ctx.calendar.shift(ctx.on, CONSEQUENCES_MIN_LEAD, Direction.BEFORE)
    if told[0] <= latest:
        return None
    return (
        f"a likely move to capability must be communicated in good time: at least "
        f"{DATA.time_limits['consequences-lead'].words} before ({latest}); it was first recorded "
        f"on {told[0]}"
    )


@CHECKS.problem("not-sustained-without-improvement", "002 ¶10.23 L145")
def _not_sustained_basis(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, CapabilityStarted)
    if act.basis is not CapabilityBasis.NOT_SUSTAINED:
        return None
    if sustain_window(ctx.file, ctx.calendar, ctx.on) is not None:
        return None
    return (
        "basis 'not_sustained' needs an improvement confirmed under structured managerial "
        f"support in the {SUSTAIN_WORDS} before {ctx.on}; there is none"
    )


@CHECKS.problem("capability-too-soon", "002 ¶10.28 L157")
def _too_soon(ctx: ActContext) -> str | None:
    plan = live_sms(ctx.file)
    if plan is None:
        return None
    try:
        earliest = ctx.calendar.shift(plan.plan.starts_on, TYPICAL_MINIMUM)
    except CalendarError:
        return None
    if ctx.on >= earliest:
        return None
    return (
        f"structured managerial support began on {plan.plan.starts_on}; a typical case allows "
        f"{limit_words('support-typical-minimum')} to half a term (at least to {earliest}) before "
        "capability"
    )


@CHECKS.holds("capability-after-sms", "002 ¶10.27 L152-156")
def _after_sms(file: CaseFile, act: Act) -> bool:
    return isinstance(act, CapabilityStarted) and live_sms(file) is not None


@CHECKS.problem("no-stage-one-invitation", "002 ¶10.29 L158")
def _stage_one_invited(ctx: ActContext) -> str | None:
    if not ctx.file.capability:
        return None
    start, started = ctx.file.capability[-1]
    if "stage_one_meeting_invited" in started.confirms:
        return None
    previous_end = ctx.file.capability_ended[-1][0].version if ctx.file.capability_ended else 0
    if any(
        m.purpose is MeetingPurpose.FIRST_FORMAL
        and m.invited is not None
        and m.invited.version > previous_end
        for m in ctx.file.meetings.values()
    ):
        return None
    return (
        f"the move to the Capability Policy on {start.on} calls for an invitation to a stage one "
        "meeting; none is recorded"
    )


CHECKS.problem("headteacher-not-notified", "002 ¶10.4 L112")(_notified(headteacher_case=False))
CHECKS.problem("chairs-not-notified", "002 ¶10.5 L113")(_notified(headteacher_case=True))
CHECKS.problem("sms-record-not-copied", "002 ¶10.19 L141")(_sms_copies(reviews=False))
CHECKS.problem("sms-review-not-copied", "002 ¶10.20 L142")(_sms_copies(reviews=True))
CHECKS.holds("consequences-in-writing-after-sms", "002 ¶10.22 L144")(
    _consequences_in_writing(after_sms=True)
)
CHECKS.holds("consequences-in-writing-on-bypass", "002 ¶10.22 L144 (D-hp-6)")(
    _consequences_in_writing(after_sms=False)
)
