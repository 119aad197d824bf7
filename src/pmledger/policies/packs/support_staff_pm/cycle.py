"""The annual cycle: scope, the reviewer, the cycle's dates, its meetings and objectives.

001 §1, §3, §4.1, §4.2, §4.4, §4.5, §4.7 and the §6.2 checklist, as named checks the pack file
cites. The cycle's own dates are not due while the Capability Procedure runs (§5.1) and are due
again once it ends (§5.2): the file pauses those rules `paused_while = "capability-runs"`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

from pmledger.calendar import add_months
from pmledger.calendar.terms import academic_year_start
from pmledger.events.actors import Role
from pmledger.events.case_acts import (
    CaseOpened,
    CycleKind,
    CycleOpened,
    Objective,
    ObjectiveKind,
    ObjectivesRevised,
    ObjectivesSet,
    ReviewerAssigned,
    ReviewerChangeDecided,
    ReviewerChangeRequested,
    StaffGroup,
)
from pmledger.events.meeting_acts import MeetingHeld, MeetingInvited, MeetingPurpose
from pmledger.events.signed_event import Act
from pmledger.policies.case_file import CaseFile
from pmledger.policies.named_checks import NamedChecks
from pmledger.policies.rule import ActContext
from pmledger.policies.rules.due_after import Anchor
from pmledger.policies.rules.fixed_dates import FixedDue
from pmledger.policies.rules.suspension import capability_spans

from .facts import (
    REVIEW_MEETINGS,
    cycle_on,
    flag,
    held_in,
    held_meetings,
    is_reviewer,
    line_manager,
    purpose_of,
)
from .settings import MidYearRule, Settings

CPD_IN_DEVELOPMENT_PLAN = "cpd_target_in_development_plan"
"""ObjectivesSet.confirms: the CPD target (§4.5) sits in the development plan, not the list."""


def outside_scope(ctx: ActContext) -> str | None:
    """001 §1: support staff only, and not while in their probationary period. Asked when the
    case opens and again when a cycle opens, because a later EmploymentStatusChanged
    (probation, staff group) can take the employee out of scope."""
    act = ctx.act
    if isinstance(act, CaseOpened):
        group, probation = act.staff_group.value, act.in_probation
    else:
        opened = ctx.file.opened
        group = ctx.file.employment.get("staff_group") or opened.staff_group.value
        probation = flag(ctx.file, "in_probation", opened.in_probation)
    if group != StaffGroup.SUPPORT_STAFF.value:
        return f"this policy applies to support staff only, not to {group}"
    if probation:
        return "this policy does not apply to support staff in their probationary period"
    return None


def reviewer_not_line_manager(ctx: ActContext) -> str | None:
    """001 §3: the reviewer "should ideally be" the line manager. With no line manager on
    record, line management is unclear and the Headteacher's choice is the source's own answer
    (ss-reviewer-appointed-by-ht): nothing to explain."""
    act = ctx.act
    assert isinstance(act, ReviewerAssigned | CycleOpened)
    manager = line_manager(ctx.file)
    if manager is not None and act.reviewer_person_id != manager:
        return f"the reviewer {act.reviewer_person_id} is not the line manager {manager}"
    return None


def change_not_decided_by_headteacher(ctx: ActContext) -> str | None:
    """001 §3: the reviewee asks the Headteacher for another reviewer, who decides."""
    if isinstance(ctx.act, ReviewerChangeDecided) and ctx.actor.role is not Role.HEADTEACHER:
        return "the Headteacher decides a request for another reviewer"
    return None


def change_not_asked_by_reviewee(ctx: ActContext) -> str | None:
    """001 §3: the reviewee may ask for another reviewer."""
    if ctx.actor.role is not Role.EMPLOYEE:
        return "only the reviewee can ask for another reviewer"
    return None


def change_not_in_writing(ctx: ActContext) -> str | None:
    """001 §3: the request is made in writing (its reasons the event requires)."""
    act = ctx.act
    assert isinstance(act, ReviewerChangeRequested)
    return None if act.in_writing else "a request for another reviewer must be made in writing"


def change_after_the_start(ctx: ActContext) -> str | None:
    """001 §3: "At the start of the process": once the cycle's objectives are set it is no
    longer the start, so a later request needs a reason."""
    cycle = cycle_on(ctx.file, ctx.on)
    if cycle is not None and cycle[0] in ctx.file.objectives_set:
        return (
            f"the request comes after the objectives of cycle {cycle[0]} were set, not at the "
            "start of the process"
        )
    return None


def cycle_not_with_academic_year(ctx: ActContext) -> str | None:
    """001 §4.4: the cycle "ties in with the academic year (September to August)", and a new
    starter's first period brings them onto "the same cycle as the other support staff in the
    following year": every cycle but a fixed-term contract's ends on 31 August of the academic
    year it starts in."""
    act = ctx.act
    assert isinstance(act, CycleOpened)
    if act.cycle_kind is CycleKind.FIXED_TERM_CONTRACT:
        return None
    common_end = date(academic_year_start(act.starts_on) + 1, 8, 31)
    if act.ends_on != common_end:
        return (
            f"cycle {act.cycle_id} ends on {act.ends_on}, not on {common_end}: the support "
            "staff cycle ends with the academic year"
        )
    return None


def held_in_working_hours(file: CaseFile, act: Act) -> bool:
    """001 §4.1: a review meeting takes place in the reviewee's contracted working hours."""
    assert isinstance(act, MeetingHeld)
    return purpose_of(file, act) not in REVIEW_MEETINGS or act.within_working_hours


def held_privately(file: CaseFile, act: Act) -> bool:
    """001 §4.1: a review meeting is held privately, where it will not be disturbed."""
    assert isinstance(act, MeetingHeld)
    return purpose_of(file, act) not in REVIEW_MEETINGS or act.venue_private


def next_meeting_scheduled(file: CaseFile, act: Act) -> bool:
    """001 §6.2: the planning and mid-year meetings schedule the next one."""
    assert isinstance(act, MeetingHeld)
    planned = {MeetingPurpose.PLANNING, MeetingPurpose.MID_YEAR_REVIEW}
    return purpose_of(file, act) not in planned or act.next_meeting_on is not None


def review_meeting_not_planned(ctx: ActContext) -> str | None:
    """001 §4.1: the review meeting is "planned in advance with both parties being aware of the
    date, time and location": an invitation before the day that names the venue. Staff employed
    for short periods and group targets are the source's own exception: state it as the
    reason."""
    act = ctx.act
    if isinstance(act, MeetingInvited):
        if act.purpose in REVIEW_MEETINGS and not act.venue:
            return (
                f"the invitation to {act.purpose.value} meeting {act.meeting_id} does not give "
                "the location"
            )
        return None
    if not isinstance(act, MeetingHeld) or purpose_of(ctx.file, act) not in REVIEW_MEETINGS:
        return None
    meeting = ctx.file.meetings.get(act.meeting_id)
    invited = meeting.invited if meeting is not None else None
    if invited is None or invited.on >= ctx.on:
        return (
            f"review meeting {act.meeting_id} on {ctx.on} was not planned in advance: no "
            "invitation before the day"
        )
    return None


def too_many_objectives(ctx: ActContext, maximum: int) -> str | None:
    """001 §6.2: "Identify no more than 4 key objectives" (the file's max-key-objectives). An
    objective spanning cycles (§4.2) counts in every cycle it is still due in. Objective has no
    `key` flag, so every objective counts; the App 1 memo's "consider 3 targets" is a
    suggestion, not a limit."""
    act = ctx.act
    assert isinstance(act, ObjectivesSet | ObjectivesRevised)
    cycle = ctx.file.cycles.get(act.cycle_id)
    starts = cycle[1].starts_on if cycle is not None else ctx.on
    ids = {o.objective_id for o in act.objectives}
    carried = [
        o
        for cycle_id, objectives in ctx.file.objectives.items()
        if cycle_id != act.cycle_id
        for o in objectives
        if o.spans_cycles
        and o.due_on is not None
        and o.due_on >= starts
        and o.objective_id not in ids
    ]
    count = len(act.objectives) + len(carried)
    if count <= maximum:
        return None
    running = f" (with {len(carried)} still running from an earlier cycle)" if carried else ""
    return (
        f"{count} key objectives for cycle {act.cycle_id}{running} is more than the {maximum} "
        "the policy allows"
    )


def objectives_not_smart(ctx: ActContext) -> str | None:
    """001 §4.7: objectives are SMART: success criteria, and a due date or milestones."""

    def fails(objective: Objective) -> bool:
        time_bound = objective.due_on is not None or bool(objective.milestones)
        return not objective.success_criteria.strip() or not time_bound

    return _failing(ctx, fails, "not SMART: needs success criteria and a due date or milestones")


def spans_cycles_without_milestones(ctx: ActContext) -> str | None:
    """001 §4.2: an objective covering more than one cycle has milestones."""

    def fails(objective: Objective) -> bool:
        return objective.spans_cycles and not objective.milestones

    return _failing(ctx, fails, "spans more than one cycle without milestones")


def _failing(ctx: ActContext, fails: Callable[[Objective], bool], problem: str) -> str | None:
    """The objectives set or revised that fail, named in one finding."""
    act = ctx.act
    assert isinstance(act, ObjectivesSet | ObjectivesRevised)
    failing = [o.objective_id for o in act.objectives if fails(o)]
    return f"objective {', '.join(failing)}: {problem}" if failing else None


def has_cpd_target(file: CaseFile, act: Act) -> bool:
    """001 §4.5, §4.7: a target specific to the employee's own CPD, among the objectives or
    (confirmed) in the development plan."""
    assert isinstance(act, ObjectivesSet)
    cpd = any(o.objective_kind is ObjectiveKind.CPD for o in act.objectives)
    return cpd or CPD_IN_DEVELOPMENT_PLAN in act.confirms


def not_recorded_as_determined(ctx: ActContext) -> str | None:
    """001 §4.2: objectives not agreed are "determined" by the reviewer, and recorded so."""
    act = ctx.act
    assert isinstance(act, ObjectivesSet)
    if act.agreed_by_employee or act.determined_by_reviewer:
        return None
    return "objectives not agreed with the reviewee must be recorded as determined by the reviewer"


def determined_by_someone_else(ctx: ActContext) -> str | None:
    """001 §4.2: without agreement "the reviewer will make the determination", nobody else."""
    act = ctx.act
    assert isinstance(act, ObjectivesSet)
    if act.agreed_by_employee or is_reviewer(ctx.file, ctx.actor):
        return None
    return (
        "objectives not agreed with the reviewee are determined by the reviewer, not by "
        f"{ctx.actor.person_id} ({ctx.actor.role.value})"
    )


def objectives_countersigned(file: CaseFile) -> Iterator[FixedDue]:
    """001 §4.2: the objectives are "written down and both parties should sign". The reviewer
    signs by recording them; the reviewee countersigns. §4.2 sets no limit, so the latest
    meaningful date is the end of the cycle they govern (§9.3's 10 working days bind the App 3
    form: ss-pr-form-signed-10wd)."""
    for cycle_id, mark in file.objectives_set.items():
        cycle = file.cycles.get(cycle_id)
        if cycle is None:
            continue
        yield FixedDue(
            mark=mark,
            description=f"objectives of cycle {cycle_id} countersigned by the reviewee",
            due_on=cycle[1].ends_on,
            unit="by the end of the cycle",
            done=file.acknowledged.get(mark.version),
        )


def planning_meeting_by(file: CaseFile, month: int, day: int) -> Iterator[FixedDue]:
    """001 §4.4: the review and planning meeting has taken place by 31 October (the school's
    `planning_deadline`) of each cycle that reaches that day."""
    for cycle_id, (mark, cycle) in file.cycles.items():
        due = date(cycle.starts_on.year, month, day)
        if due < cycle.starts_on:
            due = date(cycle.starts_on.year + 1, month, day)
        if due > cycle.ends_on:
            continue
        held = next(held_in(file, cycle, MeetingPurpose.PLANNING), None)
        yield FixedDue(
            mark=mark,
            description=f"planning/review meeting of cycle {cycle_id}",
            due_on=due,
            unit=f"by {due:%d %B}",
            done=held[1] if held is not None else None,
        )


def mid_year_windows(
    file: CaseFile, cycle: CycleOpened, rule: MidYearRule
) -> list[tuple[date, date]]:
    """001 §4.4 "a mid-year review in April"; §4.7 "can take place 6 months after the main
    review". The two agree for a late-October main review and differ otherwise (D-ss-5), so the
    school chooses: April, the month six months after the main review, or either (default)."""
    found = []
    if rule is not MidYearRule.PLUS_6_MONTHS:
        year = cycle.starts_on.year
        if cycle.starts_on > date(year, 4, 30):
            year += 1
        if date(year, 4, 1) <= cycle.ends_on:
            found.append((date(year, 4, 1), date(year, 4, 30)))
    main = next(held_in(file, cycle, MeetingPurpose.PLANNING), None)
    if rule is not MidYearRule.APRIL and main is not None:
        first = add_months(main[1].on, 6).replace(day=1)
        found.append((first, add_months(first, 1) - timedelta(days=1)))
    return found


def mid_year_outside_window(ctx: ActContext, rule: MidYearRule) -> str | None:
    """A mid-year review held outside the months the school's reading allows."""
    if purpose_of(ctx.file, ctx.act) is not MeetingPurpose.MID_YEAR_REVIEW:
        return None
    cycle = cycle_on(ctx.file, ctx.on)
    windows = mid_year_windows(ctx.file, cycle[2], rule) if cycle is not None else []
    if windows and not any(start <= ctx.on <= end for start, end in windows):
        allowed = " or ".join(f"{start} to {end}" for start, end in windows)
        return f"mid-year review on {ctx.on} is outside {allowed}"
    return None


def mid_year_reviews(file: CaseFile, rule: MidYearRule) -> Iterator[FixedDue]:
    """A mid-year review of each cycle, due by the end of the last month allowed."""
    for cycle_id, (mark, cycle) in file.cycles.items():
        windows = mid_year_windows(file, cycle, rule)
        if not windows:
            continue
        done = next(held_in(file, cycle, MeetingPurpose.MID_YEAR_REVIEW), None)
        yield FixedDue(
            mark=mark,
            description=f"mid-year review of cycle {cycle_id}",
            due_on=max(end for _, end in windows),
            unit="in April or six months after the main review"
            if len(windows) > 1
            else f"between {windows[0][0]} and {windows[0][1]}",
            done=done[1] if done is not None else None,
        )


def supervisions(file: CaseFile) -> Iterator[Anchor]:
    """001 §4.7: regular supervision meetings, each due within the school's timescale of the
    one before."""
    held = held_meetings(file, MeetingPurpose.SUPERVISION)
    for meeting, following in zip(held, [*held[1:], None], strict=True):
        assert meeting.held is not None
        yield Anchor(
            mark=meeting.held,
            description=f"supervision meeting after {meeting.meeting_id} on {meeting.held.on}",
            done=following.held if following is not None else None,
        )


def register(checks: NamedChecks, settings: Settings) -> None:
    """This module's named checks, as the school's settings read 001."""
    month, day = settings.planning_deadline
    checks.problem("outside-scope", "001 §1")(outside_scope)
    checks.problem("reviewer-not-line-manager", "001 §3")(reviewer_not_line_manager)
    checks.problem("change-not-decided-by-headteacher", "001 §3")(change_not_decided_by_headteacher)
    checks.problem("change-not-asked-by-reviewee", "001 §3")(change_not_asked_by_reviewee)
    checks.problem("change-not-in-writing", "001 §3")(change_not_in_writing)
    checks.problem("change-after-the-start", "001 §3")(change_after_the_start)
    checks.problem("review-meeting-not-planned", "001 §4.1")(review_meeting_not_planned)
    checks.holds("held-in-working-hours", "001 §4.1")(held_in_working_hours)
    checks.holds("held-privately", "001 §4.1")(held_privately)
    checks.pauses("capability-runs", "001 §5.1, §5.2")(capability_spans)
    checks.due_rows("objectives-countersigned", "001 §4.2")(
        lambda file, _: objectives_countersigned(file)
    )
    checks.problem("not-recorded-as-determined", "001 §4.2")(not_recorded_as_determined)
    checks.problem("determined-by-someone-else", "001 §4.2")(determined_by_someone_else)
    checks.problem("too-many-objectives", "001 §6.2")(
        lambda ctx: too_many_objectives(ctx, settings.max_key_objectives)
    )
    checks.problem("objectives-not-smart", "001 §4.7")(objectives_not_smart)
    checks.problem("spans-cycles-without-milestones", "001 §4.2")(spans_cycles_without_milestones)
    checks.holds("has-cpd-target", "001 §4.5, §4.7")(has_cpd_target)
    checks.due_rows("planning-meeting-by", "001 §4.4")(
        lambda file, _: planning_meeting_by(file, month, day)
    )
    checks.problem("mid-year-outside-window", "001 §4.4, §4.7")(
        lambda ctx: mid_year_outside_window(ctx, settings.mid_year_rule)
    )
    checks.due_rows("mid-year-reviews", "001 §4.4, §4.7")(
        lambda file, _: mid_year_reviews(file, settings.mid_year_rule)
    )
    checks.problem("cycle-not-with-academic-year", "001 §4.4")(cycle_not_with_academic_year)
    checks.holds("next-meeting-scheduled", "001 §6.2")(next_meeting_scheduled)
    checks.clocks("supervisions", "001 §4.7")(supervisions)
