"""Generated from the packs: every act a procedure accepts, by the person it names, through
the public `Ledger` with access control on.

For each pack, the act kinds its stage machine and rules accept must each have an entry in the
pack's act-role table (`PolicyPack.act_roles`): a new rule or act that nobody is named for fails
here. Walks through the procedure, each a case of its own, are then recorded on one real
ledger (the pack scripts' step helpers take a `LedgerScript` as they take a `Script`); before
each act is recorded, `Ledger.check` asks what the same act would come to from someone with no
relationship to the case (refused, AccessDenied) and from someone related to it in a role the
procedure does not name for it (recorded, with the table's finding); then the named person
records it, with no such finding. Every accepted kind must be walked, or be listed as not
walked with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from tests.policies import improving_performance_case as ip
from tests.policies import refocus_pm_script as rf
from tests.policies import star_case as star
from tests.policies import support_staff_pm_script as ss
from tests.policies import test_hampshire_pm as hp
from tests.policies import test_hampshire_pm_concerns as hp_concerns
from tests.policies import test_hampshire_pm_pay as pay
from tests.policies import test_refocus_pm as rf_tests
from tests.policies import test_support_staff_pm_concerns as ss_concerns
from tests.policies.ledger_script import ENROLLER, LedgerScript, People, open_example_ledger
from tests.policies.script import EMPLOYEE, GOVERNOR, HEAD, HR, LINE_MANAGER, REVIEWER

from pmledger.commands import EmployeeRef, RecordAct
from pmledger.errors import AccessDenied
from pmledger.events.actors import Actor, Role
from pmledger.events.appeal_acts import (
    AppealAccepted,
    AppealGround,
    AppealLodged,
    AppealResult,
    TimeLimitExtended,
)
from pmledger.events.case_acts import (
    CycleOpened,
    DevelopmentPlanAgreed,
    HpmpAppointed,
    ObjectivesRevised,
    ObjectivesSet,
    ReviewerAssigned,
    ReviewerChanged,
    ReviewerChangeRequested,
    StaffGroup,
)
from pmledger.events.governance_acts import CaseClosed
from pmledger.events.meeting_acts import (
    CompanionKind,
    CompanionNamed,
    LetterSent,
    MeetingAdjourned,
    MeetingHeld,
    MeetingInvited,
    MeetingPurpose,
    MeetingRescheduled,
    ObservationHeld,
    RescheduleCause,
)
from pmledger.events.pay_acts import (
    BonusDecided,
    PayDecided,
    PayRecommendationApproved,
    PayRecommendationReferred,
    PayRecommendationShared,
    Rating,
    RatingRecorded,
)
from pmledger.events.record_acts import (
    AbsenceNoted,
    ConcernRaised,
    ReasonableAdjustmentsConsidered,
    RecordAcknowledged,
)
from pmledger.events.sanction_acts import (
    AlternativeRolesConsidered,
    CapabilityBasis,
    CapabilityEnded,
    CapabilityStarted,
    DismissalOverturned,
    ExternalPartyNotified,
    WarningIssued,
    WarningKind,
    WarningReduced,
    WarningRescinded,
)
from pmledger.events.signed_event import Act
from pmledger.events.support_acts import (
    MonitoringPeriodChanged,
    MonitoringReviewed,
    Outcome,
    OutcomeDecided,
    Progress,
    SupportMeasureStarted,
    SupportPlanRevised,
)
from pmledger.policies.judgement import ActRefusedByRule
from pmledger.policies.pack import RECORD_KEEPING, PolicyPack
from pmledger.policies.registry import current_packs

FIRST = MeetingPurpose.FIRST_FORMAL
TRADE_UNION = CompanionKind.TRADE_UNION_REP
OUTSIDER = Actor(person_id="ht-elsewhere", role=Role.HEADTEACHER, authority_level=2)
"""A Headteacher of another school: related to no case at the example school."""

RELATED = (HR, EMPLOYEE, HEAD, LINE_MANAGER)
"""People related to every example case, one of whom is in a role the table does not name."""

NOT_NAMED = frozenset({"case_opened"})
"""Opening a case is access control's business (HR), not a step of any procedure."""


def accepted(pack: PolicyPack) -> frozenset[str]:
    """The act kinds the pack's stage machine moves on or its rules judge."""
    kinds = {t.act for t in pack.transitions}
    for rule in pack.rules:
        kinds |= rule.acts or set()
    return frozenset(kinds - NOT_NAMED)


PACKS = sorted(current_packs().values(), key=lambda p: p.id)


@pytest.mark.parametrize("pack", [pytest.param(p, id=p.id) for p in PACKS])
def test_every_act_a_pack_accepts_names_who_records_it(pack: PolicyPack) -> None:
    unnamed = sorted(accepted(pack) - set(pack.act_roles))
    assert unnamed == [], f"{pack.id} names nobody for {unnamed}"


class Probe:
    """Before each act: the outsider is refused, a related person in another role would be
    recorded with the table's finding; after: the act was by a named role, with no finding.

    Where the related person's act is refused by a rule of the procedure rather than recorded
    with a finding (rules not yet converted, issue 17 §2), the rule is noted in `refused_by`,
    and the test holds the walk to the exact list of those, so it fails once one is converted.
    """

    def __init__(self, pack: PolicyPack) -> None:
        self.pack = pack
        self.walked: set[str] = set()
        self.refused_by: dict[str, str] = {}

    def __call__(self, s: LedgerScript, command: RecordAct) -> None:
        kind = command.act.kind
        if kind in NOT_NAMED:
            return
        outsider = s.ledger.check(command.model_copy(update={"actor": OUTSIDER}))
        assert isinstance(outsider.refusal, AccessDenied), (kind, outsider)
        who = self.pack.act_roles.get(kind)
        if who is None:
            judged = accepted(self.pack)
            assert kind in RECORD_KEEPING or kind not in judged, f"{self.pack.id}: {kind}"
            return
        assert command.actor.role in who.roles, f"the walk records {kind} as {command.actor.role}"
        other = next(p for p in RELATED if p.role not in who.roles)
        s.registered(other)
        wrong = s.ledger.check(command.model_copy(update={"actor": other}))
        if isinstance(wrong.refusal, ActRefusedByRule):
            self.refused_by.setdefault(kind, wrong.refusal.rule.id)
        else:
            assert wrong.refusal is None, f"{kind} by {other.role.value}: {wrong.refusal}"
            said = {who.ref.id, *who.covered_by} & {f.rule.id for f in wrong.findings}
            assert said, (kind, wrong.findings)
        named = s.ledger.check(command)
        assert named.refusal is None, f"{kind} by {command.actor.role.value}: {named.refusal}"
        assert who.ref.id not in {f.rule.id for f in named.findings}
        self.walked.add(kind)


def walk_004(s: LedgerScript) -> None:
    """A dismissal through to an appeal heard and decided, with the decision letter, and the
    case closed when employment ends."""
    ip.to_appeal_hearing(s)
    s.act(ip.HEARING, ip.heard(), by=ip.APPEAL_CHAIR)
    s.act(ip.HEARING, ip.appeal_decided(AppealResult.NOT_UPHELD), by=ip.APPEAL_CHAIR)
    s.act(date(2026, 2, 5), ip.letter("ip-appeal-decision", "a-1"), by=ip.APPEAL_CHAIR)
    s.act(date(2026, 3, 18), CaseClosed(reason="Employment ended"), by=HR)


def walk_004_formal(s: LedgerScript) -> None:
    """A concern to a first formal meeting rescheduled for the companion, a warning and a
    Formal PIP revised, reviewed and extended; the warning appealed late, accepted, the time
    limit extended by agreement, and the warning reduced on appeal."""
    s.act(date(2025, 9, 2), ConcernRaised(concern_id="c-1", areas=("behaviour",)), by=ip.LM)
    ip.to_first_formal(s)
    s.act(ip.FIRST_INVITED, ip.invite("ff-1", FIRST, ip.FIRST_MEETING), by=ip.LM)
    moved = MeetingRescheduled(
        meeting_id="ff-1",
        new_date=date(2025, 10, 24),
        cause=RescheduleCause.COMPANION_UNAVAILABLE,
        requested_by="employee",
        reason="Union representative unavailable",
    )
    s.act(date(2025, 10, 16), moved, by=ip.LM)
    named = CompanionNamed(meeting_id="ff-1", name="NEU rep", companion_kind=TRADE_UNION)
    s.act(date(2025, 10, 19), named, by=EMPLOYEE)
    s.act(date(2025, 10, 24), ip.held("ff-1"), by=ip.LM)
    s.act(date(2025, 10, 24), ip.decide("ff-1", Outcome.FORMAL_PIP_AND_WARNING), by=ip.LM)
    warning = WarningIssued(warning_id="w-1", warning_kind=WarningKind.WRITTEN)
    s.act(date(2025, 10, 24), warning, by=ip.LM)
    warned = s.version
    s.act(date(2025, 10, 24), ip.formal_pip(), by=ip.LM)
    revised = SupportPlanRevised(
        plan_id="fpip-1", review_on=ip.FORMAL_PIP_REVIEW, reason="a second observation added"
    )
    s.act(date(2025, 11, 10), revised, by=ip.LM)
    reviewed = MonitoringReviewed(plan_id="fpip-1", progress=Progress.SOME_PROGRESS)
    s.act(date(2025, 11, 17), reviewed, by=ip.LM)
    extended = MonitoringPeriodChanged(
        plan_id="fpip-1",
        change="extended",
        new_end_on=date(2026, 1, 12),
        new_provisional_meeting_on=date(2026, 1, 21),
        reason="two weeks' sickness absence",
    )
    s.act(ip.FORMAL_PIP_REVIEW, extended, by=ip.LM, reason="two weeks' sickness absence")
    s.act(date(2025, 11, 12), ip.appeal(warned, addressed_to_person_id="lm-1"), by=EMPLOYEE)
    lodged = s.version
    late = AppealAccepted(appeal_id="a-1", reason="posted on time, delivered late")
    s.act(date(2025, 11, 13), late, by=ip.CHAIR_OF_GOVERNORS)
    agreed = TimeLimitExtended(
        rule_id="ip-appeal-arranged-14cd",
        anchor_version=lodged,
        new_due_on=date(2025, 12, 3),
        agreed_by=(Role.CHAIR_OF_GOVERNORS, Role.EMPLOYEE),
        reason="governor availability",
    )
    s.act(date(2025, 11, 14), agreed, by=ip.CHAIR_OF_GOVERNORS)
    s.act(date(2025, 11, 20), ip.arrange(date(2025, 12, 3)), by=ip.CHAIR_OF_GOVERNORS)
    s.act(date(2025, 12, 3), ip.heard(), by=ip.APPEAL_CHAIR)
    s.act(date(2025, 12, 3), ip.appeal_decided(AppealResult.UPHELD), by=ip.APPEAL_CHAIR)
    shorter = WarningReduced(
        warning_id="w-1",
        new_kind=WarningKind.WRITTEN,
        new_duration_months=6,
        appeal_id="a-1",
        reason="shorter",
    )
    s.act(date(2025, 12, 3), shorter, by=ip.APPEAL_CHAIR)


def walk_004_overturned(s: LedgerScript) -> None:
    """A second formal meeting adjourned to deliberate, a dismissal, and an appeal upheld with
    a lesser sanction: the dismissal overturned."""
    ip.to_second_meeting(s)
    pause = MeetingAdjourned(meeting_id="sf-1", reconvene_on=ip.SECOND_MEETING, reason="to decide")
    s.act(ip.SECOND_MEETING, pause, by=ip.DIRECTOR)
    s.act(ip.SECOND_MEETING, ip.hr_advice("dismissal"), by=ip.DIRECTOR)
    considered = AlternativeRolesConsidered(roles_considered=("cover supervisor",))
    s.act(ip.SECOND_MEETING, considered, by=ip.DIRECTOR)
    s.act(ip.SECOND_MEETING, ExternalPartyNotified(party="la_hr_business_partner"), by=HR)
    s.act(ip.SECOND_MEETING, ip.decide("sf-1", Outcome.DISMISSAL), by=ip.DIRECTOR)
    s.act(ip.SECOND_MEETING, ip.dismissal(), by=ip.DIRECTOR)
    dismissed = s.version
    s.act(ip.APPEALED, ip.appeal(dismissed), by=EMPLOYEE)
    s.act(ip.ARRANGED, ip.arrange(), by=ip.CHAIR_OF_GOVERNORS)
    s.act(ip.HEARING, ip.heard(), by=ip.APPEAL_CHAIR)
    lesser = ip.appeal_decided(AppealResult.UPHELD_LESSER_SANCTION)
    s.act(ip.HEARING, lesser, by=ip.APPEAL_CHAIR)
    overturned = DismissalOverturned(appeal_id="a-1", substitute="final_written_warning")
    s.act(ip.HEARING, overturned, by=ip.APPEAL_CHAIR)


def walk_004_rescinded(s: LedgerScript) -> None:
    """Capability started again when an improvement was not sustained; a warning appealed
    and rescinded."""
    ip.to_formal_monitoring(s)
    s.act(date(2025, 10, 27), ip.appeal(ip_warning(s), addressed_to_person_id="lm-1"), by=EMPLOYEE)
    s.act(date(2025, 10, 28), ip.arrange(date(2025, 11, 10)), by=ip.CHAIR_OF_GOVERNORS)
    s.act(date(2025, 11, 10), ip.heard(), by=ip.APPEAL_CHAIR)
    s.act(date(2025, 11, 10), ip.appeal_decided(AppealResult.UPHELD), by=ip.APPEAL_CHAIR)
    rescind = WarningRescinded(warning_id="w-1", appeal_id="a-1", reason="appeal upheld")
    s.act(date(2025, 11, 10), rescind, by=ip.APPEAL_CHAIR)
    s.act(date(2025, 12, 15), ip.decide("fpip-1", Outcome.IMPROVED), by=ip.LM)
    relapse = CapabilityStarted(basis=CapabilityBasis.NOT_SUSTAINED, reason="Routines lapsed")
    s.act(date(2026, 3, 2), relapse, by=ip.LM)


def ip_warning(s: LedgerScript) -> int:
    """The version of the case's warning w-1."""
    return next(
        r.version
        for r, e in zip(s.receipts, s.ledger.reader(HR).records(s.employee), strict=True)
        if e.act.kind == "warning_issued"
    )


def star_steps(s: LedgerScript, versions: dict[str, int], start: str, until: str) -> None:
    """The compliant STAR case's steps from `start` to `until`, the employee countersigning
    the stored records."""
    for name, day, make, actor in star.STEPS[star.NAMES.index(start) : star.NAMES.index(until) + 1]:
        if name in SIGNS:
            signed = s.receipts[versions[SIGNS[name]] - 1]
            act: Act = RecordAcknowledged(
                record_version=signed.version, record_digest=signed.digest
            )
        else:
            act = make(versions)
        s.act(day, act, by=actor)
        versions[name] = s.version


def walk_003(s: LedgerScript) -> None:
    """STAR: the compliant case with an absence, a monitoring review and an amended plan, to an
    unsuccessful review; capability, a warning the employee appeals, capability ended and the
    case closed."""
    versions: dict[str, int] = {}
    star_steps(s, versions, "concern", "letter-2")
    flu = AbsenceNoted(nature="Flu", starts_on=date(2025, 10, 6), likely_duration_days=2)
    s.act(date(2025, 10, 6), flu, by=star.MANAGER)
    reviewed = MonitoringReviewed(plan_id="sp-1", progress=Progress.SOME_PROGRESS)
    s.act(date(2025, 10, 9), reviewed, by=star.MANAGER)
    amended = SupportPlanRevised(
        plan_id="sp-1", review_on=star.REVIEW_ON, reason="sampling weekly, agreed with her"
    )
    s.act(date(2025, 10, 10), amended, by=star.MANAGER)
    star_steps(s, versions, "review-invite", "review-invite")
    named = CompanionNamed(meeting_id="review-1", name="UNISON rep", companion_kind=TRADE_UNION)
    s.act(date(2025, 10, 24), named, by=EMPLOYEE)
    star_steps(s, versions, "evidence", "review")
    unsuccessful = OutcomeDecided(subject_id="sp-1", outcome=Outcome.UNSUCCESSFUL, letter="star-6")
    s.act(star.REVIEW_ON, unsuccessful, by=star.MANAGER)
    s.act(date(2025, 11, 7), LetterSent(letter_id="l-6", template="star-6", about_id="sp-1"))
    s.act(star.REVIEW_ON, CapabilityStarted(reason="Unsuccessful review"), by=star.MANAGER)
    warning = WarningIssued(warning_id="w-1", warning_kind=WarningKind.WRITTEN)
    s.act(date(2026, 1, 12), warning, by=star.MANAGER)
    appeal = AppealLodged(appeal_id="a-1", against_version=s.version, grounds=(AppealGround.OTHER,))
    s.act(date(2026, 1, 14), appeal, by=EMPLOYEE)
    s.act(date(2026, 3, 2), CapabilityEnded(reason="Standard reached"), by=star.MANAGER)
    s.act(date(2026, 3, 3), CaseClosed(reason="Sustained"), by=HR)


def walk_003_dismissed(s: LedgerScript) -> None:
    """STAR: the review moved for the employee's companion, unsuccessful, capability to a
    dismissal by the Headteacher."""
    versions: dict[str, int] = {}
    star_steps(s, versions, "concern", "evidence")
    moved = MeetingRescheduled(
        meeting_id="review-1",
        new_date=date(2025, 11, 13),
        cause=RescheduleCause.COMPANION_UNAVAILABLE,
        requested_by="employee",
        reason="Her companion is on a course on 6 November",
    )
    s.act(date(2025, 11, 4), moved, by=star.MANAGER)
    held = MeetingHeld(meeting_id="review-1", chair_person_id="lm-1")
    s.act(date(2025, 11, 13), held, by=star.MANAGER)
    unsuccessful = OutcomeDecided(subject_id="sp-1", outcome=Outcome.UNSUCCESSFUL, letter="star-6")
    s.act(date(2025, 11, 13), unsuccessful, by=star.MANAGER)
    s.act(date(2025, 11, 13), CapabilityStarted(reason="Unsuccessful review"), by=star.MANAGER)
    s.act(date(2026, 3, 2), ip.dismissal(effective_on=date(2026, 5, 1)), by=HEAD)


SIGNS = {"initial-notes": "initial", "plan-signed": "plan"}
"""The STAR steps the employee countersigns, and the step whose record they sign."""


def walk_001(s: LedgerScript) -> None:
    """Support staff: a cycle, a concern found insufficient, capability and a warning."""
    s.act(date(2025, 9, 1), ReviewerAssigned(reviewer_person_id="rev-1"), by=HEAD)
    cycle = CycleOpened(
        cycle_id=ss.CYCLE,
        starts_on=date(2025, 9, 1),
        ends_on=date(2026, 8, 31),
        reviewer_person_id="rev-1",
    )
    s.act(date(2025, 9, 1), cycle, by=REVIEWER)
    s.act(date(2025, 9, 24), ss.held("plan-1"), by=REVIEWER)
    objectives = ObjectivesSet(cycle_id=ss.CYCLE, objectives=ss.objectives(3))
    s.act(date(2025, 9, 24), objectives, by=REVIEWER)
    on = date(2025, 11, 3)
    s.act(on, ss.held("concerns-1", purpose=MeetingPurpose.CONCERNS), by=REVIEWER)
    s.act(on, ss_concerns.plan(on, date(2025, 11, 24)), by=REVIEWER)
    insufficient = OutcomeDecided(subject_id="cp-1", outcome=Outcome.INSUFFICIENT)
    s.act(date(2025, 11, 24), insufficient, by=REVIEWER)
    notice = LetterSent(letter_id="n-1", template="ss-capability-notice")
    s.act(date(2025, 11, 24), notice, by=REVIEWER)
    s.act(date(2025, 11, 25), CapabilityStarted(reason="No improvement"), by=REVIEWER)
    written = WarningIssued(warning_id="w-1", warning_kind=WarningKind.WRITTEN)
    s.act(date(2026, 1, 12), written, by=HEAD)
    final = WarningIssued(warning_id="w-2", warning_kind=WarningKind.FINAL_WRITTEN)
    s.act(date(2026, 2, 2), final, by=HEAD)
    dismissal = ip.dismissal(effective_on=date(2026, 4, 30), notice_weeks=4)
    s.act(date(2026, 3, 2), dismissal, by=HEAD)


def walk_001_reviewer(s: LedgerScript) -> None:
    """Support staff: the reviewee asks for another reviewer at the start and the Headteacher
    appoints one, who sets and later revises the objectives; a concern's plan is reviewed and
    revised, progress is sufficient, and the Headteacher ends capability started after it."""
    s.act(date(2025, 9, 1), ReviewerAssigned(reviewer_person_id="rev-1"), by=HEAD)
    asked = ReviewerChangeRequested(request_id="r1", reasons="We have a conflict of interest")
    s.act(date(2025, 9, 3), asked, by=EMPLOYEE)
    other = ReviewerChanged(
        reviewer_person_id="rev-2", requested_by_employee=True, reason="conflict of interest"
    )
    s.act(date(2025, 9, 8), other, by=HEAD)
    reviewer = Actor(person_id="rev-2", role=Role.REVIEWER)
    objectives = ObjectivesSet(cycle_id=ss.CYCLE, objectives=ss.objectives(3))
    s.act(date(2025, 9, 24), objectives, by=reviewer)
    revised = ObjectivesRevised(cycle_id=ss.CYCLE, objectives=ss.objectives(4), reason="new role")
    s.act(date(2026, 1, 12), revised, by=reviewer)
    on = date(2026, 2, 2)
    s.act(on, ss.held("concerns-1", purpose=MeetingPurpose.CONCERNS), by=reviewer)
    s.act(on, ss_concerns.plan(on, date(2026, 3, 2)), by=reviewer)
    progress = MonitoringReviewed(plan_id="cp-1", progress=Progress.SOME_PROGRESS)
    s.act(date(2026, 2, 16), progress, by=reviewer)
    later = SupportPlanRevised(plan_id="cp-1", review_on=date(2026, 3, 9), reason="absence")
    s.act(date(2026, 2, 23), later, by=reviewer)
    insufficient = OutcomeDecided(subject_id="cp-1", outcome=Outcome.INSUFFICIENT)
    s.act(date(2026, 3, 9), insufficient, by=reviewer)
    s.act(date(2026, 3, 10), CapabilityStarted(reason="No improvement"), by=reviewer)
    s.act(date(2026, 5, 11), CapabilityEnded(reason="Standard reached"), by=HEAD)


def walk_002(s: LedgerScript) -> None:
    """Hampshire: a teacher's cycle to a rating, a pay recommendation and the panel's decision."""
    s.act(date(2025, 9, 1), ReviewerAssigned(reviewer_person_id="rev-1"), by=HEAD)
    hp.open_cycle(s)
    hp.outset(s)
    s.act(date(2025, 9, 15), hp.objectives(), by=REVIEWER)
    plan = DevelopmentPlanAgreed(cycle_id=hp.CYCLE, items=("Phonics training",))
    s.act(date(2025, 9, 20), plan, by=REVIEWER)
    s.act(date(2025, 11, 5), ObservationHeld(observation_id="obs-1"), by=REVIEWER)
    interim = MeetingInvited(
        meeting_id="int-1", purpose=MeetingPurpose.INTERIM_REVIEW, scheduled_for=date(2025, 12, 10)
    )
    s.act(date(2025, 12, 1), interim, by=REVIEWER)
    s.act(date(2025, 12, 10), hp.meeting("int-1", MeetingPurpose.INTERIM_REVIEW), by=REVIEWER)
    revised = ObjectivesRevised(
        cycle_id=hp.CYCLE, objectives=hp.objectives().objectives, reason="interim review"
    )
    s.act(date(2025, 12, 10), revised, by=REVIEWER)
    s.act(date(2026, 7, 10), hp.annual_statement(), by=REVIEWER)
    s.act(date(2026, 7, 10), RatingRecorded(cycle_id=hp.CYCLE, rating=Rating.ACHIEVED), by=REVIEWER)
    s.act(date(2026, 10, 2), pay.recommend(pay_points=1), by=REVIEWER)
    s.act(date(2026, 10, 5), PayRecommendationApproved(recommendation_id="p1"), by=HEAD)
    s.act(date(2026, 10, 5), PayRecommendationShared(recommendation_id="p1"), by=HEAD)
    s.act(date(2026, 10, 6), PayRecommendationReferred(recommendation_id="p1"), by=HEAD)
    decided = PayDecided(recommendation_id="p1", pay_points=1, effective_from=date(2026, 9, 1))
    s.act(date(2026, 10, 20), decided, by=hp.PANEL)


def walk_002_headteacher(s: LedgerScript) -> None:
    """Hampshire, a Headteacher's case: the governors appoint the panel, which opens the
    cycle."""
    panel = HpmpAppointed(
        members=(hp.HPMP.person_id, hp.HPMP_CHAIR.person_id, "gov-3"),
        chair_person_id=hp.HPMP_CHAIR.person_id,
        external_adviser_person_id="adv-1",
    )
    s.act(date(2025, 9, 1), panel, by=GOVERNOR)
    hp.open_cycle(s, by=hp.HPMP)


def hp_into_capability(s: LedgerScript) -> None:
    """Hampshire ¶10: a concern, support measures, structured managerial support reviewed and
    revised, the consequences told, then the Capability Policy."""
    s.act(date(2025, 9, 1), ReviewerAssigned(reviewer_person_id="rev-1"), by=HEAD)
    s.act(date(2025, 10, 6), ConcernRaised(concern_id="c1", areas=("behaviour",)), by=HEAD)
    adjustments = ReasonableAdjustmentsConsidered(concern_id="c1", outcome="none needed")
    s.act(date(2025, 10, 6), adjustments, by=HEAD)
    mentoring = SupportMeasureStarted(measure_id="m1", concern_id="c1", measure="mentoring")
    s.act(date(2025, 10, 7), mentoring, by=HEAD)
    s.act(date(2025, 10, 13), hp_concerns.sms(date(2025, 10, 13), date(2025, 11, 14)), by=HEAD)
    progress = MonitoringReviewed(plan_id="sms-1", progress=Progress.SOME_PROGRESS)
    s.act(date(2025, 10, 27), progress, by=HEAD)
    later = SupportPlanRevised(plan_id="sms-1", review_on=date(2025, 11, 21), reason="absence")
    s.act(date(2025, 10, 28), later, by=HEAD)
    s.act(date(2025, 11, 21), hp_concerns.told(), by=HEAD)
    not_met = OutcomeDecided(subject_id="sms-1", outcome=Outcome.INSUFFICIENT)
    s.act(date(2025, 11, 21), not_met, by=HEAD)
    stage_one = (*hp_concerns.FACTORS, "stage_one_meeting_invited")
    s.act(date(2025, 12, 1), hp_concerns.capability(confirms=stage_one), by=HEAD)


def walk_002_dismissed(s: LedgerScript) -> None:
    """Hampshire: from a concern into capability, a final written warning and a dismissal."""
    hp_into_capability(s)
    final = WarningIssued(warning_id="w1", warning_kind=WarningKind.FINAL_WRITTEN)
    s.act(date(2026, 1, 12), final, by=HEAD)
    s.act(date(2026, 3, 2), ip.dismissal(effective_on=date(2026, 4, 30)), by=hp_concerns.SENIOR)


def walk_002_recovered(s: LedgerScript) -> None:
    """Hampshire: from a concern into capability, the standard reached, capability ended; the
    Headteacher changes the reviewer."""
    hp_into_capability(s)
    s.act(date(2026, 3, 2), CapabilityEnded(reason="standard reached"), by=HEAD)
    other = ReviewerChanged(reviewer_person_id="rev-2", reason="line manager changed")
    s.act(date(2026, 4, 13), other, by=HEAD)


def walk_000(s: LedgerScript) -> None:
    """ReFocus: targets, three review points each with its term's bonus, as the procedure runs."""
    s.act(date(2025, 9, 1), ReviewerAssigned(reviewer_person_id="rev-1"), by=HEAD)
    rf.open_cycle(s)
    s.act(date(2025, 9, 15), rf.targets_set(), by=REVIEWER)
    revised = ObjectivesRevised(
        cycle_id="2025-26", objectives=(rf.target(1), rf.target(2), rf.target(4)), reason="role"
    )
    s.act(date(2025, 10, 1), revised, by=REVIEWER)
    points = (
        (date(2025, 12, 2), MeetingPurpose.MID_YEAR_REVIEW, 1),
        (date(2026, 3, 24), MeetingPurpose.MID_YEAR_REVIEW, 2),
        (date(2026, 7, 7), MeetingPurpose.END_OF_CYCLE_REVIEW, 3),
    )
    for on, purpose, point in points:
        rf.hold(s, on, f"review-{point}", purpose)
        if point < 3:  # a bonus for each of the two terms the mid-year reviews close (§5)
            bonus = BonusDecided(cycle_id="2025-26", term=point, awarded=True, amount="250.00")
            s.act(on + timedelta(days=8), bonus, by=HEAD)
            s.act(on + timedelta(days=9), bonus, by=rf_tests.COMMITTEE)


Walk = Callable[[LedgerScript], None]


def walk_000_support(s: LedgerScript) -> None:
    """ReFocus §9: a concern met with informal support, reviewed and revised, found
    insufficient; capability, and the Headteacher ends it."""
    s.act(date(2025, 9, 1), ReviewerAssigned(reviewer_person_id="rev-1"), by=HEAD)
    s.act(date(2025, 10, 6), ConcernRaised(concern_id="c-1", areas=("marking",)), by=REVIEWER)
    s.act(date(2025, 10, 10), rf_tests.informal_plan(), by=REVIEWER)
    progress = MonitoringReviewed(plan_id="ip-1", progress=Progress.SOME_PROGRESS)
    s.act(date(2025, 10, 24), progress, by=REVIEWER)
    later = SupportPlanRevised(plan_id="ip-1", review_on=date(2025, 11, 28), reason="absence")
    s.act(date(2025, 11, 3), later, by=REVIEWER)
    insufficient = OutcomeDecided(subject_id="ip-1", outcome=Outcome.INSUFFICIENT)
    s.act(date(2025, 11, 28), insufficient, by=REVIEWER)
    s.act(date(2025, 12, 1), CapabilityStarted(reason="No progress"), by=HEAD)
    s.act(date(2026, 2, 2), CapabilityEnded(reason="Standard reached"), by=HEAD)


WALKS: dict[str, tuple[tuple[Walk, ...], dict[str, object], frozenset[str]]] = {
    "improving-performance": (
        (walk_004, walk_004_formal, walk_004_overturned, walk_004_rescinded),
        {"line_manager_person_id": "lm-1", "employment_started_on": date(2015, 9, 1)},
        frozenset(),
    ),
    "star-developing-performance": (
        (walk_003, walk_003_dismissed),
        {"line_manager_person_id": "lm-1", "staff_group": StaffGroup.SUPPORT_STAFF},
        frozenset(),
    ),
    "support-staff-pm": (
        (walk_001, walk_001_reviewer),
        {"line_manager_person_id": "rev-1", "staff_group": StaffGroup.SUPPORT_STAFF},
        frozenset(),
    ),
    "hampshire-pm": (
        (walk_002, walk_002_headteacher, walk_002_dismissed, walk_002_recovered),
        {"line_manager_person_id": "rev-1"},
        frozenset({"appeal_lodged"}),  # no appeal route: refused by rule (D-hp-13)
    ),
    "refocus-pm": (
        (walk_000, walk_000_support),
        {"line_manager_person_id": "rev-1"},
        frozenset(),
    ),
}
"""Per pack: its walks (each a case of its own on the one ledger), the cases' opening, and the
kinds no walk reaches yet."""


OWN_GROUP: dict[Walk, StaffGroup] = {walk_002_headteacher: StaffGroup.HEADTEACHER}
"""The walks whose case is of a staff group other than their pack's other walks."""


def walked(target: str, pack: PolicyPack) -> Probe:
    walks, opening, _ = WALKS[pack.id]
    probe = Probe(pack)
    with open_example_ledger(target) as ledger:
        ledger.register_person(
            OUTSIDER.person_id, (Role.HEADTEACHER,), by=ENROLLER, schools=("elsewhere",)
        )
        fields = dict(opening)
        group = fields.pop("staff_group", StaffGroup.TEACHER)
        assert isinstance(group, StaffGroup)
        people = People(ledger)
        for n, walk in enumerate(walks, 1):
            employee = EmployeeRef(organisation="trust", employee_ref=f"E-{n}")
            s = LedgerScript(
                ledger,
                pack.id,
                staff_group=OWN_GROUP.get(walk, group),
                opening=fields,
                employee=employee,
                people=people,
                before_each=probe,
            )
            walk(s)
        assert ledger.verify().ok
    return probe


STILL_REFUSED: dict[str, dict[str, str]] = {
    "improving-performance": {},
}
"""Acts a related person in a role the procedure does not name is still refused, by rule,
instead of recorded with a finding: the rules of the 'refuse' class issue 17 §2 converts. Exact,
so the test fails when one is converted (remove it from here then)."""


@pytest.mark.parametrize("pack_id", sorted(WALKS))
def test_every_act_recorded_by_the_person_the_procedure_names(pack_id: str, tmp_path: Path) -> None:
    pack = current_packs()[pack_id]
    probe = walked(str(tmp_path / "ledger.sqlite"), pack)
    _, _, not_yet = WALKS[pack_id]
    assert sorted(accepted(pack) - probe.walked) == sorted(not_yet)
    assert probe.refused_by == STILL_REFUSED.get(pack_id, {})


@pytest.mark.postgres
@pytest.mark.parametrize("pack_id", ["improving-performance", "star-developing-performance"])
def test_walks_on_postgres(backend: str, pack_id: str) -> None:
    """The same walks on PostgreSQL: 004 through its appeal, STAR into capability."""
    if not backend.startswith("postgres"):
        pytest.skip("the SQLite run is the test above")
    pack = current_packs()[pack_id]
    probe = walked(backend, pack)
    _, _, not_yet = WALKS[pack_id]
    assert sorted(accepted(pack) - probe.walked) == sorted(not_yet)
    assert probe.refused_by == STILL_REFUSED.get(pack_id, {})
