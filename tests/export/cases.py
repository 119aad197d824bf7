"""Ledgers with one case per procedure pack, and exported bundles of them.

The example histories are used for every pack whose history records under the pack as it
stands (packs are developed alongside); a pack without a working history falls back to the
small core-test case (STAR's own, or as far as another pack accepts it).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tests.core.helpers import (
    ALICE,
    EMPLOYEE,
    HEAD,
    HR,
    SteppingClock,
    enrol,
    held,
    invite,
    open_ledger,
    opened,
    seeded,
)

from pmledger.commands import EmployeeRef
from pmledger.errors import PmLedgerError
from pmledger.events.actors import Actor, Role
from pmledger.events.record_acts import RecordAcknowledged
from pmledger.examples.cast import enrol_everyone
from pmledger.examples.histories import STORIES
from pmledger.export.exporter import ExportResult, export_case
from pmledger.integrity.keystore import KeyStore, MemoryKeyStore
from pmledger.ledger.facade import Ledger

AS_OF = date(2026, 1, 31)
FALLBACK_PACK = "star-developing-performance"
OPENED, INVITED, HELD, ACKNOWLEDGED = (
    date(2025, 9, 1),
    date(2025, 10, 1),
    date(2025, 10, 9),
    date(2025, 10, 10),
)
WHY = "recorded for the export tests"


@dataclass(frozen=True)
class CaseLedger:
    db: Path
    employee: EmployeeRef
    source: str
    keys: KeyStore
    employee_person: str = EMPLOYEE.person_id
    """Who the employee is: the one person every procedure lets see and export all of it."""
    """The cast's private keys: an export reads as a person, whose key signs the access log."""


def record_examples(folder: Path) -> dict[str, CaseLedger]:
    """Each example history that records, in its own ledger, by the pack it follows."""
    found: dict[str, CaseLedger] = {}
    for story in STORIES:
        db = folder / f"{story.__name__}.sqlite"
        keys = MemoryKeyStore()
        ledger = Ledger.open(db, keystore=keys, clock=SteppingClock(), create=True)
        try:
            enrol_everyone(ledger)
            recorded = story(ledger)
            employee = Actor(person_id=recorded.employee_person_id, role=Role.EMPLOYEE)
            pack = ledger.reader(employee).case(recorded.employee).opened.pack_id
            found[pack] = CaseLedger(
                db,
                recorded.employee,
                f"example history {story.__name__}",
                keys,
                recorded.employee_person_id,
            )
        except PmLedgerError:
            continue
        finally:
            ledger.close()
    return found


def seeded_case(folder: Path, keys: KeyStore | None = None) -> CaseLedger:
    """`keys`: where the cast's private keys go (in memory unless told)."""
    db = folder / "seeded.sqlite"
    keys = keys or MemoryKeyStore()
    seeded(str(db), keys).close()
    return CaseLedger(db, ALICE, "tests.core.helpers.seeded", keys)


def minimal_case(folder: Path, pack: str) -> CaseLedger:
    """The core-test case under another pack, as far as that pack accepts it.

    Acts the pack allows only with a stated reason get one; the first act it refuses
    outright ends the case there (a case of one event still makes a complete bundle).
    """
    db = folder / f"minimal-{pack}.sqlite"
    keys = MemoryKeyStore()
    with open_ledger(str(db), keys) as ledger:
        enrol(ledger)
        ledger.record(
            ALICE, opened().model_copy(update={"pack_id": pack}), occurred_on=OPENED, actor=HR
        )
        with contextlib.suppress(PmLedgerError):
            ledger.record(ALICE, invite(), occurred_on=INVITED, actor=HEAD, deviation_reason=WHY)
            minutes = ledger.record(
                ALICE, held(), occurred_on=HELD, actor=HEAD, deviation_reason=WHY
            )
            acknowledged = RecordAcknowledged(
                record_version=minutes.version, record_digest=minutes.digest
            )
            ledger.record(ALICE, acknowledged, occurred_on=ACKNOWLEDGED, actor=EMPLOYEE)
    return CaseLedger(db, ALICE, f"minimal case under {pack}", keys)


def employee_of(case: CaseLedger) -> Actor:
    return Actor(person_id=case.employee_person, role=Role.EMPLOYEE)


def export(
    case: CaseLedger, out: Path, as_of: date = AS_OF, actor: Actor | None = None
) -> ExportResult:
    """Export as `actor` (the employee unless told), reading on the as-of date."""
    with Ledger.open(case.db, keystore=case.keys) as ledger:
        reader = ledger.reader(actor or employee_of(case), as_of)
        return export_case(reader, case.employee, out, as_of)
