"""Hampshire (seed 002): ratings and pay, L34 and L91-107, and the pure pay mapping."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.policies.ledger_script import LedgerScript, open_example_ledger
from tests.policies.script import GOVERNOR, HEAD, HR, REVIEWER, Script, finding, unexplained
from tests.policies.test_hampshire_pm import (
    CYCLE,
    HPMP,
    PACK,
    PANEL,
    hampshire,
    headteacher_case,
    open_cycle,
    rows,
)

from pmledger.errors import AccessDenied, ActRefused, InvalidInput
from pmledger.events.actors import Actor, Role
from pmledger.events.case_acts import StaffGroup
from pmledger.events.pay_acts import (
    PayDecided,
    PayRecommendationApproved,
    PayRecommendationReferred,
    PayRecommendationShared,
    PayRecommended,
    Rating,
    RatingRecorded,
)
from pmledger.events.sanction_acts import CapabilityEnded, CapabilityStarted
from pmledger.ledger.facade import Ledger
from pmledger.policies.judgement import (
    ActRefusedByRule,
    DeadlineStatus,
    Severity,
)
from pmledger.policies.packs.hampshire_pm import (
    PayOutcome,
    expected_pay,
    pay_recommendation_due,
    rating_scale,
)


def rated(rating: Rating, group: StaffGroup = StaffGroup.TEACHER, **opening: object) -> Script:
    s = hampshire(group, **opening)
    open_cycle(s)
    s.act(date(2026, 10, 1), RatingRecorded(cycle_id=CYCLE, rating=rating), by=REVIEWER)
    return s


def recommend(**amounts: int) -> PayRecommended:
    return PayRecommended(recommendation_id="p1", cycle_id=CYCLE, **amounts)


@pytest.mark.parametrize(
    ("group", "rating", "outcome"),
    [
        (StaffGroup.TEACHER, Rating.EXCEPTIONAL, PayOutcome(points=2)),
        (StaffGroup.TEACHER, Rating.ACHIEVED, PayOutcome(points=1)),
        (StaffGroup.TEACHER, Rating.NOT_MET, PayOutcome()),
        (StaffGroup.HEADTEACHER, Rating.EXCEPTIONAL, PayOutcome(points=2)),
        (StaffGroup.SUPPORT_STAFF, Rating.EXCEPTIONAL, PayOutcome(steps=1, one_off_percent=3)),
        (StaffGroup.SUPPORT_STAFF, Rating.ACHIEVED, PayOutcome(steps=1)),
        (StaffGroup.SUPPORT_STAFF, Rating.IMPROVEMENT_REQUIRED, PayOutcome()),
    ],
)
def test_002_ratings_l97_106_expected_pay_is_the_policy_table(
    group: StaffGroup, rating: Rating, outcome: PayOutcome
) -> None:
    assert expected_pay(group, rating) == outcome


def test_002_ratings_l104_expected_pay_two_steps_only_for_exceptional_support_staff() -> None:
    assert expected_pay(
        StaffGroup.SUPPORT_STAFF, Rating.EXCEPTIONAL, two_steps_instead=True
    ) == PayOutcome(steps=2)
    with pytest.raises(InvalidInput, match="only to support staff"):
        expected_pay(StaffGroup.TEACHER, Rating.EXCEPTIONAL, two_steps_instead=True)
    with pytest.raises(InvalidInput, match="not a rating for support_staff"):
        expected_pay(StaffGroup.SUPPORT_STAFF, Rating.NOT_MET)
    assert Rating.IMPROVEMENT_REQUIRED not in rating_scale(StaffGroup.HEADTEACHER)


def test_002_ratings_l95_107_each_group_has_its_own_scale() -> None:
    s = hampshire()
    open_cycle(s)
    with pytest.raises(ActRefusedByRule, match="not on the teacher scale"):
        s.act(date(2026, 10, 1), RatingRecorded(cycle_id=CYCLE, rating=Rating.IMPROVEMENT_REQUIRED))
    support = hampshire(StaffGroup.SUPPORT_STAFF)
    open_cycle(support)
    with pytest.raises(ActRefusedByRule, match="hp-rating-scale"):
        support.act(date(2026, 10, 1), RatingRecorded(cycle_id=CYCLE, rating=Rating.NOT_MET))


def test_002_ratings_l96_99_teacher_recommendation_follows_the_rating() -> None:
    s = hampshire()
    open_cycle(s)
    finding(
        s.check(date(2026, 10, 1), recommend(pay_points=1)),
        "record the performance management rating",
        Severity.MAJOR,
    )
    s.act(date(2026, 10, 1), RatingRecorded(cycle_id=CYCLE, rating=Rating.ACHIEVED))
    finding(s.check(date(2026, 10, 2), recommend(pay_points=2)), "1 point", Severity.MAJOR)
    assert s.act(date(2026, 10, 2), recommend(pay_points=1)) == []
    assert rated(Rating.EXCEPTIONAL).act(date(2026, 10, 2), recommend(pay_points=2)) == []


def test_002_ratings_l100_not_met_only_while_on_formal_capability() -> None:
    s = hampshire()
    open_cycle(s)
    finding(
        s.check(date(2026, 7, 1), RatingRecorded(cycle_id=CYCLE, rating=Rating.NOT_MET)),
        "only apply where the employee is on formal",
        Severity.MAJOR,
    )
    on_capability = hampshire()
    open_cycle(on_capability)
    on_capability.act(
        date(2026, 3, 2),
        CapabilityStarted(reason="standards not met"),
        reason="teaching in serious jeopardy",
    )
    on_capability.act(date(2026, 6, 1), CapabilityEnded(reason="resolved"))
    # Capability ran during the cycle assessed (D-hp-3, setting not_met_capability_window).
    assert (
        on_capability.act(date(2026, 10, 1), RatingRecorded(cycle_id=CYCLE, rating=Rating.NOT_MET))
        == []
    )
    assert on_capability.act(date(2026, 10, 2), recommend()) == []


def test_002_ratings_l104_106_support_staff_recommendation_follows_the_rating() -> None:
    s = rated(Rating.ACHIEVED, StaffGroup.SUPPORT_STAFF)
    finding(
        s.check(date(2026, 10, 2), recommend(pay_steps=1, one_off_percent=3)),
        "1 step\\(s\\); the recommendation",
        Severity.MAJOR,
    )
    assert s.act(date(2026, 10, 2), recommend(pay_steps=1)) == []
    exceptional = rated(Rating.EXCEPTIONAL, StaffGroup.SUPPORT_STAFF)
    finding(
        exceptional.check(date(2026, 10, 2), recommend(pay_steps=1)),
        "hp-support-pay-map",
        Severity.MAJOR,
    )
    assert exceptional.act(date(2026, 10, 2), recommend(pay_steps=1, one_off_percent=3)) == []


def test_002_ratings_l104_two_steps_exceptionally_never_with_the_one_off() -> None:
    s = rated(Rating.EXCEPTIONAL, StaffGroup.SUPPORT_STAFF)
    unexplained(
        s.check(date(2026, 10, 2), recommend(pay_steps=2)), "2 steps instead", Severity.MAJOR
    )
    finding(
        s.check(date(2026, 10, 2), recommend(pay_steps=2, one_off_percent=3), reason="x" * 5),
        "never with it",
        Severity.MAJOR,
    )
    found = s.act(
        date(2026, 10, 2), recommend(pay_steps=2), reason="took over the office manager's role"
    )
    assert s.rule_ids(found) == ["hp-support-two-steps"]
    assert found[0].deviated
    achieved = rated(Rating.ACHIEVED, StaffGroup.SUPPORT_STAFF)
    finding(
        achieved.check(date(2026, 10, 2), recommend(pay_steps=2), reason="generous"),
        "hp-support-pay-map",
        Severity.MAJOR,
    )


def test_002_l91_recommendations_only_with_scope_on_the_range() -> None:
    s = rated(Rating.ACHIEVED, at_top_of_pay_range=True)
    finding(
        s.check(date(2026, 10, 2), recommend(pay_points=1)),
        "top of their pay range",
        Severity.MAJOR,
    )
    assert pay_recommendation_due(s.case, CYCLE) is False
    assert rows(s, "hp-teacher-review-oct", date(2026, 11, 1))[1:] == []


def test_002_l91_upper_pay_range_recommendation_every_other_year() -> None:
    s = hampshire(on_upper_pay_range=True, upr_since=date(2023, 9, 1))
    open_cycle(s)
    open_cycle(s, "2026-27", date(2026, 9, 1), date(2027, 8, 31))
    assert pay_recommendation_due(s.case, CYCLE) is True
    assert pay_recommendation_due(s.case, "2026-27") is False
    s.act(date(2026, 10, 1), RatingRecorded(cycle_id=CYCLE, rating=Rating.ACHIEVED))
    assert s.act(date(2026, 10, 2), recommend(pay_points=1)) == []
    s.act(date(2027, 10, 1), RatingRecorded(cycle_id="2026-27", rating=Rating.ACHIEVED))
    found = s.act(
        date(2027, 10, 2),
        PayRecommended(recommendation_id="p2", cycle_id="2026-27", pay_points=1),
    )
    assert s.rule_ids(found) == ["hp-upr-alternate"]
    assert found[0].severity is Severity.MINOR
    (row,) = rows(s, "hp-upr-alternate", date(2027, 11, 1))
    assert (row.due_on, row.status) == (date(2026, 10, 31), DeadlineStatus.MET)


def test_002_l91_upper_pay_range_with_no_anchor_year_is_unknown() -> None:
    s = hampshire(on_upper_pay_range=True)
    open_cycle(s)
    (row,) = rows(s, "hp-upr-alternate", date(2026, 11, 1))
    assert row.status is DeadlineStatus.UNKNOWN
    assert "upr_since" in (row.reason or "")


def test_002_appointing_reviewers_l34_who_recommends_pay() -> None:
    s = rated(Rating.ACHIEVED)
    finding(
        s.check(date(2026, 10, 2), recommend(pay_points=1), by=REVIEWER),
        "may not recommend pay",
        Severity.MAJOR,
    )
    delegated = hampshire()
    open_cycle(delegated, confirms=("reviewer_makes_pay_recommendation",))
    delegated.act(date(2026, 10, 1), RatingRecorded(cycle_id=CYCLE, rating=Rating.ACHIEVED))
    assert delegated.act(date(2026, 10, 2), recommend(pay_points=1), by=REVIEWER) == []
    ht = headteacher_case()
    ht.act(date(2026, 12, 1), RatingRecorded(cycle_id=CYCLE, rating=Rating.ACHIEVED), by=HPMP)
    finding(
        ht.check(date(2026, 12, 2), recommend(pay_points=1)), "made by the HPMP", Severity.MAJOR
    )
    assert ht.act(date(2026, 12, 2), recommend(pay_points=1), by=HPMP) == []


def test_002_appointing_reviewers_l34_the_governing_body_decides_pay() -> None:
    s = rated(Rating.ACHIEVED)
    s.act(date(2026, 10, 2), recommend(pay_points=1))
    s.act(date(2026, 10, 2), PayRecommendationApproved(recommendation_id="p1"))
    s.act(date(2026, 10, 3), PayRecommendationReferred(recommendation_id="p1"))
    decision = PayDecided(recommendation_id="p1", pay_points=1, effective_from=date(2025, 9, 1))
    finding(s.check(date(2026, 10, 20), decision), "pay panel", Severity.MAJOR)
    for governor in (GOVERNOR, Actor(person_id="gov-3", role=Role.GOVERNOR)):
        with pytest.raises(AccessDenied, match="pay_decided"):  # not the panel: no part in it
            s.check(date(2026, 10, 20), decision, by=governor)
    assert s.act(date(2026, 10, 20), decision, by=PANEL) == []


def test_002_l91_headteacher_approves_before_sharing_or_referring() -> None:
    s = rated(Rating.ACHIEVED)
    s.act(date(2026, 10, 2), recommend(pay_points=1))
    finding(
        s.check(date(2026, 10, 3), PayRecommendationShared(recommendation_id="p1"), by=REVIEWER),
        "approved by the Headteacher before being shared",
        Severity.MAJOR,
    )
    finding(
        s.check(date(2026, 10, 3), PayRecommendationReferred(recommendation_id="p1")),
        "before being referred",
        Severity.MAJOR,
    )
    finding(
        s.check(date(2026, 10, 3), PayRecommendationApproved(recommendation_id="p1"), by=REVIEWER),
        "approved by the Headteacher, not reviewer",
        Severity.MAJOR,
    )
    with pytest.raises(ActRefusedByRule, match="no pay recommendation 'p9'"):
        s.act(date(2026, 10, 3), PayRecommendationApproved(recommendation_id="p9"))
    s.act(date(2026, 10, 3), PayRecommendationApproved(recommendation_id="p1"), by=HEAD)
    assert s.act(date(2026, 10, 4), PayRecommendationShared(recommendation_id="p1")) == []
    assert s.act(date(2026, 10, 4), PayRecommendationReferred(recommendation_id="p1")) == []


def test_002_l91_the_hpmp_refers_the_headteachers_recommendation() -> None:
    s = headteacher_case()
    s.act(date(2026, 12, 1), RatingRecorded(cycle_id=CYCLE, rating=Rating.ACHIEVED), by=HPMP)
    s.act(date(2026, 12, 2), recommend(pay_points=1), by=HPMP)
    finding(
        s.check(date(2026, 12, 3), PayRecommendationApproved(recommendation_id="p1")),
        "not approved by the Headteacher",
        Severity.MAJOR,
    )
    decision = PayDecided(recommendation_id="p1", pay_points=1, effective_from=date(2025, 9, 1))
    found = s.act(date(2026, 12, 10), decision, by=PANEL)
    assert s.rule_ids(found) == ["hp-hpmp-refers"]
    referred = headteacher_case()
    referred.act(date(2026, 12, 1), RatingRecorded(cycle_id=CYCLE, rating=Rating.ACHIEVED), by=HPMP)
    referred.act(date(2026, 12, 2), recommend(pay_points=1), by=HPMP)
    assert (
        referred.act(date(2026, 12, 3), PayRecommendationReferred(recommendation_id="p1"), by=HPMP)
        == []
    )
    assert referred.act(date(2026, 12, 10), decision, by=PANEL) == []


def test_002_cycle_l29_support_staff_pay_effective_from_1_april() -> None:
    s = rated(Rating.ACHIEVED, StaffGroup.SUPPORT_STAFF)
    s.act(date(2026, 12, 1), recommend(pay_steps=1))
    s.act(date(2026, 12, 1), PayRecommendationApproved(recommendation_id="p1"))
    s.act(date(2026, 12, 2), PayRecommendationReferred(recommendation_id="p1"))
    found = s.act(
        date(2026, 12, 15),
        PayDecided(recommendation_id="p1", pay_steps=1, effective_from=date(2027, 1, 1)),
        by=PANEL,
    )
    assert s.rule_ids(found) == ["hp-support-review-dec"]
    assert "from 2027-04-01" in found[0].message
    assert (
        s.act(
            date(2026, 12, 15),
            PayDecided(recommendation_id="p1", pay_steps=1, effective_from=date(2027, 4, 1)),
            by=PANEL,
        )
        == []
    )


def rated_on_ledger(
    ledger: Ledger, rating: Rating, group: StaffGroup = StaffGroup.TEACHER
) -> LedgerScript:
    """A Hampshire case on a real ledger, its 2025-26 cycle rated on 1 October 2026."""
    s = LedgerScript(ledger, PACK, staff_group=group)
    open_cycle(s)  # type: ignore[arg-type]
    s.act(date(2026, 10, 1), RatingRecorded(cycle_id=CYCLE, rating=rating), by=REVIEWER)
    return s


def test_002_l91_the_pay_panel_decides_on_a_recommendation_approved_and_referred(
    tmp_path: Path,
) -> None:
    """L91: recommendations "must be approved by the Headteacher ... before being referred to
    the governors' pay panel"; L34: the Governing Body decides. A decision on no recommendation
    cannot be; one on a recommendation never approved or referred is recorded with a finding."""
    decision = PayDecided(recommendation_id="p1", pay_points=1, effective_from=date(2026, 9, 1))
    with open_example_ledger(str(tmp_path / "ledger.sqlite")) as ledger:
        s = rated_on_ledger(ledger, Rating.ACHIEVED)
        s.act(date(2026, 10, 2), recommend(pay_points=1))
        nothing = decision.model_copy(update={"recommendation_id": "p9"})
        with pytest.raises(ActRefused, match="no pay recommendation 'p9'"):
            s.act(date(2026, 10, 20), nothing, by=PANEL)
        finding(
            s.check(date(2026, 10, 20), decision, by=PANEL),
            "never approved by the Headteacher nor referred to the governors' pay panel",
            Severity.MAJOR,
        )
        s.act(date(2026, 10, 3), PayRecommendationApproved(recommendation_id="p1"), by=HEAD)
        found = s.act(date(2026, 10, 20), decision, by=PANEL)
        assert s.rule_ids(found) == ["hp-pay-decision-follows"]
        assert found[0].message.endswith("which was never referred to the governors' pay panel")
        line = ledger.reader(HR).status(s.employee, date(2026, 10, 20)).pay[0]
        assert (line.approved, line.referred, line.decided) == (True, False, True)


def test_002_l91_a_decision_on_an_approved_and_referred_recommendation_has_no_finding(
    tmp_path: Path,
) -> None:
    decision = PayDecided(recommendation_id="p1", pay_points=1, effective_from=date(2026, 9, 1))
    with open_example_ledger(str(tmp_path / "ledger.sqlite")) as ledger:
        s = rated_on_ledger(ledger, Rating.ACHIEVED)
        s.act(date(2026, 10, 2), recommend(pay_points=1))
        s.act(date(2026, 10, 3), PayRecommendationApproved(recommendation_id="p1"), by=HEAD)
        s.act(date(2026, 10, 5), PayRecommendationReferred(recommendation_id="p1"), by=HEAD)
        assert s.act(date(2026, 10, 20), decision, by=PANEL) == []


def test_002_ratings_l96_99_a_pay_decision_departing_from_the_rating_is_a_finding(
    tmp_path: Path,
) -> None:
    """The status shows what the pay panel decided (what the teacher receives), with the
    recommendation beside it."""
    with open_example_ledger(str(tmp_path / "ledger.sqlite")) as ledger:
        s = rated_on_ledger(ledger, Rating.ACHIEVED)
        s.act(date(2026, 10, 2), recommend(pay_points=1))
        s.act(date(2026, 10, 3), PayRecommendationApproved(recommendation_id="p1"), by=HEAD)
        s.act(date(2026, 10, 5), PayRecommendationReferred(recommendation_id="p1"), by=HEAD)
        two = PayDecided(recommendation_id="p1", pay_points=2, effective_from=date(2026, 9, 1))
        found = s.act(date(2026, 10, 20), two, by=PANEL)
        assert s.rule_ids(found) == ["hp-teacher-pay-map"]
        assert "achieved means 1 point(s)" in found[0].message
        assert "the pay panel decided 2 point(s)" in found[0].message
        (line,) = ledger.reader(HR).status(s.employee, date(2026, 10, 21)).pay
        assert (line.decided_points, line.decided_steps, line.decided_one_off_percent) == (2, 0, 0)
        assert line.recommended_points == 1
        assert line.effective_from == date(2026, 9, 1)


def test_002_ratings_l104_the_pay_panels_two_steps_instead_need_a_reason(tmp_path: Path) -> None:
    with open_example_ledger(str(tmp_path / "ledger.sqlite")) as ledger:
        s = rated_on_ledger(ledger, Rating.EXCEPTIONAL, StaffGroup.SUPPORT_STAFF)
        s.act(date(2026, 12, 1), recommend(pay_steps=1, one_off_percent=3))
        s.act(date(2026, 12, 1), PayRecommendationApproved(recommendation_id="p1"), by=HEAD)
        s.act(date(2026, 12, 2), PayRecommendationReferred(recommendation_id="p1"), by=HEAD)
        two = PayDecided(recommendation_id="p1", pay_steps=2, effective_from=date(2027, 4, 1))
        unexplained(
            s.check(date(2026, 12, 15), two, by=PANEL),
            "2 steps instead of 1 step and a 3% one-off payment",
            Severity.MAJOR,
        )
        found = s.act(date(2026, 12, 15), two, by=PANEL, reason="Covered the finance manager")
        assert s.rule_ids(found) == ["hp-support-two-steps"]
        assert found[0].deviated
        (line,) = ledger.reader(HR).status(s.employee, date(2026, 12, 15)).pay
        assert (line.decided_steps, line.decided_one_off_percent) == (2, 0)
        assert (line.recommended_steps, line.recommended_one_off_percent) == (1, 3)
