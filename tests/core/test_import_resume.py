"""`pmledger import` of a large file: stored chunk by chunk, continued by a rerun after a kill
or a refused line, never storing an act twice (issue 22)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.core.helpers import HEAD, HR, seeded
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.integrity.keystore import EncryptedFileKeyStore
from pmledger.ledger.facade import Ledger

PASSPHRASE = "import resume passphrase"
CASES = 300


def _act_line(n: int, act: dict[str, object], on: str, actor: object) -> str:
    return json.dumps(
        {
            "employee": {"organisation": "trust", "employee_ref": f"H-{n:04}"},
            "act": act,
            "occurred_on": on,
            "actor": actor.model_dump(mode="json"),  # type: ignore[attr-defined]
        }
    )


def _opened(n: int) -> str:
    act = {
        "kind": "case_opened",
        "organisation": "trust",
        "employee_ref": f"H-{n:04}",
        "employee_person_id": "emp-1",
        "school": "oakfield",
        "staff_group": "support_staff",
        "pack_id": "star-developing-performance",
    }
    return _act_line(n, act, "2024-01-08", HR)


def _concern(n: int) -> str:
    act = {"kind": "concern_raised", "concern_id": "c-1", "areas": ["invoicing"]}
    return _act_line(n, act, "2024-02-29", HEAD)


def _history(cases: int) -> list[str]:
    return [
        "# two acts a case",
        *(line for n in range(cases) for line in (_opened(n), _concern(n))),
    ]


@pytest.fixture
def ledger_keys(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    keys = tmp_path / "keys"
    seeded(backend, EncryptedFileKeyStore(keys, PASSPHRASE.encode())).close()
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", PASSPHRASE)
    return keys


def _import(target: str, keys: Path, path: Path, chunk: int) -> tuple[int, str]:
    args = ["import", str(path), "--db", target, "--keys", str(keys), "--json", "--chunk"]
    result = CliRunner().invoke(app, [*args, str(chunk)])
    return result.exit_code, result.output


def _events_and_cases(target: str) -> tuple[int, int]:
    """Events in the verified log, and cases open: with two acts a case and an opening
    refused on an open case, an act stored twice would show in one or the other."""
    with Ledger.open(target) as ledger:
        report = ledger.verify()
        assert report.ok, report.describe_failure()
        return report.events, report.cases


def _stored_lines(target: str) -> int:
    with Ledger.open(target) as ledger:
        return max((m.lines for m in ledger.import_marks().values()), default=0)


def test_an_import_killed_midway_continues_on_rerun_and_stores_nothing_twice(
    backend: str, ledger_keys: Path, tmp_path: Path
) -> None:
    path = tmp_path / "history.jsonl"
    lines = _history(CASES)
    path.write_text("\n".join(lines) + "\n")
    events, cases = _events_and_cases(backend)
    env = {**os.environ, "PMLEDGER_KEY_PASSPHRASE": PASSPHRASE}
    args = ["import", str(path), "--db", backend, "--keys", str(ledger_keys), "--chunk", "20"]
    child = subprocess.Popen(
        [sys.executable, "-m", "pmledger", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 240
        while _stored_lines(backend) < 100 and child.poll() is None:
            assert time.monotonic() < deadline, "the import stored nothing in four minutes"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
    stored = _stored_lines(backend)
    assert 100 <= stored < len(lines), "the kill landed mid-import"

    code, out = _import(backend, ledger_keys, path, 20)
    assert code == 0, out
    summary = json.loads(out)
    assert summary["resumed_after_line"] == stored
    assert summary["acts"] == len(lines) - stored

    assert _events_and_cases(backend) == (events + 2 * CASES, cases + CASES)


def test_a_refused_line_keeps_the_chunks_before_it_and_a_corrected_rerun_continues(
    backend: str, ledger_keys: Path, tmp_path: Path
) -> None:
    path = tmp_path / "history.jsonl"
    lines = _history(60)
    refused = 87  # line 87 (a concern): the chunks of lines 1-41 and 42-81 are stored first
    good = lines[refused - 1]
    lines[refused - 1] = good.replace('"concern_raised"', '"outcome_decided"').replace(
        '"concern_id": "c-1", "areas": ["invoicing"]',
        '"subject_id": "sp-9", "outcome": "successful"',
    )
    assert lines[refused - 1] != good
    path.write_text("\n".join(lines) + "\n")
    events, cases = _events_and_cases(backend)

    code, out = _import(backend, ledger_keys, path, 40)
    assert code == 1
    assert f"line {refused}" in out
    assert f"lines 1-81 are stored; correct line {refused}" in out
    assert _stored_lines(backend) == 81

    lines[refused - 1] = good
    path.write_text("\n".join(lines) + "\n")
    code, out = _import(backend, ledger_keys, path, 40)
    assert code == 0, out
    assert json.loads(out)["resumed_after_line"] == 81
    assert _events_and_cases(backend) == (events + 2 * 60, cases + 60)
