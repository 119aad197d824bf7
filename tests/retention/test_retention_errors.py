"""Every way a hand-edited schedule can be wrong gives a message that says where and what to do."""

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from pmledger.errors import InvalidInput, PmLedgerError
from pmledger.retention import (
    RecordCategory,
    RetentionSchedule,
    ScheduleError,
    Trigger,
    load_default,
    load_schedule,
    loads_schedule,
)

DEFAULT_TOML = Path(__file__).parents[2] / "retention" / "schedules" / "default.toml"
ORIGIN = "schools/st-anne.toml"


def default_rules() -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = tomllib.loads(DEFAULT_TOML.read_text(encoding="utf-8"))["rules"]
    return rules


def to_toml(value: object) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {to_toml(item)}" for key, item in value.items()) + " }"
    # JSON strings and numbers are valid TOML basic strings and numbers.
    return json.dumps(value)


def schedule_text(rules: list[dict[str, Any]], header: str = 'name = "x"\nversion = "1"\n') -> str:
    tables = (
        "[[rules]]\n" + "".join(f"{key} = {to_toml(value)}\n" for key, value in rule.items())
        for rule in rules
    )
    return header + "\n" + "\n".join(tables)


def problems_for(text: str) -> tuple[str, ...]:
    with pytest.raises(ScheduleError) as raised:
        loads_schedule(text, origin=ORIGIN)
    assert raised.value.origin == ORIGIN
    assert str(raised.value).startswith(f"invalid retention schedule {ORIGIN}:\n  - ")
    return raised.value.problems


def with_rule(index: int, **changes: object) -> str:
    rules = default_rules()
    rules[index] = {**rules[index], **changes}
    return schedule_text(rules)


def index_of(category: RecordCategory) -> int:
    return next(i for i, rule in enumerate(default_rules()) if rule["category"] == category)


WARNING = index_of(RecordCategory.WARNING)
WARNING_LABEL = f"rule {WARNING + 1} (warning): "


def test_round_trip_of_the_helpers_is_valid() -> None:
    assert loads_schedule(schedule_text(default_rules())).rules == load_default().rules


def test_unknown_trigger_lists_the_valid_ones() -> None:
    (problem,) = problems_for(with_rule(WARNING, trigger="warning_expired"))
    assert problem.startswith(WARNING_LABEL + "trigger 'warning_expired' is not known")
    assert all(trigger.value in problem for trigger in Trigger)


def test_unknown_category_lists_the_valid_ones() -> None:
    (problem,) = problems_for(with_rule(WARNING, category="warnings"))
    assert problem.startswith(f"rule {WARNING + 1} (warnings): category 'warnings' is not known")
    assert all(category.value in problem for category in RecordCategory)


def test_negative_period() -> None:
    (problem,) = problems_for(with_rule(WARNING, period={"years": 1, "months": -6}))
    assert problem == (
        WARNING_LABEL + "period has months = -6; a period runs forward from its trigger, so give "
        "every unit as 0 or more"
    )


def test_zero_period() -> None:
    (problem,) = problems_for(with_rule(WARNING, period={"months": 0}))
    assert problem.startswith(WARNING_LABEL + "period is zero")
    assert "period = { years = 6 }" in problem


def test_empty_period_table_is_zero() -> None:
    (problem,) = problems_for(with_rule(WARNING, period={}))
    assert problem.startswith(WARNING_LABEL + "period is zero")


def test_implausibly_long_period() -> None:
    (problem,) = problems_for(with_rule(WARNING, period={"years": 2190}))
    assert problem.startswith(WARNING_LABEL + "period { years = 2190 } is longer than 100 years")


def test_fractional_period() -> None:
    (problem,) = problems_for(with_rule(WARNING, period={"years": 1.5}))
    assert problem.startswith(WARNING_LABEL + "period.years = 1.5 is not accepted")


def test_unknown_period_unit_lists_the_units() -> None:
    (problem,) = problems_for(with_rule(WARNING, period={"weeks": 26}))
    assert problem == (
        WARNING_LABEL
        + "unknown key 'weeks'; check its spelling (allowed here: years, months, days)"
    )


def test_misspelt_key_reports_the_typo_and_the_missing_key() -> None:
    rules = default_rules()
    rules[WARNING]["peroid"] = rules[WARNING].pop("period")
    problems = problems_for(schedule_text(rules))
    assert problems == (
        WARNING_LABEL + "missing period; add period = { years = N } (with years, months and/or "
        "days)",
        WARNING_LABEL + "unknown key 'peroid'; check its spelling (allowed here: category, "
        "trigger, period, source, note)",
    )


def test_missing_source() -> None:
    rules = default_rules()
    del rules[WARNING]["source"]
    (problem,) = problems_for(schedule_text(rules))
    assert problem.startswith(WARNING_LABEL + 'missing source; add source = "..."')


def test_blank_source() -> None:
    (problem,) = problems_for(with_rule(WARNING, source="  "))
    assert problem.startswith(WARNING_LABEL + "source is empty; name the toolkit row")


def test_rule_without_category_is_named_by_number() -> None:
    rules = default_rules()
    del rules[WARNING]["category"]
    (problem,) = problems_for(schedule_text(rules))
    assert problem.startswith(f"rule {WARNING + 1}: missing category; add category = one of: ")


def test_duplicate_category_names_both_rules() -> None:
    rules = default_rules()
    rules.append(rules[WARNING])
    (problem,) = problems_for(schedule_text(rules))
    assert problem == (
        f"category 'warning' has two rules (rule {WARNING + 1} and rule {len(rules)}); keep one "
        "and delete the other"
    )


def test_missing_categories_are_listed() -> None:
    rules = [rule for rule in default_rules() if rule["category"] not in {"warning", "access_log"}]
    (problem,) = problems_for(schedule_text(rules))
    assert problem.startswith("no rule for warning, access_log; the ledger keeps these records")
    assert "add a [[rules]] table for each" in problem


def test_duplicate_and_missing_are_reported_together() -> None:
    rules = default_rules()
    rules[index_of(RecordCategory.ACCESS_LOG)] = rules[WARNING]
    problems = problems_for(schedule_text(rules))
    assert [problem.split(" ", 3)[:3] for problem in problems] == [
        ["category", "'warning'", "has"],
        ["no", "rule", "for"],
    ]


def test_disposal_certificates_cannot_be_scheduled() -> None:
    rules = [*default_rules(), {**default_rules()[WARNING], "category": "disposal_certificate"}]
    (problem,) = problems_for(schedule_text(rules))
    assert problem.startswith(f"rule {len(rules)} (disposal_certificate): disposal certificates")
    assert "kept permanently" in problem
    assert "delete this rule" in problem


def test_missing_header_keys() -> None:
    problems = problems_for(schedule_text(default_rules(), header=""))
    assert problems[0].startswith('missing name; add name = "..."')
    assert problems[1].startswith('missing version; add version = "..."')


def test_unknown_top_level_key() -> None:
    text = schedule_text(default_rules()).replace("[[rules]]", "[[rule]]")
    assert problems_for(text) == (
        "missing rules; add one [[rules]] table per record category",
        "unknown key 'rule'; check its spelling (allowed here: name, version, rules)",
    )


def test_rules_that_are_not_tables() -> None:
    (problem,) = problems_for('name = "x"\nversion = "1"\nrules = "all of them"\n')
    assert problem.startswith("rules = 'all of them' is not accepted")


def test_invalid_toml_gives_the_line() -> None:
    (problem,) = problems_for('name = "x\n')
    assert problem.startswith("is not valid TOML (")
    assert "line 1" in problem


def test_every_problem_is_reported_at_once() -> None:
    rules = default_rules()
    rules[0]["trigger"] = "end_of_term"
    rules[WARNING]["period"] = {"months": -1}
    assert len(problems_for(schedule_text(rules))) == 2


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "school.toml"
    path.write_text(with_rule(WARNING, trigger="expiry"), encoding="utf-8")
    with pytest.raises(ScheduleError) as raised:
        load_schedule(path)
    assert raised.value.origin == str(path)
    assert str(raised.value).startswith(f"invalid retention schedule {path}:\n  - rule ")


def test_unreadable_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ScheduleError) as raised:
        load_schedule(missing)
    (problem,) = raised.value.problems
    assert problem.startswith("cannot be read (")
    assert problem.endswith("check the path and that it is a UTF-8 text file")


def test_schedule_error_is_a_pmledger_input_error() -> None:
    error = ScheduleError(["x"], origin="y")
    assert isinstance(error, InvalidInput)
    assert isinstance(error, PmLedgerError)
    assert isinstance(error, ValueError)


def test_schedules_built_in_code_are_validated_too() -> None:
    default = load_default()
    with pytest.raises(ValidationError, match="no rule for warning"):
        RetentionSchedule(
            name="in code",
            version="1",
            rules=tuple(r for r in default.rules if r.category != RecordCategory.WARNING),
        )
