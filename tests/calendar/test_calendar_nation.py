"""A school's term dates decide its nation, and so the bank holidays its deadlines skip.

Driven through `Ledger` with access control on, on a real SQLite file: a support-staff case at a
Scottish school, whose observation written record is due "within 5 working days" and verbal
feedback "no later than the end of the next school day" (001 §4.3). St Andrew's Day 2025 falls on
a Sunday, so Scotland's bank holiday is Monday 1 December 2025; England has none that week.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.core.helpers import ALICE, HEAD, HR, SteppingClock, enrol

from pmledger.calendar import Nation, TermDataError, TermDates
from pmledger.errors import InvalidInput
from pmledger.events.case_acts import CaseOpened, StaffGroup
from pmledger.events.meeting_acts import ObservationHeld, ObservationPlanned
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.calendars import Calendars
from pmledger.ledger.facade import Ledger


def _term_dates(nation: str, open_days: list[dict[str, object]] | None = None) -> TermDates:
    year: dict[str, object] = {
        "academic_year": "2025-26",
        "terms": [{"name": "Autumn", "start": date(2025, 8, 18), "end": date(2025, 12, 19)}],
    }
    if open_days:
        year["open_on_bank_holidays"] = open_days
    return TermDates.from_dict({"school": "oakfield", "nation": nation, "years": [year]})


def _ledger(tmp_path: Path, term_dates: TermDates | None) -> Ledger:
    calendars = Calendars({"oakfield": term_dates} if term_dates else None)
    ledger = Ledger.open(
        str(tmp_path / "ledger.sqlite"),
        create=True,
        keystore=MemoryKeyStore(),
        clock=SteppingClock(),
        calendars=calendars,
    )
    enrol(ledger)
    return ledger


def _opened(**nation: Nation) -> CaseOpened:
    return CaseOpened(
        organisation=ALICE.organisation,
        employee_ref=ALICE.employee_ref,
        employee_person_id="emp-1",
        school="oakfield",
        staff_group=StaffGroup.SUPPORT_STAFF,
        pack_id="support-staff-pm",
        line_manager_person_id="ht-1",
        **nation,
    )


def _observed(ledger: Ledger, on: date) -> dict[str, date | None]:
    ledger.record(
        ALICE,
        ObservationPlanned(
            observation_id="o1",
            planned_for=on,
            observer_person_id="ht-1",
            purpose="routine",
            aspects=("communication",),
            amount="one",
            duration_minutes=30,
            communicated_on=date(2025, 11, 10),
        ),
        occurred_on=date(2025, 11, 10),
        actor=HEAD,
    )
    ledger.record(ALICE, ObservationHeld(observation_id="o1"), occurred_on=on, actor=HEAD)
    status = ledger.reader(HEAD).status(ALICE, on)
    return {d.rule.id: d.due_on for d in status.deadlines}


def test_a_case_opened_without_a_nation_takes_its_schools_bank_holidays(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, _term_dates("scotland"))
    ledger.record(ALICE, _opened(), occurred_on=date(2025, 9, 1), actor=HR)

    due = _observed(ledger, date(2025, 11, 26))

    assert ledger.reader(HEAD).status(ALICE, date(2025, 11, 26)).nation is Nation.SCOTLAND
    # Wed 26 Nov + 5 working days, skipping Scotland's Mon 1 Dec: Thu 4 Dec (England: Wed 3 Dec).
    assert due["ss-obs-written-record"] == date(2025, 12, 4)


def test_a_case_naming_another_nation_than_its_schools_term_dates_is_refused(
    tmp_path: Path,
) -> None:
    ledger = _ledger(tmp_path, _term_dates("scotland"))

    with pytest.raises(InvalidInput, match="term dates of school 'oakfield' are for 'scotland'"):
        ledger.record(ALICE, _opened(nation=Nation.ENGLAND), occurred_on=date(2025, 9, 1), actor=HR)

    assert ledger.reader(HR).cases() == []


def test_without_term_dates_the_case_states_the_nation_it_is_judged_by(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, None)
    ledger.record(ALICE, _opened(nation=Nation.WALES), occurred_on=date(2025, 9, 1), actor=HR)

    assert ledger.reader(HEAD).status(ALICE, date(2025, 9, 1)).nation is Nation.WALES


def test_a_bank_holiday_the_school_opens_on_is_a_school_day(tmp_path: Path) -> None:
    opens = [{"day": date(2025, 12, 1), "reason": "St Andrew's Day kept as a school day"}]
    ledger = _ledger(tmp_path, _term_dates("scotland", opens))
    ledger.record(ALICE, _opened(), occurred_on=date(2025, 9, 1), actor=HR)

    due = _observed(ledger, date(2025, 11, 28))

    # Verbal feedback by the end of the next school day: Monday 1 Dec, open though a holiday;
    # the written record's working days still skip it (Fri 28 Nov + 5 = Mon 8 Dec).
    assert due["ss-obs-verbal-feedback"] == date(2025, 12, 1)
    assert due["ss-obs-written-record"] == date(2025, 12, 8)


def test_a_closed_bank_holiday_is_not_a_school_day(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, _term_dates("scotland"))
    ledger.record(ALICE, _opened(), occurred_on=date(2025, 9, 1), actor=HR)

    due = _observed(ledger, date(2025, 11, 28))

    assert due["ss-obs-verbal-feedback"] == date(2025, 12, 2)


def test_an_open_day_that_is_not_the_nations_bank_holiday_is_refused_at_load() -> None:
    opens = [{"day": date(2025, 12, 1), "reason": "St Andrew's Day kept as a school day"}]
    with pytest.raises(TermDataError, match="not a bank holiday in England"):
        _term_dates("england", opens)
