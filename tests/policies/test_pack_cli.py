"""`pmledger pack`: procedures as readable tables, a school's file checked, versions compared,
a rule explained. Run as a pipe reads it (CliRunner's output is not a terminal): plain
tab-separated lines, never wrapped."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.policies.packfile import load_pack_file, shipped_pack

VARIANT = Path(__file__).parents[2] / "examples" / "packs" / "st-annes-improving-performance.toml"


def _run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def _json(*args: str, code: int = 0) -> Any:
    return json.loads(_run(*args, "--json", code=code))


def _table(output: str, title: str) -> list[list[str]]:
    """The rows of one piped table: its title line, a header line, then one line per row up
    to the next line without tabs."""
    lines = output.splitlines()
    start = lines.index(title) + 1
    rows = []
    for line in lines[start:]:
        if "\t" not in line:
            break
        rows.append(line.split("\t"))
    header = rows[0]
    assert all(len(row) == len(header) for row in rows), rows
    return rows


def _variant(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "school.toml"
    path.write_text(
        'id = "school"\nversion = "1"\ntitle = "Our School"\n'
        'extends = "improving-performance@2025.3"\n[source]\nseed = "x"\ndocument = "Ours"\n' + body
    )
    return path


def test_list_names_every_shipped_pack_with_its_digest() -> None:
    listed = {pack["id"]: pack for pack in _json("pack", "list")}
    assert set(listed) >= {
        "hampshire-pm",
        "improving-performance",
        "refocus-pm",
        "star-developing-performance",
        "support-staff-pm",
    }
    ip = listed["improving-performance"]
    assert ip["digest"] == shipped_pack("improving-performance@2025.3").digest
    assert ip["rules"] == 75


def test_show_prints_stages_limits_warnings_who_and_letters_as_plain_lines() -> None:
    output = _run("pack", "show", "improving-performance")
    stages = _table(output, "Stages")
    assert stages[0] == ["ladder", "the procedure's words", "section"]
    assert ["3 formal_stage_1", "first formal meeting and formal monitoring period", ""] in stages
    limits = {row[0]: row for row in _table(output, "Time limits")}
    assert limits["first-formal-notice"][1] == "7 calendar days"
    assert limits["first-formal-notice"][3] == "§7.1"
    assert limits["one-to-one-interval"][1] == "1 week"
    assert limits["appeal-papers-exchange"][1] == "3 working days"
    assert _table(output, "Warnings")[1][:2] == ["written", "12 months"]
    authority = {row[0]: row for row in _table(output, "Authority")}
    assert authority["dismissed"][2] == "2"
    who = {row[2]: row for row in _table(output, "Who records each act")}
    assert who["ip-who-arranges-appeal"][:2] == ["chair_of_governors", "appeal_hearing_arranged"]
    letters = {row[0]: row for row in _table(output, "Letters and forms")}
    assert letters["ip-dismissal"][1:] == ["Dismissal on grounds of capability", "§9.4"]
    assert "75 rules; each one: pmledger pack explain RULE_ID" in output
    assert "Rules" not in output.splitlines()


def test_show_full_adds_the_stage_machine_required_contents_and_every_rule() -> None:
    output = _run("pack", "show", "improving-performance@2025.3", "--full")
    rules = _table(output, "Rules")
    listed = shipped_pack("improving-performance@2025.3").file.rules
    assert len(rules) == len(listed) + 1
    assert ["ip-first-invite-notice", "004 §7.1", "finding", "major"] in [r[:4] for r in rules]
    moves = _table(output, "Stage machine (asked in this order)")
    assert ["dismissed", "formal_stage_2", "dismissed", ""] in moves
    required = _table(output, "What records must confirm")
    assert any(
        row[1] == "right_of_appeal" and row[4] == "states_right_of_appeal" for row in required
    )


def test_show_of_a_schools_file_shows_its_own_limits_and_its_parents_table_of_who_acts() -> None:
    data = _json("pack", "show", str(VARIANT))
    assert data["extends"] == "improving-performance@2025.3"
    assert data["digest"] == load_pack_file(VARIANT).digest
    assert data["pack"]["time_limits"]["first-formal-notice"]["amount"] == 10
    assert data["pack"]["warnings"]["written"]["months"] == 6
    assert any(entry["rule"] == "ip-who-hears-appeal" for entry in data["who_records"])


def test_check_passes_the_example_and_says_what_it_changes() -> None:
    output = _run("pack", "check", str(VARIANT))
    assert output.startswith("OK: st-annes-improving-performance@2025.3")
    changes = _table(output, "What it changes from improving-performance@2025.3")
    assert [
        "time limit",
        "first-formal-notice",
        "limit",
        "7 calendar days",
        "10 calendar days",
    ] in (changes)
    assert ["warning", "written", "months", "12", "6"] in changes
    data = _json("pack", "check", str(VARIANT))
    assert data["ok"] is True
    assert data["digest"] == load_pack_file(VARIANT).digest


def test_check_refuses_a_bad_file_with_exit_2_and_every_problem(tmp_path: Path) -> None:
    bad = _variant(
        tmp_path,
        '[time_limits.first-formal-notice]\nunit = "fortnights"\n'
        '[time_limits.second-formal-notice]\namount = "ten"\n',
    )
    result = CliRunner().invoke(app, ["pack", "check", str(bad)])
    assert result.exit_code == 2
    assert str(bad) in result.output
    assert "time limit 'first-formal-notice': unit 'fortnights' is not known" in result.output
    data = _json("pack", "check", str(bad), code=2)
    assert data["ok"] is False
    assert data["file"] == str(bad)
    assert (
        "time limit 'second-formal-notice': amount = 'ten': must be a whole number"
        in (data["problems"])
    )


def test_check_refuses_an_edited_copy_of_a_shipped_pack(tmp_path: Path) -> None:
    # The shipped file itself checks; an edited copy is a new procedure with no rules of its
    # own, so the school is told to extend the shipped pack instead.
    shipped = shipped_pack("improving-performance@2025.3").origin
    assert _run("pack", "check", shipped).startswith("OK: improving-performance@2025.3")
    text = Path(shipped_pack("improving-performance@2025.3").origin).read_text()
    changed = tmp_path / "ip.toml"
    changed.write_text(text.replace("amount = 10\n", "amount = 11\n", 1))
    output = _run("pack", "check", str(changed), code=2)
    assert "has no extends: a school's pack extends a shipped one" in output


def test_diff_shows_a_rule_switched_off_with_its_reason_and_a_changed_word(
    tmp_path: Path,
) -> None:
    school = _variant(
        tmp_path,
        '[stages.informal_support]\nwords = "support plan"\n'
        '[switched_off]\nip-pip-maintain-12m = "Governors agreed no 12-month window, May 2025"\n',
    )
    changes = _json("pack", "diff", "improving-performance", str(school))
    assert {
        "section": "switched off",
        "entry": "ip-pip-maintain-12m",
        "field": "",
        "before": None,
        "after": "Governors agreed no 12-month window, May 2025",
    } in changes
    assert {
        "section": "stage",
        "entry": "informal_support",
        "field": "words",
        "before": "Performance Improvement Plan (informal monitoring period)",
        "after": "support plan",
    } in changes
    assert _json("pack", "diff", "improving-performance", "improving-performance@2025.3") == []


def test_diff_names_the_part_of_a_rule_judged_in_parts_by_its_kind_and_check(
    tmp_path: Path,
) -> None:
    text = Path(shipped_pack("improving-performance@2025.3").origin).read_text()
    part = 'check = "notice-worked"\njudges = "deviation"\nseverity = "major"'
    assert part in text
    edited = tmp_path / "2026.1.toml"
    edited.write_text(
        text.replace('version = "2025.3"', 'version = "2026.1"', 1).replace(
            part, part.replace('"major"', '"minor"')
        )
    )
    changes = _json("pack", "diff", "improving-performance", str(edited))
    assert {
        "section": "rule",
        "entry": "ip-notice-period (check notice-worked)",
        "field": "severity",
        "before": "major",
        "after": "minor",
    } in changes


def test_diff_of_an_unknown_pack_names_those_known() -> None:
    output = _run("pack", "diff", "improving-performance", "no-such-pack", code=2)
    assert "no pack 'no-such-pack'; known: hampshire-pm@2025.3" in output


def test_explain_gives_source_severity_and_the_procedures_words(tmp_path: Path) -> None:
    seed = shipped_pack("improving-performance@2025.3").file.source.file
    assert seed is not None
    (tmp_path / seed).write_text(
        "Contents\n7.1\tInvitation to meeting\t12\n7.0 First Formal Meeting\n"
        "7.1 Invitation to meeting:\n- give at least 7 calendar days' notice\n"
        "- 7.2 The manager conducting First Formal Meeting will:\n- set out the standard\n"
    )
    output = _run("pack", "explain", "ip-first-invite-notice", "--seeds", str(tmp_path))
    judged = _table(output, "How it judges")
    assert judged[1][:5] == [
        "004 §7.1",
        "finding",
        "major",
        "notice: At least `limit` notice of a meeting, counted back from its original date.",
        "purposes = first_formal; limit = first-formal-notice (7 calendar days)",
    ]
    assert "7.1 Invitation to meeting:\n- give at least 7 calendar days' notice\n" in output
    assert "set out the standard" not in output
    data = _json("pack", "explain", "ip-first-invite-notice", "--seeds", str(tmp_path))
    assert data["text"] == {
        "7.1": "7.1 Invitation to meeting:\n- give at least 7 calendar days' notice"
    }


def test_explain_an_unknown_rule_suggests_the_nearest() -> None:
    output = _run("pack", "explain", "ip-first-invite-notic", code=2)
    assert "did you mean ip-first-invite-notice" in output


def test_packs_option_registers_a_schools_variant_for_every_command(tmp_path: Path) -> None:
    school = _variant(
        tmp_path, '[switched_off]\nip-pip-maintain-12m = "not applied by our governors"\n'
    )
    listed = _json("--packs", str(tmp_path), "pack", "list")
    assert "school" in {pack["id"] for pack in listed}
    explained = _json("--packs", str(school), "pack", "explain", "ip-pip-maintain-12m")
    assert {"pack": "school@1", "switched_off": "not applied by our governors"} in explained[
        "packs"
    ]


def test_the_format_references_example_variant_checks(tmp_path: Path) -> None:
    readme = (Path(__file__).parents[2] / "packs" / "README.md").read_text()
    (example,) = re.findall(r"```toml\n(.*?)```", readme, re.S)
    path = tmp_path / "st-annes.toml"
    path.write_text(example)
    changes = _json("pack", "check", str(path))["changes"]
    assert {(c["section"], c["entry"]) for c in changes} >= {
        ("time limit", "first-formal-notice"),
        ("warning", "written"),
        ("stage", "informal_support"),
        ("switched off", "ip-pip-maintain-12m"),
    }


def test_list_and_show_give_the_versions_each_pack_supersedes_with_digest_and_why() -> None:
    listed = {pack["id"]: pack for pack in _json("pack", "list")}
    superseded = shipped_pack("improving-performance@2025.3").file.supersedes
    assert [old["version"] for old in listed["improving-performance"]["supersedes"]] == [
        "2025.1",
        "2025.2",
    ]
    assert listed["improving-performance"]["supersedes"][1] == {
        "version": "2025.2",
        "digest": superseded[1].digest,
        "why": superseded[1].why,
    }
    rows = _table(
        _run("pack", "list"), "Superseded versions (verify accepts records judged under them)"
    )
    assert rows[0] == ["pack", "version", "supersedes", "digest", "why"]
    assert [
        "improving-performance",
        "2025.3",
        "2025.2",
        superseded[1].digest[:12],
        superseded[1].why,
    ] in rows
    assert {row[0] for row in rows[1:]} == {
        pack for pack, data in listed.items() if data["supersedes"]
    }
    shown = _run("pack", "show", "star-developing-performance")
    star = _table(shown, "Superseded versions (verify accepts records judged under them)")
    assert [row[2] for row in star[1:]] == ["2025.1", "2025.2"]
    assert _json("pack", "show", "star-developing-performance")["supersedes"][0]["version"] == (
        "2025.1"
    )


def test_show_full_gives_each_moves_condition_in_words() -> None:
    moves = _table(
        _run("pack", "show", "improving-performance", "--full"),
        "Stage machine (asked in this order)",
    )
    assert [
        "outcome_decided",
        "informal_support",
        "normal_cycle",
        "decided: improved (pip)",
    ] in moves
    assert ["one_to_one_held", "dismissed", "normal_cycle", "the dismissal was overturned"] in moves
    assert ["meeting_invited", "normal_cycle", "formal_stage_2", "purpose: second_formal"] in moves
