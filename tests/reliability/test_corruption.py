"""Corrupted storage: a truncated SQLite file, garbage over its pages, a row edited by SQL and
a forged row inserted by SQL are each reported by `pmledger verify`, `pmledger case status`
and `pmledger projections rebuild` with a message and exit code 1 or 2 — never a traceback.

Each kind is run once through a fresh `python -m pmledger` process; the seeded variants run
through the same entry point in children forked from a preloaded server (no start-up cost).
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import orjson
import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from tests.core.helpers import ALICE, HEAD, HR, seeded
from tests.core.raw_rows import RawRows
from tests.reliability.harness import (
    _meeting,
    backend_name,
    employee,
    forkserver,
    opened,
    run_cli,
    tally,
)

from pmledger.canonical import canonical_bytes
from pmledger.cli.options import PASSPHRASE_ENV
from pmledger.integrity.keystore import EncryptedFileKeyStore
from pmledger.integrity.signing import b64
from pmledger.ledger.facade import Ledger

SEED = 20251104
PAGE = 4096
BOB = employee("E-002")
BOB_MEETINGS = 30
"""Enough events that the events table spans a dozen pages of the file."""
RANDOM_VARIANTS = 20
"""Seeded extra truncations and page corruptions, beyond the fixed ones."""


PASSPHRASE = "corruption tests only"


def commands(db: str, ref: str, keys: Path) -> dict[str, list[str]]:
    as_hr = ["--actor", "hr-1:hr", "--keys", str(keys)]
    return {
        "verify": ["verify", "--db", db],
        "case status": ["case", "status", ref, "--db", db, "--as-of", "2025-11-28", *as_hr],
        "projections rebuild": ["projections", "rebuild", "--db", db],
    }


def build(target: str, keys: Path) -> None:
    """Two cases (4 and 31 events), a signed checkpoint over all of them, and read models;
    HR's key in `keys`, so `case status` reads the damaged ledger as HR."""
    with seeded(target, EncryptedFileKeyStore(keys, PASSPHRASE.encode())) as ledger:
        ledger.record(BOB, opened(BOB), occurred_on=date(2025, 9, 1), actor=HR)
        for n in range(BOB_MEETINGS):
            ledger.record(BOB, _meeting(f"m-{n}"), occurred_on=date(2025, 11, 3), actor=HEAD)
        ledger.checkpoint(HR)
        ledger.update_views()


@dataclass(frozen=True)
class Pristine:
    data: bytes
    states: list[bytes]
    keys: Path


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Pristine:
    path = tmp_path_factory.mktemp("pristine") / "ledger.sqlite"
    keys = path.parent / "keys"
    build(str(path), keys)
    assert not Path(f"{path}-wal").exists(), "closing the ledger folds the WAL into the file"
    conn = sqlite3.connect(path)
    states = [bytes(row[0]) for row in conn.execute("SELECT state FROM stored_events")]
    conn.close()
    return Pristine(path.read_bytes(), states, keys)


@dataclass
class Reported:
    runs: int = 0

    def check(
        self,
        db: str,
        ref: str,
        out: Path,
        keys: Path,
        *,
        fresh: Path | None,
        blob: bytes,
        fork: bool,
    ) -> None:
        """Run the three commands (each on its own copy of `blob` when `fresh` is given)."""
        ctx = forkserver() if fork else None
        for name, args in commands(db, ref, keys).items():
            if fresh is not None:
                for leftover in (Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
                    leftover.unlink(missing_ok=True)
                fresh.write_bytes(blob)
            code, text = run_cli(args, out, fork=ctx, env={PASSPHRASE_ENV: PASSPHRASE})
            self.runs += 1
            assert "Traceback" not in text, f"{name}: {text}"
            assert code in (1, 2), f"{name} exited {code}: {text}"
            assert "error" in text or "FAILED" in text, f"{name} gave no clear message: {text}"


def _events_pages(pristine: Pristine) -> list[int]:
    """Pages of the file that hold stored events."""
    found = {pristine.data.find(state) // PAGE for state in pristine.states}
    assert -1 // PAGE not in found, "every stored event is found in the file"
    return sorted(found)


def _damaged(tmp_path: Path, pristine: Pristine) -> Iterator[tuple[str, bytes]]:
    """(what was done, the damaged file's bytes), fixed kinds first, then seeded variants."""
    data = pristine.data
    rng = random.Random(SEED)
    size = len(data)
    yield "truncated to half", data[: size // 2]
    yield "truncated by its last page", data[: size - PAGE]
    yield "truncated inside the file header", data[:100]
    for _ in range(RANDOM_VARIANTS // 2):
        cut = rng.randrange(1, size // PAGE) * PAGE
        yield f"truncated to {cut} bytes", data[:cut]
    full = _events_pages(pristine)[:-1]  # the last leaf page may be half empty
    middle = min(full, key=lambda p: abs(p - size // PAGE // 2))
    yield f"garbage over the header of page {middle}", _overwrite(data, middle * PAGE, 12, rng)
    yield (
        f"garbage over the middle of page {middle}",
        _overwrite(data, middle * PAGE + PAGE // 2, 64, rng),
    )
    for _ in range(RANDOM_VARIANTS // 2):
        state = rng.choice(pristine.states)
        at = data.find(state) + rng.randrange(len(state) - 8)
        yield f"8 garbage bytes inside a stored event at offset {at}", _overwrite(data, at, 8, rng)


def _overwrite(data: bytes, at: int, length: int, rng: random.Random) -> bytes:
    damaged = bytearray(data)
    while damaged[at : at + length] == data[at : at + length]:
        damaged[at : at + length] = rng.randbytes(length)
    return bytes(damaged)


def test_truncated_and_corrupted_sqlite_files_are_reported_never_a_traceback(
    tmp_path: Path, pristine: Pristine
) -> None:
    db = tmp_path / "damaged.sqlite"
    out = tmp_path / "out.txt"
    reported = Reported()
    kinds_seen: set[str] = set()
    corruptions = 0
    for what, blob in _damaged(tmp_path, pristine):
        kind = what.split(" ")[0]
        first_of_kind = kind not in kinds_seen
        kinds_seen.add(kind)
        try:
            # The first of each kind through a real `python -m pmledger` process.
            reported.check(
                str(db), "E-002", out, pristine.keys, fresh=db, blob=blob, fork=not first_of_kind
            )
        except AssertionError as exc:
            raise AssertionError(f"{what}: {exc}") from None
        corruptions += 1
    assert kinds_seen == {"truncated", "garbage", "8"}
    tally("corruption-file", "sqlite", corruptions=corruptions, commands_run=reported.runs)


def _ledger(target: str, keys: Path) -> str:
    build(target, keys)
    return str(ALICE.case_id)


def test_a_row_edited_by_sql_is_reported_never_a_traceback(backend: str, tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    case = _ledger(backend, keys)
    raw = RawRows(backend)
    held = raw.state(case, 3)
    out = tmp_path / "out.txt"
    reported = Reported()
    edits = {
        "a changed meeting id": held.replace(b'"m-1"', b'"m-9"'),
        "bytes that are not JSON": b'{"env": {"id": ',
        "valid JSON of the wrong shape": b"[1,2,3]",
        # verify notes the documents records name before checking the row: a reference that
        # is not an object must leave the row to the verifier, not stop verify with a TypeError
        "a document named by something not an object": (
            b'{"env":{},"payload":{"act":{"attachments":["sha256"]}},"sig":""}'
        ),
    }
    for what, state in edits.items():
        assert state != held
        raw.set_state(case, 3, state)
        try:
            first = what == "a changed meeting id"
            reported.check(backend, "E-001", out, keys, fresh=None, blob=b"", fork=not first)
        except AssertionError as exc:
            raise AssertionError(f"{what}: {exc}") from None
        with Ledger.open(backend) as ledger:
            failure = ledger.verify(jobs=1).failure
            assert ledger.verify(jobs=2).as_json() == ledger.verify(jobs=1).as_json(), what
            assert failure is not None
            assert (failure.version, failure.aggregate_id) == (3, case), "verify names the row"
    raw.set_state(case, 3, held)
    with Ledger.open(backend) as ledger:
        assert ledger.verify().ok, "the same ledger verifies once the row is put back"
    tally(
        "corruption-edit",
        backend_name(backend),
        corruptions=len(edits),
        commands_run=reported.runs,
    )


def test_a_forged_row_inserted_by_sql_is_reported_never_a_traceback(
    backend: str, tmp_path: Path
) -> None:
    """A copy of the case's last row as version 5, with a changed payload, a correct payload
    digest and chain link, and a signature by a key the attacker made."""
    keys = tmp_path / "keys"
    case = _ledger(backend, keys)
    raw = RawRows(backend)
    last = orjson.loads(raw.state(case, 4))
    env, payload = dict(last["env"]), dict(last["payload"])
    payload["act"] = {**payload["act"], "record_version": 2}
    env["prev"] = hashlib.sha256(canonical_bytes(last["env"])).hexdigest()
    env["v"] = 5
    env["payload"] = hashlib.sha256(canonical_bytes(payload)).hexdigest()
    signature = Ed25519PrivateKey.generate().sign(canonical_bytes(env))
    forged = canonical_bytes({"env": env, "payload": payload, "sig": b64(signature)})
    _insert(backend, case, 5, env["topic"], forged)
    reported = Reported()
    out = tmp_path / "out.txt"
    reported.check(backend, "E-001", out, keys, fresh=None, blob=b"", fork=False)
    with Ledger.open(backend) as ledger:
        failure = ledger.verify(jobs=1).failure
        assert ledger.verify(jobs=2).as_json() == ledger.verify(jobs=1).as_json()
        assert failure is not None
        assert failure.version == 5
        assert "signature does not verify" in failure.reason
    tally("corruption-forged", backend_name(backend), corruptions=1, commands_run=reported.runs)


def _insert(target: str, case: str, version: int, topic: str, state: bytes) -> None:
    if target.startswith("postgresql://"):
        base, schema = target.split("?schema=")
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'SET search_path TO "{schema}"')
            conn.execute(
                "INSERT INTO pmledger_events (originator_id, originator_version, topic, state) "
                "VALUES (%s, %s, %s, %s)",
                (case, version, topic, state),
            )
        return
    conn = sqlite3.connect(target)
    with conn:
        conn.execute(
            "INSERT INTO stored_events (originator_id, originator_version, topic, state) "
            "VALUES (?, ?, ?, ?)",
            (case.replace("-", ""), version, topic, state),
        )
    conn.close()
