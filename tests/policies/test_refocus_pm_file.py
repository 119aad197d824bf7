"""The ReFocus pack file's own mistakes are refused when it is loaded, naming the file, the rule
and what to write: a box its form does not have, a role that does not exist, a dated check the
pack's Python lacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmledger.policies.packfile import PackFileError, load_pack_file, shipped_pack
from pmledger.policies.packfile.assemble import rules_from_data
from pmledger.policies.packs.refocus_pm.cycle import CHECKS


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = Path(shipped_pack("refocus-pm@2025.3").origin).read_text()
    assert text.count(old) == 1
    edited = tmp_path / "refocus.toml"
    edited.write_text(text.replace(old, new))
    return edited


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            '"workload", "wellbeing"',
            '"workload", "wellbeeing"',
            "(rf-wellbeing-discussed): boxes = {'refocus-app-d': ['workload', 'wellbeeing', "
            "'working_hours', 'flexible_working']}: 'wellbeeing' is not a box of refocus-app-d; "
            "use one of: ",
        ),
        (
            'kind = "performed_by"\nacts = ["bonus_decided"]\n'
            'roles = ["headteacher", "governor_committee"]',
            'kind = "performed_by"\nacts = ["bonus_decided"]\nroles = ["headteacher", "governors"]',
            "(rf-bonus-decision): roles = ['headteacher', 'governors']: 'governors' is not known; "
            "use one of: ",
        ),
    ],
)
def test_a_mistake_in_a_rules_parameters_is_refused_naming_the_rule(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    edited = _edited(tmp_path, old, new)
    with pytest.raises(PackFileError) as raised:
        load_pack_file(edited)
    assert str(edited) in str(raised.value)
    assert expected in str(raised.value)


def test_a_dated_check_the_packs_python_lacks_is_refused_naming_the_rule(tmp_path: Path) -> None:
    edited = _edited(tmp_path, 'rows = "next-cycle-opened"', 'rows = "next-cycle"')
    problems, rules = rules_from_data(load_pack_file(edited).file, CHECKS)
    assert rules == ()
    assert problems == [
        "rule 50 (rf-next-cycle): rows = 'next-cycle': the pack's Python has no named rows "
        "check by that name; it has: " + ", ".join(sorted(CHECKS.rows))
    ]
