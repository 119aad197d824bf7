"""Support staff (seed 001) §5.1 and §5.2: once the formal Capability Procedure starts "the
performance management process will no longer apply", and when it ends "the standard
performance management process will recommence". So a cycle deadline falling due while
capability runs is not due (shown without a date, the reason naming §5.1), and one falling due
after capability ended is due again. Recorded through the public `Ledger`, access control on,
on a real SQLite file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.policies.ledger_script import EMPLOYEE_REF, LedgerScript, open_example_ledger
from tests.policies.script import HEAD, REVIEWER
from tests.policies.support_staff_pm_script import CYCLE, PACK_ID, held, invite, objectives

from pmledger.events.case_acts import CycleOpened, ObjectivesSet, ReviewerAssigned, StaffGroup
from pmledger.events.meeting_acts import LetterSent, MeetingPurpose
from pmledger.events.sanction_acts import CapabilityEnded, CapabilityStarted
from pmledger.ledger.facade import Ledger
from pmledger.policies.judgement import Deadline, DeadlineStatus


def _case_into_capability(ledger: Ledger) -> LedgerScript:
    """Cycle 2025-26 planned on 6 October 2025, objectives set, capability from 12 January 2026:
    the mid-year review (April, or six months after the main review: April too) and the
    objectives' countersignature (by 31 August 2026) both fall due after capability started."""
    s = LedgerScript(
        ledger,
        PACK_ID,
        opened_on=date(2025, 9, 1),
        staff_group=StaffGroup.SUPPORT_STAFF,
        opening={"line_manager_person_id": "rev-1"},
    )
    s.act(date(2025, 9, 1), ReviewerAssigned(reviewer_person_id="rev-1"), by=HEAD)
    cycle = CycleOpened(
        cycle_id=CYCLE, starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31),
        reviewer_person_id="rev-1",
    )  # fmt: skip
    s.act(date(2025, 9, 1), cycle)
    s.act(date(2025, 9, 29), invite("plan-1", MeetingPurpose.PLANNING, date(2025, 10, 6)),
          by=REVIEWER)  # fmt: skip
    s.act(date(2025, 10, 6), held("plan-1"), by=REVIEWER)
    s.act(date(2025, 10, 6), ObjectivesSet(cycle_id=CYCLE, objectives=objectives(3)), by=REVIEWER)
    s.act(date(2026, 1, 12), LetterSent(letter_id="n-1", template="ss-capability-notice"),
          by=REVIEWER)  # fmt: skip
    s.act(date(2026, 1, 12), CapabilityStarted(reason="Progress not satisfactory"))
    return s


def _row(ledger: Ledger, rule_id: str, as_of: date) -> Deadline:
    status = ledger.reader(HEAD).status(EMPLOYEE_REF, as_of)
    (row,) = [d for d in status.deadlines if d.rule.id == rule_id]
    return row


def test_001_s5_1_cycle_deadlines_falling_due_in_capability_are_not_due(tmp_path: Path) -> None:
    with open_example_ledger(str(tmp_path / "l.sqlite")) as ledger:
        _case_into_capability(ledger)
        mid_year = _row(ledger, "ss-mid-year-review", date(2026, 5, 15))
        assert mid_year.status is DeadlineStatus.UNKNOWN
        assert mid_year.due_on is None
        assert mid_year.reason == (
            "performance management no longer applies while the Capability Procedure runs "
            "(001 §5.1) from 2026-01-12 (was due 2026-04-30)"
        )
        countersigned = _row(ledger, "ss-objectives-signed", date(2026, 9, 1))
        assert countersigned.status is DeadlineStatus.UNKNOWN
        planning = _row(ledger, "ss-planning-by-31-oct", date(2026, 5, 15))
        assert (planning.status, planning.done_on) == (DeadlineStatus.MET, date(2025, 10, 6))


def test_001_s5_2_cycle_deadlines_are_due_again_once_capability_ends(tmp_path: Path) -> None:
    with open_example_ledger(str(tmp_path / "l.sqlite")) as ledger:
        s = _case_into_capability(ledger)
        s.act(date(2026, 3, 2), CapabilityEnded(reason="Standard reached"))
        mid_year = _row(ledger, "ss-mid-year-review", date(2026, 5, 15))
        assert (mid_year.status, mid_year.due_on) == (DeadlineStatus.OVERDUE, date(2026, 4, 30))
        countersigned = _row(ledger, "ss-objectives-signed", date(2026, 9, 1))
        assert countersigned.status is DeadlineStatus.OVERDUE
