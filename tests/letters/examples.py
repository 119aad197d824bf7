"""The example cases, carried on past where the demo stops so every letter has its facts.

The demo's Oakfield case goes to a dismissal and an appeal decided by the Chair of Governors
(its history, with its letters); here the Hampshire teacher gets structured managerial
support, and a support-staff concerns meeting is held, so every template of every pack can
be filled from real records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tests.core.helpers import SteppingClock

from pmledger.cli.demo import example_calendars
from pmledger.events.actors import Role
from pmledger.events.case_acts import Objective
from pmledger.events.record_acts import ConcernRaised
from pmledger.events.support_acts import PlanKind, SupportPlanAgreed
from pmledger.examples.cast import BY_ID
from pmledger.examples.histories import record_all
from pmledger.examples.story import Story
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.facade import Ledger

GOVERNOR = BY_ID["gov-carter"].as_(Role.CHAIR_OF_GOVERNORS)
"""The Chair of Governors of Oakfield, who heard T-1042's appeal."""


@dataclass(frozen=True)
class Examples:
    db: Path
    keys: MemoryKeyStore
    stories: dict[str, Story]
    clock: SteppingClock
    """Shared by every ledger opened on the file, so recorded times keep moving forward."""

    def open(self) -> Ledger:
        return Ledger.open(
            self.db, keystore=self.keys, clock=self.clock, calendars=example_calendars()
        )


def record_examples(folder: Path) -> Examples:
    keys, clock = MemoryKeyStore(), SteppingClock()
    db = folder / "examples.sqlite"
    with Ledger.open(
        db, keystore=keys, clock=clock, calendars=example_calendars(), create=True
    ) as ledger:
        stories = {s.employee_ref: s for s in record_all(ledger)}
        _structured_support(stories["H-3307"])
    return Examples(db, keys, stories, clock)


def _structured_support(s: Story) -> None:
    head = "ht-malik"
    s.act(
        date(2026, 2, 2),
        head,
        ConcernRaised(
            concern_id="c-sms",
            areas=("Marking and feedback in Year 9 science",),
            details="Books show feedback missing for three weeks.",
        ),
    )
    s.act(
        date(2026, 2, 4),
        head,
        SupportPlanAgreed(
            plan_id="sms-1",
            plan_kind=PlanKind.STRUCTURED_MANAGERIAL_SUPPORT,
            concern_id="c-sms",
            starts_on=date(2026, 2, 9),
            review_on=date(2026, 3, 20),
            targets=(
                Objective(
                    objective_id="t1",
                    text="Feedback in Year 9 books every two weeks",
                    success_criteria="Book looks show the school's feedback policy followed",
                ),
            ),
            support="Coaching from the Head of Science; a marking-load review",
            monitoring_frequency="Fortnightly book look and a review meeting every three weeks",
            consequences_explained_in_writing=True,
        ),
    )
