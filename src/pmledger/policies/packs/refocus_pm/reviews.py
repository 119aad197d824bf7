"""The two mid-point reviews, the end-of-cycle review, their forms (App B, App D) and the
employee's submission of the completed paperwork (000 §4, §7, §12, App A-D).

How the forms are recorded: each is two StatementRecorded acts with `form` 'refocus-app-b' or
'refocus-app-d'. The employee's part (statement_kind 'employee': reflections, CPD, employee
statement) is recorded by the employee, for App B ahead of the meeting; the reviewer's part
(statement_kind 'reviewer') names the meeting it documents in `about_version`, which is how the
form's "REVIEW DATE" / "MEETING DATE" is recorded, and the employee countersigns it. The
submission of the completed form is RecordSubmitted by the employee naming either part
(`to` 'formal_assessment' for App D); the part tells which review meeting it belongs to.
What each part says is its typed `contents`, box by box, checked where 000 requires a box.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from pmledger.calendar import SchoolCalendar
from pmledger.events.actors import Role
from pmledger.events.form_contents import (
    EndOfCycleReviewPart,
    MidYearReviewPart,
    ObjectiveProgress,
)
from pmledger.events.meeting_acts import MeetingHeld, MeetingPurpose
from pmledger.events.record_acts import RecordSubmitted, StatementKind, StatementRecorded
from pmledger.events.signed_event import Act
from pmledger.policies.case_file import CaseFile, Mark, MeetingFacts
from pmledger.policies.judgement import RuleKind, Severity
from pmledger.policies.packfile.binding import pack_data
from pmledger.policies.rule import ActContext, DeadlineSpec, Rule, kinds
from pmledger.policies.rules.conditions import Requires
from pmledger.policies.rules.fixed_dates import DueOn, FixedDue
from pmledger.policies.rules.form_boxes import FormBoxes

from .cycle import (
    APP_B,
    APP_D,
    JUNE_JULY,
    MID_YEAR,
    Span,
    cycle_spans,
    end_of_cycle_reviews,
    end_of_cycle_span,
    form_meeting,
    form_parts,
    held_on,
    meeting_held_at,
    mid_year_number,
    mid_year_reviews,
    record_at,
    span_on,
    statement_span,
)

DATA = pack_data(__package__)
"""This procedure's data, from its pack file."""

APPRAISAL_MEETINGS = frozenset(
    {MeetingPurpose.PLANNING, MeetingPurpose.MID_YEAR_REVIEW, MeetingPurpose.END_OF_CYCLE_REVIEW}
)
APP_C_STATEMENT = (
    "objectives_achievement",
    "key_discussion_points",
    "agreed_outcomes_next_steps",
    "professional_development_requirements",
)
"""The boxes of App D's reviewer statement App C says it "must include"."""
S12_DISCUSSION = ("workload", "wellbeing", "working_hours", "flexible_working")
"""§12: the appraiser "will ... Discuss the teacher's workload, wellbeing, working hours and
flexible working opportunities", recorded in App D's reviewer statement."""
PDP_SECTIONS = {APP_B: ("training_and_support_needed",), APP_D: ("cpd_undertaken", "cpd_requested")}
REFLECTIONS = {
    APP_B: MidYearReviewPart.REFLECTIONS[:3],
    APP_D: EndOfCycleReviewPart.REFLECTIONS,
}
"""The points for reflection each employee part answers (App B's fourth, the training and
support needed, is PDP_SECTIONS': one empty box, one finding)."""
ASPIRATIONS = {APP_D: ("career_aspirations",)}
MEETING_MINUTES = (DATA.limit("meeting-minutes-least"), DATA.limit("meeting-minutes-most"))
"""§7: a mid-year review "should take between 40 minutes to an hour"; §12: an end of cycle
meeting will "typically last for 40 minutes to 1 hour"."""


def _purpose(ctx: ActContext, act: MeetingHeld) -> MeetingPurpose | None:
    known = ctx.file.meetings.get(act.meeting_id)
    return act.purpose or (known.purpose if known else None)


def _form(ctx: ActContext, form: str, kind: StatementKind) -> StatementRecorded | None:
    act = ctx.act
    if isinstance(act, StatementRecorded) and act.form == form and act.statement_kind is kind:
        return act
    return None


class FormFields(Rule):
    """App B and App D are signed by reviewee and reviewer in their own names, and App B names
    its mid-year cycle: a part recorded in someone else's name, or a form the pack does not
    have, would make the record meaningless."""

    kind = RuleKind.HARD

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, StatementRecorded) or not (act.form or "").startswith("refocus-"):
            return
        if act.form not in (APP_B, APP_D):
            ctx.impossible(self, f"ReFocus has the forms {APP_B} and {APP_D}, not {act.form}")
        if act.statement_kind not in (StatementKind.REVIEWER, StatementKind.EMPLOYEE):
            ctx.impossible(self, f"{act.form} has a reviewer statement and an employee statement")
        if act.form == APP_B and act.mid_year_cycle is None:
            ctx.impossible(self, f"{APP_B} records its MID-YEAR CYCLE: give mid_year_cycle 1 or 2")
        if act.form == APP_D and act.mid_year_cycle is not None:
            ctx.impossible(self, f"{APP_D} is the end-of-cycle form and has no mid-year cycle")
        by_employee = ctx.actor.role is Role.EMPLOYEE
        if (act.statement_kind is StatementKind.EMPLOYEE) != by_employee:
            ctx.breach(
                self,
                "the employee statement is signed by the reviewee and the reviewer statement by "
                f"the reviewer; {ctx.actor.role.value} cannot record a "
                f"{act.statement_kind.value} statement",
            )


class MidYearReview(DueOn):
    """Held too early is found when recorded; held late or not at all shows as the window's
    last day missed or overdue."""

    def __init__(self, rule_id: str, source: str, summary: str, *, number: int) -> None:
        super().__init__(rule_id, source, summary, dues=self._dues)
        self.number = number
        self.window = MID_YEAR[number]

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, MeetingHeld) or _purpose(ctx, act) is not (
            MeetingPurpose.MID_YEAR_REVIEW
        ):
            return
        span = span_on(ctx.file, ctx.on)
        if mid_year_number(ctx.file, span, act.meeting_id) != self.number:
            return
        first, _ = span.window(self.window)
        if ctx.on < first:
            ctx.breach(
                self,
                f"mid-point review {self.number} must be undertaken in {self.window.words}; "
                f"held {ctx.on}, before {first}",
            )

    def _dues(self, file: CaseFile) -> Iterator[FixedDue]:
        for span in cycle_spans(file):
            if span.mark is None or not span.applies(self.window):
                continue
            held = mid_year_reviews(file, span)
            _, last = span.window(self.window)
            yield FixedDue(
                mark=span.mark,
                description=f"mid-point review {self.number} of cycle {span.cycle_id} "
                f"({span.label})",
                due_on=last,
                unit=f"by {last:%d %B} (in {self.window.words})",
                done=held[self.number - 1].held if len(held) >= self.number else None,
            )


class EndOfCycleWindow(DueOn):
    """Outside June/July only with a reason ("unless student outcomes are required as
    evidence"); not yet held after July shows as overdue."""

    def __init__(self, rule_id: str, source: str, summary: str) -> None:
        super().__init__(
            rule_id,
            source,
            summary,
            dues=_end_of_cycle,
            kind=RuleKind.DEVIATION,
            severity=Severity.MINOR,
        )

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, MeetingHeld) or _purpose(ctx, act) is not (
            MeetingPurpose.END_OF_CYCLE_REVIEW
        ):
            return
        taken = {
            span.cycle_id
            for span, meeting in end_of_cycle_reviews(ctx.file)
            if span.cycle_id is not None and meeting.meeting_id != act.meeting_id
        }
        span = end_of_cycle_span(ctx.file, taken, ctx.on)
        first, last = span.window(JUNE_JULY)
        if not first <= ctx.on <= last:
            ctx.exceptional(
                self,
                f"the end of cycle review for {span.label} takes place in June/July ({first} to "
                f"{last}) unless student outcomes are required as evidence; held {ctx.on}",
            )


def _end_of_cycle(file: CaseFile) -> Iterator[FixedDue]:
    held: dict[str | None, MeetingFacts] = {}
    for placed, meeting in end_of_cycle_reviews(file):
        held.setdefault(placed.cycle_id, meeting)
    for span in cycle_spans(file):
        if span.mark is None:
            continue
        _, last = span.window(JUNE_JULY)
        review = held.get(span.cycle_id)
        yield FixedDue(
            mark=span.mark,
            description=f"end of cycle review of cycle {span.cycle_id} ({span.label})",
            due_on=last,
            unit="by 31 July (in June/July)",
            done=review.held if review else None,
        )


def _published(
    calendar: SchoolCalendar, file: CaseFile, span: Span, name: str, held: date
) -> tuple[date | None, str, str | None]:
    """The submission date for the paperwork of a review held on `held`, from the school's
    calendar (or why it is unknown), and how to say it.

    It is the deadline published for the review's year, unless that fell before the meeting
    was actually held (a review deferred as §4/§12 allow, e.g. an end of cycle review waiting
    for results): paperwork cannot be due before its meeting, so it follows the meeting to the
    school's next published submission deadline on or after it."""
    school = file.opened.school
    dates = calendar.submission_deadlines(span.label)
    due: date | None = dates.model_dump()[name] if dates else None
    words = name.replace("_", " ")
    unit = f"by the {words} submission deadline {school} published for {span.label}"
    if due is None:
        unknown = (
            f"{school} has not published its {words} submission deadline for {span.label} "
            "(000 §4 NB: agreed and published annually); once it has, give it as "
            f"{name} under [years.submission_deadlines] of academic_year '{span.label}' in the "
            "school's calendar file"
        )
        return None, unit, unknown
    if due >= held:
        return due, unit, None
    passed = f"the {words} deadline {due} published for {span.label} was before the meeting"
    later = sorted(
        day
        for year in calendar.school_years
        for _, day in year.submission_deadlines.published()
        if day >= held
    )
    if later:
        return later[0], f"by {school}'s next published submission deadline ({passed})", None
    unknown = (
        f"{passed} held on {held}, and {school} has published no submission deadline after it "
        "(000 §4 NB); once it has, give it under [years.submission_deadlines] of its academic "
        "year in the school's calendar file"
    )
    return None, f"by {school}'s next published submission deadline", unknown


def _review_meetings(file: CaseFile, *, end_of_cycle: bool) -> Iterator[tuple[str, Span, Mark]]:
    """Each held review meeting with its published-deadline name and its cycle."""
    if end_of_cycle:
        for span, meeting in end_of_cycle_reviews(file):
            yield "end_of_cycle", span, held_on(meeting)
        return
    for meeting in file.meetings.values():
        if meeting.purpose is not MeetingPurpose.MID_YEAR_REVIEW or meeting.held is None:
            continue
        span = span_on(file, meeting.held.on)
        number = mid_year_number(file, span, meeting.meeting_id)
        if number in MID_YEAR:
            yield f"mid_year_{number}", span, meeting.held


def submissions(file: CaseFile) -> Iterator[tuple[Mark, MeetingFacts | None]]:
    """The employee's submissions of a ReFocus form, each with the meeting the form documents
    (None while that meeting has not been held)."""
    for record in file.recorded("record_submitted"):
        act = record.act
        if not isinstance(act, RecordSubmitted) or record.actor.role is not Role.EMPLOYEE:
            continue
        form = record_at(file, act.record_version)
        if form is None or getattr(form.act, "form", None) not in (APP_B, APP_D):
            continue
        yield record.mark, form_meeting(file, form)


def submitted_for(file: CaseFile, meeting: Mark) -> Mark | None:
    return next(
        (mark for mark, m in submissions(file) if m is not None and m.held == meeting), None
    )


class Submission(DueOn):
    """The employee submits the completed form (RecordSubmitted naming either part of it) by
    the date the school publishes each year (its calendar's submission deadlines); until it
    has, the deadline is unknown."""

    def __init__(self, rule_id: str, source: str, summary: str, *, end_of_cycle: bool) -> None:
        super().__init__(rule_id, source, summary, severity=Severity.MINOR)
        self.end_of_cycle = end_of_cycle
        self.form = APP_D if end_of_cycle else APP_B

    def fixed_dues(self, file: CaseFile, calendar: SchoolCalendar) -> Iterator[FixedDue]:
        for name, span, held in _review_meetings(file, end_of_cycle=self.end_of_cycle):
            due, unit, unknown = _published(calendar, file, span, name, held.on)
            yield FixedDue(
                mark=held,
                description=f"{name.replace('_', ' ')} paperwork of the meeting on {held.on} "
                "submitted by the employee",
                due_on=due,
                unit=unit,
                done=submitted_for(file, held),
                unknown_because=unknown,
            )

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, RecordSubmitted) or ctx.actor.role is not Role.EMPLOYEE:
            return
        form = record_at(ctx.file, act.record_version)
        if form is None or getattr(form.act, "form", None) != self.form:
            return
        if form_meeting(ctx.file, form) is None:
            ctx.breach(
                self,
                f"the completed {self.form} is submitted after its review meeting; the meeting "
                f"version {act.record_version} documents has not been held yet",
            )


class EndOfCycleSequence(Submission):
    """§12: "Following this end of cycle appraisal meeting the reviewer will complete a review
    statement and the employee will submit": the reviewer's App D part coming after the
    employee's submission is the order broken."""

    def judge(self, ctx: ActContext) -> None:
        super().judge(ctx)
        act = _form(ctx, APP_D, StatementKind.REVIEWER)
        if act is None:
            return
        meeting = meeting_held_at(ctx.file, act.about_version, MeetingPurpose.END_OF_CYCLE_REVIEW)
        submitted = submitted_for(ctx.file, meeting.held) if meeting and meeting.held else None
        if submitted is not None:
            ctx.breach(
                self,
                f"the employee submitted the appraisal on {submitted.on}, before the reviewer's "
                "review statement",
            )


class PrefilledByEmployee(DueOn):
    """App A: the form "should in part be completed by the employee ahead of the meeting": for
    each held mid-point review, the employee's App B part for it is due by the meeting's day."""

    def __init__(self, rule_id: str, source: str, summary: str) -> None:
        super().__init__(rule_id, source, summary, dues=_prefills, severity=Severity.MINOR)


def _prefills(file: CaseFile) -> Iterator[FixedDue]:
    parts = [
        (record.mark, statement_span(file, act, record.mark.on), act.mid_year_cycle)
        for record, act in form_parts(file, APP_B)
        if act.statement_kind is StatementKind.EMPLOYEE
    ]
    for name, span, held in _review_meetings(file, end_of_cycle=False):
        number = int(name.removeprefix("mid_year_"))
        done = [
            m
            for m, s, n in parts
            if n == number and (s.year, s.cycle_id) == (span.year, span.cycle_id)
        ]
        yield FixedDue(
            mark=held,
            description=f"employee's part of App B for mid-point review {number} of "
            f"{span.label}, ahead of the meeting on {held.on}",
            due_on=held.on,
            unit="by the day of the meeting (ahead of it)",
            done=done[0] if done else None,
        )


class NamesItsMeeting(Rule):
    """The form's date field is the review meeting it documents: the reviewer's part must name
    that held meeting in `about_version`."""

    def __init__(
        self,
        rule_id: str,
        source: str,
        summary: str,
        *,
        form: str,
        purpose: MeetingPurpose,
        severity: Severity,
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.form = form
        self.purpose = purpose
        self.severity = severity

    def judge(self, ctx: ActContext) -> None:
        act = _form(ctx, self.form, StatementKind.REVIEWER)
        if act is None or meeting_held_at(ctx.file, act.about_version, self.purpose):
            return
        ctx.breach(
            self,
            f"{self.form} records the date of the {self.purpose.value} meeting: about_version "
            f"{act.about_version} is not a held {self.purpose.value} meeting of this case",
        )


class DocumentedOnAppD(NamesItsMeeting):
    """App C: each held end-of-cycle review is documented on App D (the reviewer's part naming
    the meeting) by the end-of-cycle deadline the school publishes; unpublished → unknown."""

    def __init__(self, rule_id: str, source: str, summary: str) -> None:
        super().__init__(
            rule_id,
            source,
            summary,
            form=APP_D,
            purpose=MeetingPurpose.END_OF_CYCLE_REVIEW,
            severity=Severity.MAJOR,
        )

    def deadlines(self, file: CaseFile, calendar: SchoolCalendar) -> Iterator[DeadlineSpec]:
        documented = [
            (record.mark, act.about_version)
            for record, act in form_parts(file, APP_D)
            if act.statement_kind is StatementKind.REVIEWER
        ]
        for name, span, held in _review_meetings(file, end_of_cycle=True):
            due, unit, unknown = _published(calendar, file, span, name, held.on)
            done = [mark for mark, about in documented if about == held.version]
            extension = file.extensions.get(f"{self.ref.id}@{held.version}")
            yield DeadlineSpec(
                rule=self,
                description=f"App D documenting the end of cycle review of {held.on} "
                f"({span.label})",
                anchor_version=held.version,
                due_on=extension[1].new_due_on if extension else due,
                unit="by the agreed extended date" if extension else unit,
                done=done[0] if done else None,
                unknown_because=None if extension else unknown,
            )


class ObjectivesReviewed(Rule):
    """App B and App D open with "REVIEW OF PROGRESS OBJECTIVES": for each of the cycle's
    targets, its success criteria, the actions taken and the evidence. The employee's part
    (completed ahead of the meeting) reviews every target the cycle set."""

    severity = Severity.MINOR

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not (
            isinstance(act, StatementRecorded)
            and act.form in (APP_B, APP_D)
            and act.statement_kind is StatementKind.EMPLOYEE
        ):
            return
        span = statement_span(ctx.file, act, ctx.on)
        targets = [o.objective_id for o in ctx.file.objectives.get(span.cycle_id or "", ())]
        rows = {
            row.objective_id: row
            for row in getattr(act.contents, "objectives", ())
            if isinstance(row, ObjectiveProgress)
        }
        gaps = [
            f"{target}: no row"
            if target not in rows
            else f"{target}: {', '.join(rows[target].empty())} empty"
            for target in targets
            if target not in rows or rows[target].empty()
        ]
        if gaps:
            ctx.breach(
                self,
                f"the employee part of {act.form} reviews progress on each target of cycle "
                f"{span.cycle_id} (success criteria, actions taken, evidence); " + "; ".join(gaps),
            )


class MeetingLength(Rule):
    """A mid-year review "should take between 40 minutes to an hour" (§7) and an end of cycle
    meeting "typically last[s] for 40 minutes to 1 hour" (§12): a length recorded outside that
    is an exception, a deviation with its reason. A meeting recorded without its length is
    not judged on it."""

    kind = RuleKind.DEVIATION
    severity = Severity.MINOR
    acts = kinds(MeetingHeld)

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, MeetingHeld) or act.duration_minutes is None:
            return
        purpose = _purpose(ctx, act)
        if purpose not in (MeetingPurpose.MID_YEAR_REVIEW, MeetingPurpose.END_OF_CYCLE_REVIEW):
            return
        least, most = MEETING_MINUTES
        if not least <= act.duration_minutes <= most:
            ctx.exceptional(
                self,
                f"a {purpose.value.replace('_', ' ')} meeting takes {least} minutes to an hour; "
                f"this one lasted {act.duration_minutes} minutes",
            )


def _in_working_hours(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, MeetingHeld)
    known = file.meetings.get(act.meeting_id)
    purpose = act.purpose or (known.purpose if known else None)
    return act.within_working_hours or purpose not in APPRAISAL_MEETINGS


RULES: tuple[Rule, ...] = (
    FormFields(
        "rf-forms",
        "000 App B, App D",
        "App B / App D parts are a reviewer or an employee statement, each recorded by its "
        "signer; App B names mid-year cycle 1 or 2, App D none.",
    ),
    MidYearReview(
        "rf-midyear-1",
        "000 §4",
        "A formal mid-point review must be undertaken in November/December (the cycle's "
        "first mid-year review meeting).",
        number=1,
    ),
    MidYearReview(
        "rf-midyear-2",
        "000 §4",
        "A formal mid-point review must be undertaken in March/April (the cycle's second "
        "mid-year review meeting).",
        number=2,
    ),
    Submission(
        "rf-midyear-submission",
        "000 §4 NB, App B",
        "Staff submit the completed App B (RecordSubmitted by the employee naming a part of "
        "it) after the meeting and by the deadline the school publishes each year; "
        "unpublished → unknown.",
        end_of_cycle=False,
    ),
    PrefilledByEmployee(
        "rf-midyear-prefill",
        "000 App A",
        "The employee's part of App B should be completed ahead of the meeting: due by the "
        "day of each held mid-point review (missing shows as overdue).",
    ),
    NamesItsMeeting(
        "rf-meeting-date-recorded",
        "000 App A",
        "The date of the mid-year review meeting should be recorded: the reviewer's App B "
        "names the held meeting. (Digest: DERIVE; the source's 'should' is checked here.)",
        form=APP_B,
        purpose=MeetingPurpose.MID_YEAR_REVIEW,
        severity=Severity.MINOR,
    ),
    EndOfCycleWindow(
        "rf-end-of-cycle-window",
        "000 §12, App C",
        "The end of cycle review takes place in June/July unless student outcomes are "
        "required as evidence (give that as the reason).",
    ),
    DocumentedOnAppD(
        "rf-end-of-cycle-template",
        "000 App C",
        "The end of cycle review must be documented using App D with the meeting date "
        "recorded: the reviewer's App D names the held meeting, by the published "
        "end-of-cycle deadline (unpublished → unknown).",
    ),
    FormBoxes(
        "rf-end-of-cycle-contents",
        "000 App C",
        "The review statement must record achievement of objectives, key discussion "
        "points, agreed outcomes and next steps, and professional development "
        "requirements.",
        kind=StatementKind.REVIEWER,
        sections={APP_D: APP_C_STATEMENT},
        severity=Severity.MAJOR,
    ),
    EndOfCycleSequence(
        "rf-end-of-cycle-sequence",
        "000 §12, §4 NB",
        "After the meeting the reviewer completes the review statement, then the employee "
        "submits the completed appraisal, by the published end-of-cycle deadline.",
        end_of_cycle=True,
    ),
    Requires(
        "rf-working-hours",
        "000 §12",
        "Appraisal meetings (planning, mid-year, end of cycle) take place within normal "
        "working hours. The digest reads 'all PM meetings'; the source says appraisal "
        "meetings.",
        acts={"meeting_held"},
        holds=_in_working_hours,
        message="appraisal meetings will take place within normal working hours",
        severity=Severity.MINOR,
    ),
    FormBoxes(
        "rf-pdp-each-point",
        "000 §10, App B, App D",
        "PDP and CPD needs are documented at each point: App B reflection 4 (training and "
        "support needed); App D CPD undertaken and CPD requested — in the employee's part.",
        kind=StatementKind.EMPLOYEE,
        sections=PDP_SECTIONS,
        severity=Severity.MINOR,
    ),
    FormBoxes(
        "rf-wellbeing-discussed",
        "000 §12, App C",
        "The end of cycle meeting discusses workload, wellbeing, working hours and flexible "
        "working opportunities: App D's reviewer statement records each.",
        kind=StatementKind.REVIEWER,
        sections={APP_D: S12_DISCUSSION},
        severity=Severity.MINOR,
    ),
    FormBoxes(
        "rf-reflection-answered",
        "000 App B, App D",
        "The employee's part answers every point for reflection (App B 1-3, App D 1-6).",
        kind=StatementKind.EMPLOYEE,
        sections=REFLECTIONS,
        severity=Severity.MINOR,
    ),
    FormBoxes(
        "rf-career-aspirations",
        "000 §12, App D",
        "The end of cycle review discusses career development and aspirations: App D's "
        "employee part records the career aspirations and next steps.",
        kind=StatementKind.EMPLOYEE,
        sections=ASPIRATIONS,
        severity=Severity.MINOR,
    ),
    ObjectivesReviewed(
        "rf-objectives-reviewed",
        "000 App B, App D",
        "The employee's part reviews progress on every target of the cycle: success criteria, "
        "actions taken and evidence.",
    ),
    MeetingLength(
        "rf-meeting-length",
        "000 §7, §12",
        "A mid-year review takes 40 minutes to an hour, an end of cycle meeting typically "
        "so: a recorded length outside that is a deviation with its reason.",
    ),
)
