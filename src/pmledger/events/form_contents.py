"""The contents of the forms the procedures name, as typed records.

A form is recorded as a `StatementRecorded` naming it (`form`), whose `contents` hold the
form's own boxes, field by field: each objective's row, each reflection question's answer, the
training and CPD, the career aspirations, the discussion a meeting must have. Typed, a form
can be checked box by box where the procedure requires it (a box left empty is recorded with
a finding naming its section, never refused), and narrated in the bundle as filled in. Every
box holds what a person wrote about a person, so every box is personal: sealed at rest.

One model per form part (`part`), so a part cannot carry another form's boxes:

* 000 App B, the employee's part of the mid-year review template (`MidYearReviewPart`);
* 000 App D, the employee's part of the end of cycle template (`EndOfCycleReviewPart`) and the
  reviewer statement with the §12 discussion (`EndOfCycleStatement`);
* 001 App 3, the assessment summary of the Planning and Review Form (`AssessmentSummary`; its
  objective-setting part is the cycle's `ObjectivesSet`, each `Objective` with its link to the
  School Improvement Plan and the support it needs);
* 001 App 4, the Mid-Year Review Form (`MidYearReviewStatement`).
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal, Union

from pydantic import Field

from pmledger.events.values import FrozenModel, Identifier, PersonalText


class FormPart(FrozenModel):
    """What every form part says about itself: the form it belongs to (`StatementRecorded.form`)
    and, where the form has one part per signer, whose part it is (`statement_kind`)."""

    FORM: ClassVar[str]
    TITLE: ClassVar[str]
    """The form part as the procedure names it, e.g. '000 App B, the employee's part'."""
    SIGNER: ClassVar[str | None] = None
    """The `StatementKind` value of the part's statement; None: any."""
    BOXES: ClassVar[dict[str, str]] = {}
    """Each text box of the part, as the form heads it (what a finding names when empty)."""

    def empty(self, *boxes: str) -> list[str]:
        """The form's headings of those `boxes` left empty, in the order given."""
        return [self.BOXES[box] for box in boxes if not str(getattr(self, box)).strip()]


class ObjectiveProgress(FrozenModel):
    """One objective's row of "REVIEW OF PROGRESS OBJECTIVES" (000 App B, App D)."""

    objective_id: Identifier
    success_criteria: PersonalText = ""
    actions_taken: PersonalText = ""
    evidence: PersonalText = ""

    BOXES: ClassVar[dict[str, str]] = {
        "success_criteria": "success criteria",
        "actions_taken": "actions taken",
        "evidence": "evidence",
    }

    def empty(self) -> list[str]:
        return [words for box, words in self.BOXES.items() if not getattr(self, box).strip()]


Objectives = Annotated[tuple[ObjectiveProgress, ...], Field(max_length=50)]


class MidYearReviewPart(FormPart):
    """000 App B as the employee completes it, "in part ... ahead of the meeting" (App A):
    progress against each objective and the four points for reflection."""

    FORM: ClassVar[str] = "refocus-app-b"
    TITLE: ClassVar[str] = "000 App B (mid-year review), the employee's part"
    SIGNER: ClassVar[str | None] = "employee"
    BOXES: ClassVar[dict[str, str]] = {
        "going_well": "1) What is going well?",
        "strengths_and_skills": "2) What are my strengths and what skills have I developed?",
        "barriers": "3) What barriers/difficulties have I encountered?",
        "training_and_support_needed": "4) What additional training and support do I need?",
    }
    REFLECTIONS: ClassVar[tuple[str, ...]] = tuple(BOXES)

    part: Literal["refocus-app-b-employee"] = "refocus-app-b-employee"
    objectives: Objectives = ()
    going_well: PersonalText = ""
    strengths_and_skills: PersonalText = ""
    barriers: PersonalText = ""
    training_and_support_needed: PersonalText = ""


class EndOfCycleReviewPart(FormPart):
    """000 App D as the employee completes it: progress against each objective, the six points
    for reflection, and "PROFESSIONAL DEVELOPMENT & FUTURE ASPIRATIONS"."""

    FORM: ClassVar[str] = "refocus-app-d"
    TITLE: ClassVar[str] = "000 App D (end of cycle), the employee's part"
    SIGNER: ClassVar[str | None] = "employee"
    BOXES: ClassVar[dict[str, str]] = {
        "gone_well": "1) What has gone well this year?",
        "proudest_achievements": "2) What key achievements am I most proud of?",
        "challenges": "3) What challenges or barriers did I encounter, and how were they "
        "addressed?",
        "school_priorities": "4) How have I contributed to whole-school priorities / the "
        "School Improvement Plan?",
        "skills_developed": "5) What skills and strengths have I developed?",
        "further_development": "6) What further professional development or support would "
        "benefit me?",
        "cpd_undertaken": "Training/CPD undertaken this year",
        "cpd_requested": "Training/CPD requested for the next cycle",
        "career_aspirations": "Career aspirations and next steps",
    }
    REFLECTIONS: ClassVar[tuple[str, ...]] = tuple(BOXES)[:6]

    part: Literal["refocus-app-d-employee"] = "refocus-app-d-employee"
    objectives: Objectives = ()
    gone_well: PersonalText = ""
    proudest_achievements: PersonalText = ""
    challenges: PersonalText = ""
    school_priorities: PersonalText = ""
    skills_developed: PersonalText = ""
    further_development: PersonalText = ""
    cpd_undertaken: PersonalText = ""
    cpd_requested: PersonalText = ""
    career_aspirations: PersonalText = ""


class EndOfCycleStatement(FormPart):
    """000 App D's reviewer statement: what App C says it "must include", and the §12
    discussion the appraiser "will" have (workload, wellbeing, working hours, flexible
    working), as the reviewer records it."""

    FORM: ClassVar[str] = "refocus-app-d"
    TITLE: ClassVar[str] = "000 App D (end of cycle), the reviewer statement"
    SIGNER: ClassVar[str | None] = "reviewer"
    BOXES: ClassVar[dict[str, str]] = {
        "objectives_achievement": "achievement of objectives",
        "key_discussion_points": "key discussion points",
        "agreed_outcomes_next_steps": "agreed outcomes and next steps",
        "professional_development_requirements": "professional development requirements",
        "workload": "workload",
        "wellbeing": "wellbeing",
        "working_hours": "working hours",
        "flexible_working": "flexible working opportunities",
    }

    part: Literal["refocus-app-d-reviewer"] = "refocus-app-d-reviewer"
    objectives_achievement: PersonalText = ""
    key_discussion_points: PersonalText = ""
    agreed_outcomes_next_steps: PersonalText = ""
    professional_development_requirements: PersonalText = ""
    workload: PersonalText = ""
    wellbeing: PersonalText = ""
    working_hours: PersonalText = ""
    flexible_working: PersonalText = ""


class ObjectiveAssessment(FrozenModel):
    """One objective of the cycle assessed, as App 3's "Assessment summary" lists them."""

    objective_id: Identifier
    summary: PersonalText


class AssessmentSummary(FormPart):
    """001 App 3's first part: the "Assessment summary of performance" per objective of the
    cycle assessed, and "Feedback from Classroom Observation ... (if appropriate)"."""

    FORM: ClassVar[str] = "ss-app3"
    TITLE: ClassVar[str] = "001 App 3 (Planning and Review Form), the assessment summary"
    BOXES: ClassVar[dict[str, str]] = {
        "observation_feedback": "Feedback from Classroom Observation",
    }

    part: Literal["ss-app3-assessment"] = "ss-app3-assessment"
    objectives: Annotated[tuple[ObjectiveAssessment, ...], Field(max_length=50)] = ()
    observation_feedback: PersonalText = ""


class MidYearReviewStatement(FormPart):
    """001 App 4, the "Mid Cycle Review Statement": its three questions."""

    FORM: ClassVar[str] = "ss-app4"
    TITLE: ClassVar[str] = "001 App 4 (Mid-Year Review Form)"
    BOXES: ClassVar[dict[str, str]] = {
        "progress": "the progress made towards achieving the agreed objectives",
        "barriers_and_amendments": "any barriers / amendments required to objectives",
        "further_support": "any further support / development required",
    }

    part: Literal["ss-app4-review"] = "ss-app4-review"
    progress: PersonalText = ""
    barriers_and_amendments: PersonalText = ""
    further_support: PersonalText = ""


FormContents = Annotated[
    Union[  # noqa: UP007 - a discriminated union needs the Union form under mypy
        MidYearReviewPart,
        EndOfCycleReviewPart,
        EndOfCycleStatement,
        AssessmentSummary,
        MidYearReviewStatement,
    ],
    Field(discriminator="part"),
]
"""The contents of one form part, told apart by `part`."""


PARTS: tuple[type[FormPart], ...] = (
    MidYearReviewPart,
    EndOfCycleReviewPart,
    EndOfCycleStatement,
    AssessmentSummary,
    MidYearReviewStatement,
)
"""Every form part, in the union's order."""


def part_of(form: str | None, signer: str) -> type[FormPart] | None:
    """The typed part a statement on `form` by `signer` (a `StatementKind` value) fills in."""
    return next(
        (p for p in PARTS if form == p.FORM and p.SIGNER in (None, signer)),
        None,
    )
