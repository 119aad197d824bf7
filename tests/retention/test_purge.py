"""Disposal dates per category, legal holds, and a purge that is idempotent, resumable after
SIGKILL at any point, and safe when two run at once."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from tests.core.helpers import ADMIN, HEAD, HR, enrol, held, invite, open_ledger, opened

from pmledger.commands import EmployeeRef, RecordAct
from pmledger.events.case_acts import CycleOpened, Objective, ObjectivesSet
from pmledger.events.governance_acts import (
    CaseClosed,
    HoldReason,
    LegalHoldPlaced,
    LegalHoldReleased,
)
from pmledger.events.sanction_acts import CapabilityStarted, WarningIssued, WarningKind
from pmledger.integrity.keystore import EncryptedFileKeyStore
from pmledger.ledger.facade import Ledger
from pmledger.ledger.retention_jobs import plan, purge
from pmledger.projections.disposal import DisposalStatus
from pmledger.retention import load_default

SCHEDULE = load_default()
PASSPHRASE = "purge passphrase"
REASON = "service delivery significantly affected"


def _case(ledger: Ledger, ref: str, *, closed: bool = True) -> EmployeeRef:
    who = EmployeeRef(organisation="trust", employee_ref=ref)
    ledger.record(who, opened(who), occurred_on=date(2023, 9, 1), actor=HR)
    ledger.record(
        who,
        CycleOpened(
            cycle_id="2023-24",
            starts_on=date(2023, 9, 1),
            ends_on=date(2024, 8, 31),
            reviewer_person_id="ht-1",
        ),
        occurred_on=date(2023, 9, 1),
        actor=HEAD,
    )
    ledger.record(
        who,
        ObjectivesSet(
            cycle_id="2023-24",
            objectives=(
                Objective(objective_id="o1", text="Reading outcomes", success_criteria="75%"),
            ),
        ),
        occurred_on=date(2023, 9, 20),
        actor=HEAD,
    )
    ledger.record(
        who,
        CapabilityStarted(reason="Lesson planning"),
        occurred_on=date(2024, 1, 8),
        actor=HEAD,
        deviation_reason=REASON,
    )
    ledger.record(
        who,
        WarningIssued(
            warning_id="w-1", warning_kind=WarningKind.WRITTEN, reasons="Planning below standard"
        ),
        occurred_on=date(2024, 2, 29),
        actor=HEAD,
    )
    if closed:
        ledger.record(
            who, CaseClosed(reason="Standard reached"), occurred_on=date(2024, 7, 19), actor=HR
        )
    return who


def _items(ledger: Ledger, as_of: date) -> dict[tuple[str, str], DisposalStatus]:
    return {
        (i.employee_ref, i.category.value): i.status for i in plan(ledger, SCHEDULE, as_of, ADMIN)
    }


def test_each_category_is_due_by_its_own_rule_and_trigger(backend: str) -> None:
    with open_ledger(backend) as ledger:
        enrol(ledger)
        _case(ledger, "E-1")
        _case(ledger, "E-2", closed=False)
        items = {
            (i.employee_ref, i.category.value): i
            for i in plan(ledger, SCHEDULE, date(2030, 1, 1), ADMIN)
        }
        # A written warning of 29 Feb 2024 expires on 28 Feb 2025; kept 6 months after.
        assert items[("E-1", "warning")].due_on == date(2025, 8, 28)
        assert items[("E-1", "appraisal")].due_on == date(2029, 8, 31)
        assert items[("E-1", "capability")].due_on == date(2030, 7, 19)
        assert items[("E-2", "capability")].status is DisposalStatus.WAITING_FOR_TRIGGER
        assert items[("E-1", "capability")].status is DisposalStatus.NOT_YET_DUE
        assert items[("E-1", "warning")].status is DisposalStatus.DUE


def test_a_legal_hold_blocks_disposal_until_it_is_released(backend: str) -> None:
    with open_ledger(backend) as ledger:
        enrol(ledger)
        who = _case(ledger, "E-1")
        ledger.record(
            who,
            LegalHoldPlaced(hold_id="et-1", reason=HoldReason.TRIBUNAL_CLAIM),
            occurred_on=date(2025, 8, 1),
            actor=HR,
        )
        report = purge(ledger, SCHEDULE, date(2025, 9, 1), ADMIN)
        assert [(i.employee_ref, i.category.value) for i in report.held] == [("E-1", "warning")]
        assert report.keys_destroyed == 0
        ledger.record(
            who, LegalHoldReleased(hold_id="et-1"), occurred_on=date(2025, 10, 1), actor=HR
        )
        report = purge(ledger, SCHEDULE, date(2025, 10, 2), ADMIN)
        assert [(i.employee_ref, i.category.value) for i in report.disposed] == [("E-1", "warning")]


def test_purge_disposes_certifies_and_keeps_the_ledger_verifiable(backend: str) -> None:
    with open_ledger(backend) as ledger:
        enrol(ledger)
        who = _case(ledger, "E-1")
        ledger.record(who, held(1), occurred_on=date(2024, 1, 15), actor=HEAD)
        report = purge(ledger, SCHEDULE, date(2030, 8, 1), ADMIN)
        assert sorted(i.category.value for i in report.disposed) == [
            "appraisal",
            "capability",
            "warning",
        ]
        assert report.certificates == 1
        again = purge(ledger, SCHEDULE, date(2030, 8, 1), ADMIN)
        assert (again.keys_destroyed, again.certificates, again.disposed) == (0, 0, [])
        assert ledger.verify().ok
        events = ledger.reader(HR).records(who)
        warning = next(e for e in events if e.kind == "warning_issued").act
        assert warning.reasons.startswith("[disposed on 2030-08-01 under rule warning: 6 months")  # type: ignore[union-attr]
        certificate = events[-1].act
        assert certificate.kind == "records_disposed"
        assert ledger.reader(HR).status(who, date(2030, 8, 2)).version == len(events)


def _state(target: str, keys: Path) -> dict[str, object]:
    with Ledger.open(target, keystore=EncryptedFileKeyStore(keys, PASSPHRASE.encode())) as ledger:
        certificates = {}
        for summary in ledger.reader(HR).cases():
            who = EmployeeRef(organisation=summary.organisation, employee_ref=summary.employee_ref)
            found = [
                sorted((d.category, d.records) for d in e.act.disposals)  # type: ignore[union-attr]
                for e in ledger.reader(HR).records(who)
                if e.kind == "records_disposed"
            ]
            certificates[summary.employee_ref] = found
        assert ledger.verify().ok
        return certificates


def _purged_ledger(tmp_path: Path, name: str, cases: int) -> tuple[str, Path]:
    target = str(tmp_path / f"{name}.sqlite")
    keys = tmp_path / f"{name}-keys"
    with open_ledger(target, EncryptedFileKeyStore(keys, PASSPHRASE.encode())) as ledger:
        enrol(ledger)
        for n in range(cases):
            _case(ledger, f"E-{n:03}")
    return target, keys


def _purge_cli(target: str, keys: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pmledger",
            "retention",
            "purge",
            "--db",
            target,
            "--as-of",
            "2030-08-01",
            "--actor",
            "hr-1:administrator",
            "--keys",
            str(keys),
        ],
        env={**os.environ, "PMLEDGER_KEY_PASSPHRASE": PASSPHRASE},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_a_purge_killed_at_random_points_and_rerun_ends_like_one_clean_run(
    tmp_path: Path,
) -> None:
    clean, clean_keys = _purged_ledger(tmp_path, "clean", 12)
    assert _purge_cli(clean, clean_keys).wait(timeout=120) == 0
    expected = _state(clean, clean_keys)
    rng = random.Random(20301)
    for attempt in range(6):
        target, keys = _purged_ledger(tmp_path, f"killed-{attempt}", 12)
        for _ in range(3):
            child = _purge_cli(target, keys)
            time.sleep(rng.uniform(0.3, 2.5))
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
        finish = _purge_cli(target, keys)
        out, err = finish.communicate(timeout=120)
        assert finish.returncode == 0, err.decode()
        assert json.loads(out)["ok"] is True
        assert _state(target, keys) == expected


def test_two_purges_at_once_dispose_once(backend: str, tmp_path: Path) -> None:
    keys = EncryptedFileKeyStore(tmp_path / "keys", PASSPHRASE.encode())
    with open_ledger(backend, keys) as ledger:
        enrol(ledger)
        for n in range(6):
            _case(ledger, f"E-{n}")
    results = []

    def run() -> None:
        own_keys = EncryptedFileKeyStore(tmp_path / "keys", PASSPHRASE.encode())
        with open_ledger(backend, own_keys) as own:
            results.append(purge(own, SCHEDULE, date(2030, 8, 1), ADMIN))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == 2
    assert [r.failures for r in results] == [[], []]
    assert sum(r.certificates for r in results) == 6
    assert sum(r.keys_destroyed for r in results) == 18
    assert all(not r.failures for r in results)
    with open_ledger(backend, keys) as reader:
        for n in range(6):
            who = EmployeeRef(organisation="trust", employee_ref=f"E-{n}")
            kinds = [e.kind for e in reader.reader(HR).records(who)]
            assert kinds.count("records_disposed") == 1
        assert reader.verify().ok


def test_the_plan_reads_every_case_page_by_page_in_the_order_they_were_opened(
    backend: str,
) -> None:
    """The plan reads cases a page at a time (their events in one query): cases past the
    first page, whose events interleave in the log with other cases', are all planned,
    each from all its events, in the order they were opened (not the order of their ids)."""
    _plans_every_case_in_the_order_opened(backend)


def test_an_in_memory_ledger_plans_every_case_page_by_page_too() -> None:
    _plans_every_case_in_the_order_opened(":memory:")


def _plans_every_case_in_the_order_opened(target: str) -> None:
    refs = [EmployeeRef(organisation="trust", employee_ref=f"E-{n:03}") for n in range(130)]
    with open_ledger(target) as ledger:
        enrol(ledger)
        ledger.record_batch(
            [
                RecordAct(employee=w, act=opened(w), occurred_on=date(2023, 9, 1), actor=HR)
                for w in refs
            ]
        )
        closed = refs[::-1][::2]  # interleaved with the openings, newest case first
        ledger.record_batch(
            [
                RecordAct(
                    employee=w,
                    act=CaseClosed(reason="Standard reached"),
                    occurred_on=date(2024, 7, 19),
                    actor=HR,
                )
                for w in closed
            ]
        )
        planned = list(plan(ledger, SCHEDULE, date(2040, 1, 1), ADMIN))
    # Only the closing acts carry personal content (the reason), so only closed cases plan.
    in_order = [w.employee_ref for w in refs if w in closed]
    assert [i.employee_ref for i in planned] == in_order
    assert all(i.status is DisposalStatus.DUE for i in planned)


def test_plan_and_dry_run_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from pmledger.cli.main import app

    target, keys = _purged_ledger(tmp_path, "cli", 2)
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("PMLEDGER_ACTOR", raising=False)
    monkeypatch.delenv("PMLEDGER_KEYS", raising=False)
    plan_args = ["retention", "plan", "--db", target, "--as-of", "2025-09-01", "--json"]
    refused = CliRunner().invoke(app, plan_args)
    assert refused.exit_code == 2
    assert "Missing option '--actor' (env var: 'PMLEDGER_ACTOR')" in refused.output
    as_hr = ["--actor", "hr-1:hr", "--keys", str(keys)]
    refused = CliRunner().invoke(app, [*plan_args, *as_hr])
    assert refused.exit_code == 2
    assert "not theirs to dispose of" in refused.output
    as_admin = ["--actor", "hr-1:administrator", "--keys", str(keys)]
    planned = CliRunner().invoke(app, [*plan_args, *as_admin])
    assert planned.exit_code == 0, planned.output
    due = [i for i in json.loads(planned.output) if i["status"] == "due"]
    assert [(i["employee"], i["category"]) for i in due] == [
        ("E-000", "warning"),
        ("E-001", "warning"),
    ]
    dry = CliRunner().invoke(
        app,
        [
            "retention",
            "purge",
            "--db",
            target,
            "--as-of",
            "2025-09-01",
            "--actor",
            "hr-1:administrator",
            "--keys",
            str(keys),
            "--dry-run",
        ],
    )
    assert dry.exit_code == 0, dry.output
    summary = json.loads(dry.output)
    assert summary["dry_run"] is True
    assert summary["categories_disposed"] == 2
    assert summary["keys_destroyed"] == 0
    bad = CliRunner().invoke(
        app,
        [
            "retention",
            "purge",
            "--db",
            target,
            "--as-of",
            "2025-09-01",
            "--actor",
            "hr-1:administrator",
            "--keys",
            str(keys),
            "--schedule",
            str(tmp_path / "missing.toml"),
        ],
    )
    assert bad.exit_code == 2


def test_a_record_whose_only_personal_content_is_its_deviation_reason_is_planned_for_disposal(
    backend: str,
) -> None:
    """The reason is sealed under the record's category like the act's own content; the plan
    counted only acts with personal fields, so a category holding nothing else was never
    listed, never due, and its key (with the reason) never destroyed."""
    with open_ledger(backend) as ledger:
        enrol(ledger)
        who = EmployeeRef(organisation="trust", employee_ref="E-1")
        ledger.record(who, opened(who), occurred_on=date(2025, 9, 1), actor=HR)
        ledger.record(
            who, invite(1), occurred_on=date(2025, 9, 20), actor=HEAD, deviation_reason=REASON
        )
        # closed without a reason: nothing personal in the closure either
        ledger.record(who, CaseClosed(), occurred_on=date(2026, 7, 17), actor=HR)
        items = plan(ledger, SCHEDULE, date(2040, 1, 1), ADMIN)
        assert [(i.employee_ref, i.category.value, i.records) for i in items] == [
            ("E-1", "capability", 1)
        ]
        report = purge(ledger, SCHEDULE, date(2040, 1, 1), ADMIN)
        assert [(i.category.value, i.records) for i in report.disposed] == [("capability", 1)]
        assert report.keys_destroyed == 1
