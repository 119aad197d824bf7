"""Due-date arithmetic: corresponding dates, short months, 29 February, and monotonicity."""

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import assume, given
from hypothesis import strategies as st

from pmledger.retention import (
    RecordCategory,
    RetentionPeriod,
    RetentionRule,
    Trigger,
    load_default,
)

DEFAULT = load_default()


def rule_with(period: RetentionPeriod) -> RetentionRule:
    return RetentionRule(
        category=RecordCategory.WARNING,
        trigger=Trigger.WARNING_EXPIRY,
        period=period,
        source="test",
    )


@pytest.mark.parametrize(
    ("trigger_date", "period", "due"),
    [
        (date(2024, 2, 29), RetentionPeriod(years=1), date(2025, 2, 28)),
        (date(2024, 2, 29), RetentionPeriod(years=4), date(2028, 2, 29)),
        (date(2024, 2, 29), RetentionPeriod(months=12), date(2025, 2, 28)),
        (date(2024, 8, 31), RetentionPeriod(years=6), date(2030, 8, 31)),
        (date(2024, 8, 31), RetentionPeriod(months=6), date(2025, 2, 28)),
        (date(2023, 8, 31), RetentionPeriod(months=6), date(2024, 2, 29)),
        (date(2024, 1, 31), RetentionPeriod(months=1), date(2024, 2, 29)),
        (date(2024, 3, 31), RetentionPeriod(months=1), date(2024, 4, 30)),
        (date(2024, 12, 31), RetentionPeriod(days=1), date(2025, 1, 1)),
        (date(2024, 2, 28), RetentionPeriod(days=366), date(2025, 2, 28)),
        # Days count after the months have been clamped, not before.
        (date(2024, 1, 31), RetentionPeriod(months=1, days=1), date(2024, 3, 1)),
        (date(2024, 2, 29), RetentionPeriod(years=1, months=6, days=10), date(2025, 9, 8)),
    ],
)
def test_due_date(trigger_date: date, period: RetentionPeriod, due: date) -> None:
    assert rule_with(period).due_date(trigger_date) == due


def test_schedule_due_date_uses_the_category_rule() -> None:
    for rule in DEFAULT.rules:
        assert DEFAULT.due_date(rule.category, date(2024, 2, 29)) == rule.due_date(
            date(2024, 2, 29)
        )


trigger_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2400, 12, 31))


@st.composite
def periods(draw: st.DrawFn) -> RetentionPeriod:
    years = draw(st.integers(0, 60))
    months = draw(st.integers(0, 300))
    days = draw(st.integers(0, 3000))
    assume(years or months or days)
    return RetentionPeriod(years=years, months=months, days=days)


@given(periods(), trigger_dates)
def test_due_date_is_dateutils_corresponding_date(period: RetentionPeriod, trigger: date) -> None:
    """The period is added by hand (`RetentionPeriod.after`), not by dateutil's relativedelta,
    for speed: both must give every due date alike."""
    offset = relativedelta(years=period.years, months=period.months, days=period.days)
    assert rule_with(period).due_date(trigger) == trigger + offset


@given(periods(), trigger_dates, trigger_dates)
def test_due_date_is_monotone_and_after_the_trigger(
    period: RetentionPeriod, first: date, second: date
) -> None:
    earlier, later = sorted((first, second))
    rule = rule_with(period)
    assert earlier < rule.due_date(earlier) <= rule.due_date(later)
    assert later < rule.due_date(later)


@given(st.sampled_from(list(RecordCategory)), trigger_dates, trigger_dates)
def test_default_due_dates_are_monotone(
    category: RecordCategory, first: date, second: date
) -> None:
    earlier, later = sorted((first, second))
    assert earlier < DEFAULT.due_date(category, earlier) <= DEFAULT.due_date(category, later)
