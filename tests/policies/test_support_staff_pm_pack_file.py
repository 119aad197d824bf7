"""The support-staff pack as data: a school changes a limit in one line of its own file, and a
mistake in the kinds its rules use is refused naming the file and the rule.

Observed on Wednesday 12 November 2025, the written record is due 5 working days later under
the model (Wednesday 19 November) and 3 under a school's variant (Monday 17 November); four
objectives are within the model's limit and over the variant's three.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.policies.script import EMPLOYEE, REVIEWER
from tests.policies.support_staff_pm_script import CYCLE, act_under, objectives, rows, with_cycle
from tests.policies.test_support_staff_pm_observations import agreement, planned

from pmledger.events.case_acts import ObjectivesSet
from pmledger.events.meeting_acts import ObservationHeld
from pmledger.policies.judgement import DeadlineStatus
from pmledger.policies.packfile import PackFileError, load_pack_file, shipped_pack
from pmledger.policies.packfile.assemble import rules_from_data
from pmledger.policies.packfile.binding import build_variant
from pmledger.policies.packs.support_staff_pm import PACK, Settings, checks

MODEL = "support-staff-pm@2025.3"


def _variant(tmp_path: Path) -> Path:
    path = tmp_path / "school.toml"
    path.write_text(
        'id = "school-support-staff"\nversion = "1"\ntitle = "School"\n'
        f'extends = "{MODEL}"\n[source]\nseed = "school"\ndocument = "Our policy"\n'
        "[time_limits.obs-written-record]\namount = 3\n"
        "[limits.max-key-objectives]\nvalue = 3\n"
    )
    return path


def test_a_school_shortens_a_limit_in_one_line_and_it_is_judged_on_real_dates(
    tmp_path: Path,
) -> None:
    school = build_variant(load_pack_file(_variant(tmp_path)))
    s = with_cycle()
    plan = planned(s, date(2025, 11, 12))
    s.act(date(2025, 10, 8), agreement(plan), by=EMPLOYEE)
    act_under(school, s, date(2025, 11, 12), ObservationHeld(observation_id="obs-1"), by=REVIEWER)
    (model_row,) = rows(s, date(2025, 11, 18), "ss-obs-written-record", PACK)
    (school_row,) = rows(s, date(2025, 11, 18), "ss-obs-written-record", school)
    assert (model_row.due_on, model_row.status) == (date(2025, 11, 19), DeadlineStatus.OPEN)
    assert (school_row.due_on, school_row.status) == (date(2025, 11, 17), DeadlineStatus.OVERDUE)

    four = ObjectivesSet(cycle_id=CYCLE, objectives=objectives(4))
    assert act_under(PACK, with_cycle(), date(2025, 10, 8), four, by=REVIEWER) == []
    (over,) = act_under(school, with_cycle(), date(2025, 10, 8), four, by=REVIEWER)
    assert over.rule.id == "ss-objectives-max-4"
    assert "4 key objectives for cycle 2025-26 is more than the 3 the policy allows" in over.message


def _shipped_with(tmp_path: Path, old: str, new: str) -> Path:
    text = Path(shipped_pack(MODEL).origin).read_text()
    assert old in text
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(old, new, 1))
    return bad


def test_a_role_that_does_not_exist_is_refused_naming_the_rule(tmp_path: Path) -> None:
    rule = 'acts = ["reviewer_assigned", "reviewer_changed"]\nroles = '
    bad = _shipped_with(tmp_path, rule + '["headteacher"]', rule + '["bursar"]')
    with pytest.raises(PackFileError) as raised:
        load_pack_file(bad)
    message = str(raised.value)
    assert str(bad) in message
    assert "(ss-reviewer-appointed-by-ht): roles = ['bursar']: 'bursar' is not known" in message
    assert "headteacher" in message


def test_a_pause_the_packs_python_lacks_is_refused_naming_the_rule(tmp_path: Path) -> None:
    bad = _shipped_with(
        tmp_path, '\npaused_while = "capability-runs"', '\npaused_while = "capability-stops"'
    )
    problems, built = rules_from_data(load_pack_file(bad).file, checks(Settings()))
    assert built == ()
    assert problems == [
        "rule 11 (ss-objectives-signed): paused_while = 'capability-stops': the pack's Python "
        "has no named spans check by that name; it has: capability-runs"
    ]
