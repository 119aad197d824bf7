"""A school's own ReFocus procedure: its month windows are lines of its pack file.

000 §4 holds mid-point review 1 in November/December. A school whose own procedure holds it in
December/January extends refocus-pm and changes two `[limits]` lines; on the same real dates,
recorded through the `Ledger` (access control on, a SQLite file), a review held on 20 November
is on time under the model and early under the school's file, and one held on 14 January is
late under the model and on time under the school's. A window that is no window is refused when
the ledger is opened, naming the file and the line.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.policies.ledger_script import LedgerScript, open_example_ledger
from tests.policies.refocus_pm_script import hold, open_cycle
from tests.policies.script import HR

from pmledger.commands import EmployeeRef
from pmledger.events.meeting_acts import MeetingPurpose
from pmledger.policies.judgement import DeadlineStatus, Severity
from pmledger.policies.packfile import PackFileError

MID = MeetingPurpose.MID_YEAR_REVIEW


def _variant(folder: Path, pack_id: str, first: int, last: int) -> Path:
    path = folder / f"{pack_id}.toml"
    path.write_text(
        f'id = "{pack_id}"\nversion = "2025.1"\ntitle = "Ashdown Academy appraisal"\n'
        'extends = "refocus-pm@2025.3"\n[source]\nseed = "Ashdown PM"\n'
        'document = "Ashdown Academy Performance Management Procedure (ReFocus, 2025)"\n'
        f"[limits.mid-year-1-first-month]\nvalue = {first}\n"
        f"[limits.mid-year-1-last-month]\nvalue = {last}\n"
    )
    return path


def test_a_school_holding_review_1_in_december_january_is_judged_by_its_own_months(
    tmp_path: Path,
) -> None:
    variant = _variant(tmp_path, "ashdown-refocus-pm", 12, 1)
    with open_example_ledger(str(tmp_path / "ledger.sqlite"), packs=[variant]) as ledger:
        cases = {}
        for n, (pack, held_on) in enumerate(
            (
                ("refocus-pm", date(2025, 11, 20)),
                ("ashdown-refocus-pm", date(2025, 11, 20)),
                ("refocus-pm", date(2026, 1, 14)),
                ("ashdown-refocus-pm", date(2026, 1, 14)),
            )
        ):
            s = LedgerScript(
                ledger, pack, employee=EmployeeRef(organisation="trust", employee_ref=f"E-{n}")
            )
            open_cycle(s)  # type: ignore[arg-type]
            cases[pack, held_on] = s, hold(s, held_on, "mid-1", MID)  # type: ignore[arg-type]

        _, model_early = cases["refocus-pm", date(2025, 11, 20)]
        assert model_early == []
        _, school_early = cases["ashdown-refocus-pm", date(2025, 11, 20)]
        assert [(f.rule.id, f.severity) for f in school_early] == [("rf-midyear-1", Severity.MAJOR)]
        assert school_early[0].message == (
            "mid-point review 1 must be undertaken in December/January; held 2025-11-20, "
            "before 2025-12-01"
        )

        def row(pack: str) -> tuple[date | None, DeadlineStatus, str]:
            s, found = cases[pack, date(2026, 1, 14)]
            assert found == []
            status = ledger.reader(HR).status(s.employee, date(2026, 2, 2))
            (due,) = [d for d in status.deadlines if d.rule.id == "rf-midyear-1"]
            return due.due_on, due.status, due.unit

        assert row("refocus-pm") == (
            date(2025, 12, 31),
            DeadlineStatus.MISSED,
            "by 31 December (in November/December)",
        )
        assert row("ashdown-refocus-pm") == (
            date(2026, 1, 31),
            DeadlineStatus.MET,
            "by 31 January (in December/January)",
        )
        assert ledger.verify().ok


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (11, 13, "limits.mid-year-1-last-month = 13: not a month; give 1 (January) to 12"),
        (
            3,
            11,
            "limits.mid-year-1-last-month = 11: the window would end before it begins "
            "(mid-year-1-first-month = 3)",
        ),
    ],
)
def test_a_window_that_is_no_window_is_refused_when_the_ledger_opens(
    tmp_path: Path, first: int, last: int, expected: str
) -> None:
    variant = _variant(tmp_path, f"bad-window-{first}-{last}", first, last)
    target = tmp_path / "never.sqlite"
    with pytest.raises(PackFileError) as raised:
        open_example_ledger(str(target), packs=[variant])
    assert str(variant) in str(raised.value)
    assert expected in str(raised.value)
    assert not target.exists()
