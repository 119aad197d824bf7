"""Personal content is sealed per case and category; destroying a key shreds exactly that."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from tests.core.helpers import (
    ALICE,
    EMPLOYEE,
    HEAD,
    HR,
    SteppingClock,
    held,
    open_ledger,
    opened,
    seeded,
)

from pmledger.commands import EmployeeRef, RecordAct
from pmledger.crypto.content import Sealer
from pmledger.errors import (
    BatchRejected,
    CaseAlreadyOpen,
    ConcurrencyConflict,
    ContentDisposed,
    InvalidInput,
    TamperingDetected,
    UnknownEmployee,
)
from pmledger.events.case_acts import Objective
from pmledger.events.record_acts import ConcernRaised, RecordAcknowledged
from pmledger.events.signed_event import CaseEvent
from pmledger.events.support_acts import PlanKind, SupportPlanAgreed
from pmledger.events.values import SEALED_PREFIX
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.facade import Ledger, Receipt, data_keys_for
from pmledger.retention.schedule import RecordCategory

CASE = str(ALICE.case_id)


def _stored(ledger: Ledger) -> list[CaseEvent]:
    """The case's events as stored, sealed: read beneath the access policy on purpose, since
    what is stored is what these tests are about."""
    return list(ledger._store.events.get(ALICE.case_id))  # type: ignore[arg-type]


def _plan() -> SupportPlanAgreed:
    return SupportPlanAgreed(
        plan_id="sp-1",
        plan_kind=PlanKind.SUPPORT_PLAN,
        starts_on=date(2025, 10, 13),
        review_on=date(2025, 11, 24),
        support="Weekly coaching on behaviour routines",
        targets=(
            Objective(
                objective_id="t1",
                text="Calm transitions between lessons",
                success_criteria="Fewer than two incidents a week",
                weighting_percent=60,
                decisive=True,
            ),
        ),
    )


def _concern() -> ConcernRaised:
    return ConcernRaised(
        concern_id="c-1", areas=("behaviour",), pattern_evidence="Three incidents logged"
    )


def _record_plan(ledger: Ledger) -> Receipt:
    """A concern first, as the procedure expects, then the plan."""
    ledger.record(ALICE, _concern(), occurred_on=date(2025, 10, 6), actor=HEAD)
    return _record_plan_only(ledger)


def test_personal_text_is_stored_sealed_and_read_back_by_the_ledger(tmp_path: Path) -> None:
    db = str(tmp_path / "l.sqlite")
    with seeded(db) as ledger:
        _record_plan(ledger)
        stored = _stored(ledger)[-1]
        target = stored.act.targets[0]  # type: ignore[union-attr]
        assert target.text.startswith(SEALED_PREFIX + "support_plan:")
        assert target.weighting_percent == 60, "structure the rules judge stays in the clear"
        readable = ledger.reader(HR).records(ALICE)
        assert readable[-1].act.targets[0].text == "Calm transitions between lessons"  # type: ignore[union-attr]
        assert readable[-1].digest == stored.digest
        minutes = readable[2].act
        assert minutes.minutes == "Discussed targets."  # type: ignore[union-attr]
    database = Path(db).read_bytes()
    for secret in (b"Calm transitions", b"Weekly coaching", b"Discussed targets"):
        assert secret not in database


def _destroyed_outside_a_purge(ledger: Ledger) -> None:
    """These tests destroy a key beneath the purge, with no signed certificate: every
    signature still holds, and `verify` names the uncertified destruction."""
    report = ledger.verify()
    assert report.failure is not None
    assert "support_plan data key was destroyed on 2032-09-01" in report.failure.reason
    assert "no signed disposal certificate" in report.failure.reason


def test_destroying_a_category_key_shreds_only_that_category(backend: str) -> None:
    with seeded(backend) as ledger:
        _record_plan(ledger)
        keys = data_keys_for(ledger._store)
        assert keys.destroy(CASE, "support_plan", date(2032, 9, 1), "support-plan-6y")
        assert not keys.destroy(CASE, "support_plan", date(2032, 9, 2), "again")
        events = ledger.reader(HR).records(ALICE)
        plan = events[-1].act
        assert plan.support == "[disposed on 2032-09-01 under rule support-plan-6y]"  # type: ignore[union-attr]
        assert plan.targets[0].weighting_percent == 60  # type: ignore[union-attr]
        minutes = events[2].act
        assert minutes.minutes == "Discussed targets.", "the capability category is untouched"  # type: ignore[union-attr]
        _destroyed_outside_a_purge(ledger)
        assert ledger.reader(HR).case(ALICE).version == 6
        assert ledger.reader(HR).status(ALICE, date(2025, 11, 1)).version == 6


def test_an_acknowledgement_is_sealed_under_its_record_category(backend: str) -> None:
    with seeded(backend) as ledger:
        receipt = _record_plan(ledger)
        ledger.record(
            ALICE,
            RecordAcknowledged(
                record_version=receipt.version,
                record_digest=receipt.digest,
                comment="I agree with the plan",
            ),
            occurred_on=date(2025, 10, 14),
            actor=EMPLOYEE,
        )
        ack = _stored(ledger)[-1].act
        assert ack.comment.startswith(SEALED_PREFIX + "support_plan:")  # type: ignore[union-attr]
        assert ledger.reader(HR).case(ALICE).records[7].category == "support_plan"


def test_ciphertext_moved_to_another_case_does_not_open(backend: str) -> None:
    with seeded(backend) as ledger:
        bob = EmployeeRef(organisation="trust", employee_ref="E-002")
        ledger.record(bob, opened(bob), occurred_on=date(2025, 9, 1), actor=HR)
        ledger.record(bob, held(3), occurred_on=date(2025, 10, 9), actor=HEAD)
        alice_minutes = _stored(ledger)[2].act.minutes  # type: ignore[union-attr]
        keys = data_keys_for(ledger._store)
        sealer = Sealer(keys)
        assert sealer.open(str(bob.case_id), alice_minutes) == "[sealed personal content]"
        keys.create(str(bob.case_id), "capability")
        with pytest.raises(TamperingDetected, match="does not open"):
            sealer.open(str(bob.case_id), alice_minutes)


def test_plaintext_may_not_pose_as_ciphertext(backend: str) -> None:
    with seeded(backend) as ledger, pytest.raises(InvalidInput, match="marks ciphertext"):
        ledger.record(
            ALICE,
            held(4).model_copy(update={"minutes": SEALED_PREFIX + "x:y:z"}),
            occurred_on=date(2025, 10, 20),
            actor=HEAD,
        )


def _record_plan_only(ledger: Ledger, plan: SupportPlanAgreed | None = None) -> Receipt:
    return ledger.record(
        ALICE,
        plan or _plan(),
        occurred_on=date(2025, 10, 13),
        actor=HEAD,
        deviation_reason="agreed by both parties at the meeting",
    )


def _commands(*acts: tuple[object, date]) -> list[RecordAct]:
    return [
        RecordAct(
            employee=ALICE,
            act=act,
            occurred_on=on,
            actor=HEAD,
            deviation_reason="agreed by both parties at the meeting",
        )
        for act, on in acts
    ]


def test_a_rejected_batch_stores_no_data_key_and_the_next_write_seals_afresh(
    backend: str,
) -> None:
    with seeded(backend) as ledger:
        concern, plan = _concern(), _plan()
        with pytest.raises(BatchRejected) as rejected:
            ledger.record_batch(
                _commands(
                    (concern, date(2025, 10, 6)),
                    (plan, date(2025, 10, 13)),
                    (opened(), date(2025, 10, 14)),
                )
            )
        assert rejected.value.index == 2
        assert ledger.reader(HR).case(ALICE).version == 4
        assert data_keys_for(ledger._store).get(CASE, "support_plan") is None, (
            "the key left with its content"
        )

        ledger.record_batch(_commands((concern, date(2025, 10, 6)), (plan, date(2025, 10, 13))))
        stored = ledger.reader(HR).records(ALICE)[-1].act
        assert stored.support == "Weekly coaching on behaviour routines"  # type: ignore[union-attr]


class _RivalFirst:
    """Signs for the ledger under test, but lets a rival store a data key just before."""

    def __init__(self, keys: MemoryKeyStore, rival: Callable[[], object]) -> None:
        self.keys = keys
        self.rival: Callable[[], object] | None = rival

    def generate(self) -> tuple[str, bytes]:
        return self.keys.generate()

    def has(self, key_id: str) -> bool:
        return self.keys.has(key_id)

    def sign(self, key_id: str, message: bytes) -> bytes:
        rival, self.rival = self.rival, None
        if rival is not None:
            rival()
        return self.keys.sign(key_id, message)


def test_a_data_key_stored_first_by_another_writer_is_a_conflict_and_the_retry_uses_it(
    backend: str,
) -> None:
    keys = MemoryKeyStore()
    with seeded(backend, keys) as ledger:
        rival = _RivalFirst(keys, lambda: data_keys_for(ledger._store).create(CASE, "support_plan"))
        later = SteppingClock(datetime(2025, 10, 6, 9, 0, tzinfo=UTC))
        with open_ledger(backend, rival, later) as racing:
            with pytest.raises(ConcurrencyConflict, match="data key"):
                racing.record(ALICE, _concern(), occurred_on=date(2025, 10, 6), actor=HEAD)
            assert ledger.reader(HR).case(ALICE).version == 4, (
                "nothing of the losing write was stored"
            )
            racing.record(ALICE, _concern(), occurred_on=date(2025, 10, 6), actor=HEAD)
        stored = ledger.reader(HR).records(ALICE)[-1].act
        assert stored.pattern_evidence == "Three incidents logged"  # type: ignore[union-attr]
        assert ledger.verify().ok


def test_nothing_new_is_sealed_under_a_destroyed_key(backend: str) -> None:
    with seeded(backend) as ledger:
        _record_plan(ledger)
        sealer = Sealer(data_keys_for(ledger._store))
        assert sealer.destroy(CASE, "support_plan", date(2032, 9, 1), "support-plan-6y")
        revised = _plan().model_copy(update={"plan_id": "sp-2"})
        with pytest.raises(ContentDisposed, match="disposed; nothing new"):
            _record_plan_only(ledger, revised)
        assert ledger.reader(HR).case(ALICE).version == 6


def test_a_key_destroyed_by_another_process_is_not_used_by_a_writer_that_read_it_before(
    backend: str,
) -> None:
    """A long-running writer that sealed under a key must not keep sealing under it once a
    purge elsewhere destroyed it: that content could never be read."""
    with seeded(backend) as writer:
        _record_plan(writer)
        with open_ledger(backend) as purge:
            sealer = Sealer(data_keys_for(purge._store))
            assert sealer.destroy(CASE, "support_plan", date(2032, 9, 1), "support-plan-6y")
        revised = _plan().model_copy(update={"plan_id": "sp-2"})
        with pytest.raises(ContentDisposed, match="disposed; nothing new"):
            _record_plan_only(writer, revised)
        assert writer.reader(HR).case(ALICE).version == 6
        _destroyed_outside_a_purge(writer)


BOB = EmployeeRef(organisation="trust", employee_ref="E-002")


def _bob_with_minutes() -> list[RecordAct]:
    """A batch opening a second case and recording minutes (personal text) on it."""
    return [
        RecordAct(employee=BOB, act=opened(BOB), occurred_on=date(2025, 9, 1), actor=HR),
        RecordAct(employee=BOB, act=held(3), occurred_on=date(2025, 10, 9), actor=HEAD),
    ]


def test_a_batch_over_several_cases_seals_nothing_under_a_destroyed_key(backend: str) -> None:
    """A batch reads the data keys of all its cases at once: a key destroyed (here beneath
    the purge) is still seen as destroyed, and the batch stores nothing, new case included."""
    with seeded(backend) as ledger:
        _record_plan(ledger)
        assert Sealer(data_keys_for(ledger._store)).destroy(
            CASE, "support_plan", date(2032, 9, 1), "support-plan-6y"
        )
        revised = _plan().model_copy(update={"plan_id": "sp-2"})
        with pytest.raises(BatchRejected) as rejected:
            ledger.record_batch([*_bob_with_minutes(), *_commands((revised, date(2025, 10, 13)))])
        assert rejected.value.index == 2
        assert isinstance(rejected.value.cause, ContentDisposed)
        with pytest.raises(UnknownEmployee):
            ledger.reader(HR).case(BOB)
        assert ledger.reader(HR).case(ALICE).version == 6
        _destroyed_outside_a_purge(ledger)


def test_a_new_case_whose_key_a_rival_stored_first_is_a_conflict_in_a_batch(
    backend: str,
) -> None:
    """A batch takes a case it opens as new without loading it, and finds it has no keys;
    a rival storing a key for it before the batch commits makes the batch a conflict (the
    content is never sealed under a key that is not kept), and the retry seals under the
    rival's key."""
    keys = MemoryKeyStore()
    with seeded(backend, keys) as ledger:
        table = data_keys_for(ledger._store)
        bob = str(BOB.case_id)
        rival = _RivalFirst(keys, lambda: [table.create(bob, c.value) for c in RecordCategory])
        later = SteppingClock(datetime(2025, 10, 6, 9, 0, tzinfo=UTC))
        with open_ledger(backend, rival, later) as racing:
            with pytest.raises(BatchRejected) as rejected:
                racing.record_batch(_bob_with_minutes())
            assert isinstance(rejected.value.cause, ConcurrencyConflict)
            with pytest.raises(UnknownEmployee):
                ledger.reader(HR).case(BOB)
            racing.record_batch(_bob_with_minutes())
        assert ledger.reader(HR).records(BOB)[-1].act.minutes == "Discussed targets."  # type: ignore[union-attr]
        assert ledger.verify().ok


def test_a_batch_opening_a_case_the_log_holds_is_refused(backend: str) -> None:
    with seeded(backend) as ledger:
        with pytest.raises(BatchRejected) as rejected:
            ledger.record_batch(
                [
                    *_bob_with_minutes(),
                    RecordAct(employee=ALICE, act=opened(), occurred_on=date(2025, 9, 1), actor=HR),
                ]
            )
        assert rejected.value.index == 2
        assert isinstance(rejected.value.cause, CaseAlreadyOpen)
        assert ledger.reader(HR).case(ALICE).version == 4
