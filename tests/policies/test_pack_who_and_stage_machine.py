"""Who records each act, and the stage machine's conditions, as pack-file data: a mistake in
either is refused at load, naming the file, the entry and what to write."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmledger.policies.packfile import PackFileError, load_pack_file, shipped_pack
from pmledger.policies.packs.improving_performance.facts import CHECKS
from pmledger.policies.stage_machine import transitions_from_data

BASE = 'extends = "improving-performance@2025.3"\n[source]\nseed = "x"\ndocument = "x"\n'
SHIPPED = Path(shipped_pack("improving-performance@2025.3").origin)


def _problems(path: Path) -> str:
    with pytest.raises(PackFileError) as raised:
        load_pack_file(path)
    assert str(path) in str(raised.value)
    return str(raised.value)


def _variant(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "school.toml"
    path.write_text(f'id = "school"\nversion = "1"\ntitle = "School"\n{BASE}{body}')
    return path


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    """The shipped file with one edit, as a pack of its own (its Python is the model's)."""
    text = SHIPPED.read_text()
    assert text.count(old) == 1, old
    path = tmp_path / "2026.1.toml"
    path.write_text(text.replace(old, new))
    return path


def test_a_who_entry_with_an_unknown_role_is_named_with_the_roles_there_are(
    tmp_path: Path,
) -> None:
    message = _problems(
        _variant(tmp_path, '[who.ip-who-names-companion]\nroles = ["employee", "caretaker"]\n')
    )
    assert "who acts 'ip-who-names-companion': roles.1 'caretaker' is not known" in message
    assert "chair_of_governors" in message


def test_an_act_given_to_two_entries_or_unknown_is_refused(tmp_path: Path) -> None:
    body = (
        "[who.ip-who-names-companion]\n"
        'acts = ["companion_named", "appeal_lodged", "companion_choosen"]\n'
    )
    message = _problems(_variant(tmp_path, body))
    assert (
        "who.ip-who-names-companion: appeal_lodged is also given to who.ip-who-appeals; "
        "name each act once"
    ) in message
    assert "who.ip-who-names-companion: unknown act 'companion_choosen'" in message


def test_a_who_entry_covered_by_a_rule_the_file_lacks_is_refused(tmp_path: Path) -> None:
    message = _problems(
        _variant(tmp_path, '[who.ip-who-appeals]\ncovered_by = ["ip-no-such-rule"]\n')
    )
    assert "covered_by 'ip-no-such-rule' is not a rule of this pack" in message


def test_a_condition_on_a_field_the_act_lacks_is_refused(tmp_path: Path) -> None:
    path = _edited(tmp_path, 'when = { purpose = "second_formal" }', 'when = { plan_kind = "pip" }')
    message = _problems(path)
    assert "transition 18: when.plan_kind: a meeting_invited act has no plan_kind" in message


def test_an_unknown_outcome_or_subject_in_a_condition_is_named(tmp_path: Path) -> None:
    path = _edited(
        tmp_path,
        'when = { decided = "improved", subject = "pip" }',
        'when = { decided = "improvd", subject = "pip" }',
    )
    message = _problems(path)
    assert "transition 8: when.decided 'improvd' is not known; use one of: successful" in message
    path = _edited(
        tmp_path,
        'when = { decided = "improved", subject = "pip" }',
        'when = { decided = "improved", subject = "pipp" }',
    )
    assert (
        "transition 8: subject 'pipp' is neither a plan kind nor a meeting purpose; use one of: "
        "informal_support"
    ) in _problems(path)


def test_a_condition_in_words_or_naming_a_missing_check_is_refused_when_built(
    tmp_path: Path,
) -> None:
    """A converted pack's machine is data: a condition left in words would judge nothing, and a
    named condition the pack's Python lacks cannot be asked."""
    words = load_pack_file(
        _edited(
            tmp_path,
            'when = { overturned = true }\n\n[[transitions]]\nact = "one_to_one_held"',
            'when = "overturned"\n\n[[transitions]]\nact = "one_to_one_held"',
        )
    )
    problems, _ = transitions_from_data(words.file, CHECKS)
    assert problems == [
        "transition 1 (one_to_one_held): when = 'overturned' is words, but this pack's stage "
        "machine is data; write the condition as keys (packs/README.md: the stage machine)"
    ]
    named = load_pack_file(
        _edited(tmp_path, 'when = { purpose = "second_formal" }', 'when = { holds = "no-such" }')
    )
    (problem,) = transitions_from_data(named.file, CHECKS)[0]
    assert problem.startswith(
        "transition 18 (meeting_invited): when.holds = 'no-such' is not a named condition of "
        "this pack's Python; use one of: "
    )
    assert "performance-concern" in problem


def test_a_decision_taken_at_two_stages_is_refused(tmp_path: Path) -> None:
    path = _edited(
        tmp_path,
        'decides.second_formal = ["no_further_action", "dismissal", "not_improved"]',
        'decides.second_formal = ["no_further_action", "dismissal", "not_improved"]\n'
        'decides.pip = ["improved"]',
    )
    message = _problems(path)
    assert (
        "stages.formal_stage_2: decides pip is also at informal_support; a decision or a plan "
        "belongs to one stage"
    ) in message


def test_a_variant_may_not_change_what_a_stage_decides(tmp_path: Path) -> None:
    body = '[stages.informal_support]\ndecides.pip = ["improved"]\n'
    message = _problems(_variant(tmp_path, body))
    assert "stages.informal_support: decides: a variant changes a stage's words and source" in (
        message
    )
