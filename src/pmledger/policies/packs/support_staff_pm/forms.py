"""The policy's forms (§6.1-§6.3, §9, App 1-4): the memo, the self-evaluation, the Planning and
Review Form and the Mid-Year Review Form, each judged only where the school uses it (D-ss-4).

The Planning and Review Form (App 3) has two parts (§9.3). The assessment summary is a
StatementRecorded(form='ss-app3'); the objective-setting part is the cycle's ObjectivesSet.
The reviewer signs each by recording it and the reviewee by acknowledging it. A form belongs to
the meeting it follows (recorded after it, before the next meeting of the same purpose). Every
"within N" and every copy or referral with no limit is a deadline row, so a form never
recorded shows as overdue rather than going unnoticed. Each form's checks and clocks are
registered only where the school uses the form; elsewhere they find nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from pmledger.calendar import CalendarError, Direction
from pmledger.events.actors import Role
from pmledger.events.case_acts import ObjectivesRevised, ObjectivesSet
from pmledger.events.form_contents import AssessmentSummary
from pmledger.events.meeting_acts import (
    LetterSent,
    MeetingHeld,
    MeetingInvited,
    MeetingPurpose,
    ObservationPlanned,
)
from pmledger.events.record_acts import (
    DisagreementReferred,
    RecordAcknowledged,
    RecordCopyProvided,
    RecordSubmitted,
    StatementRecorded,
)
from pmledger.events.signed_event import Act
from pmledger.policies.case_file import CaseFile, Mark, MeetingFacts
from pmledger.policies.named_checks import AnchorsFn, NamedChecks, ProblemFn
from pmledger.policies.packfile.binding import pack_data
from pmledger.policies.rule import ActContext
from pmledger.policies.rules.due_after import Anchor
from pmledger.policies.rules.fixed_dates import FixedDue
from pmledger.policies.rules.form_boxes import empty_boxes

from .facts import (
    copies_of,
    cycle_closed_on,
    cycle_on,
    form_after,
    held_meetings,
    is_reviewer,
    purpose_of,
    statements,
)
from .settings import Form, MemoTiming, Settings

DATA = pack_data(__package__)
"""This procedure's data, from its pack file."""

MEMO = DATA.time_limits["app1-memo"]
"""The App 1 memo's 5 working days, before or after the meeting as the school reads 001."""


def _direction(timing: MemoTiming) -> Direction:
    return Direction.BEFORE if timing is MemoTiming.AT_LEAST_5WD_BEFORE else Direction.AFTER


def _meeting_date(meeting: MeetingFacts, direction: Direction) -> date | None:
    """The meeting's day the memo is counted from: as planned (before), or as held (after)."""
    planned = meeting.original_date
    held = meeting.held.on if meeting.held is not None else None
    first, second = (planned, held) if direction is Direction.BEFORE else (held, planned)
    return first or second


def _memo(file: CaseFile, meeting: MeetingFacts) -> Mark | None:
    if meeting.invitation is not None and meeting.invitation.letter == Form.APP1_MEMO.value:
        return meeting.invited
    letters = [
        mark
        for mark, letter in file.letters
        if letter.template == Form.APP1_MEMO.value and letter.about_id == meeting.meeting_id
    ]
    return min(letters, key=lambda m: m.version, default=None)


def memo_late(ctx: ActContext, timing: MemoTiming) -> str | None:
    """The App 1 memo: "To be sent out 5 working days before the performance management
    meeting" (App 1) — but "send to the reviewee within 5 working days of the performance
    management review meeting" (§9.1). The sources disagree (D-ss-1); the school's
    `memo_timing` decides, defaulting to App 1 because §6.1 lists the memo "Before the Meeting"
    and it invites the reviewee to it. The memo is the planning meeting's invitation (letter
    'ss-app1-memo') or a LetterSent(template='ss-app1-memo', about_id=<meeting>)."""
    act = ctx.act
    direction = _direction(timing)
    if isinstance(act, MeetingInvited) and act.letter == Form.APP1_MEMO.value:
        meeting_date: date | None = act.scheduled_for
    elif isinstance(act, LetterSent) and act.template == Form.APP1_MEMO.value:
        meeting = ctx.file.meetings.get(act.about_id or "")
        meeting_date = _meeting_date(meeting, direction) if meeting is not None else None
    else:
        return None
    if meeting_date is None:
        return None
    try:
        due = ctx.calendar.shift(meeting_date, MEMO.limit, direction)
    except CalendarError:
        return None
    if ctx.on <= due:
        return None
    return (
        f"the App 1 memo for the meeting on {meeting_date} had to be sent by {due} "
        f"({MEMO.words} {direction.value} it, setting {timing.value}); it was sent {ctx.on}"
    )


def memos(file: CaseFile, timing: MemoTiming, required: bool) -> Iterator[Anchor]:
    """One App 1 clock per planning meeting, counted from its day: awaited where the school
    uses App 1, and judged wherever a memo was sent all the same."""
    direction = _direction(timing)
    for meeting in file.meetings.values():
        if meeting.purpose is not MeetingPurpose.PLANNING:
            continue
        memo = _memo(file, meeting)
        start = _meeting_date(meeting, direction)
        anchor = memo or meeting.invited or meeting.held
        if (memo is None and not required) or start is None or anchor is None:
            continue
        yield Anchor(
            mark=anchor,
            description=f"App 1 memo for planning meeting {meeting.meeting_id} on {start}",
            done=memo,
            start=start,
        )


def self_evaluations(file: CaseFile, required: bool) -> Iterator[FixedDue]:
    """001 §9.2: the reviewee completes App 2 "prior to their Performance Management Review
    Meeting": one row per held planning meeting where the school uses App 2, or where one was
    completed for that cycle anyway, due by the meeting's day."""
    forms = statements(file, Form.APP2_SELF_EVALUATION.value)
    for meeting in held_meetings(file, MeetingPurpose.PLANNING):
        assert meeting.held is not None
        cycle = cycle_on(file, meeting.held.on)
        if cycle is None:
            continue
        _, _, opened = cycle
        done = [
            mark
            for mark, act in forms
            if act.cycle_id == cycle[0]
            or (act.cycle_id is None and opened.starts_on <= mark.on <= opened.ends_on)
        ]
        if not done and not required:
            continue
        yield FixedDue(
            mark=meeting.held,
            description=f"self-evaluation (App 2) before planning meeting {meeting.meeting_id}",
            due_on=meeting.held.on,
            unit="by the day of the meeting (prior to it)",
            done=done[0] if done else None,
        )


MarkOf = Callable[[CaseFile, MeetingFacts], Mark | None]
"""What met a clock started by a meeting (the form recorded, countersigned, copied)."""
Expected = Callable[[CaseFile, MeetingFacts], bool]
"""Whether a meeting calls for the form at all."""


def _after_meetings(
    purpose: MeetingPurpose, what: str, done: MarkOf, expected: Expected
) -> Callable[[CaseFile], Iterator[Anchor]]:
    """One clock per held meeting of `purpose` (that `expected` calls for), met by `done`."""

    def anchors(file: CaseFile) -> Iterator[Anchor]:
        for meeting in held_meetings(file, purpose):
            assert meeting.held is not None
            if cycle_on(file, meeting.held.on) is None or not expected(file, meeting):
                continue
            yield Anchor(
                mark=meeting.held,
                description=f"{what} after {purpose.value} meeting {meeting.meeting_id}",
                done=done(file, meeting),
            )

    return anchors


def _always(file: CaseFile, meeting: MeetingFacts) -> bool:
    return True


def held_on(meeting: MeetingFacts) -> date:
    assert meeting.held is not None
    return meeting.held.on


def _cycle_id(file: CaseFile, meeting: MeetingFacts) -> str:
    cycle = cycle_on(file, held_on(meeting))
    assert cycle is not None
    return cycle[0]


def _objectives_recorded(file: CaseFile, meeting: MeetingFacts) -> Mark | None:
    return file.objectives_set.get(_cycle_id(file, meeting))


def _objectives_countersigned(file: CaseFile, meeting: MeetingFacts) -> Mark | None:
    mark = file.objectives_set.get(_cycle_id(file, meeting))
    return file.acknowledged.get(mark.version) if mark is not None else None


def _form_recorded(form: Form) -> MarkOf:
    def done(file: CaseFile, meeting: MeetingFacts) -> Mark | None:
        return form_after(file, meeting, form.value)

    return done


def _form_countersigned(form: Form) -> MarkOf:
    def done(file: CaseFile, meeting: MeetingFacts) -> Mark | None:
        mark = form_after(file, meeting, form.value)
        return file.acknowledged.get(mark.version) if mark is not None else None

    return done


def _assessment_expected(file: CaseFile, meeting: MeetingFacts) -> bool:
    """App 3 summarises performance against the previous cycle's objectives: expected once an
    earlier cycle of the case had objectives, or when one was written anyway."""
    if form_after(file, meeting, Form.APP3_PLANNING_AND_REVIEW.value) is not None:
        return True
    current = file.cycles[_cycle_id(file, meeting)][1].starts_on
    return any(
        cycle_id in file.cycles and file.cycles[cycle_id][1].starts_on < current
        for cycle_id in file.objectives_set
    )


def planning_form_records(file: CaseFile, meeting: MeetingFacts) -> set[int]:
    """Versions of the records that make up the meeting's App 3: the assessment summary and
    the objectives of the cycle."""
    found = set()
    summary = form_after(file, meeting, Form.APP3_PLANNING_AND_REVIEW.value)
    if summary is not None:
        found.add(summary.version)
    objectives = file.objectives_set.get(_cycle_id(file, meeting))
    if objectives is not None:
        found.add(objectives.version)
    return found


def copy_to_head_not_signed(ctx: ActContext) -> str | None:
    """App 3: "Please give signed copy to Headteacher": the copy must be of a countersigned
    record (its deadline: ss-pr-form-to-ht's clock, `copies_to_head`)."""
    act = ctx.act
    if not isinstance(act, RecordCopyProvided | RecordSubmitted) or act.to != "headteacher":
        return None
    app3 = {
        version
        for meeting in held_meetings(ctx.file, MeetingPurpose.PLANNING)
        if cycle_on(ctx.file, held_on(meeting)) is not None
        for version in planning_form_records(ctx.file, meeting)
    }
    if act.record_version in app3 and act.record_version not in ctx.file.acknowledged:
        return "the copy given to the Headteacher is not signed by the reviewee"
    return None


def _copy_to_head(file: CaseFile, meeting: MeetingFacts) -> Mark | None:
    given = copies_of(file, planning_form_records(file, meeting), "headteacher")
    return given[0].mark if given else None


def copies_to_reviewee(file: CaseFile) -> Iterator[FixedDue]:
    """001 §6.3: "Provide copies of the final signed form to the reviewee": a copy made after
    the record was countersigned, due (no limit is given) by the end of the cycle it governs."""
    for meeting in held_meetings(file, MeetingPurpose.PLANNING):
        assert meeting.held is not None
        cycle = cycle_on(file, meeting.held.on)
        if cycle is None:
            continue
        cycle_id, _, opened = cycle
        closed = cycle_closed_on(file, cycle_id)
        due = min(opened.ends_on, closed) if closed else opened.ends_on
        signed = {
            version: file.acknowledged[version]
            for version in planning_form_records(file, meeting)
            if version in file.acknowledged
        }
        final = [
            r.mark
            for r in copies_of(file, set(signed), "employee")
            if isinstance(r.act, RecordCopyProvided)
            and r.mark.version > signed[r.act.record_version].version
        ]
        yield FixedDue(
            mark=meeting.held,
            description=f"copy of the final signed App 3 of planning meeting "
            f"{meeting.meeting_id} given to the reviewee",
            due_on=due,
            unit="by the end of the cycle (or its closure)",
            done=final[0] if final else None,
        )


def disagreements(file: CaseFile) -> Iterator[FixedDue]:
    """001 §9.3: "Any disagreements should be brought to the attention of the Headteacher by
    the reviewer": each disagreement (a countersignature or an employee statement marked
    disagrees) is referred by the reviewer; no limit is given, so the end of the cycle."""
    referred = [
        (r.mark, r.act.record_version)
        for r in file.recorded("disagreement_referred")
        if isinstance(r.act, DisagreementReferred) and is_reviewer(file, r.actor)
    ]
    for record in file.recorded("record_acknowledged", "statement_recorded"):
        act = record.act
        if isinstance(act, RecordAcknowledged) and act.disagrees:
            about = {record.mark.version, act.record_version}
        elif (
            isinstance(act, StatementRecorded)
            and act.disagrees
            and record.actor.role is Role.EMPLOYEE
        ):
            about = {record.mark.version} | ({act.about_version} if act.about_version else set())
        else:
            continue
        cycle = cycle_on(file, record.mark.on)
        done = [
            mark
            for mark, version in referred
            if version in about and mark.version > record.mark.version
        ]
        yield FixedDue(
            mark=record.mark,
            description=f"disagreement recorded on {record.mark.on} referred to the Headteacher",
            due_on=cycle[2].ends_on if cycle else None,
            unit="by the end of the cycle (001 §9.3 sets no limit)",
            done=done[0] if done else None,
            unknown_because=None if cycle else "the disagreement falls in no recorded cycle",
        )


OBJECTIVE_BOXES = DATA.required["objectives_set (App 3)"]
"""App 3's boxes under each objective set for the next cycle, but its "Success Criteria",
which ss-objectives-smart already requires (one empty box, one finding)."""

APP4_BOXES = tuple(DATA.required["statement_recorded (App 4)"])
"""App 4's three questions: every one is answered, if only to say none is needed."""


def objective_boxes_empty(ctx: ActContext) -> str | None:
    """App 3's objective-setting part (the cycle's ObjectivesSet, or a revision of it): each
    objective with its link to the School Improvement Plan and the support, learning and
    development it requires."""
    act = ctx.act
    assert isinstance(act, ObjectivesSet | ObjectivesRevised)
    gaps = [
        f"{objective.objective_id}: {', '.join(empty)} empty"
        for objective in act.objectives
        if (
            empty := [
                box.meaning
                for name, box in OBJECTIVE_BOXES.items()
                if not str(getattr(objective, name)).strip()
            ]
        )
    ]
    if gaps:
        return (
            "App 3 sets each objective with its link to the School Improvement Plan and the "
            "support it requires; " + "; ".join(gaps)
        )
    return None


def app4_boxes_empty(ctx: ActContext) -> str | None:
    """App 4's questions, each answered (the form's own headings name the empty ones)."""
    act = ctx.act
    if not isinstance(act, StatementRecorded) or act.form != Form.APP4_MID_YEAR_REVIEW.value:
        return None
    missing = empty_boxes(act, APP4_BOXES)
    return f"{act.form} leaves empty: " + "; ".join(missing) if missing else None


def assessed_cycle(file: CaseFile, act: StatementRecorded, on: date) -> str | None:
    """The cycle an App 3 assessment summary assesses: the latest cycle with objectives that
    began before the cycle the form opens (App 3: "Assessment summary of performance in the
    20__/__ cycle"); None when the case holds no earlier cycle's objectives."""
    own = act.cycle_id if act.cycle_id in file.cycles else None
    if own is None:
        found = cycle_on(file, on)
        own = found[0] if found else None
    starts = file.cycles[own][1].starts_on if own is not None else on
    earlier = [
        (file.cycles[cycle_id][1].starts_on, cycle_id)
        for cycle_id in file.objectives
        if cycle_id in file.cycles and file.cycles[cycle_id][1].starts_on < starts
    ]
    return max(earlier)[1] if earlier else None


def summary_boxes_empty(ctx: ActContext) -> str | None:
    """App 3's assessment summary: a summary of performance against each objective of the
    cycle assessed, and the classroom observation feedback of that cycle where there was an
    observation ("if appropriate"). A summary recorded without its boxes lacks all of them."""
    act = ctx.act
    if not isinstance(act, StatementRecorded) or act.form != Form.APP3_PLANNING_AND_REVIEW:
        return None
    contents = act.contents if isinstance(act.contents, AssessmentSummary) else None
    cycle_id = assessed_cycle(ctx.file, act, ctx.on)
    gaps: list[str] = []
    if contents is None:
        gaps.append("the form's boxes are not recorded (contents)")
    if cycle_id is not None:
        summaries = {
            row.objective_id
            for row in (contents.objectives if contents else ())
            if row.summary.strip()
        }
        gaps += [
            f"no assessment of objective {objective.objective_id}"
            for objective in ctx.file.objectives[cycle_id]
            if objective.objective_id not in summaries
        ]
        opened = ctx.file.cycles[cycle_id][1]
        observed = [
            o.observation_id
            for o in ctx.file.observations.values()
            if o.held is not None and opened.starts_on <= o.held.on <= opened.ends_on
        ]
        if observed and not (contents and contents.observation_feedback.strip()):
            gaps.append(
                f"Feedback from Classroom Observation empty (observed: {', '.join(observed)})"
            )
    if not gaps:
        return None
    of = f" of cycle {cycle_id}" if cycle_id else ""
    return f"the App 3 assessment summary{of}: " + "; ".join(gaps)


def no_feedback_date(ctx: ActContext) -> str | None:
    """App 5 records the observation's "Feedback Date" with its purpose, duration, date,
    aspects and observer: a planned observation without one is short of the form."""
    act = ctx.act
    if isinstance(act, ObservationPlanned) and act.feedback_on is None:
        return f"the planned observation {act.observation_id} (App 5) sets no Feedback Date"
    return None


def planning_meeting_too_long(ctx: ActContext) -> str | None:
    """App 1 tells the reviewee "The meeting may last up to an hour" (the file's
    planning-meeting-minutes): where the school sends the memo, a planning meeting recorded as
    longer is an exception, with its reason."""
    act = ctx.act
    if not planning_meeting_held(ctx.file, act):
        return None
    assert isinstance(act, MeetingHeld)
    most = DATA.limit("planning-meeting-minutes")
    if act.duration_minutes is not None and act.duration_minutes > most:
        return (
            f"the planning meeting may last up to {most} minutes (App 1); this one lasted "
            f"{act.duration_minutes} minutes"
        )
    return None


def planning_meeting_held(file: CaseFile, act: Act) -> bool:
    return isinstance(act, MeetingHeld) and purpose_of(file, act) is MeetingPurpose.PLANNING


def register(checks: NamedChecks, settings: Settings) -> None:
    """This module's named checks: each form's only where the school uses the form (D-ss-4)."""
    forms = settings.forms_in_use
    app1, app2 = Form.APP1_MEMO in forms, Form.APP2_SELF_EVALUATION in forms
    app3, app4 = Form.APP3_PLANNING_AND_REVIEW, Form.APP4_MID_YEAR_REVIEW
    planning, mid_year = MeetingPurpose.PLANNING, MeetingPurpose.MID_YEAR_REVIEW
    timing = settings.memo_timing

    def problem(name: str, section: str, fn: ProblemFn, form: Form) -> None:
        checks.problem(name, section)(fn if form in forms else lambda ctx: None)

    def clock(name: str, section: str, fn: AnchorsFn, form: Form) -> None:
        checks.clocks(name, section)(fn if form in forms else lambda file: ())

    checks.problem("memo-late", "001 App 1, §9.1")(lambda ctx: memo_late(ctx, timing))
    checks.clocks("app1-memo", "001 App 1, §9.1")(lambda file: memos(file, timing, app1))
    checks.due_rows("self-evaluation-before", "001 §9.2")(
        lambda file, _: self_evaluations(file, app2)
    )
    checks.due_rows("disagreements-referred", "001 §9.3")(lambda file, _: disagreements(file))
    checks.holds("planning-meeting-with-app2", "001 §9.2, §6.2")(
        planning_meeting_held if app2 else lambda file, act: False
    )
    after_planning: tuple[tuple[str, str, str, MarkOf, Expected], ...] = (
        ("objectives-recorded", "001 §6.3", "objectives recorded", _objectives_recorded, _always),
        (
            "app3-summary-recorded",
            "001 §6.3",
            "App 3 assessment summary",
            _form_recorded(app3),
            _assessment_expected,
        ),
        (
            "objectives-signed",
            "001 §9.3",
            "objectives signed by both",
            _objectives_countersigned,
            _always,
        ),
        (
            "app3-summary-signed",
            "001 §9.3",
            "App 3 assessment summary signed by both",
            _form_countersigned(app3),
            _assessment_expected,
        ),
        (
            "app3-copy-to-head",
            "001 App 3",
            "signed App 3 given to the Headteacher",
            _copy_to_head,
            _always,
        ),
    )
    for name, section, what, done, expected in after_planning:
        clock(name, section, _after_meetings(planning, what, done, expected), app3)
    problem("copy-to-head-not-signed", "001 App 3", copy_to_head_not_signed, app3)
    checks.due_rows("final-copy-to-reviewee", "001 §6.3")(
        lambda file, _: copies_to_reviewee(file) if app3 in forms else ()
    )
    problem("objective-boxes-empty", "001 App 3", objective_boxes_empty, app3)
    problem("summary-boxes-empty", "001 App 3", summary_boxes_empty, app3)
    problem("app4-boxes-empty", "001 App 4", app4_boxes_empty, app4)
    problem("no-feedback-date", "001 App 5", no_feedback_date, Form.APP5_OBSERVATION)
    problem("planning-meeting-too-long", "001 App 1", planning_meeting_too_long, Form.APP1_MEMO)
    for name, section, done, what in (
        ("app4-recorded", "001 §9.4", _form_recorded(app4), "App 4 completed"),
        ("app4-signed", "001 §9.4, §9.3", _form_countersigned(app4), "App 4 signed by both"),
    ):
        clock(name, section, _after_meetings(mid_year, what, done, _always), app4)
