"""The Hampshire pack file is what judges: the month reviews are due is one line of it.

A school on the Hampshire model (002 Cycle L29: teachers reviewed "by the end of October")
that reviews teachers by the end of November extends hampshire-pm with one line,
`[limits.teacher-review-month] value = 11`. The same teacher's 2025-26 cycle, recorded the
same days under each file through the Ledger (access control on, a SQLite file), has its
end-of-year review due on 31 October 2026 under the model and on 30 November 2026 under the
school's file, so a review held on Friday 20 November is late under one and on time under the
other. A month that is not a month is refused when the file is loaded, and so is a rule naming
deadline rows the pack's Python does not have.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.core.helpers import SteppingClock
from tests.policies.test_school_pack_variant import opened_at_oakfield

from pmledger.cli.demo import example_calendars
from pmledger.events.case_acts import CycleOpened, ReviewerAssigned
from pmledger.events.meeting_acts import MeetingHeld, MeetingPurpose
from pmledger.examples.cast import HR, enrol_everyone
from pmledger.examples.story import Story
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.facade import Ledger
from pmledger.policies.packfile import PackFileError, load_pack_file, shipped_pack
from pmledger.policies.packfile.assemble import rules_from_data
from pmledger.policies.packs.hampshire_pm.facts import CHECKS
from pmledger.policies.registry import check_pack_file

HEAD, REVIEWER = "ht-whitfield", "dh-osei"
RULE = "hp-teacher-review-oct"


def _variant(tmp_path: Path, month: object, pack_id: str = "november-reviews") -> Path:
    path = tmp_path / f"{pack_id}.toml"
    path.write_text(
        f'id = "{pack_id}"\nversion = "2025.1"\ntitle = "Reviews by month {month}"\n'
        'extends = "hampshire-pm@2025.3"\n[source]\nseed = "x"\ndocument = "x"\n'
        f"[limits.teacher-review-month]\nvalue = {month}\n"
    )
    return path


def _reviewed_on_20_november(ledger: Ledger, pack: str, employee_ref: str) -> Story:
    s = opened_at_oakfield(ledger, pack, employee_ref)
    s.act(date(2025, 9, 1), HEAD, ReviewerAssigned(reviewer_person_id=REVIEWER))
    s.act(
        date(2025, 9, 1),
        HEAD,
        CycleOpened(
            cycle_id="2025-26",
            starts_on=date(2025, 9, 1),
            ends_on=date(2026, 8, 31),
            reviewer_person_id=REVIEWER,
        ),
    )
    s.act(
        date(2026, 11, 20),
        REVIEWER,
        MeetingHeld(
            meeting_id="eoy-1",
            purpose=MeetingPurpose.END_OF_CYCLE_REVIEW,
            chair_person_id=REVIEWER,
        ),
    )
    return s


def test_a_one_line_edit_of_the_review_month_moves_the_review_deadline(tmp_path: Path) -> None:
    with Ledger.open(
        tmp_path / "ledger.sqlite",
        create=True,
        keystore=MemoryKeyStore(),
        clock=SteppingClock(),
        calendars=example_calendars(),
        packs=[_variant(tmp_path, 11)],
    ) as ledger:
        enrol_everyone(ledger)
        found = {}
        for pack, ref in (("hampshire-pm", "R-1"), ("november-reviews", "R-2")):
            s = _reviewed_on_20_november(ledger, pack, ref)
            today = date(2026, 12, 1)
            status = ledger.reader(HR.as_(), today).status(s.employee, today)
            found[pack] = [
                (d.due_on, d.status.value)
                for d in status.deadlines
                if d.rule.id == RULE and "end-of-year review" in d.description
            ]
        assert ledger.verify().failure is None
    assert found == {
        "hampshire-pm": [(date(2026, 10, 31), "missed")],
        "november-reviews": [(date(2026, 11, 30), "met")],
    }


def test_a_review_month_that_is_not_a_month_is_refused_at_load(tmp_path: Path) -> None:
    with pytest.raises(PackFileError) as raised:
        check_pack_file(_variant(tmp_path, 13, "thirteenth-month"))
    assert "[limits.teacher-review-month] value = 13: give a month, 1 (January) to 12" in str(
        raised.value
    )


def test_an_on_dates_rule_naming_rows_the_python_lacks_is_refused_naming_the_rule(
    tmp_path: Path,
) -> None:
    shipped = shipped_pack("hampshire-pm@2025.3").origin
    bad = tmp_path / "hampshire.toml"
    bad.write_text(
        Path(shipped).read_text().replace('rows = "teacher-reviews"', 'rows = "teacher-review"')
    )
    problems, rules = rules_from_data(load_pack_file(bad).file, CHECKS)
    assert rules == ()
    assert problems == [
        "rule 5 (hp-teacher-review-oct): rows = 'teacher-review': the pack's Python has no "
        "named rows check by that name; it has: " + ", ".join(sorted(CHECKS.rows))
    ]
