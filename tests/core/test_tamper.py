"""Every change an attacker with database access can make is caught by `pmledger verify`."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.core.helpers import ALICE, HEAD, HR, held, invite, open_ledger, seeded
from tests.core.raw_rows import RawRows
from typer.testing import CliRunner

from pmledger.aggregates.employee_case import new_case_event
from pmledger.canonical import canonical_bytes
from pmledger.cli.main import app
from pmledger.ids import KEYRING_ID
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.facade import Ledger

CASE = str(ALICE.case_id)
KEYS = str(KEYRING_ID)


def _verify(target: str) -> tuple[int, str]:
    """`pmledger verify` in one process and shared out over three, which must agree word for
    word: every tampering here must be named the same by the sharded run."""
    outputs = {}
    for jobs in ("1", "3"):
        result = CliRunner().invoke(app, ["verify", "--db", target, "--jobs", jobs, "--json"])
        outputs[jobs] = (result.exit_code, result.output)
    assert outputs["1"] == outputs["3"], outputs
    result = CliRunner().invoke(app, ["verify", "--db", target, "--jobs", "2"])
    return result.exit_code, " ".join(result.output.split())


def _replace(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def edit(state: bytes) -> bytes:
        assert old in state, (old, state[:200])
        return state.replace(old, new, 1)

    return edit


def _flip_signature_char(state: bytes) -> bytes:
    start = state.index(b'"sig":"') + 10
    return state[:start] + (b"A" if state[start : start + 1] != b"A" else b"B") + state[start + 1 :]


@pytest.mark.parametrize(
    ("where", "version", "edit", "reason"),
    [
        (
            "payload",
            3,
            _replace(b'"chair_person_id":"ht-1"', b'"chair_person_id":"ht-9"'),
            "payload bytes",
        ),
        (
            "sealed content",
            3,
            _replace(b'"minutes":"sealed:v1:capability:', b'"minutes":"sealed:v1:appraisal:'),
            "payload bytes",
        ),
        (
            "payload date",
            2,
            _replace(b'"occurred_on":"2025-10-01"', b'"occurred_on":"2025-09-01"'),
            "payload bytes",
        ),
        (
            "envelope time",
            3,
            _replace(b'"at":"2025-09-01T08:', b'"at":"2025-09-01T09:'),
            "signature does not verify",
        ),
        (
            "envelope prev",
            2,
            lambda s: s.replace(b'"prev":"', b'"prev":"f', 1).replace(
                b'","topic"', b'","topic"', 1
            ),
            "damaged|chain link",
        ),
        ("signature", 3, _flip_signature_char, "signature"),
        ("whitespace only", 2, _replace(b'{"env":', b'{ "env":'), "canonical"),
    ],
)
def test_a_changed_case_row_is_named_by_verify(
    backend: str, where: str, version: int, edit: Callable[[bytes], bytes], reason: str
) -> None:
    seeded(backend).close()
    rows = RawRows(backend)
    rows.set_state(CASE, version, edit(rows.state(CASE, version)))
    code, out = _verify(backend)
    assert code == 1, out
    assert f"employee E-001 of trust (aggregate {CASE}) version {version}" in out
    assert pytest.importorskip("re").search(reason, out), out


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (
            _replace(b'"person_id":"ht-1","public_key":"', b'"person_id":"ht-1","public_key":"0'),
            "damaged|payload bytes|fingerprint",
        ),
        (_replace(b'"roles":["headteacher"]', b'"roles":["hr"]'), "payload bytes"),
        (_flip_signature_char, "signature"),
    ],
)
def test_a_changed_key_record_is_named_by_verify(
    backend: str, edit: Callable[[bytes], bytes], reason: str
) -> None:
    seeded(backend).close()
    rows = RawRows(backend)
    rows.set_state(KEYS, 2, edit(rows.state(KEYS, 2)))
    code, out = _verify(backend)
    assert code == 1, out
    assert f"keyring (aggregate {KEYS}) version 2" in out
    assert pytest.importorskip("re").search(reason, out), out


def test_a_deleted_event_is_named_by_verify(backend: str) -> None:
    seeded(backend).close()
    RawRows(backend).delete(CASE, 2)
    code, out = _verify(backend)
    assert code == 1
    assert "version 3" in out
    assert "version 2 is missing" in out


def test_reordered_events_are_named_by_verify(backend: str) -> None:
    seeded(backend).close()
    RawRows(backend).swap_states(CASE, 2, 3)
    code, out = _verify(backend)
    assert code == 1
    assert "version 2" in out
    assert "envelope says version 3" in out


def test_dropping_the_newest_event_is_left_to_checkpoints(backend: str) -> None:
    seeded(backend).close()
    rows = RawRows(backend)
    rows.delete(CASE, 4)
    code, _ = _verify(backend)
    assert code == 0, "dropping the last event is only caught by checkpoints"


def _forge(ledger: Ledger, keystore: MemoryKeyStore, key_id: str, when: datetime) -> None:
    """Store an event signed with `key_id`, bypassing every check the Ledger makes."""
    case = ledger._archive.case(ALICE)
    event = new_case_event(
        case,
        case_id=ALICE.case_id,
        act=held(5),
        occurred_on=date(2025, 12, 1),
        actor=HEAD,
        key_id=key_id,
        pack=case.pack,
        deviation_reason=None,
        recorded_at=when,
    )
    ledger._store.save(event)


def test_an_event_signed_by_a_revoked_key_is_named_by_verify(backend: str) -> None:
    keystore = MemoryKeyStore()
    ledger = open_ledger(backend, keystore)
    from tests.core.helpers import enrol

    enrol(ledger)
    from tests.core.helpers import opened

    ledger.record(ALICE, opened(), occurred_on=date(2025, 9, 1), actor=HR)
    key = ledger.keyring().signing_key_for("ht-1", datetime(2025, 9, 2, tzinfo=UTC))
    assert key is not None
    ledger.revoke_key(key.key_id, reason="left the school", by=HR)
    _forge(ledger, keystore, key.key_id, datetime(2025, 8, 1, tzinfo=UTC))
    ledger.close()
    code, out = _verify(backend)
    assert code == 1
    assert "version 2" in out
    assert "revoked key" in out


def test_an_event_signed_by_an_unknown_key_is_named_by_verify(backend: str) -> None:
    keystore = MemoryKeyStore()
    with seeded(backend) as ledger:
        ledger._keystore = keystore
        stranger, _ = keystore.generate()
        ledger._store._signer = keystore  # type: ignore[assignment]
        ledger._store.mapper.signer = keystore  # type: ignore[attr-defined]
        _forge(ledger, keystore, stranger, datetime(2025, 12, 1, tzinfo=UTC))
    code, out = _verify(backend)
    assert code == 1
    assert "version 5" in out
    assert "unknown key" in out


def test_verify_cli_json_and_exit_codes(tmp_path: object) -> None:
    target = str(tmp_path) + "/l.sqlite"
    seeded(target).close()
    ok = subprocess.run(
        [sys.executable, "-m", "pmledger", "verify", "--db", target, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert '"ok": true' in ok.stdout
    assert '"events": 7' in ok.stdout
    RawRows(target).delete(CASE, 2)
    bad = subprocess.run(
        [sys.executable, "-m", "pmledger", "verify", "--db", target, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    assert '"version": 3' in bad.stdout
    assert "Traceback" not in bad.stderr


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_single_changed_byte_in_any_row_is_detected(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    target = str(tmp_path_factory.mktemp("flip") / "l.sqlite")
    seeded(target).close()
    rows = RawRows(target)
    aggregate, version = data.draw(
        st.sampled_from(
            [(KEYS, 1), (KEYS, 2), (KEYS, 3), (CASE, 1), (CASE, 2), (CASE, 3), (CASE, 4)]
        )
    )
    state = bytearray(rows.state(aggregate, version))
    index = data.draw(st.integers(0, len(state) - 1))
    new = data.draw(st.integers(0, 255).filter(lambda b: b != state[index]))
    state[index] = new
    rows.set_state(aggregate, version, bytes(state))
    code, out = _verify(target)
    assert code == 1, (aggregate, version, index, new, out)
    assert f"version {version}" in out or "Traceback" not in out


def test_a_snapshot_that_does_not_match_the_chain_is_named(backend: str) -> None:
    with seeded(backend) as ledger:
        for n in range(5, 101):
            ledger.record(ALICE, held(n), occurred_on=date(2025, 11, 1), actor=HEAD)
    rows = RawRows(backend, table="snapshots")
    rows.set_state(CASE, 100, rows.state(CASE, 100).replace(b'"head":"', b'"head":"0', 1))
    code, out = _verify(backend)
    assert code == 1, out
    assert "version 100" in out
    assert "snapshot does not match" in out


def _act_edit(edit: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def on_payload(payload: dict[str, Any]) -> None:
        edit(payload["act"])

    return on_payload


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (_act_edit(lambda act: act.update(meeting_id=42)), r"act\.meeting_invited\.meeting_id"),
        (_act_edit(lambda act: act.update(kind="meeting_teleported")), "meeting_teleported"),
        (
            _act_edit(lambda act: act.pop("purpose")),
            r"act\.meeting_invited\.purpose: Field required",
        ),
        (_act_edit(lambda act: act.update(smuggled="x")), r"act\.meeting_invited\.smuggled"),
        (lambda payload: payload.update(occurred_on="2025-13-45"), "occurred_on"),
        (lambda payload: payload["actor"].update(role="emperor"), r"actor\.role"),
        (
            lambda payload: payload.update(act={"kind": "cycle_closed", "cycle_id": "c-1"}),
            "stored under topic pmledger.case/meeting_invited/v1 but its act is cycle_closed",
        ),
    ],
    ids=[
        "wrong type",
        "unknown kind",
        "missing field",
        "extra field",
        "bad date",
        "bad role",
        "kind not its topic",
    ],
)
def test_an_act_signed_by_a_registered_key_that_does_not_match_its_model_is_named(
    backend: str, edit: Callable[[dict[str, Any]], None], reason: str
) -> None:
    """An insider holding a registered key signs an act the ledger cannot read as its model:
    every signature and link holds, but verify must not pass what the ledger would refuse
    to load (or would file under another kind)."""
    keys = MemoryKeyStore()
    ledger = seeded(backend, keys)
    forged = ledger.record(ALICE, invite(2), occurred_on=date(2025, 10, 13), actor=HEAD)
    ledger.close()
    RawRows(backend).rewrite_signed(CASE, forged.version, edit, keys)
    with open_ledger(backend) as reopened:
        report = reopened.verify(jobs=1)
        assert reopened.verify(jobs=3).as_json() == report.as_json()
    assert report.failure is not None
    assert (report.failure.aggregate_id, report.failure.version) == (CASE, forged.version)
    assert re.search(reason, report.failure.reason), report.failure
    code, out = _verify(backend)
    assert code == 1, out
    assert f"employee E-001 of trust (aggregate {CASE}) version {forged.version}" in out
    assert "does not match its model" in out or "but its act is" in out, out


def test_an_outsiders_act_that_does_not_match_its_model_is_named_by_its_unknown_key(
    backend: str,
) -> None:
    """Who signed comes before what was signed: a forged row that is both signed by a key
    the keyring never registered and not a valid act is named for its key (an outsider wrote
    it), not for its shape."""
    with seeded(backend) as ledger:
        forged = ledger.record(ALICE, invite(2), occurred_on=date(2025, 10, 13), actor=HEAD)
    strangers = MemoryKeyStore()
    stranger, _ = strangers.generate()
    raw = RawRows(backend)
    doc = orjson.loads(raw.state(CASE, forged.version))
    doc["env"]["key"] = stranger
    raw.set_state(CASE, forged.version, canonical_bytes(doc))
    raw.rewrite_signed(CASE, forged.version, _act_edit(lambda act: act.pop("purpose")), strangers)
    with open_ledger(backend) as reopened:
        report = reopened.verify(jobs=1)
        assert reopened.verify(jobs=3).as_json() == report.as_json()
    assert report.failure is not None
    assert (report.failure.aggregate_id, report.failure.version) == (CASE, forged.version)
    assert "unknown key" in report.failure.reason, report.failure
