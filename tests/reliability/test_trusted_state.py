"""State the ledger acts on beside its signed events — the data-key table and the snapshots —
is held by `verify` against the signed log: each attack below is made with SQL, as someone
holding the database would, and `pmledger verify` must name it (case, category or version).
A wrong data key surfaces as tampering, not as bad input, and a purge never acts on an edited
snapshot.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import orjson
import pytest
from tests.core.helpers import ADMIN, HEAD, HR
from tests.core.raw_rows import RawRows
from tests.reliability.harness import (
    PURGE_AS_OF,
    backend_name,
    employee,
    forkserver,
    keystore,
    purge_child,
    purge_ledger,
    run_child,
    run_cli,
    tally,
)

from pmledger.canonical import canonical_bytes
from pmledger.errors import InvalidInput, TamperingDetected
from pmledger.events.governance_acts import (
    DisposalCount,
    HoldReason,
    LegalHoldPlaced,
    RecordsDisposed,
)
from pmledger.events.meeting_acts import MeetingHeld
from pmledger.ledger.facade import Ledger, data_keys_for

WHO = employee("P-000")
CASE = str(WHO.case_id)


class KeyRows(RawRows):
    """The data-key table, as an attacker with the database would reach it."""

    def key(self, category: str) -> bytes | None:
        rows = self._run(
            "SELECT key FROM pml_data_key WHERE case_id=? AND category=?",
            "SELECT key FROM pml_data_key WHERE case_id=? AND category=?",
            (CASE, category),
        )
        return None if rows[0][0] is None else bytes(rows[0][0])  # type: ignore[arg-type]

    def execute(self, sql: str, *params: object) -> None:
        self._run(sql, sql, params)


def _build(target: str, keydir: Path) -> None:
    purge_ledger(target, keydir, 1)


def _verify(target: str, tmp_path: Path) -> tuple[int, str]:
    """`pmledger verify` in one process; shared out over three, it must say the same."""
    one = run_cli(
        ["verify", "--db", target, "--jobs", "1"], tmp_path / "one.out", fork=forkserver()
    )
    three = run_cli(
        ["verify", "--db", target, "--jobs", "3"], tmp_path / "three.out", fork=forkserver()
    )
    assert one == three, (one, three)
    return one


def _purge(target: str, keys: Path, tmp_path: Path) -> tuple[int, str]:
    """`pmledger retention purge` as the administrator, by the command line's own code."""
    out = tmp_path / "purge.out"
    code = run_child(forkserver(), purge_child, (target, str(keys), str(out)), kill_after=None)
    return code, out.read_text(errors="replace")


def _swap(rows: KeyRows) -> None:
    warning, capability = rows.key("warning"), rows.key("capability")
    sql = "UPDATE pml_data_key SET key=? WHERE case_id=? AND category=?"
    rows.execute(sql, capability, CASE, "warning")
    rows.execute(sql, warning, CASE, "capability")


ATTACKS = {
    "deleted": lambda rows: rows.execute(
        "DELETE FROM pml_data_key WHERE case_id=? AND category='warning'", CASE
    ),
    "nulled": lambda rows: rows.execute(
        "UPDATE pml_data_key SET key=NULL, destroyed_on='2029-01-01', rule='fake' "
        "WHERE case_id=? AND category='warning'",
        CASE,
    ),
    "random": lambda rows: rows.execute(
        "UPDATE pml_data_key SET key=? WHERE case_id=? AND category='warning'",
        os.urandom(32),
        CASE,
    ),
    "swapped": _swap,
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_verify_names_a_tampered_data_key(backend: str, tmp_path: Path, attack: str) -> None:
    _build(backend, tmp_path / "keys")
    code, out = _verify(backend, tmp_path)
    assert code == 0, out
    ATTACKS[attack](KeyRows(backend))
    code, out = _verify(backend, tmp_path)
    assert code == 1, out
    assert "P-000" in out, out
    # swapped: the first of the two categories in the log is named (capability, then warning)
    assert ("capability" if attack == "swapped" else "warning") in out, out
    assert "data key" in out, out
    tally(f"data-key-{attack}", backend_name(backend), attacks=1, named=1)


def test_a_wrong_data_key_reads_as_tampering_not_bad_input(backend: str, tmp_path: Path) -> None:
    _build(backend, tmp_path / "keys")
    ATTACKS["random"](KeyRows(backend))
    with Ledger.open(backend, keystore=keystore(tmp_path / "keys")) as ledger:
        with pytest.raises(TamperingDetected, match="warning") as raised:
            ledger.reader(HR).records(WHO)
        assert not isinstance(raised.value, InvalidInput)


def _certify_without_destroying(target: str, keydir: Path) -> None:
    """What a purge killed between signing its certificate and destroying the key leaves."""
    with Ledger.open(target, keystore=keystore(keydir)) as ledger:
        certificate = RecordsDisposed(
            as_of=date.fromisoformat(PURGE_AS_OF),
            disposals=(DisposalCount(category="warning", rule="warning: test rule", records=1),),
        )
        ledger.record(WHO, certificate, occurred_on=date.fromisoformat(PURGE_AS_OF), actor=ADMIN)


def test_verify_tells_an_interrupted_purge_from_tampering(backend: str, tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    _build(backend, keys)
    _certify_without_destroying(backend, keys)
    code, out = _verify(backend, tmp_path)
    assert code == 3, out
    for word in ("rerun", "P-000", "warning"):
        assert word in out, out
    code, out = _purge(backend, keys, tmp_path)
    assert code == 0, out
    with Ledger.open(backend) as ledger:
        key = data_keys_for(ledger._store).get(CASE, "warning")
        assert key is not None
        assert key.key is None
        assert key.rule == "warning: test rule", "the rerun completes the signed certificate"
    code, out = _verify(backend, tmp_path)
    assert code == 0, out


# Snapshots --------------------------------------------------------------------------------


def _held_case_with_snapshot(target: str, keydir: Path) -> None:
    """The purge ledger's closed case, under a legal hold, long enough to leave a snapshot."""
    purge_ledger(target, keydir, 1)
    with Ledger.open(target, keystore=keystore(keydir)) as ledger:
        hold = LegalHoldPlaced(hold_id="et-1", reason=HoldReason.TRIBUNAL_CLAIM)
        ledger.record(WHO, hold, occurred_on=date(2024, 9, 2), actor=HR)
        version = ledger.reader(HR).case(WHO).version
        for n in range(version + 1, 101):
            meeting = MeetingHeld(meeting_id=f"m-{n}", chair_person_id="ht-1", minutes="Noted.")
            ledger.record(WHO, meeting, occurred_on=date(2024, 9, 3), actor=HEAD)


def _drop_hold_from_snapshot(target: str) -> None:
    rows = RawRows(target, table="snapshots")
    doc = orjson.loads(rows.state(CASE, 100))
    holds = doc["state"]["file"]["holds"]
    assert "et-1" in holds, holds
    holds.clear()
    rows.set_state(CASE, 100, canonical_bytes(doc))


def test_a_purge_never_acts_on_an_edited_snapshot(backend: str, tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    _held_case_with_snapshot(backend, keys)
    code, out = _verify(backend, tmp_path)
    assert code == 0, out
    _drop_hold_from_snapshot(backend)
    code, out = _purge(backend, keys, tmp_path)
    assert code == 0, out
    with Ledger.open(backend) as ledger:
        key = data_keys_for(ledger._store).get(CASE, "warning")
        assert key is not None
        assert key.key is not None, "the held warning's key was destroyed"
    code, out = _verify(backend, tmp_path)
    assert code == 1, out
    assert "snapshot" in out, out
    assert "version 100" in out, out
    tally("snapshot-edited", backend_name(backend), attacks=1, named=1)


def test_text_that_quotes_a_sealed_token_is_not_taken_for_one(backend: str, tmp_path: Path) -> None:
    """Text stored in the clear (a deviation reason, today) may quote what looks like sealed
    content; `verify` must not try to open it (no key row for category "nosuch" exists)."""
    _build(backend, tmp_path / "keys")
    with Ledger.open(backend, keystore=keystore(tmp_path / "keys")) as ledger:
        meeting = MeetingHeld(meeting_id="m-quote", chair_person_id="ht-1", minutes="Noted.")
        ledger.record(
            WHO,
            meeting,
            occurred_on=date(2024, 7, 1),
            actor=HEAD,
            deviation_reason='she wrote "sealed:v1:nosuch:AAAA:BBBB" on the board',
        )
        report = ledger.verify()
    assert report.failure is None, report.failure
