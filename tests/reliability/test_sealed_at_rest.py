"""Personal text is never at rest in the clear: not in the signed rows, the stored views, the
snapshots or any other table, before a purge or after it.

An attacker with the database (a stolen SQLite file, a PostgreSQL dump) reads the raw bytes,
not the Ledger: so these tests do too. The text recorded includes a deviation reason naming
special-category data (an illness, a union steward), the field that was once stored in the
clear. Entitled readers still read every word, through the Ledger and in the bundle.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from uuid import uuid4

import psycopg
from psycopg import sql
from tests.conftest import PG_ADMIN_DSN
from tests.core.helpers import ADMIN, HEAD, HR, enrol, open_ledger, opened
from tests.export.pdf_text import read_pdf
from tests.reliability.harness import backend_name, employee, tally

from pmledger.events.case_acts import CycleOpened, Objective, ObjectivesSet
from pmledger.events.governance_acts import CaseClosed
from pmledger.events.sanction_acts import CapabilityStarted, WarningIssued, WarningKind
from pmledger.export.exporter import export_case
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.facade import Ledger
from pmledger.ledger.retention_jobs import purge
from pmledger.retention import load_default

WHO = employee("S-001")
DEVIATION = "Off sick with stress; her UNISON steward Dave Morris asked for it zq-deviation"
CAPABILITY = "Lesson planning below the standard zq-capability"
WARNING_DEVIATION = "Warning given a day early at the steward's request zq-warning"
WARNING_REASONS = "Planning still below standard zq-reasons"
CLOSING = "Standard reached after support zq-closing"
OBJECTIVE = "Reading outcomes zq-objective"
SECRETS = (DEVIATION, CAPABILITY, WARNING_DEVIATION, WARNING_REASONS, CLOSING, OBJECTIVE)
AS_OF = date(2024, 8, 1)
PURGED_ON = date(2031, 1, 6)
"""Every category of the closed case is due for disposal by then (capability: 2030-07-19)."""


def _record(ledger: Ledger) -> None:
    enrol(ledger)
    ledger.record(WHO, opened(WHO), occurred_on=date(2023, 9, 1), actor=HR)
    cycle = CycleOpened(
        cycle_id="2023-24",
        starts_on=date(2023, 9, 1),
        ends_on=date(2024, 8, 31),
        reviewer_person_id="ht-1",
    )
    ledger.record(WHO, cycle, occurred_on=date(2023, 9, 1), actor=HEAD)
    objective = Objective(objective_id="o1", text=OBJECTIVE, success_criteria="75%")
    ledger.record(
        WHO,
        ObjectivesSet(cycle_id="2023-24", objectives=(objective,)),
        occurred_on=date(2023, 9, 20),
        actor=HEAD,
    )
    ledger.record(
        WHO,
        CapabilityStarted(reason=CAPABILITY),
        occurred_on=date(2024, 1, 8),
        actor=HEAD,
        deviation_reason=DEVIATION,
    )
    warning = WarningIssued(
        warning_id="w-1", warning_kind=WarningKind.WRITTEN, reasons=WARNING_REASONS
    )
    ledger.record(
        WHO, warning, occurred_on=date(2024, 2, 29), actor=HEAD, deviation_reason=WARNING_DEVIATION
    )
    ledger.record(WHO, CaseClosed(reason=CLOSING), occurred_on=date(2024, 7, 19), actor=HR)


def _at_rest(target: str) -> bytes:
    """Everything the database holds: the SQLite file with its journal and WAL, or every
    table of the PostgreSQL schema as `COPY … TO STDOUT` dumps it (binary, so stored bytes are
    searched as stored, not as hex)."""
    if not target.startswith("postgresql://"):
        path = Path(target)
        return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))
    database, schema = target.rsplit("?schema=", 1)
    dump = bytearray()
    with psycopg.connect(database, autocommit=True) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (schema,),
        ).fetchall()
        assert len(tables) > 3, tables
        for (table,) in tables:
            copy = sql.SQL("COPY {}.{} TO STDOUT (FORMAT binary)").format(
                sql.Identifier(schema), sql.Identifier(table)
            )
            with conn.cursor().copy(copy) as out:
                for chunk in out:
                    dump += bytes(chunk)
    return bytes(dump)


def _found(target: str) -> list[str]:
    raw = _at_rest(target)
    return [s for s in SECRETS if s.encode() in raw or s.split()[-1].encode() in raw]


def test_personal_text_is_nowhere_in_the_database_before_or_after_a_purge(
    backend: str, tmp_path: Path
) -> None:
    keys = MemoryKeyStore()
    with open_ledger(backend, keys) as ledger:
        _record(ledger)
        records = ledger.reader(HR).records(WHO)
        assert records[3].deviation_reason == DEVIATION, "the entitled reader reads it"
        assert records[5].act.reason == CLOSING  # type: ignore[union-attr]
        status = ledger.reader(HR).status(WHO, AS_OF)
        assert DEVIATION in {f.deviation_reason for f in status.compliance}
        reader = ledger.reader(HR, AS_OF)
        reader.live_warnings(AS_OF)  # brings the stored views up to the last record
        pdf = read_pdf(export_case(reader, WHO, tmp_path / "bundle", AS_OF).pdf)
        text = " ".join(" ".join(page.split()) for page in pdf.pages)
        for secret in (DEVIATION, CLOSING):
            assert " ".join(secret.split()[:5]) in text, secret
    assert _found(backend) == [], "personal text at rest in the clear"

    with open_ledger(backend, keys) as ledger:
        report = purge(ledger, load_default(), PURGED_ON, ADMIN)
        assert report.keys_destroyed >= 3, report
        ledger.reader(HR, PURGED_ON).live_warnings(PURGED_ON)
        records = ledger.reader(HR).records(WHO)
        assert records[3].deviation_reason is not None
        assert records[3].deviation_reason.startswith("[disposed on ")
        assert ledger.verify().ok
    assert _found(backend) == [], "personal text left behind by the purge"
    tally("sealed-at-rest", backend_name(backend), texts=len(SECRETS), purges=1)


def _data_keys(target: str) -> dict[tuple[str, str], bytes]:
    """Every live data key, read from the table as an attacker with the database would."""
    if not target.startswith("postgresql://"):
        with sqlite3.connect(target) as conn:
            rows = conn.execute("SELECT case_id, category, key FROM pml_data_key").fetchall()
    else:
        database, schema = target.rsplit("?schema=", 1)
        with psycopg.connect(database, autocommit=True) as conn:
            rows = conn.execute(
                sql.SQL("SELECT case_id, category, key FROM {}.pml_data_key").format(
                    sql.Identifier(schema)
                )
            ).fetchall()
    return {(case_id, category): bytes(key) for case_id, category, key in rows if key}


def _raw_pages(target: str) -> bytes:
    """What the database keeps on disk beyond its live rows: the SQLite file with its WAL;
    on PostgreSQL the data-key table's heap file (dead row versions included) as the server
    holds it after a CHECKPOINT, which a dump of live rows would never show."""
    if not target.startswith("postgresql://"):
        return _at_rest(target)
    database, schema = target.rsplit("?schema=", 1)
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("CHECKPOINT")
        table = f'"{schema}".pml_data_key'
        (path,) = conn.execute("SELECT pg_relation_filepath(%s::regclass)", (table,)).fetchone()
        (raw,) = conn.execute("SELECT pg_read_binary_file(%s)", (path,)).fetchone()
    return _at_rest(target) + bytes(raw)


@contextmanager
def _alone(backend: str) -> Iterator[str]:
    """The ledger's address; on PostgreSQL in a database of its own, since VACUUM removes a
    dead row version only once no transaction in the same database may still see it, and
    other tests (and other runs) share the test database."""
    if not backend.startswith("postgresql://"):
        yield backend
        return
    name = f"shred_{uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{PG_ADMIN_DSN.rsplit('/', 1)[0]}/{name}?schema=public"
    finally:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def test_a_destroyed_data_key_leaves_no_bytes_in_the_database(backend: str) -> None:
    """Shredding is destroying the key: after the purge, the bytes of each destroyed key are
    nowhere in the SQLite file or its WAL (secure_delete, a checkpoint), nor in the PostgreSQL
    table's heap pages, where an UPDATE leaves the old row version until VACUUM."""
    with _alone(backend) as target:
        _shredded(target)


def _shredded(backend: str) -> None:
    keys = MemoryKeyStore()
    with open_ledger(backend, keys) as ledger:
        _record(ledger)
    before = _data_keys(backend)
    assert len(before) >= 3, before
    raw = _raw_pages(backend)
    assert all(key in raw for key in before.values()), "the search can find a live key"
    with open_ledger(backend, keys) as ledger:
        report = purge(ledger, load_default(), PURGED_ON, ADMIN)
        assert report.keys_destroyed >= 3, report
        assert ledger.verify().ok
    destroyed = {name: key for name, key in before.items() if name not in _data_keys(backend)}
    assert len(destroyed) == report.keys_destroyed
    raw = _raw_pages(backend)
    left = sorted(category for (_, category), key in destroyed.items() if key in raw)
    assert left == [], "destroyed data keys still in the database's pages"
    tally("destroyed-keys-at-rest", backend_name(backend), keys=len(destroyed), purges=1)
