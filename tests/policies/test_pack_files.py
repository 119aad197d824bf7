"""Pack files: a mistake is refused at load, naming the file, the entry and what to do."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pmledger.errors import InvalidInput
from pmledger.policies.packfile import PackFileError, load_pack_file, shipped_pack, shipped_packs
from pmledger.policies.packfile.assemble import rules_from_data
from pmledger.policies.packs.improving_performance.facts import CHECKS
from pmledger.policies.registry import check_pack_file
from pmledger.policies.rule_kinds import RULE_KINDS

BASE = 'extends = "improving-performance@2025.3"\n[source]\nseed = "x"\ndocument = "x"\n'


def _variant(tmp_path: Path, body: str, name: str = "school.toml") -> Path:
    path = tmp_path / name
    path.write_text(f'id = "school"\nversion = "1"\ntitle = "School"\n{BASE}{body}')
    return path


def _problems(path: Path) -> str:
    with pytest.raises(PackFileError) as raised:
        load_pack_file(path)
    assert isinstance(raised.value, InvalidInput)
    assert str(path) in str(raised.value)
    return str(raised.value)


def test_every_shipped_pack_loads_with_its_rules_and_a_stable_digest() -> None:
    loaded = {pack.file.id: pack for pack in shipped_packs()}
    assert set(loaded) == {
        "hampshire-pm",
        "improving-performance",
        "refocus-pm",
        "star-developing-performance",
        "support-staff-pm",
    }
    ip = shipped_pack("improving-performance@2025.3")
    assert ip.file.time_limit("first-formal-notice").amount == 7
    assert len(ip.digest) == 64
    assert load_pack_file(ip.origin).digest == ip.digest


def test_an_unknown_unit_is_named_with_the_units_there_are(tmp_path: Path) -> None:
    body = '[time_limits.first-formal-notice]\nunit = "fortnights"\n'
    message = _problems(_variant(tmp_path, body))
    assert "time limit 'first-formal-notice': unit 'fortnights' is not known" in message
    assert "working_days" in message


def test_a_limit_of_the_wrong_type_is_refused(tmp_path: Path) -> None:
    message = _problems(_variant(tmp_path, '[time_limits.first-formal-notice]\namount = "ten"\n'))
    assert "time limit 'first-formal-notice': amount = 'ten': must be a whole number" in message


def test_an_unknown_role_stage_and_time_limit_are_each_named(tmp_path: Path) -> None:
    body = (
        '[authority.dismissed]\nroles = ["bursar"]\nsource = "s"\n'
        '[stages.formal_stage_3]\nwords = "third"\n'
        "[time_limits.notice-typo]\namount = 3\n"
    )
    message = _problems(_variant(tmp_path, body))
    assert "stages.formal_stage_3: the pack it extends has no such entry" in message
    assert "time_limits.notice-typo: the pack it extends has no such entry" in message


def test_an_unknown_role_is_named_with_the_roles_there_are(tmp_path: Path) -> None:
    body = '[authority.dismissed]\nroles = ["bursar"]\nsource = "s"\n'
    message = _problems(_variant(tmp_path, body))
    assert "authority for 'dismissed': roles.0 'bursar' is not known" in message


def _shipped_with(tmp_path: Path, old: str, new: str) -> Path:
    """The shipped improving-performance file with its first line starting `old` edited."""
    text = Path(shipped_pack("improving-performance@2025.3").origin).read_text()
    assert f"\n{old}" in text
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(f"\n{old}", f"\n{new}", 1))
    return bad


def test_an_unknown_rule_kind_is_refused_naming_the_kinds_there_are(tmp_path: Path) -> None:
    message = _problems(_shipped_with(tmp_path, 'kind = "check"', 'kind = "fortnightly"'))
    assert (
        "rule 1 (ip-appeal-subject): kind 'fortnightly' is not known; use one of: "
        "check, due_after, extensions_in_advance, further_period"
    ) in message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'limit = "first-formal-notice"',
            'limt = "first-formal-notice"',
            [
                "(ip-first-invite-notice): notice needs limit (the notice); add it",
                "(ip-first-invite-notice): notice has no parameter 'limt'; it takes: purposes, "
                "limit",
            ],
        ),
        (
            'limit = "first-formal-notice"',
            'limit = "first-formal-notise"',
            [
                "(ip-first-invite-notice): limit = 'first-formal-notise': 'first-formal-notise' "
                "is not a [time_limits] entry of this file; use one of: appeal-decision-letter",
            ],
        ),
        (
            'purposes = ["first_formal"]',
            'purposes = ["first_formall"]',
            [
                "(ip-first-formal-authority): purposes = ['first_formall']: 'first_formall' is "
                "not known; use one of:"
            ],
        ),
        (
            'acts = ["support_plan_agreed"]',
            'acts = ["support_plan_agred"]',
            [
                "(ip-121s-first): acts = ['support_plan_agred']: 'support_plan_agred' is not an "
                "act kind (pmledger.events)"
            ],
        ),
        (
            "strict = false",
            'strict = "no"',
            ["(ip-pip-further-review): strict = 'no': must be true or false"],
        ),
        (
            "min_level = 1",
            "min_level = 0",
            ["(ip-first-formal-authority): min_level = 0: must be a whole number, 1 or more"],
        ),
        (
            'record = "letter ip-dismissal"',
            'record = "letter ip-dismisal"',
            [
                "(ip-dismissal-letter): record = 'letter ip-dismisal': 'letter ip-dismisal' is not "
                "a [required] entry of this file"
            ],
        ),
        (
            'limits = ["ip-appeal-arranged-14cd"',
            'limits = ["ip-appeal-arranged-14days"',
            [
                "(ip-appeal-extension): limits = [",
                "'ip-appeal-arranged-14days' is not a rule of this file",
            ],
        ),
    ],
)
def test_a_rules_parameters_are_checked_at_load_naming_the_file_and_the_rule(
    tmp_path: Path, old: str, new: str, expected: list[str]
) -> None:
    message = _problems(_shipped_with(tmp_path, old, new))
    for words in expected:
        assert words in message


def test_a_named_check_the_packs_python_lacks_is_refused_naming_the_rule(tmp_path: Path) -> None:
    bad = _shipped_with(tmp_path, 'check = "previous-did-not-warn"', 'check = "previous-121"')
    problems, rules = rules_from_data(load_pack_file(bad).file, CHECKS)
    assert rules == ()
    assert problems == [
        "rule 8 (ip-pip-prior-warning): check = 'previous-121': the pack's Python has no named "
        "problem check by that name; it has: " + ", ".join(sorted(CHECKS.problems))
    ]


def test_switching_a_rule_off_needs_a_reason_and_a_rule_that_exists(tmp_path: Path) -> None:
    body = '[switched_off]\nip-first-invite-notice = " "\nip-no-such-rule = "why"\n'
    message = _problems(_variant(tmp_path, body))
    assert "switched_off.ip-first-invite-notice: the reason is empty" in message
    assert "switched_off.ip-no-such-rule: no such rule in this pack" in message


def test_a_cycle_in_extends_is_refused_naming_the_chain(tmp_path: Path) -> None:
    for me, parent in (("a", "b"), ("b", "a")):
        (tmp_path / f"{me}@1.toml").write_text(
            f'id = "{me}"\nversion = "1"\ntitle = "{me}"\nextends = "{parent}@1"\n'
            '[source]\nseed = "x"\ndocument = "x"\n'
        )
    with pytest.raises(PackFileError) as raised:
        load_pack_file(tmp_path / "a@1.toml")
    # named at the file whose extends closes the cycle
    assert raised.value.origin == str(tmp_path / "b@1.toml")
    assert "extends makes a cycle (a@1 → b@1 → a@1)" in str(raised.value)


@pytest.mark.parametrize("parent", [pack.file.ref for pack in shipped_packs()])
def test_every_shipped_pack_can_be_extended_and_its_modules_read_the_variants_data(
    tmp_path: Path, parent: str
) -> None:
    """Each pack module reads its data as ``pack_data(__package__)``; a module that imported
    another of its pack's modules by absolute name would read the shipped file instead."""
    base = shipped_pack(parent).file
    stage = next(iter(base.stages))
    variant = tmp_path / "school.toml"
    variant.write_text(
        f'id = "school-{base.id}"\nversion = "1"\ntitle = "School"\nextends = "{parent}"\n'
        '[source]\nseed = "x"\ndocument = "x"\n'
        f'[stages.{stage.value}]\nwords = "our own words"\n'
    )
    loaded, pack = check_pack_file(variant)
    assert pack.id == f"school-{base.id}"
    assert pack.digest == loaded.digest
    assert pack.words(stage) == "our own words"
    private = f"_pmledger_pack_{loaded.digest[:16]}"
    readers = {
        name: module.DATA
        for name, module in sys.modules.items()
        if name.startswith(f"{private}.") and hasattr(module, "DATA")
    }
    assert readers, "no module of the variant reads pack data"
    for name, data in readers.items():
        assert data.stages[stage].words == "our own words", name


def test_an_unknown_warning_kind_is_named_with_the_kinds_there_are(tmp_path: Path) -> None:
    message = _problems(_variant(tmp_path, '[warnings.oral]\nmonths = 3\nsource = "s"\n'))
    assert (
        "warning 'oral': 'oral' is not a kind of warning; use one of: written, final_written"
    ) in message


def test_the_format_lists_every_rule_kind_with_its_parameters() -> None:
    readme = (Path(__file__).parents[2] / "packs" / "README.md").read_text()
    for spec in RULE_KINDS.values():
        (row,) = [line for line in readme.splitlines() if line.startswith(f"| `{spec.name}` |")]
        for name in spec.params:
            assert f"`{name}`" in row, (spec.name, name)
