"""The policy's forms (§6.1-§6.3, §9, App 1-4): the memo, the self-evaluation, the Planning and
Review Form and the Mid-Year Review Form, each judged only where the school uses it (D-ss-4).

The Planning and Review Form (App 3) has two parts (§9.3). The assessment summary is a
StatementRecorded(form='ss-app3'); the objective-setting part is the cycle's ObjectivesSet.
The reviewer signs each by recording it and the reviewee by acknowledging it. A form belongs to
the meeting it follows (recorded after it, before the next meeting of the same purpose). Every
"within N" and every copy or referral with no limit is a deadline row, so a form never
recorded shows as overdue rather than going unnoticed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from pmledger.calendar import Direction, SchoolCalendar, TimeLimit, TimeUnit
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
from pmledger.policies.judgement import RuleKind, Severity
from pmledger.policies.packfile.binding import pack_data
from pmledger.policies.rule import ActContext, DeadlineSpec, Rule, kinds
from pmledger.policies.rules.due_after import Anchor, DueAfter
from pmledger.policies.rules.fixed_dates import DueOn, FixedDue
from pmledger.policies.rules.form_boxes import FormBoxes
from pmledger.policies.rules.required_contents import RequiredContents

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

SELF_EVALUATION_CONSIDERED = "self_evaluation_considered"
"""MeetingHeld.confirms of the planning/review meeting: the reviewee's App 2 was considered."""

MEMO_LIMIT = DATA.time_limit("app1-memo")


class MemoSent(Rule):
    """The App 1 memo: "To be sent out 5 working days before the performance management meeting"
    (App 1) — but "send to the reviewee within 5 working days of the performance management review
    meeting" (§9.1). The sources disagree (D-ss-1); the school's `memo_timing` setting decides,
    defaulting to App 1 because §6.1 lists the memo "Before the Meeting" and it invites the
    reviewee to it. The memo is the planning meeting's invitation (letter 'ss-app1-memo') or a
    LetterSent(template='ss-app1-memo', about_id=<meeting>).
    """

    severity = Severity.MINOR

    def __init__(
        self, rule_id: str, source: str, summary: str, *, timing: MemoTiming, required: bool
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.timing = timing
        self.required = required
        self.direction = (
            Direction.BEFORE if timing is MemoTiming.AT_LEAST_5WD_BEFORE else Direction.AFTER
        )

    def _meeting_date(self, meeting: MeetingFacts) -> date | None:
        planned = meeting.original_date
        held = meeting.held.on if meeting.held is not None else None
        first, second = (planned, held) if self.direction is Direction.BEFORE else (held, planned)
        return first or second

    def _memo(self, file: CaseFile, meeting: MeetingFacts) -> Mark | None:
        if meeting.invitation is not None and meeting.invitation.letter == Form.APP1_MEMO.value:
            return meeting.invited
        letters = [
            mark
            for mark, letter in file.letters
            if letter.template == Form.APP1_MEMO.value and letter.about_id == meeting.meeting_id
        ]
        return min(letters, key=lambda m: m.version, default=None)

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if isinstance(act, MeetingInvited) and act.letter == Form.APP1_MEMO.value:
            meeting_date: date | None = act.scheduled_for
        elif isinstance(act, LetterSent) and act.template == Form.APP1_MEMO.value:
            meeting = ctx.file.meetings.get(act.about_id or "")
            meeting_date = self._meeting_date(meeting) if meeting is not None else None
        else:
            return
        if meeting_date is None:
            return
        due, _ = self.due(ctx.calendar, meeting_date, MEMO_LIMIT, self.direction)
        if due is not None and ctx.on > due:
            ctx.breach(
                self,
                f"the App 1 memo for the meeting on {meeting_date} had to be sent by {due} "
                f"(5 working days {self.direction.value} it, setting {self.timing.value}); "
                f"it was sent {ctx.on}",
            )

    def deadlines(self, file: CaseFile, calendar: SchoolCalendar) -> Iterator[DeadlineSpec]:
        for meeting in file.meetings.values():
            if meeting.purpose is not MeetingPurpose.PLANNING:
                continue
            memo = self._memo(file, meeting)
            start = self._meeting_date(meeting)
            anchor = memo or meeting.invited or meeting.held
            if (memo is None and not self.required) or start is None or anchor is None:
                continue
            yield self.spec(
                file,
                calendar,
                description=f"App 1 memo for planning meeting {meeting.meeting_id} on {start}",
                anchor=anchor,
                start=start,
                limit=MEMO_LIMIT,
                done=memo,
                direction=self.direction,
            )


def _self_evaluations(file: CaseFile, required: bool) -> Iterator[FixedDue]:
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


def _after_meetings(
    purpose: MeetingPurpose,
    what: str,
    done: Callable[[CaseFile, MeetingFacts], Mark | None],
    expected: Callable[[CaseFile, MeetingFacts], bool] = lambda file, meeting: True,
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


def _form_recorded(form: Form) -> Callable[[CaseFile, MeetingFacts], Mark | None]:
    def done(file: CaseFile, meeting: MeetingFacts) -> Mark | None:
        return form_after(file, meeting, form.value)

    return done


def _form_countersigned(form: Form) -> Callable[[CaseFile, MeetingFacts], Mark | None]:
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


class SignedCopyToHeadteacher(DueAfter):
    """App 3: "Please give signed copy to Headteacher within 10 days of planning meeting"; §6.3
    "Pass form and any additions to Headteacher". The unit is not stated (D-ss-2): the school's
    `app3_ht_copy_unit`, working days by default. The copy must be of a countersigned record.
    """

    severity = Severity.MINOR

    def __init__(self, rule_id: str, source: str, summary: str, *, unit: TimeUnit) -> None:
        super().__init__(
            rule_id,
            source,
            summary,
            limit=TimeLimit(amount=DATA.time_limit("app3-head-copy").amount, unit=unit),
            anchors=_after_meetings(
                MeetingPurpose.PLANNING, "signed App 3 given to the Headteacher", _copy_to_head
            ),
            severity=Severity.MINOR,
        )

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, RecordCopyProvided | RecordSubmitted) or act.to != "headteacher":
            return
        app3 = {
            version
            for meeting in held_meetings(ctx.file, MeetingPurpose.PLANNING)
            if cycle_on(ctx.file, held_on(meeting)) is not None
            for version in planning_form_records(ctx.file, meeting)
        }
        if act.record_version in app3 and act.record_version not in ctx.file.acknowledged:
            ctx.breach(self, "the copy given to the Headteacher is not signed by the reviewee")


def _copy_to_head(file: CaseFile, meeting: MeetingFacts) -> Mark | None:
    given = copies_of(file, planning_form_records(file, meeting), "headteacher")
    return given[0].mark if given else None


def _copies_to_reviewee(file: CaseFile) -> Iterator[FixedDue]:
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


def _disagreements(file: CaseFile) -> Iterator[FixedDue]:
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


SETTING_BOXES = (
    ("school_improvement_link", "Links to School Improvement Plan Objective"),
    ("support_required", "Support/learning and development required"),
)
"""App 3's boxes under each objective set for the next cycle, but its "Success Criteria",
which ss-objectives-smart already requires (one empty box, one finding)."""

APP4_BOXES = ("progress", "barriers_and_amendments", "further_support")
"""App 4's three questions: every one is answered, if only to say none is needed."""


class ObjectiveSettingBoxes(Rule):
    """App 3's objective-setting part (the cycle's ObjectivesSet, or a revision of it): each
    objective with its link to the School Improvement Plan and the support, learning and
    development it requires."""

    severity = Severity.MINOR
    acts = kinds(ObjectivesSet, ObjectivesRevised)

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, ObjectivesSet | ObjectivesRevised):
            return
        gaps = [
            f"{objective.objective_id}: {', '.join(empty)} empty"
            for objective in act.objectives
            if (
                empty := [
                    heading
                    for box, heading in SETTING_BOXES
                    if not str(getattr(objective, box)).strip()
                ]
            )
        ]
        if gaps:
            ctx.breach(
                self,
                "App 3 sets each objective with its link to the School Improvement Plan and "
                "the support it requires; " + "; ".join(gaps),
            )


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


class AssessmentSummaryBoxes(Rule):
    """App 3's assessment summary: a summary of performance against each objective of the
    cycle assessed, and the classroom observation feedback of that cycle where there was an
    observation ("if appropriate"). A summary recorded without its boxes lacks all of them."""

    severity = Severity.MINOR

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, StatementRecorded) or act.form != Form.APP3_PLANNING_AND_REVIEW:
            return
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
        if gaps:
            of = f" of cycle {cycle_id}" if cycle_id else ""
            ctx.breach(self, f"the App 3 assessment summary{of}: " + "; ".join(gaps))


class FeedbackDatePlanned(Rule):
    """App 5 records the observation's "Feedback Date" with its purpose, duration, date,
    aspects and observer: a planned observation without one is short of the form."""

    severity = Severity.MINOR

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if isinstance(act, ObservationPlanned) and act.feedback_on is None:
            ctx.breach(
                self,
                f"the planned observation {act.observation_id} (App 5) sets no Feedback Date",
            )


class PlanningMeetingLength(Rule):
    """App 1 tells the reviewee "The meeting may last up to an hour": where the school sends
    the memo, a planning meeting recorded as longer is an exception, with its reason."""

    kind = RuleKind.DEVIATION
    severity = Severity.MINOR
    acts = kinds(MeetingHeld)

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not _planning_meeting_held(ctx.file, act):
            return
        assert isinstance(act, MeetingHeld)
        most = DATA.limit("planning-meeting-minutes")
        if act.duration_minutes is not None and act.duration_minutes > most:
            ctx.exceptional(
                self,
                f"the planning meeting may last up to {most} minutes (App 1); this one lasted "
                f"{act.duration_minutes} minutes",
            )


def _planning_meeting_held(file: CaseFile, act: Act) -> bool:
    return isinstance(act, MeetingHeld) and purpose_of(file, act) is MeetingPurpose.PLANNING


def rules(settings: Settings) -> tuple[Rule, ...]:
    forms = settings.forms_in_use
    week = DATA.time_limit("pr-form-one-week")
    ten_working_days = DATA.time_limit("pr-form-signed")
    app3, app4 = Form.APP3_PLANNING_AND_REVIEW, Form.APP4_MID_YEAR_REVIEW
    planning, mid_year = MeetingPurpose.PLANNING, MeetingPurpose.MID_YEAR_REVIEW
    app2_in_use = Form.APP2_SELF_EVALUATION in forms
    found: list[Rule] = [
        MemoSent(
            "ss-memo-timing",
            "001 App 1, §9.1, §6.1",
            "App 1 memo 5 working days before the meeting (App 1) — §9.1 says within 5 working "
            "days of it; the sources conflict and the school's setting decides "
            f"(here: {settings.memo_timing.value}).",
            timing=settings.memo_timing,
            required=Form.APP1_MEMO in forms,
        ),
        DueOn(
            "ss-self-evaluation-before",
            "001 §9.2, §6.1",
            "The reviewee completes the self-evaluation (App 2) before the review meeting: due "
            "by each planning meeting where App 2 is used (missing shows as overdue).",
            dues=lambda file: _self_evaluations(file, app2_in_use),
            severity=Severity.MINOR,
        ),
        DueOn(
            "ss-disagreement-to-ht",
            "001 §9.3",
            "Any disagreement (a countersignature or an employee statement that disagrees) is "
            "brought to the Headteacher's attention by the reviewer (DisagreementReferred).",
            dues=_disagreements,
            severity=Severity.MINOR,
        ),
    ]
    if app2_in_use:
        found.append(
            RequiredContents(
                "ss-self-evaluation-before",
                "001 §9.2, §6.2",
                "The planning/review meeting considers the reviewee's self-evaluation.",
                applies=_planning_meeting_held,
                keys=(SELF_EVALUATION_CONSIDERED,),
                what="the planning/review meeting record",
                severity=Severity.MINOR,
            )
        )
    if app3 in forms:
        found += [
            DueAfter(
                "ss-pr-form-one-week",
                "001 §6.3",
                "The form's objective-setting part is completed within one week of the meeting.",
                limit=week,
                anchors=_after_meetings(planning, "objectives recorded", _objectives_recorded),
                severity=Severity.MINOR,
            ),
            DueAfter(
                "ss-pr-form-one-week",
                "001 §6.3",
                "The form's assessment summary (App 3 statement) is completed within one week "
                "of the meeting, once there is an earlier cycle to assess.",
                limit=week,
                anchors=_after_meetings(
                    planning, "App 3 assessment summary", _form_recorded(app3), _assessment_expected
                ),
                severity=Severity.MINOR,
            ),
            DueAfter(
                "ss-pr-form-signed-10wd",
                "001 §9.3",
                "The objective-setting part is signed by reviewee and reviewer within 10 working "
                "days of the meeting.",
                limit=ten_working_days,
                anchors=_after_meetings(
                    planning, "objectives signed by both", _objectives_countersigned
                ),
            ),
            DueAfter(
                "ss-pr-form-signed-10wd",
                "001 §9.3",
                "The assessment summary is signed by reviewee and reviewer within 10 working days "
                "of the meeting.",
                limit=ten_working_days,
                anchors=_after_meetings(
                    planning,
                    "App 3 assessment summary signed by both",
                    _form_countersigned(app3),
                    _assessment_expected,
                ),
            ),
            SignedCopyToHeadteacher(
                "ss-pr-form-to-ht",
                "001 App 3, §6.3",
                "A signed copy goes to the Headteacher within 10 days (unit: school setting).",
                unit=settings.app3_ht_copy_unit,
            ),
            DueOn(
                "ss-pr-form-copy-reviewee",
                "001 §6.3",
                "The reviewee receives a copy of the final signed form (by the cycle's end).",
                dues=_copies_to_reviewee,
                severity=Severity.MINOR,
            ),
        ]
    if app3 in forms:
        found += [
            ObjectiveSettingBoxes(
                "ss-app3-objective-boxes",
                "001 App 3, §9.3",
                "Each objective set on App 3 links to a School Improvement Plan objective and "
                "names the support/learning and development it requires.",
            ),
            AssessmentSummaryBoxes(
                "ss-app3-assessment-boxes",
                "001 App 3, §9.3",
                "App 3's assessment summary assesses each objective of the cycle assessed, with "
                "the classroom observation feedback of that cycle where there was one.",
            ),
        ]
    if app4 in forms:
        found.append(
            FormBoxes(
                "ss-app4-boxes",
                "001 App 4",
                "The Mid-Year Review Form answers its three questions: progress, barriers or "
                "amendments to objectives, further support or development.",
                sections={app4.value: APP4_BOXES},
            )
        )
    if Form.APP5_OBSERVATION in forms:
        found.append(
            FeedbackDatePlanned(
                "ss-app5-feedback-date",
                "001 App 5",
                "A planned observation (App 5) sets its feedback date.",
            )
        )
    if Form.APP1_MEMO in forms:
        found.append(
            PlanningMeetingLength(
                "ss-planning-meeting-length",
                "001 App 1",
                "The planning meeting may last up to an hour (App 1): longer is a deviation "
                "with its reason.",
            )
        )
    if app4 in forms:
        found += [
            DueAfter(
                "ss-mid-year-form",
                "001 §9.4, §6.3",
                "The Mid-Year Review Form is completed like App 3: within one week.",
                limit=week,
                anchors=_after_meetings(mid_year, "App 4 completed", _form_recorded(app4)),
                severity=Severity.MINOR,
            ),
            DueAfter(
                "ss-mid-year-form",
                "001 §9.4, §9.3",
                "... and signed by reviewee and reviewer within 10 working days of the meeting.",
                limit=ten_working_days,
                anchors=_after_meetings(
                    mid_year, "App 4 signed by both", _form_countersigned(app4)
                ),
            ),
        ]
    return tuple(found)
