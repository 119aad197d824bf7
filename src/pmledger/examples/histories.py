"""Five realistic cases, one under each procedure, on real 2024-25 and 2025-26 dates.

Each is a well-run case with one or two deliberate slips (each with the reason a school would
give), so the demo shows what the ledger derives and what it catches; every other act is by
the person the procedure names for it. Seen on Monday 2 February 2026 they cover every stage
of the common ladder up to the 004 second formal meeting, a live written warning, deadlines
met and deadlines falling due in the next fortnight; recorded to their ends, each walks its
procedure through: 004 to a dismissal whose appeal is heard and decided, STAR from an
unsuccessful review into capability, support staff to a warning and a recurrence under it,
Hampshire to a rating and the pay panel's decision, ReFocus through its three review points
with both term bonuses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from pmledger.events.actors import Role
from pmledger.events.appeal_acts import (
    AppealDecided,
    AppealGround,
    AppealHeard,
    AppealHearingArranged,
    AppealLodged,
    AppealResult,
)
from pmledger.events.case_acts import (
    CaseOpened,
    CycleOpened,
    DevelopmentPlanAgreed,
    DevelopmentRequestDecided,
    DevelopmentRequested,
    ExpectationsCommunicated,
    Objective,
    ObjectiveKind,
    ObjectivesApproved,
    ObjectivesSet,
    StaffGroup,
)
from pmledger.events.form_contents import (
    AssessmentSummary,
    EndOfCycleReviewPart,
    EndOfCycleStatement,
    MidYearReviewPart,
    ObjectiveAssessment,
    ObjectiveProgress,
)
from pmledger.events.meeting_acts import (
    Attendee,
    CompanionKind,
    CompanionNamed,
    Delivery,
    DocumentsSubmitted,
    FeedbackGiven,
    MeetingAdjourned,
    MeetingHeld,
    MeetingInvited,
    MeetingPurpose,
    MeetingRescheduled,
    ObservationHeld,
    ObservationPlanned,
    OneToOneHeld,
    RescheduleCause,
)
from pmledger.events.pay_acts import (
    BonusDecided,
    PayDecided,
    PayRecommendationApproved,
    PayRecommendationReferred,
    PayRecommendationShared,
    PayRecommended,
    Rating,
    RatingRecorded,
)
from pmledger.events.record_acts import (
    ConcernRaised,
    HrAdviceObtained,
    RecordSubmitted,
    StatementKind,
    StatementRecorded,
)
from pmledger.events.sanction_acts import (
    AlternativeRolesConsidered,
    CapabilityBasis,
    CapabilityEnded,
    CapabilityStarted,
    Dismissed,
    ExternalPartyNotified,
    WarningIssued,
    WarningKind,
)
from pmledger.events.support_acts import (
    MonitoringReviewed,
    MonitoringRoleAssigned,
    Outcome,
    OutcomeDecided,
    PlanKind,
    Progress,
    SupportPlanAgreed,
    SupportPlanRevised,
)
from pmledger.examples.cast import (
    HIGHFIELD,
    OAKFIELD,
    REFOCUS,
    REFOCUS_ORGANISATION,
    RIVERSIDE,
    STAR_TRUST,
    enrol_everyone,
)
from pmledger.examples.evidence import formal_pip
from pmledger.examples.story import Story
from pmledger.ledger.facade import Ledger
from pmledger.policies.packs.improving_performance.facts import LA_NOTIFICATION_PARTY
from pmledger.policies.packs.refocus_pm.cycle import APP_B, APP_D

HR_PROVIDER = "Riverside Learning Trust HR"


def _objective(n: int, text: str, criteria: str, due: date, **extra: object) -> Objective:
    return Objective.model_validate(
        {
            "objective_id": f"obj-{n}",
            "text": text,
            "success_criteria": criteria,
            "due_on": due,
            **extra,
        }
    )


def _open(
    story: Story,
    on: date,
    school: str,
    group: StaffGroup,
    pack: str,
    *,
    line_manager: str,
    started: date,
) -> None:
    story.act(
        on,
        "hr-okafor",
        CaseOpened(
            organisation=story.organisation,
            employee_ref=story.employee_ref,
            employee_person_id=story.employee_person_id,
            school=school,
            staff_group=group,
            pack_id=pack,
            line_manager_person_id=line_manager,
            employment_started_on=started,
        ),
        role=Role.HR,
    )


def improving_performance(ledger: Ledger) -> Story:
    """004, Oakfield Primary: a Year 4 teacher from 121s to dismissal and an appeal decided.

    Summer 2025 121s (the last warns that a PIP may follow) → a four-week PIP in September →
    not improved, confirmed in writing → first formal meeting with HR present: a Formal PIP and
    a 12-month written warning (live until 15 October 2026), confirmed within 7 days → six
    weeks of weekly formal monitoring, notes shared → not improved → second formal meeting,
    chaired by the Headteacher (level 2), adjourned for four weeks' further monitoring. On
    2 February 2026 the next weekly 121 (by 5 February) and the reconvened meeting (by
    12 February) are due. Deliberate findings: ip-first-companion-docs (Mr Baker named his
    NEU representative two days, not three, before the first formal meeting: the employee's
    time limit) and ip-second-adjourn (the adjournment, allowed only exceptionally, with its
    reason). The reconvened meeting on 12 February finds the improvement not sustained: HR
    advises, alternative roles are considered, and the Headteacher dismisses with 11 weeks'
    notice, confirmed in writing the next day with the right of appeal. Mr Baker appeals on
    16 February; the Chair of Governors arranges the hearing for 9 March, hears it and decides
    it (not upheld), and writes the decision on 13 March (004 §9, §10).
    """
    s = Story(ledger, "T-1042", "emp-1042")
    lm, head = "dh-osei", "ht-whitfield"
    _open(
        s,
        date(2025, 6, 2),
        OAKFIELD,
        StaffGroup.TEACHER,
        "improving-performance",
        line_manager=lm,
        started=date(2018, 9, 1),
    )
    s.act(
        date(2025, 6, 2),
        lm,
        OneToOneHeld(
            meeting_id="121-2025-06-02",
            summary="Half-termly 121. Two behaviour incidents in Year 4 escalated to SLT last "
            "week; maths planning not adapted for the lower-attaining group. Agreed: the school's "
            "behaviour routines used consistently, and adapted maths planning from next week.",
        ),
    )
    s.act(
        date(2025, 6, 2),
        lm,
        ConcernRaised(
            concern_id="c-1",
            areas=("classroom behaviour management", "planning adapted to pupils' needs"),
            details="Behaviour routines inconsistent; low-level disruption in most lessons "
            "seen on learning walks; maths planning not adapted for the lower-attaining group.",
            pattern_evidence="Learning walks 13 and 20 May; behaviour log (9 incidents in May); "
            "book scrutiny 21 May.",
        ),
    )
    s.act(
        date(2025, 6, 16),
        lm,
        OneToOneHeld(
            meeting_id="121-2025-06-16",
            summary="Planning better adapted; behaviour routines still inconsistent after "
            "lunch. Arranged for Tom to observe the Year 5 teacher's routines on 19 June.",
        ),
    )
    s.act(
        date(2025, 6, 30),
        lm,
        OneToOneHeld(
            meeting_id="121-2025-06-30",
            summary="Some improvement not sustained: six behaviour incidents since the last "
            "121. Coaching with the Year 5 teacher continues to the end of term.",
        ),
    )
    s.act(
        date(2025, 7, 14),
        lm,
        OneToOneHeld(
            meeting_id="121-2025-07-14",
            summary="End-of-year 121. Reviewed the summer term. Advised Tom that if behaviour "
            "management and planning have not improved by the first 121 of the autumn term, a "
            "Performance Improvement Plan may be set.",
            pip_possibility_advised=True,
        ),
    )
    s.act(
        date(2025, 9, 8),
        lm,
        SupportPlanAgreed(
            plan_id="pip-1",
            plan_kind=PlanKind.PIP,
            concern_id="c-1",
            starts_on=date(2025, 9, 8),
            review_on=date(2025, 10, 6),
            targets=(
                _objective(
                    1,
                    "Use the school's behaviour routines consistently in every lesson",
                    "No more than 2 logged incidents a week; learning walks see routines used",
                    date(2025, 10, 6),
                ),
                _objective(
                    2,
                    "Adapt maths planning for the lower-attaining group",
                    "Weekly plans show adapted tasks; book scrutiny on 2 October shows progress",
                    date(2025, 10, 6),
                ),
            ),
            support="Weekly coaching from the Year 5 teacher; Thursday planning review with the "
            "maths lead; Team Teach refresher on 17 September.",
            monitoring_frequency="Weekly 121 with the Deputy Headteacher (Mondays)",
            monitor_person_id=lm,
            consequences_explained_in_writing=True,
            provisional_meeting_on=date(2025, 10, 16),
            confirms=("performance_gap", "reasons_explored", "maintain_long_term"),
        ),
        label="pip",
    )
    s.act(
        date(2025, 9, 8),
        lm,
        OneToOneHeld(
            meeting_id="121-2025-09-08",
            summary="No improvement over the summer term's targets. PIP agreed and given to "
            "Tom: four weeks from today, weekly 121s, provisional first formal meeting "
            "16 October.",
            plan_id="pip-1",
        ),
    )
    s.countersign(date(2025, 9, 9), "pip")
    for on, summary in (
        (date(2025, 9, 15), "Routines used in the morning; 4 incidents logged."),
        (date(2025, 9, 22), "Planning adapted for 3 of 5 lessons; 5 incidents logged."),
        (date(2025, 9, 29), "Learning walk: routines inconsistent after lunch; 4 incidents."),
    ):
        s.act(
            on,
            lm,
            OneToOneHeld(
                meeting_id=f"121-{on}", summary=f"PIP week review. {summary}", plan_id="pip-1"
            ),
        )
    s.act(
        date(2025, 10, 3),
        lm,
        HrAdviceObtained(
            topic="before_formal",
            provider=HR_PROVIDER,
            summary="Advice on moving to the formal procedure if the PIP ends without "
            "improvement: invitation wording, HR attendance, 7 days' notice.",
        ),
    )
    s.act(
        date(2025, 10, 6),
        lm,
        OneToOneHeld(
            meeting_id="121-2025-10-06",
            summary="End of PIP review: targets not met (average 4 incidents a week; book "
            "scrutiny shows little adaptation).",
            plan_id="pip-1",
        ),
    )
    s.act(
        date(2025, 10, 6),
        lm,
        OutcomeDecided(
            subject_id="pip-1",
            outcome=Outcome.NOT_IMPROVED,
            reasons="Neither PIP target met over the four weeks despite the support given.",
        ),
        label="pip-outcome",
    )
    s.countersign(date(2025, 10, 7), "pip-outcome")
    s.letter(
        date(2025, 10, 7),
        lm,
        "ip-pip-formal-notice",
        delivery=Delivery.HAND,
        reference="oak-2025-031",
    )
    s.letter(
        date(2025, 10, 8),
        lm,
        "ip-first-formal-invitation",
        delivery=Delivery.HAND,
        reference="oak-2025-032",
        meeting_id="formal-1",
        meeting_time="3.45pm",
        venue="Oakfield Primary, meeting room 1",
        hr_adviser="hr-okafor",
    )
    s.act(
        date(2025, 10, 14),
        "emp-1042",
        CompanionNamed(
            meeting_id="formal-1",
            name="Janet Cole (NEU workplace representative)",
            companion_kind=CompanionKind.TRADE_UNION_REP,
        ),
    )
    s.act(
        date(2025, 10, 16),
        lm,
        MeetingHeld(
            meeting_id="formal-1",
            chair_person_id=lm,
            attendees=(Attendee(person_id="hr-okafor", role="HR adviser"),),
            companion_name="Janet Cole (NEU workplace representative)",
            companion_kind=CompanionKind.TRADE_UNION_REP,
            hr_present=True,
            minutes="Standard expected (Teachers' Standards 7 and 5) set out; the gap and its "
            "impact on Year 4 explained with the PIP evidence; no health or personal reasons "
            "given; support so far reviewed; Mr Baker and Ms Cole put his mitigation (a "
            "difficult class, new maths scheme). Outcome: Formal PIP and a 12-month written "
            "warning.",
            confirms=(
                "standard_set_out",
                "performance_gap_explained",
                "reasons_confirmed",
                "progress_reviewed",
                "mitigation_invited",
            ),
        ),
        label="formal-1",
    )
    s.act(
        date(2025, 10, 16),
        lm,
        OutcomeDecided(
            subject_id="formal-1",
            outcome=Outcome.FORMAL_PIP_AND_WARNING,
            reasons="Performance remains below the required standard after the informal PIP.",
        ),
        label="formal-1-outcome",
    )
    s.act(
        date(2025, 10, 16),
        lm,
        WarningIssued(
            warning_id="w-1",
            warning_kind=WarningKind.WRITTEN,
            reasons="Behaviour management and adapted planning below the Teachers' Standards "
            "after an informal PIP (first formal meeting, 16 October 2025).",
        ),
        label="warning",
    )
    s.act(
        date(2025, 10, 16),
        lm,
        SupportPlanAgreed(
            plan_id="fpip-1",
            plan_kind=PlanKind.FORMAL_PIP,
            concern_id="c-1",
            starts_on=date(2025, 11, 3),
            review_on=date(2025, 12, 15),
            targets=(
                _objective(
                    1,
                    "Behaviour routines embedded in every lesson",
                    "No more than 2 incidents a week from week 2; two observations judged "
                    "secure on behaviour",
                    date(2025, 12, 15),
                ),
                _objective(
                    2,
                    "Maths planning adapted for all groups",
                    "Weekly plans adapted; book scrutiny in week 5 shows progress for the group",
                    date(2025, 12, 15),
                ),
            ),
            support="Coaching continues weekly; a half-day at Fernbrook Primary to see "
            "behaviour routines; the maths lead co-plans on Thursdays.",
            monitoring_frequency="Weekly formal monitoring meetings (Mondays); observations "
            "in weeks 2 and 5; book scrutiny in week 5",
            monitor_person_id=lm,
            consequences_explained_in_writing=True,
            provisional_meeting_on=date(2026, 1, 15),
            confirms=("improvements_required_early",),
            attachments=(formal_pip().ref(),),
        ),
        label="formal-pip",
        documents=[formal_pip()],
    )
    for label in ("formal-1", "formal-1-outcome", "formal-pip"):
        s.countersign(date(2025, 10, 20), label)
    s.countersign(
        date(2025, 10, 20),
        "warning",
        "Received. I will work on the Formal PIP with my union representative.",
    )
    s.letter(
        date(2025, 10, 21),
        lm,
        "ip-first-formal-confirmation",
        delivery=Delivery.HAND,
        reference="oak-2025-034",
    )
    weekly = (
        (date(2025, 11, 10), "Week 1: routines used; 3 incidents."),
        (date(2025, 11, 17), "Week 2: observation - behaviour not yet secure; 3 incidents."),
        (date(2025, 11, 24), "Week 3: planning adapted for most lessons; 2 incidents."),
        (date(2025, 12, 1), "Week 4: 4 incidents after the assembly change."),
        (date(2025, 12, 8), "Week 5: observation - behaviour not secure; book scrutiny mixed."),
    )
    for on, summary in weekly:
        s.act(
            on,
            lm,
            OneToOneHeld(meeting_id=f"fm-{on}", summary=summary, plan_id="fpip-1"),
            label=f"fm-{on}",
        )
        s.copy(on, lm, f"fm-{on}")
    s.act(
        date(2025, 12, 11),
        lm,
        HrAdviceObtained(
            topic="formal_outcome",
            provider=HR_PROVIDER,
            summary="Evidence of the formal monitoring period reviewed with HR before the "
            "decision.",
        ),
    )
    s.act(
        date(2025, 12, 15),
        lm,
        OneToOneHeld(
            meeting_id="fm-2025-12-15",
            summary="Week 6: end of the formal monitoring period; targets not met.",
            plan_id="fpip-1",
        ),
        label="fm-2025-12-15",
    )
    s.copy(date(2025, 12, 15), lm, "fm-2025-12-15")
    s.act(
        date(2025, 12, 15),
        lm,
        OutcomeDecided(
            subject_id="fpip-1",
            outcome=Outcome.NOT_IMPROVED,
            reasons="Behaviour not secure in either observation; planning improved but not "
            "consistently. A second formal meeting will be arranged.",
        ),
        label="formal-pip-outcome",
    )
    s.countersign(
        date(2025, 12, 16),
        "formal-pip-outcome",
        "I do not agree: my planning improved throughout the period.",
        disagrees=True,
    )
    s.letter(
        date(2026, 1, 5),
        head,
        "ip-second-formal-invitation",
        delivery=Delivery.HAND,
        reference="oak-2026-002",
        meeting_id="formal-2",
        meeting_time="3.45pm",
        venue="Oakfield Primary, Headteacher's office",
        hr_adviser="hr-okafor",
    )
    s.act(
        date(2026, 1, 9),
        "emp-1042",
        CompanionNamed(
            meeting_id="formal-2",
            name="Janet Cole (NEU workplace representative)",
            companion_kind=CompanionKind.TRADE_UNION_REP,
        ),
    )
    s.act(
        date(2026, 1, 12),
        "emp-1042",
        DocumentsSubmitted(
            meeting_id="formal-2",
            party="employee",
            documents=("Statement of mitigation", "Year 4 books and behaviour log, January"),
        ),
    )
    s.act(
        date(2026, 1, 15),
        head,
        MeetingHeld(
            meeting_id="formal-2",
            chair_person_id=head,
            attendees=(
                Attendee(person_id=lm, role="line manager, presenting the case"),
                Attendee(person_id="hr-okafor", role="HR adviser"),
            ),
            companion_name="Janet Cole (NEU workplace representative)",
            companion_kind=CompanionKind.TRADE_UNION_REP,
            hr_present=True,
            minutes="Mr Osei presented the formal monitoring evidence. Mr Baker's statement and "
            "January evidence show fewer incidents and adapted planning since 5 January. "
            "Adjourned for four weeks' further monitoring; reconvenes 12 February.",
        ),
        label="formal-2",
    )
    s.act(
        date(2026, 1, 15),
        head,
        MeetingAdjourned(
            meeting_id="formal-2",
            reconvene_on=date(2026, 2, 12),
            further_monitoring_weeks=4,
            reason="Clear improvement since 5 January needs to be seen to be sustained before "
            "a decision.",
        ),
        deviation="The January evidence (behaviour log, two drop-ins, books) shows a marked "
        "improvement since the Formal PIP ended; on HR's advice the Headteacher allowed one "
        "further monitoring period of 4 weeks (004 §9.3 note) rather than decide on dismissal.",
    )
    s.countersign(date(2026, 1, 19), "formal-2")
    for on, summary in (
        (date(2026, 1, 22), "Further monitoring week 1: 1 incident; routines secure."),
        (date(2026, 1, 29), "Further monitoring week 2: drop-in positive; planning adapted."),
        (date(2026, 2, 5), "Further monitoring week 3: 4 incidents; routines lapsed after lunch."),
    ):
        s.act(
            on,
            lm,
            OneToOneHeld(meeting_id=f"fm-{on}", summary=summary, plan_id="fpip-1"),
            label=f"fm-{on}",
        )
        s.copy(on, lm, f"fm-{on}")
    _dismissal_and_appeal(s, head, lm)
    return s


def _dismissal_and_appeal(s: Story, head: str, lm: str) -> None:
    """004 §9.3-§10.15: the reconvened second formal meeting, the dismissal and its letter,
    the appeal arranged, heard and decided by the Chair of Governors, and the decision letter."""
    chair = "gov-carter"
    s.act(
        date(2026, 2, 10),
        lm,
        HrAdviceObtained(
            topic="dismissal",
            provider=HR_PROVIDER,
            summary="Advice before a dismissal decision; alternative roles reviewed.",
        ),
    )
    s.act(
        date(2026, 2, 12),
        head,
        AlternativeRolesConsidered(
            roles_considered=("Cover supervisor", "Teaching assistant"),
            outcome="No suitable vacancy at the school or in the trust.",
        ),
    )
    s.act(
        date(2026, 2, 12),
        head,
        MeetingHeld(
            meeting_id="formal-2",
            chair_person_id=head,
            attendees=(
                Attendee(person_id=lm, role="line manager, presenting the case"),
                Attendee(person_id="hr-okafor", role="HR adviser"),
            ),
            hr_present=True,
            companion_name="Janet Cole (NEU workplace representative)",
            minutes="Reconvened. Improvement in January not sustained in the further period.",
        ),
    )
    s.act(
        date(2026, 2, 12),
        head,
        OutcomeDecided(
            subject_id="formal-2",
            outcome=Outcome.DISMISSAL,
            reasons="Behaviour management remained below the Teachers' Standards.",
        ),
    )
    s.act(
        date(2026, 2, 12),
        "hr-okafor",
        ExternalPartyNotified(party=LA_NOTIFICATION_PARTY),
        role=Role.HR,
    )
    dismissed = s.act(
        date(2026, 2, 12),
        head,
        Dismissed(
            effective_on=date(2026, 4, 30),
            notice_weeks=11,
            alternatives_considered=True,
            reasons="Behaviour management and adapted planning remained below Teachers' "
            "Standards 5 and 7 after the Formal PIP and a further four weeks' monitoring.",
        ),
    )
    s.letter(date(2026, 2, 13), head, "ip-dismissal", reference="oak-2026-011")
    s.act(
        date(2026, 2, 16),
        s.employee_person_id,
        AppealLodged(
            appeal_id="appeal-1",
            against_version=dismissed.version,
            addressed_to_person_id=head,
            grounds=(AppealGround.INAPPROPRIATE_SANCTION,),
            details="The January improvement was not given enough weight.",
        ),
    )
    s.act(
        date(2026, 2, 23),
        chair,
        AppealHearingArranged(
            appeal_id="appeal-1",
            hearing_on=date(2026, 3, 9),
            chair_person_id=chair,
            venue="Oakfield Primary, meeting room 1",
        ),
    )
    s.letter(
        date(2026, 2, 23),
        chair,
        "ip-appeal-hearing-invitation",
        reference="oak-2026-015",
        hearing_time="4pm",
    )
    s.act(
        date(2026, 3, 9),
        chair,
        AppealHeard(
            appeal_id="appeal-1",
            chair_person_id=chair,
            notes="Mr Baker and Ms Cole presented the January improvement; Dr Whitfield "
            "presented the monitoring record. Adjourned for the panel to consider.",
        ),
    )
    s.act(
        date(2026, 3, 12),
        chair,
        AppealDecided(
            appeal_id="appeal-1",
            result=AppealResult.NOT_UPHELD,
            reasons="The procedure was followed and the sanction was within the range of "
            "reasonable responses.",
            confirms=("advised_by_hr",),
        ),
    )
    s.letter(date(2026, 3, 13), chair, "ip-appeal-decision", reference="oak-2026-019")


def support_staff(ledger: Ledger) -> Story:
    """001, Riverside Academy: a teaching assistant's cycle, then a warning and a recurrence.

    App 1 memo 6 working days ahead → planning/review meeting on 9 October (by 31 October, next
    meeting booked) → three SMART objectives with a CPD target and the App 3 review, both
    countersigned within 10 working days, signed copies to the Headteacher and to Lucy → two
    observations agreed on App 5, verbal feedback the next school day. On 2 February 2026 the
    written record of the 29 January observation is due (by 5 February) and the mid-year review is
    booked for April. The mid-year review on 23 April finds the intervention log not kept: §4.6
    concerns, support and a review on 21 May find progress insufficient, the written notice and
    capability follow (§5.1), the Headteacher issues a written warning on 15 June and ends
    capability in July; the concern recurs in October inside the live warning, §4.6 again, then the
    next stage, a final written warning on 23 November 2026 (§5.2). Deliberate finding:
    ss-obs-written-record, the November written record given on day 7 instead of 5 while the SENCo
    was off sick (a reasoned deviation).
    """
    s = Story(ledger, "S-2201", "emp-2201")
    reviewer = "lm-patel"
    _open(
        s,
        date(2025, 9, 1),
        RIVERSIDE,
        StaffGroup.SUPPORT_STAFF,
        "support-staff-pm",
        line_manager=reviewer,
        started=date(2021, 9, 1),
    )
    s.act(
        date(2025, 9, 1),
        "ht-malik",
        CycleOpened(
            cycle_id="2025-26",
            starts_on=date(2025, 9, 1),
            ends_on=date(2026, 8, 31),
            reviewer_person_id=reviewer,
        ),
    )
    s.act(
        date(2025, 10, 1),
        reviewer,
        MeetingInvited(
            meeting_id="plan-2025-26",
            purpose=MeetingPurpose.PLANNING,
            scheduled_for=date(2025, 10, 9),
            venue="SENCo office (room B12), 1.30pm",
            letter="ss-app1-memo",
        ),
        role=Role.REVIEWER,
    )
    s.act(
        date(2025, 10, 6),
        "emp-2201",
        StatementRecorded(
            statement_kind=StatementKind.SELF_EVALUATION,
            form="ss-app2",
            cycle_id="2025-26",
            text="Proud of the Year 7 reading group's progress; would like training in "
            "supporting pupils with autism.",
        ),
    )
    s.act(
        date(2025, 10, 9),
        reviewer,
        MeetingHeld(
            meeting_id="plan-2025-26",
            chair_person_id=reviewer,
            next_meeting_on=date(2026, 4, 23),
            minutes="2024-25 reviewed with Lucy's self-evaluation; three objectives agreed for "
            "2025-26, one of them her CPD target; mid-year review booked for 23 April.",
        ),
        role=Role.REVIEWER,
        label="planning",
    )
    s.act(
        date(2025, 10, 9),
        reviewer,
        ObjectivesSet(
            cycle_id="2025-26",
            objectives=(
                _objective(
                    1,
                    "Deliver the Year 7 Fresh Start phonics intervention (3 sessions a week)",
                    "80% of the group gain 6 months' reading age by the July test",
                    date(2026, 7, 10),
                    milestones=("December reading test", "March reading test"),
                    school_improvement_link="SIP 2025-26 priority 1: reading at Key Stage 3",
                    support_required="Fresh Start refresher with the English lead in September",
                ),
                _objective(
                    2,
                    "Support two pupils with EHCPs in science practicals",
                    "Pupils complete practicals safely; positive teacher feedback each term",
                    date(2026, 7, 10),
                    school_improvement_link="SIP 2025-26 priority 3: inclusion in practical "
                    "subjects",
                    support_required="Risk assessments shared by the science technician",
                ),
                _objective(
                    3,
                    "Complete the Autism Education Trust 'Making Sense of Autism' course",
                    "Certificate gained and strategies shared at a TA team meeting",
                    date(2026, 3, 27),
                    objective_kind=ObjectiveKind.CPD,
                    school_improvement_link="SIP 2025-26 priority 3: inclusion",
                    support_required="Course fee and two half-days of cover",
                ),
            ),
        ),
        role=Role.REVIEWER,
        label="objectives",
    )
    s.act(
        date(2025, 10, 9),
        reviewer,
        StatementRecorded(
            statement_kind=StatementKind.PLANNING_REVIEW,
            form="ss-app3",
            cycle_id="2025-26",
            text="Review of 2024-25: all three objectives met; Year 7 reading group made on "
            "average 9 months' progress.",
            contents=AssessmentSummary(
                objectives=(
                    ObjectiveAssessment(
                        objective_id="2024-25 objective 1",
                        summary="Met: the Year 7 reading group made 9 months' progress on average.",
                    ),
                    ObjectiveAssessment(
                        objective_id="2024-25 objective 2",
                        summary="Met: lunchtime reading club run all year.",
                    ),
                    ObjectiveAssessment(
                        objective_id="2024-25 objective 3",
                        summary="Met: Level 2 safeguarding completed in March.",
                    ),
                ),
                observation_feedback="Observed in June 2025: strong use of praise; develop "
                "questioning.",
            ),
        ),
        role=Role.REVIEWER,
        label="app3",
    )
    s.countersign(date(2025, 10, 16), "planning")
    s.countersign(date(2025, 10, 16), "objectives")
    s.countersign(date(2025, 10, 16), "app3", "Thank you - a fair summary.")
    for label in ("objectives", "app3"):
        s.copy(date(2025, 10, 17), reviewer, label, "headteacher", role=Role.REVIEWER)
        s.copy(date(2025, 10, 17), reviewer, label, "employee", role=Role.REVIEWER)
    _ss_observation(
        s,
        "obs-2025-11",
        planned_on=date(2025, 11, 10),
        held_on=date(2025, 11, 18),
        purpose="Fresh Start phonics intervention with the Year 7 group",
        aspects=("pace", "questioning", "use of praise"),
    )
    s.act(
        date(2025, 11, 19),
        reviewer,
        FeedbackGiven(observation_id="obs-2025-11", medium="verbal"),
        role=Role.REVIEWER,
        label="verbal-feedback",
    )
    s.act(
        date(2025, 11, 27),
        reviewer,
        FeedbackGiven(
            observation_id="obs-2025-11",
            medium="written",
            text="Well-paced session; good use of praise. Next step: more open questions to "
            "check comprehension.",
        ),
        role=Role.REVIEWER,
        label="written-feedback",
        deviation="Mr Patel was off sick from 20 to 26 November; the written record was given "
        "on his first day back.",
    )
    s.countersign(date(2025, 11, 28), "verbal-feedback")
    s.countersign(date(2025, 11, 28), "written-feedback")
    _ss_observation(
        s,
        "obs-2026-01",
        planned_on=date(2026, 1, 19),
        held_on=date(2026, 1, 29),
        purpose="Support for a pupil with an EHCP in a Year 9 science practical",
        aspects=("prompting independence", "safety", "working with the class teacher"),
    )
    s.act(
        date(2026, 1, 30),
        reviewer,
        FeedbackGiven(observation_id="obs-2026-01", medium="verbal"),
        role=Role.REVIEWER,
    )
    s.act(
        date(2026, 2, 4),
        reviewer,
        FeedbackGiven(
            observation_id="obs-2026-01",
            medium="written",
            text="Good prompting towards independence; safety briefing clear. Next step: agree "
            "the pupil's role with the class teacher before the lesson.",
        ),
        role=Role.REVIEWER,
    )
    head = "ht-malik"
    s.act(
        date(2026, 3, 25),
        reviewer,
        MeetingInvited(
            meeting_id="mid-2025-26",
            purpose=MeetingPurpose.MID_YEAR_REVIEW,
            scheduled_for=date(2026, 4, 23),
            venue="SENCo office (room B12), 1.30pm",
            letter="ss-app1-memo",
        ),
        role=Role.REVIEWER,
    )
    s.act(
        date(2026, 4, 23),
        reviewer,
        MeetingHeld(
            meeting_id="mid-2025-26",
            chair_person_id=reviewer,
            next_meeting_on=date(2026, 7, 9),
            minutes="Objectives 2 and 3 on track; the phonics intervention log has not been "
            "kept since February and two sessions were missed without notice: a concern.",
        ),
        role=Role.REVIEWER,
        label="mid-year",
    )
    s.act(
        date(2026, 4, 24),
        reviewer,
        StatementRecorded(
            statement_kind=StatementKind.MID_YEAR_REVIEW,
            form="ss-app4",
            cycle_id="2025-26",
            text="Objectives 2 and 3 on track; objective 1 at risk: the intervention log is "
            "not kept and sessions were missed. Concerns raised under §4.6 the same day.",
        ),
        role=Role.REVIEWER,
        label="app4",
    )
    s.countersign(date(2026, 4, 24), "mid-year")
    s.countersign(date(2026, 4, 27), "app4", "I will keep the log daily from now on.")
    _ss_concern_to_capability(
        s,
        "c-2026-04",
        on=date(2026, 4, 23),
        review_on=date(2026, 5, 21),
        concern="Phonics session records not kept since February; two sessions missed "
        "without notice.",
        reference="rva-2026-041",
    )
    s.act(
        date(2026, 6, 15),
        head,
        WarningIssued(
            warning_id="w-2026-04",
            warning_kind=WarningKind.WRITTEN,
            reasons="Session records and attendance at planned sessions below the standard "
            "required, after support under §4.6.",
        ),
        label="warning",
    )
    s.countersign(date(2026, 6, 16), "warning")
    s.act(
        date(2026, 7, 13),
        head,
        CapabilityEnded(reason="Records kept and every session held for ten weeks."),
    )
    _ss_concern_to_capability(
        s,
        "c-2026-10",
        on=date(2026, 10, 5),
        review_on=date(2026, 11, 2),
        concern="Session records missing again for three weeks of September, inside the live "
        "written warning.",
        reference="rva-2026-118",
        basis=CapabilityBasis.RECURRENCE_IN_WARNING,
    )
    s.act(
        date(2026, 11, 23),
        head,
        WarningIssued(
            warning_id="w-2026-11",
            warning_kind=WarningKind.FINAL_WRITTEN,
            reasons="The concern recurred within the written warning of 15 June 2026 (§5.2).",
        ),
        label="final-warning",
    )
    s.countersign(date(2026, 11, 24), "final-warning")
    return s


def _ss_concern_to_capability(
    s: Story,
    concern_id: str,
    *,
    on: date,
    review_on: date,
    concern: str,
    reference: str,
    basis: CapabilityBasis = CapabilityBasis.AFTER_SUPPORT,
) -> None:
    """001 §4.6 then §5.1: the concerns meeting with its support plan, progress reviewed and
    found insufficient, the written notice that the Capability Procedure now applies, and
    capability started by the Headteacher."""
    reviewer = "lm-patel"
    s.act(on, reviewer, ConcernRaised(concern_id=concern_id, areas=("record keeping",),
          details=concern), role=Role.REVIEWER)  # fmt: skip
    s.act(
        on,
        reviewer,
        MeetingHeld(
            meeting_id=f"concerns-{concern_id}",
            purpose=MeetingPurpose.CONCERNS,
            chair_person_id=reviewer,
            confirms=(
                "concerns_explained",
                "employee_comments_invited",
                "support_agreed",
                "review_date_set",
                "implications_explained",
            ),
            minutes=concern,
        ),
        role=Role.REVIEWER,
    )
    s.act(
        on,
        reviewer,
        SupportPlanAgreed(
            plan_id=f"plan-{concern_id}",
            plan_kind=PlanKind.CONCERNS_SUPPORT,
            concern_id=concern_id,
            starts_on=on,
            review_on=review_on,
            targets=(
                _objective(
                    9,
                    "Record every phonics session on the intervention log the same day",
                    "Every session logged, none missed without notice",
                    review_on,
                ),
            ),
            support="Weekly check-in with the SENCo; a shared log template.",
        ),
        role=Role.REVIEWER,
    )
    s.act(
        review_on,
        reviewer,
        OutcomeDecided(subject_id=f"plan-{concern_id}", outcome=Outcome.INSUFFICIENT),
        role=Role.REVIEWER,
    )
    s.letter(review_on, reviewer, "ss-capability-notice", reference=reference,
             role=Role.REVIEWER)  # fmt: skip
    s.act(
        review_on + timedelta(days=7),
        "ht-malik",
        CapabilityStarted(basis=basis, reason=concern),
    )


def _ss_observation(
    s: Story,
    observation_id: str,
    *,
    planned_on: date,
    held_on: date,
    purpose: str,
    aspects: tuple[str, ...],
) -> None:
    """001 §4.3, §9.5: the terms agreed on App 5 (signed by the reviewee), then the observation."""
    s.act(
        planned_on,
        "lm-patel",
        ObservationPlanned(
            observation_id=observation_id,
            planned_for=held_on,
            observer_person_id="lm-patel",
            purpose=purpose,
            aspects=aspects,
            amount="one 30-minute observation this term",
            duration_minutes=30,
            feedback_on=held_on,
        ),
        role=Role.REVIEWER,
        label=observation_id,
    )
    s.act(
        planned_on,
        "emp-2201",
        StatementRecorded(
            statement_kind=StatementKind.EMPLOYEE,
            form="ss-app5",
            about_version=s.version(observation_id),
            text="I agree the observation plan.",
        ),
    )
    s.act(held_on, "lm-patel", ObservationHeld(observation_id=observation_id), role=Role.REVIEWER)


def hampshire(ledger: Ledger) -> Story:
    """002, Riverside Academy: a science teacher's 2024-25 cycle, rating and pay, and 2025-26.

    Expectations, standards and the Career Expectations Framework shared and objectives set at
    the July planning meeting, before each cycle starts; an interim meeting every term; two
    observations with feedback; the end-of-year review on 7 October 2025, the annual statement
    with an 'achieved expectations' rating, the reviewer's one-point pay recommendation
    approved by the Headteacher, shared, and decided by the governors' pay committee on
    22 October (by 31 October); the new-cycle statement for 2025-26. On 2 February 2026 the
    written feedback on the 29 January observation is due (by 5 February; given on the 4th).
    Deliberate finding:
    hp-obs-written-5wd, written feedback on the March 2025 observation given on day 7 while
    the reviewer led the Year 10 field trip (a reasoned deviation).
    """
    s = Story(ledger, "H-3307", "emp-3307")
    reviewer, head = "hos-evans", "ht-malik"
    _open(
        s,
        date(2024, 7, 8),
        RIVERSIDE,
        StaffGroup.TEACHER,
        "hampshire-pm",
        line_manager=reviewer,
        started=date(2020, 9, 1),
    )
    _plan_cycle(
        s,
        date(2024, 7, 11),
        "2024-25",
        (date(2024, 9, 1), date(2025, 8, 31)),
        (
            _objective(
                1,
                "Raise GCSE combined science outcomes for the Year 11 groups",
                "Combined science residual above 0 in the 2025 results",
                date(2025, 8, 21),
            ),
            _objective(
                2,
                "Mentor the department's early career teacher",
                "ECT completes the first year of induction; fortnightly mentor meetings held",
                date(2025, 7, 18),
            ),
            _objective(
                3,
                "Develop retrieval practice in Key Stage 4",
                "Low-stakes quizzes in every KS4 unit, seen in work sampling",
                date(2025, 3, 28),
            ),
        ),
        ("ECT mentor training (trust, autumn term)", "Questioning CPD"),
    )
    _interim(s, "interim-2024-autumn", date(2024, 11, 21), "Objectives on track; mock data good.")
    _hp_observation(s, "obs-2024-11", date(2024, 11, 12), "Year 10 required practical")
    s.act(
        date(2024, 11, 13),
        reviewer,
        FeedbackGiven(observation_id="obs-2024-11", medium="verbal"),
        role=Role.REVIEWER,
        label="verbal-obs-2024-11",
    )
    s.act(
        date(2024, 11, 15),
        reviewer,
        FeedbackGiven(
            observation_id="obs-2024-11",
            medium="written",
            text="Safe, well-organised practical; next step: sharper questioning at the end.",
        ),
        role=Role.REVIEWER,
        label="feedback-2024-11",
    )
    s.countersign(date(2024, 11, 18), "verbal-obs-2024-11")
    s.countersign(date(2024, 11, 18), "feedback-2024-11")
    _hp_observation(s, "obs-2025-03", date(2025, 3, 4), "Year 11 revision lesson")
    s.act(
        date(2025, 3, 5),
        reviewer,
        FeedbackGiven(observation_id="obs-2025-03", medium="verbal"),
        role=Role.REVIEWER,
        label="verbal-obs-2025-03",
    )
    s.act(
        date(2025, 3, 13),
        reviewer,
        FeedbackGiven(
            observation_id="obs-2025-03",
            medium="written",
            text="Effective retrieval practice; well-targeted support for the borderline group.",
        ),
        role=Role.REVIEWER,
        label="feedback-2025-03",
        deviation="Dr Evans led the Year 10 geography and science field trip from 6 to "
        "12 March; written feedback was given at the earliest opportunity on her return "
        "(002 Observation: 'at the earliest opportunity thereafter').",
    )
    s.countersign(date(2025, 3, 14), "verbal-obs-2025-03")
    s.countersign(date(2025, 3, 14), "feedback-2025-03")
    _interim(s, "interim-2025-spring", date(2025, 3, 20), "Mentoring of the ECT going well.")
    _interim(s, "interim-2025-summer", date(2025, 7, 10), "Year-end check; 2025-26 planning.")
    _plan_cycle(
        s,
        date(2025, 7, 10),
        "2025-26",
        (date(2025, 9, 1), date(2026, 8, 31)),
        (
            _objective(
                1,
                "Raise GCSE combined science outcomes for the Year 11 groups",
                "Combined science residual above 0 in the 2026 results",
                date(2026, 8, 20),
            ),
            _objective(
                2,
                "Lead the new Key Stage 3 practical skills scheme",
                "Scheme taught in Years 7 and 8; practical skills assessment in the summer",
                date(2026, 7, 17),
            ),
            _objective(
                3,
                "Complete the trust's middle leadership programme",
                "All four modules completed and a department improvement project presented",
                date(2026, 6, 26),
                objective_kind=ObjectiveKind.CPD,
            ),
        ),
        ("Middle leadership programme", "Practical skills assessment moderation"),
    )
    s.act(
        date(2025, 9, 29),
        reviewer,
        MeetingInvited(
            meeting_id="eoy-2024-25",
            purpose=MeetingPurpose.END_OF_CYCLE_REVIEW,
            scheduled_for=date(2025, 10, 7),
            venue="Science office, 3.30pm",
        ),
        role=Role.REVIEWER,
    )
    s.act(
        date(2025, 10, 7),
        reviewer,
        MeetingHeld(
            meeting_id="eoy-2024-25",
            chair_person_id=reviewer,
            minutes="2024-25 reviewed against objectives and the Teachers' Standards: GCSE "
            "combined science residual +0.3; the ECT completed year 1 of induction. Pay "
            "recommendation discussed; 2025-26 statement agreed.",
        ),
        role=Role.REVIEWER,
        label="eoy",
    )
    s.act(
        date(2025, 10, 9),
        reviewer,
        RatingRecorded(
            cycle_id="2024-25",
            rating=Rating.ACHIEVED,
            assessment="Achieved expectations against all three objectives and the Teachers' "
            "Standards.",
        ),
        role=Role.REVIEWER,
        label="rating",
    )
    s.act(
        date(2025, 10, 9),
        reviewer,
        StatementRecorded(
            statement_kind=StatementKind.ANNUAL,
            form="hp-annual-statement",
            cycle_id="2024-25",
            evidence_observation_ids=("obs-2024-11", "obs-2025-03"),
            text="Objectives 1-3 met; Teachers' Standards met throughout. Evidence: GCSE "
            "results, two observations, the ECT's induction report, work sampling. Rating: "
            "achieved expectations.",
            confirms=(
                "assessment_against_objectives",
                "assessment_against_standards",
                "evidence_summary",
                "rating_achieved",
            ),
        ),
        role=Role.REVIEWER,
        label="statement",
    )
    s.act(
        date(2025, 10, 9),
        reviewer,
        StatementRecorded(
            statement_kind=StatementKind.PLANNING_REVIEW,
            form="hp-new-cycle-statement",
            cycle_id="2025-26",
            text="Objectives for 2025-26 (set 10 July 2025); Teachers' Standards; training: "
            "middle leadership programme; monitoring: interim meetings each term, "
            "observations in the spring and summer terms.",
            confirms=(
                "objectives",
                "standards",
                "training_and_development_needs",
                "monitoring_schedule",
            ),
        ),
        role=Role.REVIEWER,
        label="new-cycle",
    )
    s.act(
        date(2025, 10, 9),
        reviewer,
        PayRecommended(recommendation_id="pay-2024-25", cycle_id="2024-25", pay_points=1),
        role=Role.REVIEWER,
    )
    for label in ("eoy", "rating", "statement", "new-cycle"):
        s.countersign(date(2025, 10, 13), label)
    s.act(
        date(2025, 10, 13),
        "emp-3307",
        StatementRecorded(
            statement_kind=StatementKind.EMPLOYEE_COMMENT,
            cycle_id="2024-25",
            text="I agree with the statement and look forward to the middle leadership programme.",
        ),
    )
    s.act(
        date(2025, 10, 14),
        head,
        PayRecommendationApproved(recommendation_id="pay-2024-25"),
    )
    s.act(
        date(2025, 10, 15),
        head,
        PayRecommendationShared(recommendation_id="pay-2024-25"),
    )
    s.act(
        date(2025, 10, 15),
        head,
        PayRecommendationReferred(recommendation_id="pay-2024-25"),
    )
    s.act(
        date(2025, 10, 22),
        "gov-hughes",
        PayDecided(recommendation_id="pay-2024-25", pay_points=1, effective_from=date(2025, 9, 1)),
    )
    _interim(s, "interim-2025-autumn", date(2025, 12, 4), "Objectives on track; Y11 mocks.")
    _hp_observation(s, "obs-2026-01", date(2026, 1, 29), "Year 9 electricity practical")
    s.act(
        date(2026, 1, 30),
        reviewer,
        FeedbackGiven(observation_id="obs-2026-01", medium="verbal"),
        role=Role.REVIEWER,
    )
    s.act(
        date(2026, 2, 4),
        reviewer,
        FeedbackGiven(
            observation_id="obs-2026-01",
            medium="written",
            text="Safe, well-organised practical; strong questioning on circuits. Next step: "
            "more time for pupils to explain their results.",
        ),
        role=Role.REVIEWER,
    )
    return s


def _plan_cycle(
    s: Story,
    on: date,
    cycle_id: str,
    period: tuple[date, date],
    objectives: tuple[Objective, ...],
    development: tuple[str, ...],
) -> None:
    """The July planning meeting for the next cycle: the Headteacher opens it (letting the
    reviewer recommend pay), and expectations, standards, the Career Expectations Framework,
    the objectives and the development plan are all agreed before it starts."""
    reviewer = "hos-evans"
    s.act(
        on,
        "ht-malik",
        CycleOpened(
            cycle_id=cycle_id,
            starts_on=period[0],
            ends_on=period[1],
            reviewer_person_id=reviewer,
            confirms=("reviewer_makes_pay_recommendation",),
        ),
    )
    s.act(
        on,
        reviewer,
        ExpectationsCommunicated(
            cycle_id=cycle_id,
            what=("level_of_expectation", "standards", "career_expectations_framework"),
            medium="meeting",
        ),
        role=Role.REVIEWER,
    )
    s.act(
        on,
        reviewer,
        ObjectivesSet(cycle_id=cycle_id, objectives=objectives),
        role=Role.REVIEWER,
        label=f"objectives-{cycle_id}",
    )
    s.act(
        on,
        reviewer,
        DevelopmentPlanAgreed(cycle_id=cycle_id, items=development),
        role=Role.REVIEWER,
    )
    s.countersign(on, f"objectives-{cycle_id}")


def _interim(s: Story, meeting_id: str, on: date, minutes: str) -> None:
    s.act(
        on,
        "hos-evans",
        MeetingHeld(
            meeting_id=meeting_id,
            purpose=MeetingPurpose.INTERIM_REVIEW,
            chair_person_id="hos-evans",
            minutes=minutes,
        ),
        role=Role.REVIEWER,
        label=meeting_id,
    )
    s.countersign(on, meeting_id)


def _hp_observation(s: Story, observation_id: str, on: date, purpose: str) -> None:
    s.act(
        on - timedelta(days=7),
        "hos-evans",
        ObservationPlanned(
            observation_id=observation_id,
            planned_for=on,
            observer_person_id="hos-evans",
            purpose=purpose,
            aspects=("questioning", "practical organisation"),
            duration_minutes=50,
            observer_has_qts=True,
        ),
        role=Role.REVIEWER,
    )
    s.act(on, "hos-evans", ObservationHeld(observation_id=observation_id), role=Role.REVIEWER)


def star(ledger: Ledger) -> Story:
    """003, Highfield Academy: a Support Plan partially successful, then unsuccessful.

    A concern with its pattern and a 1:1 conversation → letter 1 with the draft plan, the policy and
    the right to be accompanied (7 working days' notice) → initial meeting with a UNISON
    representative → weighted, SMART plan (the decisive target told in advance), monitor and
    supporter different people and told their roles, signed, letter 2 → interim review → letter 3 →
    review: partially successful → plan updated for a further period, agreed, letter 5 → letter 3
    warning that capability is likely → review: unsuccessful, letter 6 → the Capability Procedure
    with immediate effect, 26 January 2026 (§4.5 (iii)). Deliberate finding: st-review-per-plan, the
    second review moved a week from the plan's date so that her companion could attend (a reasoned
    deviation).
    """
    s = Story(ledger, "ST-0415", "emp-0415", organisation=STAR_TRUST)
    lm = "sbm-brooks"
    _open(
        s,
        date(2025, 9, 1),
        HIGHFIELD,
        StaffGroup.SUPPORT_STAFF,
        "star-developing-performance",
        line_manager=lm,
        started=date(2019, 4, 1),
    )
    s.act(
        date(2025, 9, 15),
        lm,
        MeetingHeld(
            meeting_id="appraisal-2024-25",
            purpose=MeetingPurpose.END_OF_CYCLE_REVIEW,
            chair_person_id=lm,
            minutes="Annual appraisal review. Objectives on payroll and the new finance "
            "system partly met; invoice processing and monthly budget reports repeatedly late "
            "since June. Concern recorded; a confidential conversation to follow.",
        ),
        label="appraisal",
    )
    s.countersign(date(2025, 9, 16), "appraisal")
    s.act(
        date(2025, 9, 15),
        lm,
        ConcernRaised(
            concern_id="c-1",
            areas=("purchase ledger: invoices processed on time", "monthly budget reports"),
            details="Raised at the annual appraisal review: invoices and budget reports "
            "repeatedly late.",
            pattern_evidence="31 invoices paid late in June-August (supplier reminders); July "
            "and August budget reports 6 and 9 days late.",
        ),
    )
    s.act(
        date(2025, 9, 16),
        lm,
        OneToOneHeld(
            meeting_id="conversation-2025-09-16",
            summary="Confidential 1:1: the areas of concern explained; Jo described the "
            "workload since the new finance system; told that a Developing Performance "
            "meeting would follow in writing.",
        ),
    )
    s.letter(
        date(2025, 9, 17),
        lm,
        "star-1",
        reference="hfa-2025-104",
        meeting_id="initial",
        meeting_date=date(2025, 9, 26),
        meeting_time="2pm",
        venue="Highfield Academy, business office meeting room",
        background="the late supplier payments and month-end reconciliation errors we "
        "discussed at your appraisal on 15 September",
        present="fin-shah",
        draft_plan_enclosed=True,
        school_name="Highfield Academy",
        organisation_name="STAR Multi Academy Trust",
    )
    s.act(
        date(2025, 9, 23),
        "emp-0415",
        CompanionNamed(
            meeting_id="initial",
            name="Dave Morris (UNISON steward)",
            companion_kind=CompanionKind.TRADE_UNION_REP,
        ),
    )
    s.act(
        date(2025, 9, 26),
        lm,
        MeetingHeld(
            meeting_id="initial",
            chair_person_id=lm,
            companion_name="Dave Morris (UNISON steward)",
            companion_kind=CompanionKind.TRADE_UNION_REP,
            minutes="Overview of the procedure and its possible outcomes given; the draft plan "
            "discussed and amended (training on the new system added); Jo told that if the "
            "targets are not met the Capability Procedure may follow.",
            confirms=("overview_given", "consequences_explained"),
        ),
        label="initial",
    )
    s.act(
        date(2025, 9, 29),
        lm,
        SupportPlanAgreed(
            plan_id="sp-1",
            plan_kind=PlanKind.SUPPORT_PLAN,
            concern_id="c-1",
            starts_on=date(2025, 9, 29),
            review_on=date(2025, 11, 24),
            targets=(
                _objective(
                    1,
                    "Invoices processed within 5 working days of receipt",
                    "95% of invoices on time each month (finance system report)",
                    date(2025, 11, 21),
                    weighting_percent=60,
                    decisive=True,
                ),
                _objective(
                    2,
                    "Monthly budget monitoring report to the SBM by the 5th working day",
                    "October and November reports on time and accurate",
                    date(2025, 11, 7),
                    weighting_percent=40,
                ),
            ),
            support="Two training sessions on the finance system with the trust finance "
            "officer; fortnightly check-ins; a month-end checklist.",
            monitoring_frequency="Fortnightly monitoring by the SBM from the finance system "
            "reports",
            monitor_person_id=lm,
            supporter_person_id="fin-shah",
            named_work_contact_person_id="fin-shah",
            consequences_explained_in_writing=True,
            decisive_targets_told_before_start=True,
            confirms=("behaviours_stated", "actions_stated"),
        ),
        label="plan",
    )
    s.act(
        date(2025, 9, 29),
        lm,
        MonitoringRoleAssigned(plan_id="sp-1", person_id=lm, role="monitor"),
    )
    s.act(
        date(2025, 9, 29),
        lm,
        MonitoringRoleAssigned(plan_id="sp-1", person_id="fin-shah", role="supporter"),
    )
    s.countersign(date(2025, 9, 30), "plan")
    s.countersign(date(2025, 9, 30), "initial")
    s.letter(
        date(2025, 9, 30),
        lm,
        "star-2",
        reference="hfa-2025-112",
        school_name="Highfield Academy",
        organisation_name="STAR Multi Academy Trust",
    )
    s.act(
        date(2025, 10, 13),
        lm,
        MonitoringReviewed(
            plan_id="sp-1", progress=Progress.SOME_PROGRESS, notes="September: 88% on time."
        ),
        label="monitoring-1",
    )
    s.countersign(date(2025, 10, 14), "monitoring-1")
    s.act(
        date(2025, 10, 20),
        lm,
        MeetingInvited(
            meeting_id="interim",
            purpose=MeetingPurpose.INTERIM_REVIEW,
            scheduled_for=date(2025, 11, 3),
            venue="Business office meeting room, 2pm",
        ),
    )
    s.act(
        date(2025, 11, 3),
        lm,
        MeetingHeld(
            meeting_id="interim",
            chair_person_id=lm,
            minutes="Half-way review: invoices 93% on time in October; October budget report "
            "on time; the month-end checklist is helping.",
        ),
        label="interim",
    )
    s.countersign(date(2025, 11, 4), "interim")
    s.act(
        date(2025, 11, 14),
        lm,
        MeetingInvited(
            meeting_id="review-1",
            purpose=MeetingPurpose.SUPPORT_REVIEW,
            scheduled_for=date(2025, 11, 24),
            venue="Business office meeting room, 2pm",
            states_right_to_companion=True,
            letter="star-3",
        ),
    )
    s.act(
        date(2025, 11, 19),
        lm,
        DocumentsSubmitted(
            meeting_id="review-1",
            party="management",
            documents=("Invoice timeliness reports, September-November", "Budget reports log"),
        ),
    )
    s.act(
        date(2025, 11, 24),
        lm,
        MeetingHeld(
            meeting_id="review-1",
            chair_person_id=lm,
            companion_name="Dave Morris (UNISON steward)",
            companion_kind=CompanionKind.TRADE_UNION_REP,
            minutes="Invoices 96% on time in November (target met); November budget report "
            "2 days late. Partially successful: a further period of support to 19 January.",
        ),
        label="review-1",
    )
    s.act(
        date(2025, 11, 24),
        lm,
        OutcomeDecided(
            subject_id="sp-1",
            outcome=Outcome.PARTIALLY_SUCCESSFUL,
            reasons="Target 1 (decisive) met; target 2 not yet met consistently.",
        ),
        label="partial",
    )
    s.act(
        date(2025, 11, 25),
        lm,
        SupportPlanRevised(
            plan_id="sp-1",
            review_on=date(2026, 1, 19),
            further_period=True,
            reason="Partially successful review on 24 November: budget reports need a further "
            "period; the Christmas closure is allowed for.",
            targets=(
                _objective(
                    2,
                    "Monthly budget monitoring report to the SBM by the 5th working day",
                    "November and December reports on time and accurate",
                    date(2026, 1, 9),
                ),
            ),
        ),
        label="revision",
    )
    for label in ("review-1", "partial", "revision"):
        s.countersign(date(2025, 11, 26), label)
    s.letter(
        date(2025, 11, 26),
        lm,
        "star-5",
        reference="hfa-2025-131",
        next_review_time="2pm",
        school_name="Highfield Academy",
        organisation_name="STAR Multi Academy Trust",
    )
    s.act(
        date(2025, 12, 15),
        lm,
        MonitoringReviewed(
            plan_id="sp-1",
            progress=Progress.ON_TRACK,
            notes="November report on time (5th working day).",
        ),
        label="monitoring-2",
    )
    s.countersign(date(2025, 12, 16), "monitoring-2")
    s.act(
        date(2026, 1, 9),
        lm,
        MeetingInvited(
            meeting_id="review-2",
            purpose=MeetingPurpose.SUPPORT_REVIEW,
            scheduled_for=date(2026, 1, 19),
            venue="Business office meeting room, 2pm",
            states_right_to_companion=True,
            letter="star-3",
            confirms=("capability_likely_stated",),
        ),
    )
    s.act(
        date(2026, 1, 12),
        lm,
        MeetingRescheduled(
            meeting_id="review-2",
            new_date=date(2026, 1, 26),
            cause=RescheduleCause.COMPANION_UNAVAILABLE,
            requested_by="Jo Finch",
            reason="Her UNISON steward is at a branch training course on 19 January.",
        ),
        deviation="Moved a week from the plan's review date at Jo's request so that her chosen "
        "companion can attend; she agreed to the new date.",
    )
    s.act(
        date(2026, 1, 21),
        lm,
        DocumentsSubmitted(
            meeting_id="review-2",
            party="management",
            documents=("Budget reports log, November-December",),
        ),
    )
    s.act(
        date(2026, 1, 26),
        lm,
        MeetingHeld(
            meeting_id="review-2",
            chair_person_id=lm,
            companion_name="Dave Morris (UNISON steward)",
            companion_kind=CompanionKind.TRADE_UNION_REP,
            minutes="November report on time, but the December report 6 working days late "
            "with two coding errors; invoices stayed above 95%. Unsuccessful: insufficient "
            "progress on target 2 after the further period; the Capability Procedure follows.",
        ),
        label="review-2",
    )
    s.act(
        date(2026, 1, 26),
        lm,
        OutcomeDecided(
            subject_id="sp-1",
            outcome=Outcome.UNSUCCESSFUL,
            reasons="Target 2 (budget reports) not met through the further period, after the "
            "letter inviting her to this review said capability was likely.",
        ),
        label="unsuccessful",
    )
    s.letter(
        date(2026, 1, 27),
        lm,
        "star-6",
        reference="hfa-2026-007",
        school_name="Highfield Academy",
        organisation_name="STAR Multi Academy Trust",
    )
    s.act(
        date(2026, 1, 26),
        lm,
        CapabilityStarted(
            basis=CapabilityBasis.AFTER_SUPPORT,
            reason="Unsuccessful review of the Support Plan on 26 January 2026 (003 §4.5 (iii)).",
        ),
        label="capability",
    )
    s.countersign(date(2026, 1, 28), "review-2")
    s.countersign(
        date(2026, 1, 28),
        "unsuccessful",
        "I accept the invoices are on track; the December report was late because of the "
        "system upgrade.",
        disagrees=True,
    )
    return s


def refocus(ledger: Ledger) -> Story:
    """000, ReFocus School: an English teacher's whole cycle, its three review points and bonuses.

    The Headteacher opens the cycle with the Head of English as reviewer; SMART targets with success
    criteria set in September, countersigned and agreed by a Deputy Headteacher; the employee's App
    B reflections before mid-point review 1 (25 November), the reviewer's App B naming the meeting,
    countersigned and submitted; the term 1 bonus signed by the Headteacher and co-signed by the
    governors' committee; an external course requested through the PDP and approved; mid-point
    review 2 on 24 March 2026 and the term 2 bonus; the end of cycle review on 7 July 2026 with its
    App D. Deliberate finding: rf-targets-usual-3, four targets instead of the usual three, the
    fourth for her new Year 11 intervention role (a reasoned deviation).
    """
    s = Story(ledger, "RF-0098", "emp-0098", organisation=REFOCUS_ORGANISATION)
    reviewer = "hoe-lin"
    _open(
        s,
        date(2025, 9, 1),
        REFOCUS,
        StaffGroup.TEACHER,
        "refocus-pm",
        line_manager=reviewer,
        started=date(2022, 9, 1),
    )
    s.act(
        date(2025, 9, 1),
        "ht-reeves",
        CycleOpened(
            cycle_id="2025-26",
            starts_on=date(2025, 9, 1),
            ends_on=date(2026, 8, 31),
            reviewer_person_id=reviewer,
        ),
    )
    s.act(
        date(2025, 9, 16),
        reviewer,
        MeetingHeld(
            meeting_id="targets-2025-26",
            purpose=MeetingPurpose.PLANNING,
            chair_person_id=reviewer,
            minutes="Targets for 2025-26 agreed, with success criteria and milestones.",
        ),
        role=Role.REVIEWER,
        label="target-meeting",
    )
    s.act(
        date(2025, 9, 16),
        reviewer,
        ObjectivesSet(
            cycle_id="2025-26",
            objectives=(
                _objective(
                    1,
                    "Year 10 GCSE English Language: reading responses",
                    "70% of the group at grade 4+ in the June mock",
                    date(2026, 6, 26),
                    milestones=("December assessment", "March mock"),
                ),
                _objective(
                    2,
                    "Lead two whole-school oracy CPD sessions",
                    "Sessions delivered; staff survey shows use in lessons",
                    date(2026, 3, 27),
                ),
                _objective(
                    3,
                    "Consistent marking and feedback in Key Stage 3",
                    "Two book scrutinies judged consistent with the feedback policy",
                    date(2026, 5, 22),
                ),
                _objective(
                    4,
                    "Year 11 English intervention group",
                    "80% of the group improve by one grade between the November and March mocks",
                    date(2026, 3, 27),
                ),
            ),
            confirms=("smart_confirmed",),
        ),
        role=Role.REVIEWER,
        label="targets",
        deviation="A fourth target was added for Nina's new responsibility as Year 11 "
        "English intervention lead, agreed with her at the meeting.",
    )
    s.countersign(date(2025, 9, 18), "target-meeting")
    s.countersign(date(2025, 9, 18), "targets")
    s.act(
        date(2025, 9, 24),
        "dh-marsh",
        ObjectivesApproved(cycle_id="2025-26", objectives_version=s.version("targets")),
    )
    s.act(
        date(2025, 10, 6),
        "emp-0098",
        DevelopmentRequested(
            request_id="pdp-2025-1",
            description="NATE 'Teaching reading for pleasure at KS4' course, 27 February 2026",
            route="pdp",
            external=True,
            cost="185.00",
        ),
    )
    s.act(
        date(2025, 10, 9),
        "ht-reeves",
        DevelopmentRequestDecided(
            request_id="pdp-2025-1", approved=True, approver_role=Role.HEADTEACHER
        ),
    )
    reviews = (
        (1, date(2025, 11, 10), date(2025, 11, 25), _RF_POINT_1, None,
         "Good progress on targets 1, 2 and 4; target 3 on track (first scrutiny in "
         "January). Evidence: December assessment plan, CPD session 1 delivered."),
        (2, date(2026, 3, 9), date(2026, 3, 24), _RF_POINT_2, None,
         "Targets 2 and 4 met; target 1 on track from the March mock; the first book "
         "scrutiny found marking consistent."),
        (3, date(2026, 6, 22), date(2026, 7, 7), _RF_END_OF_CYCLE, _RF_APP_C,
         "All four targets met: 72% at grade 4+ in the June mock, both scrutinies "
         "consistent, the Year 11 group up a grade. Recommended for the KS3 reading lead."),
    )  # fmt: skip
    for point, invited, held, own_part, statement, reviewer_words in reviews:
        _rf_review_point(s, point, invited, held, own_part, statement, reviewer_words)
        if point < 3:  # §5: a bonus for each term a mid-point review closes
            for who, role in (
                ("ht-reeves", Role.HEADTEACHER),
                ("gov-ahmed", Role.GOVERNOR_COMMITTEE),
            ):
                s.act(
                    held + timedelta(days=15),
                    who,
                    BonusDecided(cycle_id="2025-26", term=point, awarded=True, amount="500.00"),
                    role=role,
                )
    return s


def _rf_progress(*evidence: tuple[str, str, str]) -> tuple[ObjectiveProgress, ...]:
    """App B/D's per-target boxes for the four 2025-26 targets, in target order."""
    return tuple(
        ObjectiveProgress(
            objective_id=f"obj-{n}",
            success_criteria=criteria,
            actions_taken=actions,
            evidence=shown,
        )
        for n, (criteria, actions, shown) in enumerate(evidence, start=1)
    )


_RF_CRITERIA = (
    "70% of the group at grade 4+ in the June mock",
    "Sessions delivered; staff survey shows use in lessons",
    "Two book scrutinies judged consistent with the feedback policy",
    "80% of the group improve by one grade between the November and March mocks",
)
_RF_POINT_1 = MidYearReviewPart(
    objectives=_rf_progress(
        (
            _RF_CRITERIA[0],
            "Weekly modelled reading responses; two timed practices",
            "November assessment: 58% at grade 4+ (from 41%)",
        ),
        (
            _RF_CRITERIA[1],
            "Session 1 delivered on 5 November to 34 staff",
            "Session slides; feedback forms (31 returned)",
        ),
        (
            _RF_CRITERIA[2],
            "Feedback codes agreed with the KS3 team",
            "First scrutiny booked for January",
        ),
        (
            _RF_CRITERIA[3],
            "Twice-weekly intervention sessions since October",
            "Attendance register; November mock grades as a baseline",
        ),
    ),
    going_well="Year 10 reading responses: the modelling routine is working.",
    strengths_and_skills="Planning reading lessons; presenting to colleagues.",
    barriers="Year 11 intervention group attendance (about 60%).",
    training_and_support_needed="Oracy facilitation training before CPD session 2.",
)
_RF_POINT_2 = MidYearReviewPart(
    objectives=_rf_progress(
        (_RF_CRITERIA[0], "Timed practice every fortnight", "March mock: 66% at grade 4+"),
        (_RF_CRITERIA[1], "Session 2 delivered on 4 March", "Staff survey: 80% use it"),
        (_RF_CRITERIA[2], "First scrutiny held in January", "Scrutiny notes: consistent"),
        (_RF_CRITERIA[3], "Intervention sessions continued", "March mock: 84% up a grade"),
    ),
    going_well="Both oracy sessions delivered; the Year 11 group improved in the March mock.",
    strengths_and_skills="Leading colleagues' training.",
    barriers="Marking time in the mock weeks.",
    training_and_support_needed="Time to observe the KS3 reading lead at the partner school.",
)
_RF_END_OF_CYCLE = EndOfCycleReviewPart(
    objectives=_rf_progress(
        (_RF_CRITERIA[0], "Reading routine through the year", "June mock: 72% at grade 4+"),
        (_RF_CRITERIA[1], "Two sessions delivered", "Survey and slides"),
        (_RF_CRITERIA[2], "Two scrutinies held", "Both judged consistent"),
        (_RF_CRITERIA[3], "Intervention through March", "84% improved by a grade"),
    ),
    gone_well="Reading responses and the Year 11 group are my proudest work.",
    proudest_achievements="The Year 11 group's March mock.",
    challenges="Keeping intervention attendance up in the spring.",
    school_priorities="Reading across the curriculum (SIP priority 2).",
    skills_developed="Leading staff training; using assessment data.",
    further_development="Leading a reading programme.",
    cpd_undertaken="NATE reading for pleasure course, 27 February 2026.",
    cpd_requested="Middle leadership programme, 2026-27.",
    career_aspirations="To lead the KS3 reading programme next year.",
)
_RF_APP_C = EndOfCycleStatement(
    objectives_achievement="All four targets met.",
    key_discussion_points="The KS3 reading programme; intervention attendance.",
    agreed_outcomes_next_steps="Lead the KS3 reading programme from September 2026.",
    professional_development_requirements="Middle leadership programme.",
    workload="Manageable; marking in mock weeks is the peak, agreed to stagger deadlines.",
    wellbeing="Well; no concerns raised.",
    working_hours="Full time; no change asked for.",
    flexible_working="Discussed; not wanted at present.",
)


def _rf_review_point(
    s: Story,
    point: int,
    invited: date,
    held: date,
    own_part: MidYearReviewPart | EndOfCycleReviewPart,
    statement: EndOfCycleStatement | None,
    reviewer_words: str,
) -> None:
    """000 §7, §12, App A, B, C and D: a review meeting (mid-point reviews 1 and 2, then the
    end of cycle review) of 50 minutes, the employee's part of the form before it and the
    reviewer's after (at the end of the cycle App C's statement and the §12 discussion), both
    countersigned, and the completed form submitted by the employee."""
    reviewer = "hoe-lin"
    end = point == 3
    meeting_id = "end-of-cycle" if end else f"mpr-{point}"
    form = APP_D if end else APP_B
    cycle: dict[str, object] = {"cycle_id": "2025-26"} if end else {
        "cycle_id": "2025-26", "mid_year_cycle": point}  # fmt: skip
    s.act(
        invited,
        reviewer,
        MeetingInvited(
            meeting_id=meeting_id,
            purpose=MeetingPurpose.END_OF_CYCLE_REVIEW if end else MeetingPurpose.MID_YEAR_REVIEW,
            scheduled_for=held,
            venue="English office, 3.30pm",
        ),
        role=Role.REVIEWER,
    )
    s.act(
        held - timedelta(days=4),
        s.employee_person_id,
        StatementRecorded.model_validate(
            {
                "statement_kind": StatementKind.EMPLOYEE,
                "form": form,
                "text": "My reflections are in the form's boxes.",
                "contents": own_part,
                **cycle,
            }
        ),
    )
    s.act(
        held,
        reviewer,
        MeetingHeld(
            meeting_id=meeting_id,
            chair_person_id=reviewer,
            duration_minutes=50,
            minutes="End of cycle review." if end else f"Mid-point review {point}.",
        ),
        role=Role.REVIEWER,
        label=meeting_id,
    )
    s.act(
        held,
        reviewer,
        StatementRecorded.model_validate(
            {
                "statement_kind": StatementKind.REVIEWER,
                "form": form,
                "about_version": s.version(meeting_id),
                "text": reviewer_words,
                **({"contents": statement} if statement else {}),
                **cycle,
            }
        ),
        role=Role.REVIEWER,
        label=f"{form}-{point}",
    )
    s.countersign(held + timedelta(days=2), meeting_id)
    s.countersign(held + timedelta(days=2), f"{form}-{point}")
    s.act(
        held + timedelta(days=3),
        s.employee_person_id,
        RecordSubmitted(record_version=s.version(f"{form}-{point}")),
    )


STORIES: tuple[Callable[[Ledger], Story], ...] = (
    improving_performance,
    support_staff,
    hampshire,
    star,
    refocus,
)


def record_all(ledger: Ledger) -> list[Story]:
    """Enrol the cast and record every example case; returns the stories for inspection."""
    enrol_everyone(ledger)
    return [story(ledger) for story in STORIES]
