"""Each deadline a pack derives is one row of the status, however the case reached it.

The demo's T-1042 had its PIP agreed at the 121 where it was set, both on 8 September 2025
(004 §4.4: the 121 record includes the PIP), and `pmledger case status` listed the first
weekly 121 (due 15 September) twice: once counted from the PIP's start and once from that
121. Read through the Ledger, access control on, on a SQLite file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from tests.core.helpers import SteppingClock
from tests.policies.improving_performance_case import one_to_one, pip
from tests.policies.test_school_pack_variant import opened_at_oakfield

from pmledger.cli.demo import example_calendars
from pmledger.examples.cast import HR, enrol_everyone
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.facade import Ledger
from pmledger.policies.judgement import DeadlineStatus


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger.open(
        tmp_path / "ledger.sqlite",
        create=True,
        keystore=MemoryKeyStore(),
        clock=SteppingClock(),
        calendars=example_calendars(),
    ) as opened:
        enrol_everyone(opened)
        yield opened


def test_004_s4_5_a_121_on_the_day_the_pip_starts_is_one_weekly_deadline_not_two(
    ledger: Ledger,
) -> None:
    s = opened_at_oakfield(ledger, "improving-performance", "T-9")
    s.act(date(2025, 7, 14), "dh-osei", one_to_one("121-1", warned=True))
    monday = date(2025, 9, 8)
    s.act(monday, "dh-osei", pip(starts=monday, review=date(2025, 10, 6)))
    s.act(monday, "dh-osei", one_to_one("121-2", plan="pip-1"))
    s.act(date(2025, 9, 15), "dh-osei", one_to_one("121-3", plan="pip-1"))

    today = date(2025, 9, 16)
    status = ledger.reader(HR.as_(), today).status(s.employee, today)
    weekly = [d for d in status.deadlines if d.rule.id == "ip-pip-weekly-121s"]
    rows = Counter((d.description, d.due_on, d.status, d.done_on) for d in weekly)
    assert [row for row, count in rows.items() if count > 1] == []
    first = [d for d in weekly if d.due_on == date(2025, 9, 15)]
    assert [(d.status, d.done_on) for d in first] == [(DeadlineStatus.MET, date(2025, 9, 15))]
