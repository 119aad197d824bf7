"""The annual cycle: scope, the reviewer, the cycle's dates, its meetings and objectives.

001 §1, §3, §4.1, §4.2, §4.4, §4.5, §4.7 and the §6.2 checklist. The cycle's own dates are not
due while the Capability Procedure runs (§5.1) and are due again once it ends (§5.2).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta

from pmledger.calendar import SchoolCalendar, add_months
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
from pmledger.policies.judgement import RuleKind, Severity
from pmledger.policies.rule import ActContext, DeadlineSpec, Rule
from pmledger.policies.rules.authority import ActorMust
from pmledger.policies.rules.conditions import Requires
from pmledger.policies.rules.due_after import Anchor, DueAfter, DueBy
from pmledger.policies.rules.suspension import SuspendedWhile, capability_spans

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

NO_LONGER_APPLIES = (
    "performance management no longer applies while the Capability Procedure runs (001 §5.1)"
)
"""Why a cycle date falling due during capability is not due: §5.1 ends the process for that
time and §5.2 recommences it, so a date after capability ended is due again."""

CPD_IN_DEVELOPMENT_PLAN = "cpd_target_in_development_plan"
"""ObjectivesSet.confirms: the CPD target (§4.5) sits in the development plan, not the list."""


class Scope(Rule):
    """001 §1: support staff only, and not while in their probationary period.

    Checked when the case opens and again when a cycle opens, because a later
    EmploymentStatusChanged (probation, staff group) can take the employee out of scope.
    """

    kind = RuleKind.HARD

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if isinstance(act, CaseOpened):
            group, probation = act.staff_group.value, act.in_probation
        elif isinstance(act, CycleOpened):
            opened = ctx.file.opened
            group = ctx.file.employment.get("staff_group") or opened.staff_group.value
            probation = flag(ctx.file, "in_probation", opened.in_probation)
        else:
            return
        if group != StaffGroup.SUPPORT_STAFF.value:
            ctx.impossible(self, f"this policy applies to support staff only, not to {group}")
        if probation:
            ctx.impossible(
                self, "this policy does not apply to support staff in their probationary period"
            )


class ReviewerIsLineManager(Rule):
    """001 §3: the reviewer "should ideally be" the line manager, so anyone else needs a reason.

    With no line manager on record, line management is unclear and the Headteacher's choice
    (ss-reviewer-appointed-by-ht) is the source's own answer: nothing to explain.
    """

    kind = RuleKind.DEVIATION
    severity = Severity.MINOR

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, ReviewerAssigned | CycleOpened):
            return
        manager = line_manager(ctx.file)
        if manager is not None and act.reviewer_person_id != manager:
            ctx.exceptional(
                self, f"the reviewer {act.reviewer_person_id} is not the line manager {manager}"
            )


class ReviewerChangeRequest(Rule):
    """001 §3: "At the start of the process" the reviewee may ask the Headteacher, in writing and
    with reasons (required by the event), for another reviewer, and the Headteacher decides. Once
    the cycle's objectives are set it is no longer the start, so a later request needs a reason.
    """

    kind = RuleKind.HARD

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if isinstance(act, ReviewerChangeDecided) and ctx.actor.role is not Role.HEADTEACHER:
            ctx.breach(self, "the Headteacher decides a request for another reviewer")
        if not isinstance(act, ReviewerChangeRequested):
            return
        if ctx.actor.role is not Role.EMPLOYEE:
            ctx.breach(self, "only the reviewee can ask for another reviewer")
        if not act.in_writing:
            ctx.breach(self, "a request for another reviewer must be made in writing")
        cycle = cycle_on(ctx.file, ctx.on)
        if cycle is not None and cycle[0] in ctx.file.objectives_set:
            ctx.exceptional(
                self,
                f"the request comes after the objectives of cycle {cycle[0]} were set, not at "
                "the start of the process",
            )


class CycleAlignment(Rule):
    """001 §4.4: the cycle "ties in with the academic year (September to August)", and a new
    starter's first period brings them onto "the same cycle as the other support staff in the
    following year": every cycle ends on 31 August of the academic year it starts in.
    """

    severity = Severity.MINOR

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, CycleOpened) or act.cycle_kind is CycleKind.FIXED_TERM_CONTRACT:
            return
        common_end = date(academic_year_start(act.starts_on) + 1, 8, 31)
        if act.ends_on != common_end:
            ctx.breach(
                self,
                f"cycle {act.cycle_id} ends on {act.ends_on}, not on {common_end}: the support "
                "staff cycle ends with the academic year",
            )


def _review_meeting_has(flag_name: str) -> Callable[[CaseFile, Act], bool]:
    def holds(file: CaseFile, act: Act) -> bool:
        return purpose_of(file, act) not in REVIEW_MEETINGS or bool(getattr(act, flag_name))

    return holds


def _next_meeting_scheduled(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, MeetingHeld)
    planned = {MeetingPurpose.PLANNING, MeetingPurpose.MID_YEAR_REVIEW}
    return purpose_of(file, act) not in planned or act.next_meeting_on is not None


class MeetingPlanned(Rule):
    """001 §4.1: the review meeting is "planned in advance with both parties being aware of the
    date, time and location": an invitation before the day that names the venue. Staff employed
    for short periods and group targets are the source's own exception: state it as the reason.
    """

    severity = Severity.MINOR

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if isinstance(act, MeetingInvited) and act.purpose in REVIEW_MEETINGS and not act.venue:
            ctx.breach(
                self,
                f"the invitation to {act.purpose.value} meeting {act.meeting_id} does not give "
                "the location",
            )
        if isinstance(act, MeetingHeld) and purpose_of(ctx.file, act) in REVIEW_MEETINGS:
            meeting = ctx.file.meetings.get(act.meeting_id)
            invited = meeting.invited if meeting is not None else None
            if invited is None or invited.on >= ctx.on:
                ctx.breach(
                    self,
                    f"review meeting {act.meeting_id} on {ctx.on} was not planned in advance: "
                    "no invitation before the day",
                )


class ObjectivesWithinLimit(Rule):
    """001 §6.2: "Identify no more than 4 key objectives". An objective spanning cycles (§4.2)
    counts in every cycle it is still due in. Objective has no `key` flag, so every objective
    counts; the App 1 memo's "consider 3 targets" is a suggestion, not a limit.
    """

    kind = RuleKind.LIMIT

    def __init__(self, rule_id: str, source: str, summary: str, *, maximum: int) -> None:
        super().__init__(rule_id, source, summary)
        self.maximum = maximum

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, ObjectivesSet | ObjectivesRevised):
            return
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
        if count > self.maximum:
            ctx.breach(
                self,
                f"{count} key objectives for cycle {act.cycle_id}"
                + (f" (with {len(carried)} still running from an earlier cycle)" if carried else "")
                + f" is more than the {self.maximum} the policy allows",
            )


class EachObjective(Rule):
    """A check on every objective set or revised; the finding names the ones that fail."""

    severity = Severity.MINOR

    def __init__(
        self,
        rule_id: str,
        source: str,
        summary: str,
        *,
        fails: Callable[[Objective], bool],
        problem: str,
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.fails = fails
        self.problem = problem

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, ObjectivesSet | ObjectivesRevised):
            return
        failing = [o.objective_id for o in act.objectives if self.fails(o)]
        if failing:
            ctx.breach(self, f"objective {', '.join(failing)}: {self.problem}")


def _not_smart(objective: Objective) -> bool:
    time_bound = objective.due_on is not None or bool(objective.milestones)
    return not objective.success_criteria.strip() or not time_bound


def _no_milestones(objective: Objective) -> bool:
    return objective.spans_cycles and not objective.milestones


def _has_cpd_target(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, ObjectivesSet)
    cpd = any(o.objective_kind is ObjectiveKind.CPD for o in act.objectives)
    return cpd or CPD_IN_DEVELOPMENT_PLAN in act.confirms


class DeterminedByTheReviewer(Rule):
    """001 §4.2: without agreement "the reviewer will make the determination", and nobody else."""

    kind = RuleKind.HARD

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, ObjectivesSet) or act.agreed_by_employee:
            return
        if not act.determined_by_reviewer:
            ctx.breach(
                self,
                "objectives not agreed with the reviewee must be recorded as determined by the "
                "reviewer",
            )
        if not is_reviewer(ctx.file, ctx.actor):
            ctx.breach(
                self,
                f"objectives not agreed with the reviewee are determined by the reviewer, not "
                f"by {ctx.actor.person_id} ({ctx.actor.role.value})",
            )


def _window_of_month(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    return first, add_months(first, 1) - timedelta(days=1)


class MidYearReview(Rule):
    """001 §4.4 "a mid-year review in April"; §4.7 "can take place 6 months after the main
    review". The two agree for a late-October main review and differ otherwise (D-ss-5), so the
    school chooses: April, the month six months after the main review, or either (default).
    """

    severity = Severity.MINOR

    def __init__(self, rule_id: str, source: str, summary: str, *, rule: MidYearRule) -> None:
        super().__init__(rule_id, source, summary)
        self.rule = rule

    def windows(self, file: CaseFile, cycle: CycleOpened) -> list[tuple[date, date]]:
        found = []
        if self.rule is not MidYearRule.PLUS_6_MONTHS:
            year = cycle.starts_on.year
            if cycle.starts_on > date(year, 4, 30):
                year += 1
            if date(year, 4, 1) <= cycle.ends_on:
                found.append((date(year, 4, 1), date(year, 4, 30)))
        main = next(held_in(file, cycle, MeetingPurpose.PLANNING), None)
        if self.rule is not MidYearRule.APRIL and main is not None:
            found.append(_window_of_month(add_months(main[1].on, 6)))
        return found

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, MeetingHeld):
            return
        if purpose_of(ctx.file, act) is not MeetingPurpose.MID_YEAR_REVIEW:
            return
        cycle = cycle_on(ctx.file, ctx.on)
        windows = self.windows(ctx.file, cycle[2]) if cycle is not None else []
        if windows and not any(start <= ctx.on <= end for start, end in windows):
            allowed = " or ".join(f"{start} to {end}" for start, end in windows)
            ctx.breach(self, f"mid-year review on {ctx.on} is outside {allowed}")

    def deadlines(self, file: CaseFile, calendar: SchoolCalendar) -> Iterator[DeadlineSpec]:
        for cycle_id, (mark, cycle) in file.cycles.items():
            windows = self.windows(file, cycle)
            if not windows:
                continue
            done = next(held_in(file, cycle, MeetingPurpose.MID_YEAR_REVIEW), None)
            yield DeadlineSpec(
                rule=self,
                description=f"mid-year review of cycle {cycle_id}",
                anchor_version=mark.version,
                due_on=max(end for _, end in windows),
                unit="in April or six months after the main review"
                if len(windows) > 1
                else f"between {windows[0][0]} and {windows[0][1]}",
                done=done[1] if done is not None else None,
            )


class ObjectivesSigned(Rule):
    """001 §4.2: the objectives are "written down and both parties should sign". The reviewer
    signs by recording them; the reviewee countersigns. §4.2 sets no limit, so the latest
    meaningful date is the end of the cycle they govern (§9.3's 10 working days bind the App 3
    form: ss-pr-form-signed-10wd).
    """

    severity = Severity.MINOR

    def deadlines(self, file: CaseFile, calendar: SchoolCalendar) -> Iterator[DeadlineSpec]:
        for cycle_id, mark in file.objectives_set.items():
            cycle = file.cycles.get(cycle_id)
            if cycle is None:
                continue
            extension = file.extensions.get(f"{self.ref.id}@{mark.version}")
            yield DeadlineSpec(
                rule=self,
                description=f"objectives of cycle {cycle_id} countersigned by the reviewee",
                anchor_version=mark.version,
                due_on=extension[1].new_due_on if extension else cycle[1].ends_on,
                unit="by the end of the cycle",
                done=file.acknowledged.get(mark.version),
            )


def _planning_by(month: int, day: int) -> Callable[[CaseFile], Iterable[Anchor]]:
    def anchors(file: CaseFile) -> Iterator[Anchor]:
        for cycle_id, (mark, cycle) in file.cycles.items():
            due = date(cycle.starts_on.year, month, day)
            if due < cycle.starts_on:
                due = date(cycle.starts_on.year + 1, month, day)
            if due > cycle.ends_on:
                continue
            held = next(held_in(file, cycle, MeetingPurpose.PLANNING), None)
            yield Anchor(
                mark=mark,
                description=f"planning/review meeting of cycle {cycle_id}",
                done=held[1] if held is not None else None,
                start=cycle.starts_on,
            )

    return anchors


def _supervisions(file: CaseFile) -> Iterator[Anchor]:
    held = held_meetings(file, MeetingPurpose.SUPERVISION)
    for meeting, following in zip(held, [*held[1:], None], strict=True):
        assert meeting.held is not None
        yield Anchor(
            mark=meeting.held,
            description=f"supervision meeting after {meeting.meeting_id} on {meeting.held.on}",
            done=following.held if following is not None else None,
        )


def _paused_by_capability(rule: Rule) -> Rule:
    return SuspendedWhile(rule, spans=capability_spans, why=NO_LONGER_APPLIES)


def rules(settings: Settings) -> tuple[Rule, ...]:
    month, day = settings.planning_deadline
    found: list[Rule] = [
        Scope("ss-scope", "001 §1", "Support staff only; not in probation, not teachers."),
        ReviewerIsLineManager(
            "ss-reviewer-line-manager",
            "001 §3",
            "The reviewer should ideally be the line manager; anyone else needs a reason.",
        ),
        ActorMust(
            "ss-reviewer-appointed-by-ht",
            "001 §3",
            "Where line management is unclear the Headteacher appoints the reviewer.",
            acts={"reviewer_assigned", "reviewer_changed"},
            roles={Role.HEADTEACHER},
        ),
        ReviewerChangeRequest(
            "ss-reviewer-change-request",
            "001 §3",
            "At the start, the reviewee may ask the Headteacher in writing, with reasons, for "
            "another reviewer; later requests need a reason.",
        ),
        MeetingPlanned(
            "ss-meeting-planned",
            "001 §4.1",
            "Review meetings are planned in advance: date, time and location known to both.",
        ),
        Requires(
            "ss-meeting-working-hours",
            "001 §4.1",
            "The review meeting must take place in the reviewee's contracted working hours.",
            acts={"meeting_held"},
            holds=_review_meeting_has("within_working_hours"),
            message="the review meeting was held outside the reviewee's contracted working hours",
        ),
        Requires(
            "ss-meeting-private",
            "001 §4.1",
            "The review meeting is held privately, where it will not be disturbed.",
            acts={"meeting_held"},
            holds=_review_meeting_has("venue_private"),
            message="the review meeting was not held privately",
            severity=Severity.MINOR,
        ),
        _paused_by_capability(
            ObjectivesSigned(
                "ss-objectives-signed",
                "001 §4.2",
                "Objectives are written down and signed by both parties.",
            )
        ),
        DeterminedByTheReviewer(
            "ss-objectives-reviewer-determines",
            "001 §4.2",
            "Objectives are agreed, or else determined by the reviewer and nobody else.",
        ),
        ObjectivesWithinLimit(
            "ss-objectives-max-4",
            "001 §6.2, App 1",
            f"No more than {settings.max_key_objectives} key objectives per cycle (refused).",
            maximum=settings.max_key_objectives,
        ),
        EachObjective(
            "ss-objectives-smart",
            "001 §4.7",
            "Objectives are SMART: success criteria and a due date or milestones.",
            fails=_not_smart,
            problem="not SMART: needs success criteria and a due date or milestones",
        ),
        EachObjective(
            "ss-objectives-multi-cycle",
            "001 §4.2",
            "An objective covering more than one cycle has milestones.",
            fails=_no_milestones,
            problem="spans more than one cycle without milestones",
        ),
        Requires(
            "ss-cpd-target",
            "001 §4.5, §4.7",
            "Each employee has a target specific to their own CPD.",
            acts={"objectives_set"},
            holds=_has_cpd_target,
            message="no objective is a CPD target and the record does not confirm "
            f"{CPD_IN_DEVELOPMENT_PLAN}",
            severity=Severity.MINOR,
        ),
        _paused_by_capability(
            DueBy(
                "ss-planning-by-31-oct",
                "001 §4.4",
                "The performance review and planning meeting has taken place by 31 October.",
                month=month,
                day=day,
                anchors=_planning_by(month, day),
            )
        ),
        _paused_by_capability(
            MidYearReview(
                "ss-mid-year-review",
                "001 §4.4, §4.7",
                "Mid-year review in April or six months after the main review (school setting).",
                rule=settings.mid_year_rule,
            )
        ),
        CycleAlignment(
            "ss-new-starter-alignment",
            "001 §4.4",
            "Cycles, a new starter's first one included, end with the academic year.",
        ),
        Requires(
            "ss-schedule-next-meeting",
            "001 §6.2",
            "The reviewer schedules the next meeting.",
            acts={"meeting_held"},
            holds=_next_meeting_scheduled,
            message="the review meeting did not schedule the next meeting",
            severity=Severity.MINOR,
        ),
    ]
    if settings.supervision_interval is not None:
        found.append(
            _paused_by_capability(
                DueAfter(
                    "ss-supervision",
                    "001 §4.7",
                    "Regular supervision meetings at the timescale the school sets.",
                    limit=settings.supervision_interval,
                    anchors=_supervisions,
                    severity=Severity.MINOR,
                )
            )
        )
    return tuple(found)
