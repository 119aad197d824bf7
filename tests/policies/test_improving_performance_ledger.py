"""Improving Performance Policy (seed 004) §8.1 and §9.4, through the public `Ledger`.

Both rules ask about what comes after a point in the case: weekly meetings belong to the formal
monitoring period only (§8.1), and the council's HR Business Partner may be told after the
dismissal (§9.4 sets no time), so neither may keep asking, or find, once that point is passed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.policies.improving_performance_case import (
    DIRECTOR,
    LM,
    PACK,
    SECOND_MEETING,
    decide,
    dismissal,
    hr_advice,
    one_to_one,
    to_formal_monitoring,
    to_second_formal,
    to_second_meeting,
)
from tests.policies.ledger_script import LedgerScript, open_example_ledger
from tests.policies.script import HR

from pmledger.events.governance_acts import CaseClosed
from pmledger.events.sanction_acts import AlternativeRolesConsidered, ExternalPartyNotified
from pmledger.events.support_acts import Outcome
from pmledger.ledger.facade import Ledger
from pmledger.policies.judgement import DeadlineStatus

WEEKLY = "ip-formal-weekly-meetings"
NOTIFY_LA = "ip-dismissal-notify-la"
COUNCIL = ExternalPartyNotified(party="la_hr_business_partner")


def script(ledger: Ledger) -> LedgerScript:
    return LedgerScript(
        ledger,
        PACK,
        opening={"line_manager_person_id": "lm-1", "employment_started_on": date(2015, 9, 1)},
    )


def weekly_rows(ledger: Ledger, s: LedgerScript, as_of: date) -> list[tuple[str, str]]:
    status = ledger.reader(HR).status(s.employee, as_of)
    return [(d.description, d.status.value) for d in status.deadlines if d.rule.id == WEEKLY]


def unmet(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [row for row in rows if row[1] != DeadlineStatus.MET.value]


def test_004_s8_1_no_weekly_meeting_is_due_after_the_formal_monitoring_period_is_decided(
    tmp_path: Path,
) -> None:
    with open_example_ledger(str(tmp_path / "ledger.sqlite")) as ledger:
        s = script(ledger)
        to_second_formal(s)  # fpip-1 decided "not improved" on 15 December 2025
        # the second formal meeting adjourned for further monitoring; its 121s name the plan
        s.act(date(2026, 1, 5), one_to_one("further-1", plan="fpip-1"), by=LM)
        s.act(date(2026, 1, 12), one_to_one("further-2", plan="fpip-1"), by=LM)
        rows = weekly_rows(ledger, s, date(2026, 2, 16))
        assert unmet(rows) == []
        assert len(rows) == 6, rows  # the plan's start and five 121s before its last day
        assert ledger.verify().ok


def test_004_s8_1_no_weekly_meeting_is_due_after_the_monitoring_period_ends(
    tmp_path: Path,
) -> None:
    with open_example_ledger(str(tmp_path / "ledger.sqlite")) as ledger:
        s = script(ledger)
        to_formal_monitoring(s)  # the period ends 15 December 2025, its outcome not yet decided
        assert unmet(weekly_rows(ledger, s, date(2026, 1, 5))) == []


def test_004_s9_4_the_council_may_be_told_after_the_dismissal(tmp_path: Path) -> None:
    with open_example_ledger(str(tmp_path / "ledger.sqlite")) as ledger:
        s = script(ledger)
        to_second_meeting(s)
        s.act(SECOND_MEETING, hr_advice("dismissal"), by=DIRECTOR)
        s.act(SECOND_MEETING, AlternativeRolesConsidered(roles_considered=("cover supervisor",)))
        s.act(SECOND_MEETING, decide("sf-1", Outcome.DISMISSAL), by=DIRECTOR)
        found = s.act(SECOND_MEETING, dismissal(), by=DIRECTOR)
        assert NOTIFY_LA not in s.rule_ids(found), "§9.4 sets no time: it may follow"
        assert s.act(date(2026, 1, 8), COUNCIL, by=HR) == []
        closed = s.act(date(2026, 4, 30), CaseClosed(reason="Employment ended"), by=HR)
        assert NOTIFY_LA not in s.rule_ids(closed)
        assert NOTIFY_LA not in [f.rule.id for f in s.findings]


def test_004_s9_4_a_dismissal_case_closed_without_telling_the_council_is_a_finding(
    tmp_path: Path,
) -> None:
    with open_example_ledger(str(tmp_path / "ledger.sqlite")) as ledger:
        s = script(ledger)
        to_second_meeting(s)
        s.act(SECOND_MEETING, hr_advice("dismissal"), by=DIRECTOR)
        s.act(SECOND_MEETING, AlternativeRolesConsidered(roles_considered=("cover supervisor",)))
        s.act(SECOND_MEETING, decide("sf-1", Outcome.DISMISSAL), by=DIRECTOR)
        s.act(SECOND_MEETING, dismissal(), by=DIRECTOR)
        s.act(date(2026, 1, 8), ExternalPartyNotified(party="pension_scheme"), by=HR)
        closed = s.act(date(2026, 4, 30), CaseClosed(reason="Employment ended"), by=HR)
        assert s.rule_ids(closed) == [NOTIFY_LA], "another party was told, not the council"
        assert "la_hr_business_partner" in closed[0].message
