"""One guarded surface (issue 18 §1): nothing in the public API hands a case to anyone unlogged.

The walk starts from everything `pmledger` exports and goes through the public members of the
objects those hand out (the Ledger, its reader, its letters), found by introspection, so a
member added later is caught until someone decides which kind it is. Every public callable is
either GUARDED, and then called here, through the front door on a real SQLite file and on
PostgreSQL, by a person with no relationship to the case (a Headteacher of another school,
with a valid key) and by one with a relationship, and each call must be decided and put on the
access log under that person's name; or it is on NO_CASE_CONTENT, with the reason it returns
nothing about any case.

A claimed authority level above the registered one is refused like any other refusal: on the
access log (issue 18 §1 "Authority is registered, not claimed").
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from tests.core.helpers import ADMIN, ALICE, HEAD, HR, held, open_ledger, seeded
from tests.reliability.harness import backend_name, tally

import pmledger
from pmledger.commands import RecordAct
from pmledger.errors import AccessDenied, AuthorityNotRegistered, BatchRejected, PmLedgerError
from pmledger.events.actors import Actor, Role
from pmledger.events.record_acts import StatementKind, StatementRecorded
from pmledger.events.signed_event import AccessEvent
from pmledger.export.exporter import export_case
from pmledger.ledger.facade import Ledger
from pmledger.ledger.reader import CaseReader
from pmledger.letters.service import Letters
from pmledger.policies.access import Operation

DAY = date(2025, 10, 20)
DPO = Actor(person_id="dpo-1", role=Role.DPO)
OUTSIDER = Actor(person_id="lm-elm", role=Role.LINE_MANAGER)
"""A line manager at another school, with a valid key: related to no case of oakfield."""

NO_CASE_CONTENT: dict[str, str] = {
    # module level ---------------------------------------------------------------------------
    "CASE_ACTS": "the act classes: a schema, no data",
    "Act": "the union of the act classes: a schema, no data",
    "Calendars": "schools' term dates and bank holidays: no case",
    "KeyStore": "the protocol a key store implements: private keys, never case content",
    "EncryptedFileKeyStore": "private keys in files, never case content",
    "MemoryKeyStore": "private keys in memory, never case content",
    "to_json": "the JSON form of a view the caller already holds",
    # the Ledger -----------------------------------------------------------------------------
    "Ledger.open": "opens a ledger: the Ledger, whose members this walk visits",
    "Ledger.close": "closes the connections",
    "Ledger.address": "where the database is, as shown to people (no password)",
    "Ledger.now": "the ledger's clock",
    "Ledger.calendars": "schools' term dates and bank holidays: no case",
    "Ledger.reader": "a CaseReader, whose members this walk visits; reads nothing itself",
    "Ledger.letters": "a Letters, whose members this walk visits; reads nothing itself",
    "Ledger.keyring": "who may sign: people's public keys, roles, schools, authority levels",
    "Ledger.signing_key": "one person's key record (a claim above its level is refused, logged)",
    "Ledger.bootstrap": "writes the first key; returns its id",
    "Ledger.register_person": "a keyring write by HR or an administrator; returns a key id",
    "Ledger.register_public_key": "a keyring write by HR or an administrator; returns a key id",
    "Ledger.rotate_key": "a keyring write by HR or an administrator; returns a key id",
    "Ledger.revoke_key": "a keyring write by HR or an administrator; returns nothing",
    "Ledger.update_person": "a directory write (HR, administrators; a refusal is logged)",
    "Ledger.person_left": "a directory write (HR, administrators; a refusal is logged)",
    "Ledger.dispose_person": "shreds a directory entry (DPO, administrators; a refusal is "
    "logged); returns whether it did",
    "Ledger.update_views": "brings the stored views up to the log; returns a count of events",
    "Ledger.rebuild_views": "rebuilds the stored views; returns a count of events",
    "Ledger.check_views": "the first stored-view row that differs from the fold, named by case "
    "id, table, key and column: never a value",
    "Ledger.views_position": "a log position",
    "Ledger.log_end": "a log position",
    "Ledger.import_marks": "per import file begun: a digest of the lines stored and a line "
    "count, never their content",
    "Ledger.checkpoint": "a signed tree head: a size and two hashes",
    "Ledger.verify": "counts, and the position, aggregate id and version of the first bad "
    "event: never an act's content",
    # a reader -------------------------------------------------------------------------------
    "CaseReader.actor": "the person the caller named",
    "CaseReader.today": "the day the caller named",
    "CaseReader.ledger": "the Ledger, whose members this walk visits",
    # letters --------------------------------------------------------------------------------
    "Letters.actor": "the person the caller named",
}


@dataclass
class World:
    ledger: Ledger
    out: Path


Call = Callable[[World, Actor], object]


def _statement(world: World, actor: Actor) -> object:
    act = StatementRecorded(statement_kind=StatementKind.MINUTES, text="A note.")
    return world.ledger.record(ALICE, act, occurred_on=DAY, actor=actor)


def _command(actor: Actor) -> RecordAct:
    return RecordAct(employee=ALICE, act=held(9), occurred_on=DAY, actor=actor)


def _letter(world: World, actor: Actor) -> object:
    letter = world.ledger.letters(HR).render(
        ALICE, "star-1", DAY, meeting_date=date(2025, 10, 27), meeting_time="09:30",
        venue="Room 4", background="Lesson observations",
    )  # fmt: skip
    return world.ledger.letters(actor).record(letter)


def _verdict(world: World, actor: Actor) -> object:
    """What `check` answers; its refusal raised, as `record` would raise it."""
    verdict = world.ledger.check(_command(actor))
    if verdict.refusal is not None:
        raise verdict.refusal
    return verdict


def _case_as_stored(world: World) -> Any:
    return world.ledger.reader(HR, DAY).case(ALICE)


def _listed(result: object) -> object:
    """Iterators (statuses, disposable) are read to the end: that is when they decide."""
    return list(result) if isinstance(result, Iterator) else result


READ, WRITE = "read", "write"
"""READ: decided and logged whether allowed or refused. WRITE: a refusal is logged; an allowed
write is itself a signed event naming its actor. (Within a retention run, `disposed_keys`,
`destroy_keys` and `reload` trust the run's own logged decision on the cases it yielded; called
on their own, as here, they decide and log.)"""

GUARDED: dict[str, tuple[str, Call]] = {
    "export_case": (READ, lambda w, a: export_case(w.ledger.reader(a, DAY), ALICE, w.out, DAY)),
    "Ledger.record": (WRITE, _statement),
    "Ledger.execute": (WRITE, lambda w, a: w.ledger.execute(_command(a))),
    "Ledger.record_batch": (WRITE, lambda w, a: w.ledger.record_batch([_command(a)])),
    "Ledger.check": (READ, _verdict),
    "CaseReader.case": (READ, lambda w, a: w.ledger.reader(a, DAY).case(ALICE)),
    "CaseReader.records": (READ, lambda w, a: w.ledger.reader(a, DAY).records(ALICE)),
    "CaseReader.status": (READ, lambda w, a: w.ledger.reader(a, DAY).status(ALICE, DAY)),
    "CaseReader.verified_status": (
        READ,
        lambda w, a: w.ledger.reader(a, DAY).verified_status(ALICE, DAY),
    ),
    "CaseReader.statuses": (READ, lambda w, a: w.ledger.reader(a, DAY).statuses(DAY)),
    "CaseReader.cases": (READ, lambda w, a: w.ledger.reader(a, DAY).cases()),
    "CaseReader.find_employee": (
        READ,
        lambda w, a: w.ledger.reader(a, DAY).find_employee("E-001", None, Operation.READ_STATUS),
    ),
    "CaseReader.document": (READ, lambda w, a: w.ledger.reader(a, DAY).document(ALICE, "0" * 64)),
    "CaseReader.statements": (READ, lambda w, a: w.ledger.reader(a, DAY).statements(ALICE)),
    "CaseReader.disclosure": (READ, lambda w, a: w.ledger.reader(a, DAY).disclosure(ALICE)),
    "CaseReader.people": (READ, lambda w, a: w.ledger.reader(a, DAY).people(ALICE)),
    "CaseReader.person": (READ, lambda w, a: w.ledger.reader(a, DAY).person("emp-1")),
    "CaseReader.subject_access": (
        READ,
        lambda w, a: w.ledger.reader(a, DAY).subject_access("emp-1"),
    ),
    "CaseReader.access_log": (READ, lambda w, a: w.ledger.reader(a, DAY).access_log(DAY, DAY)),
    "CaseReader.anonymised_counts": (
        READ,
        lambda w, a: w.ledger.reader(a, DAY).anonymised_counts(),
    ),
    "CaseReader.require_every_case": (
        READ,
        lambda w, a: w.ledger.reader(a, DAY).require_every_case("a report"),
    ),
    "CaseReader.cases_by_stage": (READ, lambda w, a: w.ledger.reader(a, DAY).cases_by_stage()),
    "CaseReader.findings_by_procedure": (
        READ,
        lambda w, a: w.ledger.reader(a, DAY).findings_by_procedure(),
    ),
    "CaseReader.live_warnings": (READ, lambda w, a: w.ledger.reader(a, DAY).live_warnings(DAY)),
    "CaseReader.deadlines_due_by": (
        READ,
        lambda w, a: w.ledger.reader(a, DAY).deadlines_due_by(DAY, DAY),
    ),
    "CaseReader.awaiting_acknowledgement": (
        READ,
        lambda w, a: w.ledger.reader(a, DAY).awaiting_acknowledgement(),
    ),
    "CaseReader.directory_entries": (
        READ,
        lambda w, a: w.ledger.reader(a, DAY).directory_entries(),
    ),
    "CaseReader.disposable": (READ, lambda w, a: w.ledger.reader(a, DAY).disposable("plan")),
    "CaseReader.reload": (READ, lambda w, a: w.ledger.reader(a, DAY).reload(_case_as_stored(w))),
    "CaseReader.disposed_keys": (
        READ,
        lambda w, a: w.ledger.reader(a, DAY).disposed_keys([_case_as_stored(w).id]),
    ),
    "CaseReader.destroy_keys": (
        READ,
        lambda w, a: w.ledger.reader(a, DAY).destroy_keys([(ALICE.case_id, "none", DAY, "x")]),
    ),
    "Letters.templates": (READ, lambda w, a: w.ledger.letters(a).templates(ALICE, DAY)),
    "Letters.render": (READ, lambda w, a: w.ledger.letters(a).render(ALICE, "star-1", DAY)),
    "Letters.record": (WRITE, _letter),
}

ENTITLED: dict[str, Actor] = {
    "CaseReader.subject_access": DPO,
    "CaseReader.access_log": DPO,
    "CaseReader.directory_entries": ADMIN,
    "CaseReader.disposable": ADMIN,
    "CaseReader.reload": ADMIN,
    "CaseReader.disposed_keys": ADMIN,
    "CaseReader.destroy_keys": ADMIN,
}
"""Who may make the call, where HR may not; HR otherwise (related to every case)."""


def _is_value(kind: object) -> bool:
    """Values hold only what they were built from (acts, views, errors, enums): a value
    returned by a guarded call was read under that call's logged decision."""
    return inspect.isclass(kind) and (
        issubclass(kind, (BaseModel, enum.Enum, BaseException)) or dataclasses.is_dataclass(kind)
    )


def _classes_in(annotation: object) -> Iterator[type]:
    if inspect.isclass(annotation):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _classes_in(arg)


def _returned(member: object, known: dict[str, type]) -> list[type]:
    """The pmledger classes a member's return annotation names (a property's getter's), the
    names only imported for type checking resolved among the `known` classes."""
    function = member.fget if isinstance(member, property) else member
    function = getattr(function, "__func__", function)  # a classmethod's function
    if not callable(function):
        return []
    hints = typing.get_type_hints(function, localns=known)
    return [
        kind
        for kind in _classes_in(hints.get("return"))
        if kind.__module__.startswith("pmledger") and not _is_value(kind)
    ]


def _walk(instances: dict[type, object]) -> tuple[list[str], set[str]]:
    """Every public callable reachable from `pmledger.__all__`: the ones neither guarded nor
    listed, and every name seen."""
    unclassified: list[str] = []
    seen: set[str] = set()
    queue: list[type] = []
    for name in pmledger.__all__:
        exported = getattr(pmledger, name)
        if _is_value(exported):
            continue
        seen.add(name)
        if inspect.isclass(exported) and exported in instances:
            queue.append(exported)
        elif name not in GUARDED and name not in NO_CASE_CONTENT:
            unclassified.append(name)
    walked: set[type] = set()
    known = {kind.__name__: kind for kind in instances}
    while queue:
        kind = queue.pop(0)
        if kind in walked:
            continue
        walked.add(kind)
        instance = instances[kind]
        for attribute in sorted(dir(instance)):
            if attribute.startswith("_"):
                continue
            name = f"{kind.__name__}.{attribute}"
            seen.add(name)
            if name not in GUARDED and name not in NO_CASE_CONTENT:
                unclassified.append(name)
            if name not in NO_CASE_CONTENT:
                continue
            # what a member that reads no case hands out is walked too, or must be listed
            member = inspect.getattr_static(kind, attribute, None)
            value = getattr(instance, attribute)
            handed = {*_returned(member, known), type(value)}
            for out in handed:
                if out in instances:
                    queue.append(out)
                elif (
                    out.__module__.startswith("pmledger")
                    and not _is_value(out)
                    and out.__name__ not in NO_CASE_CONTENT
                ):
                    unclassified.append(f"{name} hands out {out.__name__}")
    return unclassified, seen


def _answer_or_refusal(call: Call, world: World, actor: Actor) -> object:
    """What the call answered `actor`, or None when it refused them (a batch's refusal is
    its first act's)."""
    try:
        return _listed(call(world, actor))
    except BatchRejected as exc:
        if isinstance(exc.cause, AccessDenied):
            return None
        raise
    except AccessDenied:
        return None


def _entries(ledger: Ledger, person_id: str) -> list[AccessEvent]:
    """The access-log entries signed in `person_id`'s name, read as the DPO."""
    log = ledger.reader(DPO, DAY).access_log(date.min, date.max)
    return [e for e in log if e.actor.person_id == person_id]


def _enrolled(ledger: Ledger) -> None:
    ledger.register_person("dpo-1", (Role.DPO,), by=HR)
    ledger.register_person("lm-elm", (Role.LINE_MANAGER,), by=HR, schools=("elm",))
    ledger.update_person("emp-1", by=HR, name="Alice Archer", job_title="Teacher")


def test_every_public_callable_is_guarded_or_returns_no_case_content(tmp_path: Path) -> None:
    """Issue 18 §1: the walk finds no public member left undecided, and every name on the
    lists still exists (a list that names what is gone would hide what replaced it)."""
    with seeded(str(tmp_path / "ledger.sqlite")) as ledger:
        instances: dict[type, object] = {
            Ledger: ledger,
            CaseReader: ledger.reader(HR, DAY),
            Letters: ledger.letters(HR),
        }
        unclassified, seen = _walk(instances)
    assert unclassified == [], (
        "public, yet neither guarded (decided and logged with an actor) nor listed as "
        f"returning no case content: {unclassified}"
    )
    stale = sorted((set(GUARDED) | set(NO_CASE_CONTENT)) - seen)
    assert stale == [], f"listed but no longer public: {stale}"


def test_every_guarded_call_is_decided_and_logged_with_its_actor(
    backend: str, tmp_path: Path
) -> None:
    """Each guarded call, by someone unrelated to the case (refused, and the refusal on the
    log under their name) and by someone entitled (a read on the log under their name)."""
    with seeded(backend) as ledger:
        _enrolled(ledger)
        world = World(ledger, tmp_path / "bundle")
        unlogged: list[str] = []
        answered: list[str] = []
        for name, (kind, call) in GUARDED.items():
            before = len(_entries(ledger, OUTSIDER.person_id))
            result = _answer_or_refusal(call, world, OUTSIDER)
            if result:
                answered.append(name)
            after = _entries(ledger, OUTSIDER.person_id)[before:]
            if not after:
                unlogged.append(f"{name} (unrelated)")
            entitled = ENTITLED.get(name, HR)
            before = len(_entries(ledger, entitled.person_id))
            try:
                _listed(call(world, entitled))
            except AccessDenied as exc:
                pytest.fail(f"{name} refused {entitled.person_id}: {exc}")
            except PmLedgerError:
                pass  # decided, then the call itself failed (an unknown document, say)
            if kind == READ and len(_entries(ledger, entitled.person_id)) == before:
                unlogged.append(f"{name} (entitled)")
        assert (answered, unlogged) == ([], []), (
            f"answered someone unrelated to the case: {answered}; not on the access log: {unlogged}"
        )
    tally("guarded-surface", backend_name(backend), calls=2 * len(GUARDED))


def test_a_claim_above_the_registered_authority_is_refused_on_the_access_log(
    backend: str,
) -> None:
    """Issue 18 §1 "Authority is registered": a Headteacher registered at level 1 claiming
    level 2, to record and to read, is refused with AuthorityNotRegistered, and each attempt
    is on the access log as a refusal, signed with their own key, naming the claim."""
    with seeded(backend) as ledger:
        _enrolled(ledger)
        claim = HEAD.model_copy(update={"authority_level": 2})
        version = ledger.reader(HR, DAY).case(ALICE).version
        before = len(_entries(ledger, "ht-1"))
        with pytest.raises(AuthorityNotRegistered, match="authority level 2"):
            _statement(World(ledger, Path()), claim)
        with pytest.raises(AuthorityNotRegistered, match="authority level 2"):
            ledger.reader(claim, DAY).status(ALICE, DAY)
        refusals = _entries(ledger, "ht-1")[before:]
        assert [(e.entry.operation, e.entry.allowed) for e in refusals] == [
            (Operation.RECORD.value, False),
            (Operation.READ_STATUS.value, False),
        ]
        assert all("claims authority level 2" in e.entry.reason for e in refusals)
        assert {e.entry.case_id for e in refusals} == {ALICE.case_id}
        assert ledger.reader(HR, DAY).case(ALICE).version == version, "nothing recorded"
        assert ledger.verify().ok
    tally("authority-claim-logged", backend_name(backend), attempts=2)


def test_a_fresh_ledger_has_nothing_to_hand_out(backend: str) -> None:
    """The guard holds on an empty ledger too: an unrelated person learns nothing."""
    with open_ledger(backend) as ledger:
        ledger.bootstrap("hr-1", (Role.HR, Role.ADMINISTRATOR))
        ledger.register_person("lm-elm", (Role.LINE_MANAGER,), by=HR, schools=("elm",))
        with pytest.raises(AccessDenied):
            ledger.reader(OUTSIDER, DAY).find_employee("E-001", None, Operation.READ_STATUS)
