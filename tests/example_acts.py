"""Every example act as the ledger stores it: the acts two walks (the personal-text rewrite
and the date window) hold their fast paths to, recorded once through `Ledger.record` so each
carries what recording adds (sealed text, the case's dates)."""

from __future__ import annotations

from pathlib import Path

from pmledger.cli.demo import example_calendars
from pmledger.events.signed_event import Act, CaseEvent
from pmledger.examples.histories import record_all
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.facade import Ledger
from pmledger.ledger.mapper import decode_event


def recorded_example_acts(folder: Path) -> list[Act]:
    """The act of every case event the example histories record, in log order."""
    with Ledger.open(
        folder / "examples.sqlite",
        keystore=MemoryKeyStore(),
        calendars=example_calendars(),
        create=True,
    ) as ledger:
        record_all(ledger)
        return [
            event.act
            for row in ledger._store.rows()
            if isinstance(event := decode_event(row.topic, row.state), CaseEvent)
        ]
