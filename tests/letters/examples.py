"""The example cases, carried on past where the demo stops so every letter has its facts.

The demo's Oakfield case stops at an adjourned second formal meeting; here it goes on to a
dismissal and an appeal heard by a governor, the Hampshire teacher gets structured managerial
support, and a support-staff concerns meeting is held, so every template of every pack can
be filled from real records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tests.core.helpers import SteppingClock

from pmledger.cli.demo import example_calendars
from pmledger.events.actors import Actor, Role
from pmledger.events.appeal_acts import (
    AppealDecided,
    AppealGround,
    AppealHeard,
    AppealHearingArranged,
    AppealLodged,
    AppealResult,
)
from pmledger.events.case_acts import Objective
from pmledger.events.meeting_acts import Attendee, MeetingHeld
from pmledger.events.record_acts import ConcernRaised, HrAdviceObtained
from pmledger.events.sanction_acts import AlternativeRolesConsidered, Dismissed
from pmledger.events.support_acts import Outcome, OutcomeDecided, PlanKind, SupportPlanAgreed
from pmledger.examples.cast import HR, OAKFIELD
from pmledger.examples.histories import record_all
from pmledger.examples.story import Story
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.facade import Ledger

GOVERNOR = Actor(person_id="gov-carter", role=Role.CHAIR_OF_GOVERNORS)


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
        ledger.register_person(
            GOVERNOR.person_id,
            (Role.CHAIR_OF_GOVERNORS, Role.GOVERNOR),
            by=HR.as_(Role.HR),
            schools=(OAKFIELD,),
            name="Margaret Carter",
            job_title="Chair of Governors, Oakfield Primary",
            salutation="Mrs Carter",
        )
        _dismissal_and_appeal(stories["T-1042"])
        _structured_support(stories["H-3307"])
    return Examples(db, keys, stories, clock)


def _dismissal_and_appeal(s: Story) -> None:
    head, lm = "ht-whitfield", "dh-osei"
    s.act(
        date(2026, 2, 10),
        lm,
        HrAdviceObtained(
            topic="dismissal",
            provider="Riverside HR Services",
            summary="Advice before a dismissal decision; alternative roles reviewed.",
        ),
    )
    s.act(
        date(2026, 2, 12),
        head,
        AlternativeRolesConsidered(
            roles_considered=("Cover supervisor", "Teaching assistant"),
            outcome="No suitable vacancy at the school or in the trust.",
        ),
    )
    s.act(
        date(2026, 2, 12),
        head,
        MeetingHeld(
            meeting_id="formal-2",
            chair_person_id=head,
            attendees=(
                Attendee(person_id=lm, role="line manager, presenting the case"),
                Attendee(person_id="hr-okafor", role="HR adviser"),
            ),
            hr_present=True,
            companion_name="Janet Cole (NEU workplace representative)",
            minutes="Reconvened. Improvement in January not sustained in the further period.",
        ),
    )
    s.act(
        date(2026, 2, 12),
        head,
        OutcomeDecided(
            subject_id="formal-2",
            outcome=Outcome.DISMISSAL,
            reasons="Behaviour management remained below the Teachers' Standards.",
        ),
    )
    dismissed = s.act(
        date(2026, 2, 12),
        head,
        Dismissed(
            effective_on=date(2026, 4, 30),
            notice_weeks=11,
            alternatives_considered=True,
            reasons="Behaviour management and adapted planning remained below Teachers' "
            "Standards 5 and 7 after the Formal PIP and a further four weeks' monitoring.",
        ),
    )
    s.act(
        date(2026, 2, 16),
        s.employee_person_id,
        AppealLodged(
            appeal_id="appeal-1",
            against_version=dismissed.version,
            addressed_to_person_id=head,
            grounds=(AppealGround.INAPPROPRIATE_SANCTION,),
            details="The January improvement was not given enough weight.",
        ),
    )
    s.ledger.record(
        s.employee,
        AppealHearingArranged(
            appeal_id="appeal-1",
            hearing_on=date(2026, 3, 9),
            chair_person_id=GOVERNOR.person_id,
            venue="Oakfield Primary, meeting room 1",
        ),
        occurred_on=date(2026, 2, 23),
        actor=GOVERNOR,
    )
    s.ledger.record(
        s.employee,
        AppealHeard(appeal_id="appeal-1", chair_person_id=GOVERNOR.person_id),
        occurred_on=date(2026, 3, 9),
        actor=GOVERNOR,
    )
    s.ledger.record(
        s.employee,
        AppealDecided(
            appeal_id="appeal-1",
            result=AppealResult.NOT_UPHELD,
            reasons="The procedure was followed and the sanction was within the range of "
            "reasonable responses.",
        ),
        occurred_on=date(2026, 3, 12),
        actor=GOVERNOR,
    )


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
