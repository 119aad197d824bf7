"""The date-window walk visits only the fields that can hold a date (worked out once per model
class); it must name exactly the date the walk over every field named."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from pydantic import BaseModel
from tests.example_acts import recorded_example_acts

from pmledger.events.business_dates import EARLIEST, latest, outside_window


def _every_date(value: object, path: str = "act") -> list[tuple[str, date]]:
    """The walk as it was: every field of every model, in field order."""
    if isinstance(value, date):
        return [(path, value)]
    found: list[tuple[str, date]] = []
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            found += _every_date(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, tuple | list):
        for n, item in enumerate(value):
            found += _every_date(item, f"{path}[{n}]")
    return found


def _today_for_last(last: date) -> date:
    """A clock day whose last acceptable date is `last` (or the day before, near 29 February)."""
    while True:
        try:
            return last.replace(year=last.year - 100)
        except ValueError:
            last -= timedelta(days=1)


def test_every_example_act_has_its_first_late_date_named_as_the_full_walk_names_it(
    tmp_path: Path,
) -> None:
    acts = recorded_example_acts(tmp_path)
    dated = 0
    for act in acts:
        dates = _every_date(act)
        assert outside_window(act, EARLIEST, date(2026, 1, 1)) is None, act.kind
        for _, day in dates:  # each date in turn made the earliest one out of the window
            today = _today_for_last(day - timedelta(days=1))
            last = latest(today)
            path, first = next((p, d) for p, d in dates if d > last)
            said = outside_window(act, EARLIEST, today)
            assert said is not None, act.kind
            assert said.startswith(f"{path} {first.isoformat()} is outside"), (said, path)
            dated += 1
    assert dated > 50, dated
