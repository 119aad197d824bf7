"""The shipped default schedule: complete, cited, and giving the dates a DPO would expect."""

from datetime import date
from pathlib import Path

import pytest

from pmledger.retention import (
    RecordCategory,
    RetentionSchedule,
    ScheduleError,
    Trigger,
    load_default,
    load_schedule,
)
from pmledger.retention import loader as loader_module

CHECKOUT_DEFAULT = Path(__file__).parents[2] / "retention" / "schedules" / "default.toml"


@pytest.fixture(scope="module")
def default() -> RetentionSchedule:
    return load_default()


def test_default_is_the_checkout_file(default: RetentionSchedule) -> None:
    assert default == load_schedule(CHECKOUT_DEFAULT)


def test_default_covers_every_category_once(default: RetentionSchedule) -> None:
    assert sorted(rule.category for rule in default.rules) == sorted(RecordCategory)


def test_every_default_rule_cites_its_source(default: RetentionSchedule) -> None:
    for rule in default.rules:
        assert rule.source.strip(), rule.category


def test_default_uses_every_trigger(default: RetentionSchedule) -> None:
    assert {rule.trigger for rule in default.rules} == set(Trigger)


@pytest.mark.parametrize(
    ("category", "trigger", "trigger_date", "due"),
    [
        (RecordCategory.APPRAISAL, Trigger.END_OF_CYCLE, date(2024, 8, 31), date(2029, 8, 31)),
        (RecordCategory.OBSERVATION, Trigger.END_OF_CYCLE, date(2024, 8, 31), date(2029, 8, 31)),
        (RecordCategory.STATEMENT, Trigger.END_OF_CYCLE, date(2024, 2, 29), date(2029, 2, 28)),
        (
            RecordCategory.PAY_RECOMMENDATION,
            Trigger.END_OF_CYCLE,
            date(2024, 8, 31),
            date(2030, 8, 31),
        ),
        (
            RecordCategory.SUPPORT_PLAN,
            Trigger.CASE_CLOSURE,
            date(2024, 2, 29),
            date(2030, 2, 28),
        ),
        (RecordCategory.CAPABILITY, Trigger.CASE_CLOSURE, date(2025, 3, 14), date(2031, 3, 14)),
        # A warning expiring on 31 August is disposable on the last day of February.
        (RecordCategory.WARNING, Trigger.WARNING_EXPIRY, date(2024, 8, 31), date(2025, 2, 28)),
        (RecordCategory.WARNING, Trigger.WARNING_EXPIRY, date(2023, 8, 31), date(2024, 2, 29)),
        (
            RecordCategory.DISMISSAL,
            Trigger.END_OF_EMPLOYMENT,
            date(2024, 8, 31),
            date(2030, 8, 31),
        ),
        (RecordCategory.APPEAL, Trigger.DECISION_DATE, date(2024, 12, 31), date(2030, 12, 31)),
        (RecordCategory.LEGAL_HOLD, Trigger.DECISION_DATE, date(2026, 1, 1), date(2032, 1, 1)),
        (RecordCategory.ACCESS_LOG, Trigger.DECISION_DATE, date(2024, 2, 29), date(2030, 2, 28)),
    ],
)
def test_default_due_dates(
    default: RetentionSchedule,
    category: RecordCategory,
    trigger: Trigger,
    trigger_date: date,
    due: date,
) -> None:
    assert default.rule(category).trigger is trigger
    assert default.due_date(category, trigger_date) == due


def test_missing_default_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(loader_module, "files", lambda _package: tmp_path / "installed")
    monkeypatch.setattr(loader_module, "_CHECKOUT_SCHEDULES", tmp_path / "checkout")

    with pytest.raises(ScheduleError) as raised:
        load_default()

    message = str(raised.value)
    assert "default schedule is missing" in message
    assert str(tmp_path / "installed" / "schedules" / "default.toml") in message
    assert str(tmp_path / "checkout" / "default.toml") in message
