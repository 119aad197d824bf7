"""Every example history as the ledger stores it: a ledger holding them all, recorded once
through `Ledger.record` so each event carries what recording adds (sealed text, the case's
dates), and the stored case events the walks and folds under test are held to."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from pmledger.cli.demo import example_calendars
from pmledger.events.signed_event import Act, CaseEvent
from pmledger.examples.histories import record_all
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.facade import Ledger
from pmledger.ledger.mapper import decode_event


def examples_ledger(folder: Path) -> Ledger:
    """A new ledger in `folder` holding every example history (the caller closes it)."""
    ledger = Ledger.open(
        folder / "examples.sqlite",
        keystore=MemoryKeyStore(),
        calendars=example_calendars(),
        create=True,
    )
    record_all(ledger)
    return ledger


def stored_case_events(ledger: Ledger) -> list[CaseEvent]:
    """Every case event the ledger stores, in log order."""
    return [
        event
        for row in ledger._store.rows()
        if isinstance(event := decode_event(row.topic, row.state), CaseEvent)
    ]


def case_chains(ledger: Ledger) -> dict[UUID, list[CaseEvent]]:
    """Each case's stored events, in version order, by case id."""
    chains: dict[UUID, list[CaseEvent]] = {}
    for event in stored_case_events(ledger):
        chains.setdefault(event.originator_id, []).append(event)
    return chains


def recorded_example_acts(folder: Path) -> list[Act]:
    """The act of every case event the example histories record, in log order."""
    with examples_ledger(folder) as ledger:
        return [event.act for event in stored_case_events(ledger)]
