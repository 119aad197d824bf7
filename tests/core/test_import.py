"""`pmledger import`: a JSON Lines file is one batch, judged line by line, stored whole or not."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from tests.core.helpers import ALICE, EMPLOYEE, HEAD, HR, seeded
from typer.testing import CliRunner

from pmledger.cli import main as cli_main
from pmledger.cli.main import app
from pmledger.cli.output import Advance
from pmledger.integrity.keystore import EncryptedFileKeyStore
from pmledger.ledger import import_jsonl
from pmledger.ledger.facade import Ledger

PASSPHRASE = "import test passphrase"
BOB = {"organisation": "trust", "employee_ref": "E-002"}


def _line(act: dict[str, object], on: str, actor: object, **extra: object) -> str:
    return json.dumps(
        {
            "employee": BOB,
            "act": act,
            "occurred_on": on,
            "actor": actor.model_dump(mode="json"),
            **extra,
        }
    )  # type: ignore[attr-defined]


OPEN = _line(
    {
        "kind": "case_opened",
        "organisation": "trust",
        "employee_ref": "E-002",
        "employee_person_id": "emp-1",
        "school": "oakfield",
        "staff_group": "support_staff",
        "pack_id": "star-developing-performance",
    },
    "2024-01-08",
    HR,
)
CONCERN = _line(
    {"kind": "concern_raised", "concern_id": "c-1", "areas": ["invoicing"]}, "2024-02-29", HEAD
)
SHORT_NOTICE = _line(
    {
        "kind": "meeting_invited",
        "meeting_id": "initial",
        "purpose": "initial_support",
        "scheduled_for": "2024-03-05",
    },
    "2024-03-01",
    HEAD,
)
MISCONDUCT = _line(
    {
        "kind": "concern_raised",
        "concern_id": "c-2",
        "category": "misconduct",
        "areas": ["lateness"],
    },
    "2024-03-04",
    HEAD,
)
NO_SUCH_PLAN = _line(
    {"kind": "outcome_decided", "subject_id": "sp-9", "outcome": "successful"},
    "2024-03-04",
    HEAD,
)


@pytest.fixture
def ledger_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    keys = tmp_path / "keys"
    target = str(tmp_path / "l.sqlite")
    seeded(target, EncryptedFileKeyStore(keys, PASSPHRASE.encode())).close()
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", PASSPHRASE)
    return target, keys


def _import(target: str, keys: Path, path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, ["import", str(path), "--db", target, "--keys", str(keys), "--json"]
    )
    return result.exit_code, result.output


def _bob_exists(target: str, keys: Path) -> bool:
    keystore = EncryptedFileKeyStore(keys, PASSPHRASE.encode())
    with Ledger.open(target, keystore=keystore) as ledger:
        return any(c.employee_ref == "E-002" for c in ledger.reader(HR).cases())


def test_history_imports_in_order_and_findings_name_their_line(
    ledger_path: tuple[str, Path], tmp_path: Path
) -> None:
    target, keys = ledger_path
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join(["# paper records from 2024", OPEN, CONCERN, SHORT_NOTICE]) + "\n")
    code, out = _import(target, keys, path)
    assert code == 0, out
    summary = json.loads(out)
    assert summary["acts"] == 3
    assert summary["cases"] == 1
    assert [(f["line"], f["rule"]) for f in summary["findings"]] == [(4, "st-initial-notice-5wd")]
    with Ledger.open(target) as ledger:
        assert ledger.verify().ok
    assert _bob_exists(target, keys)


def test_a_refused_line_stops_the_whole_file_and_is_named(
    ledger_path: tuple[str, Path], tmp_path: Path
) -> None:
    target, keys = ledger_path
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join([OPEN, CONCERN, NO_SUCH_PLAN]) + "\n")
    code, out = _import(target, keys, path)
    assert code == 1
    assert "line 3" in out
    assert "there is no plan sp-9" in out
    assert not _bob_exists(target, keys)


def test_a_backfilled_breach_is_recorded_with_its_finding_as_a_recorded_act_would_be(
    ledger_path: tuple[str, Path], tmp_path: Path
) -> None:
    """Paper history takes the same path as `record`: a concern the procedure sends to another
    policy happened, so the import stores it, with the finding `record` would give it."""
    target, keys = ledger_path
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join([OPEN, CONCERN, MISCONDUCT]) + "\n")
    code, out = _import(target, keys, path)
    assert code == 0, out
    summary = json.loads(out)
    assert summary["acts"] == 3
    [(line, rule, severity)] = [(f["line"], f["rule"], f["severity"]) for f in summary["findings"]]
    assert (line, rule, severity) == (3, "st-scope-misconduct", "major")
    keystore = EncryptedFileKeyStore(keys, PASSPHRASE.encode())
    with Ledger.open(target, keystore=keystore) as ledger:
        assert ledger.verify().ok
        (case,) = [c for c in ledger.reader(HR).cases() if c.employee_ref == "E-002"]
        status = ledger.reader(HR).status(case.employee, as_of=date(2024, 3, 5))
    assert [f.rule.id for f in status.compliance] == ["st-scope-misconduct"]


def test_malformed_lines_are_all_reported_and_nothing_is_stored(
    ledger_path: tuple[str, Path], tmp_path: Path
) -> None:
    target, keys = ledger_path
    bad_date = OPEN.replace("2024-01-08", "2024-02-30")
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join([bad_date, "{not json", CONCERN.replace("invoicing", "")]) + "\n")
    code, out = _import(target, keys, path)
    assert code == 1
    assert "line 1: occurred_on" in out
    assert "line 2: not valid JSON" in out
    assert "line 3: act.concern_raised.areas.0" in out
    assert not _bob_exists(target, keys)


def test_an_acknowledgement_in_a_batch_countersigns_an_earlier_line(backend: str) -> None:
    from tests.core.helpers import held

    from pmledger.commands import RecordAct

    with seeded(backend) as ledger:
        first = RecordAct(employee=ALICE, act=held(7), occurred_on="2025-11-03", actor=HEAD)
        receipts = ledger.record_batch([first])
        ack = RecordAct.model_validate(
            {
                "employee": ALICE.model_dump(),
                "act": {
                    "kind": "record_acknowledged",
                    "record_version": receipts[0].version,
                    "record_digest": receipts[0].digest,
                },
                "occurred_on": "2025-11-04",
                "actor": EMPLOYEE.model_dump(mode="json"),
            }
        )
        second = RecordAct(employee=ALICE, act=held(8), occurred_on="2025-11-05", actor=HEAD)
        assert [r.version for r in ledger.record_batch([second, ack])] == [6, 7]
        assert ledger.verify().ok


def test_import_without_a_passphrase_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PMLEDGER_KEY_PASSPHRASE", raising=False)
    path = tmp_path / "h.jsonl"
    path.write_text(OPEN + "\n")
    result = CliRunner().invoke(
        app, ["import", str(path), "--db", str(tmp_path / "l.sqlite"), "--keys", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "PMLEDGER_KEY_PASSPHRASE" in result.output


def test_the_progress_bar_moves_while_the_file_is_checked_before_anything_is_stored(
    ledger_path: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A million acts take minutes to check before the first is stored: the bar counts the
    lines checked against the file's lines, then the lines stored."""
    target, keys = ledger_path
    path = tmp_path / "history.jsonl"
    lines = ["# paper records", OPEN, "", CONCERN, SHORT_NOTICE, "#", "# the end, no newline"]
    path.write_text("\n".join(lines))
    shown: list[tuple[str, int, int | None]] = []

    @contextmanager
    def bar(description: str, total: int | None = None, counted: bool = False) -> Iterator[Advance]:
        stage = [description]

        def advance(done: int, total: int | None = None, description: str | None = None) -> None:
            stage[0] = description or stage[0]
            shown.append((stage[0], done, total))

        yield advance

    monkeypatch.setattr(import_jsonl, "CHECK_STEP", 2)
    monkeypatch.setattr(cli_main, "progress", bar)
    code, out = _import(target, keys, path)
    assert code == 0, out
    checked = [(done, total) for stage, done, total in shown if stage.startswith("checking")]
    stored = [(done, total) for stage, done, total in shown if stage.startswith("importing")]
    assert checked == [(2, 7), (4, 7), (6, 7), (7, 7)]
    assert stored == [(0, 7), (7, 7)]
    assert shown.index(("importing history.jsonl", 0, 7)) == len(checked), "checked first"
