"""The two mid-point reviews, the end-of-cycle review, their forms (App B, App D) and the
employee's submission of the completed paperwork (000 §4, §7, §12, App A-D).

How the forms are recorded: each is two StatementRecorded acts with `form` 'refocus-app-b' or
'refocus-app-d'. The employee's part (statement_kind 'employee': reflections, CPD, employee
statement) is recorded by the employee, for App B ahead of the meeting; the reviewer's part
(statement_kind 'reviewer') names the meeting it documents in `about_version`, which is how the
form's "REVIEW DATE" / "MEETING DATE" is recorded, and the employee countersigns it. The
submission of the completed form is RecordSubmitted by the employee naming either part
(`to` 'formal_assessment' for App D); the part tells which review meeting it belongs to.
What each part says is its typed `contents`, box by box: the boxes 000 requires are the pack
file's `required_boxes` rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from pmledger.calendar import SchoolCalendar
from pmledger.events.actors import Role
from pmledger.events.form_contents import ObjectiveProgress
from pmledger.events.meeting_acts import MeetingHeld, MeetingPurpose
from pmledger.events.record_acts import RecordSubmitted, StatementKind, StatementRecorded
from pmledger.events.signed_event import Act
from pmledger.policies.case_file import CaseFile, Mark, MeetingFacts
from pmledger.policies.rule import ActContext
from pmledger.policies.rules.fixed_dates import FixedDue

from .cycle import (
    APP_B,
    APP_D,
    CHECKS,
    DATA,
    END_OF_CYCLE,
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

APPRAISAL_MEETINGS = frozenset(
    {MeetingPurpose.PLANNING, MeetingPurpose.MID_YEAR_REVIEW, MeetingPurpose.END_OF_CYCLE_REVIEW}
)
REVIEW_MEETINGS = frozenset({MeetingPurpose.MID_YEAR_REVIEW, MeetingPurpose.END_OF_CYCLE_REVIEW})


def _purpose(file: CaseFile, act: MeetingHeld) -> MeetingPurpose | None:
    known = file.meetings.get(act.meeting_id)
    return act.purpose or (known.purpose if known else None)


def _form(ctx: ActContext, form: str, kind: StatementKind) -> StatementRecorded | None:
    act = ctx.act
    if isinstance(act, StatementRecorded) and act.form == form and act.statement_kind is kind:
        return act
    return None


@CHECKS.problem("not-a-refocus-form", "000 App B, App D")
def _not_a_refocus_form(ctx: ActContext) -> str | None:
    """App B and App D are the forms, each with a reviewer and an employee statement, and App B
    names its mid-year cycle: any other would make the record meaningless, so it cannot be."""
    act = ctx.act
    if not isinstance(act, StatementRecorded) or not (act.form or "").startswith("refocus-"):
        return None
    if act.form not in (APP_B, APP_D):
        return f"ReFocus has the forms {APP_B} and {APP_D}, not {act.form}"
    if act.statement_kind not in (StatementKind.REVIEWER, StatementKind.EMPLOYEE):
        return f"{act.form} has a reviewer statement and an employee statement"
    if act.form == APP_B and act.mid_year_cycle is None:
        return f"{APP_B} records its MID-YEAR CYCLE: give mid_year_cycle 1 or 2"
    if act.form == APP_D and act.mid_year_cycle is not None:
        return f"{APP_D} is the end-of-cycle form and has no mid-year cycle"
    return None


@CHECKS.problem("part-signed-by-another", "000 App B, App D")
def _part_signed_by_another(ctx: ActContext) -> str | None:
    """The employee statement is signed by the reviewee, the reviewer statement by the
    reviewer; a part recorded in someone else's name happened, and is recorded with this."""
    act = ctx.act
    if not isinstance(act, StatementRecorded) or act.form not in (APP_B, APP_D):
        return None
    by_employee = ctx.actor.role is Role.EMPLOYEE
    if (act.statement_kind is StatementKind.EMPLOYEE) == by_employee:
        return None
    return (
        "the employee statement is signed by the reviewee and the reviewer statement by "
        f"the reviewer; {ctx.actor.role.value} cannot record a "
        f"{act.statement_kind.value} statement"
    )


def _mid_year_early(number: int) -> None:
    """Mid-point review `number`: held too early is found when recorded; held late or not at
    all shows as its window's last day missed or overdue."""
    window = MID_YEAR[number]

    @CHECKS.problem(f"mid-year-{number}-early", "000 §4")
    def early(ctx: ActContext) -> str | None:
        act = ctx.act
        assert isinstance(act, MeetingHeld)
        if _purpose(ctx.file, act) is not MeetingPurpose.MID_YEAR_REVIEW:
            return None
        span = span_on(ctx.file, ctx.on)
        if mid_year_number(ctx.file, span, act.meeting_id) != number:
            return None
        first, _ = span.window(window)
        if ctx.on >= first:
            return None
        return (
            f"mid-point review {number} must be undertaken in {window.words}; "
            f"held {ctx.on}, before {first}"
        )

    @CHECKS.due_rows(f"mid-year-{number}-held", "000 §4")
    def dues(file: CaseFile, calendar: SchoolCalendar) -> Iterator[FixedDue]:
        for span in cycle_spans(file):
            if span.mark is None or not span.applies(window):
                continue
            held = mid_year_reviews(file, span)
            _, last = span.window(window)
            yield FixedDue(
                mark=span.mark,
                description=f"mid-point review {number} of cycle {span.cycle_id} ({span.label})",
                due_on=last,
                unit=f"by {last:%d %B} (in {window.words})",
                done=held[number - 1].held if len(held) >= number else None,
            )


for _number in MID_YEAR:
    _mid_year_early(_number)


@CHECKS.problem("end-of-cycle-outside-window", "000 §12, App C")
def _end_of_cycle_outside(ctx: ActContext) -> str | None:
    """Outside its months only with a reason ("unless student outcomes are required as
    evidence"); not yet held after them shows as overdue (`end-of-cycle-held`)."""
    act = ctx.act
    assert isinstance(act, MeetingHeld)
    if _purpose(ctx.file, act) is not MeetingPurpose.END_OF_CYCLE_REVIEW:
        return None
    taken = {
        span.cycle_id
        for span, meeting in end_of_cycle_reviews(ctx.file)
        if span.cycle_id is not None and meeting.meeting_id != act.meeting_id
    }
    span = end_of_cycle_span(ctx.file, taken, ctx.on)
    first, last = span.window(END_OF_CYCLE)
    if first <= ctx.on <= last:
        return None
    return (
        f"the end of cycle review for {span.label} takes place in {END_OF_CYCLE.words} ({first} "
        f"to {last}) unless student outcomes are required as evidence; held {ctx.on}"
    )


@CHECKS.due_rows("end-of-cycle-held", "000 §12, App C")
def _end_of_cycle_held(file: CaseFile, calendar: SchoolCalendar) -> Iterator[FixedDue]:
    held: dict[str | None, MeetingFacts] = {}
    for placed, meeting in end_of_cycle_reviews(file):
        held.setdefault(placed.cycle_id, meeting)
    for span in cycle_spans(file):
        if span.mark is None:
            continue
        _, last = span.window(END_OF_CYCLE)
        review = held.get(span.cycle_id)
        yield FixedDue(
            mark=span.mark,
            description=f"end of cycle review of cycle {span.cycle_id} ({span.label})",
            due_on=last,
            unit=f"by {last.day} {last:%B} (in {END_OF_CYCLE.words})",
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


def _submitted_before_meeting(form: str) -> None:
    """The employee submits the completed form after its review meeting: a submission naming
    a part whose meeting has not been held is out of order."""

    @CHECKS.problem(f"{form}-submitted-before-meeting", "000 §4 NB")
    def before(ctx: ActContext) -> str | None:
        act = ctx.act
        if not isinstance(act, RecordSubmitted) or ctx.actor.role is not Role.EMPLOYEE:
            return None
        part = record_at(ctx.file, act.record_version)
        if part is None or getattr(part.act, "form", None) != form:
            return None
        if form_meeting(ctx.file, part) is not None:
            return None
        return (
            f"the completed {form} is submitted after its review meeting; the meeting "
            f"version {act.record_version} documents has not been held yet"
        )


for _form_name in (APP_B, APP_D):
    _submitted_before_meeting(_form_name)


def _submission_dues(name: str, end_of_cycle: bool) -> None:
    """The employee submits the completed form (RecordSubmitted naming either part of it) by
    the date the school publishes each year (its calendar's submission deadlines); until it
    has, the deadline is unknown."""

    @CHECKS.due_rows(name, "000 §4 NB")
    def dues(file: CaseFile, calendar: SchoolCalendar) -> Iterator[FixedDue]:
        for deadline, span, held in _review_meetings(file, end_of_cycle=end_of_cycle):
            due, unit, unknown = _published(calendar, file, span, deadline, held.on)
            yield FixedDue(
                mark=held,
                description=f"{deadline.replace('_', ' ')} paperwork of the meeting on "
                f"{held.on} submitted by the employee",
                due_on=due,
                unit=unit,
                done=submitted_for(file, held),
                unknown_because=unknown,
            )


_submission_dues("mid-year-paperwork-submitted", end_of_cycle=False)
_submission_dues("end-of-cycle-paperwork-submitted", end_of_cycle=True)


@CHECKS.problem("statement-after-submission", "000 §12")
def _statement_after_submission(ctx: ActContext) -> str | None:
    """§12: "Following this end of cycle appraisal meeting the reviewer will complete a review
    statement and the employee will submit": the reviewer's App D part coming after the
    employee's submission is the order broken."""
    act = _form(ctx, APP_D, StatementKind.REVIEWER)
    if act is None:
        return None
    meeting = meeting_held_at(ctx.file, act.about_version, MeetingPurpose.END_OF_CYCLE_REVIEW)
    submitted = submitted_for(ctx.file, meeting.held) if meeting and meeting.held else None
    if submitted is None:
        return None
    return (
        f"the employee submitted the appraisal on {submitted.on}, before the reviewer's "
        "review statement"
    )


@CHECKS.due_rows("app-b-employee-part-ahead", "000 App A")
def _prefills(file: CaseFile, calendar: SchoolCalendar) -> Iterator[FixedDue]:
    """App A: the form "should in part be completed by the employee ahead of the meeting": for
    each held mid-point review, the employee's App B part for it is due by the meeting's day."""
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


def _names_its_meeting(form: str, purpose: MeetingPurpose) -> None:
    """The form's date field is the review meeting it documents: the reviewer's part must name
    that held meeting in `about_version`."""

    @CHECKS.problem(f"{form}-names-no-meeting", "000 App A, App C")
    def names_none(ctx: ActContext) -> str | None:
        act = _form(ctx, form, StatementKind.REVIEWER)
        if act is None or meeting_held_at(ctx.file, act.about_version, purpose):
            return None
        return (
            f"{form} records the date of the {purpose.value} meeting: about_version "
            f"{act.about_version} is not a held {purpose.value} meeting of this case"
        )


_names_its_meeting(APP_B, MeetingPurpose.MID_YEAR_REVIEW)
_names_its_meeting(APP_D, MeetingPurpose.END_OF_CYCLE_REVIEW)


@CHECKS.due_rows("app-d-documented", "000 App C")
def _documented_on_app_d(file: CaseFile, calendar: SchoolCalendar) -> Iterator[FixedDue]:
    """App C: each held end-of-cycle review is documented on App D (the reviewer's part naming
    the meeting) by the end-of-cycle deadline the school publishes; unpublished → unknown."""
    documented = [
        (record.mark, act.about_version)
        for record, act in form_parts(file, APP_D)
        if act.statement_kind is StatementKind.REVIEWER
    ]
    for name, span, held in _review_meetings(file, end_of_cycle=True):
        due, unit, unknown = _published(calendar, file, span, name, held.on)
        done = [mark for mark, about in documented if about == held.version]
        yield FixedDue(
            mark=held,
            description=f"App D documenting the end of cycle review of {held.on} ({span.label})",
            due_on=due,
            unit=unit,
            done=done[0] if done else None,
            unknown_because=unknown,
        )


@CHECKS.problem("targets-not-reviewed", "000 App B, App D")
def _targets_not_reviewed(ctx: ActContext) -> str | None:
    """App B and App D open with "REVIEW OF PROGRESS OBJECTIVES": for each of the cycle's
    targets, its success criteria, the actions taken and the evidence. The employee's part
    (completed ahead of the meeting) reviews every target the cycle set."""
    act = _form(ctx, APP_B, StatementKind.EMPLOYEE) or _form(ctx, APP_D, StatementKind.EMPLOYEE)
    if act is None:
        return None
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
    if not gaps:
        return None
    return (
        f"the employee part of {act.form} reviews progress on each target of cycle "
        f"{span.cycle_id} (success criteria, actions taken, evidence); " + "; ".join(gaps)
    )


@CHECKS.problem("meeting-length", "000 §7, §12")
def _meeting_length(ctx: ActContext) -> str | None:
    """A mid-year review "should take between 40 minutes to an hour" (§7) and an end of cycle
    meeting "typically last[s] for 40 minutes to 1 hour" (§12): a length recorded outside the
    file's limits is an exception, a deviation with its reason. A meeting recorded without its
    length is not judged on it."""
    act = ctx.act
    assert isinstance(act, MeetingHeld)
    purpose = _purpose(ctx.file, act)
    if act.duration_minutes is None or purpose not in REVIEW_MEETINGS:
        return None
    least, most = DATA.limit("meeting-minutes-least"), DATA.limit("meeting-minutes-most")
    if least <= act.duration_minutes <= most:
        return None
    longest = "an hour" if most == 60 else f"{most} minutes"
    return (
        f"a {purpose.value.replace('_', ' ')} meeting takes {least} minutes to {longest}; "
        f"this one lasted {act.duration_minutes} minutes"
    )


@CHECKS.holds("in-working-hours", "000 §12")
def _in_working_hours(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, MeetingHeld)
    return act.within_working_hours or _purpose(file, act) not in APPRAISAL_MEETINGS
