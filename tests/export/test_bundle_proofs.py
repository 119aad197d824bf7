"""A bundle's checkpoint: a signed tree head, an inclusion proof per event and consistency
proofs with the ledger's other heads, all checked by verify-bundle with nothing but the zip.

Each tamper below is made the way a forger would make it: the manifest is rewritten to match
(digests and seal), so only the proofs and signatures stand in the way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.core.helpers import ALICE, HEAD, HR, held, seeded
from tests.export.zip_members import member_contents, resealed, write_members
from typer.testing import CliRunner

from pmledger.aggregates.keyring import KeyRecord
from pmledger.cli.main import app
from pmledger.errors import PmLedgerError
from pmledger.export.bundle_zip import member_name
from pmledger.export.exporter import export_case
from pmledger.export.manifest import ROWS
from pmledger.export.proofs import (
    HEAD as HEAD_MEMBER,
)
from pmledger.export.proofs import (
    PROOFS,
    BundleProofs,
    ProofProblem,
    StreamEnd,
    bundle_checkpoint,
    check_checkpoint,
)
from pmledger.export.verify_bundle import verify_bundle
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.integrity.tree_head import SignedTreeHead
from pmledger.ledger.facade import Ledger

AS_OF = date(2026, 1, 31)
MEETING = date(2025, 10, 20)
Members = dict[str, bytes]


@dataclass(frozen=True)
class Proved:
    zip: Path
    earlier: SignedTreeHead
    """A checkpoint signed before the last event, as if published then."""
    head: SignedTreeHead
    """The head the export signed because `earlier` did not cover the case."""


def _export(ledger: Ledger, out: Path) -> Path:
    return export_case(ledger.reader(HR, AS_OF), ALICE, out, AS_OF).zip


def _prove(backend: str, folder: Path) -> Proved:
    with seeded(backend, MemoryKeyStore()) as ledger:
        earlier = ledger.checkpoint(HR)
        ledger.record(ALICE, held(5), occurred_on=MEETING, actor=HEAD)
        bundle = _export(ledger, folder)
        head = ledger._merkle_tables().heads()[-1]
    return Proved(bundle, earlier, head)


@pytest.fixture
def proved(backend: str, tmp_path: Path) -> Proved:
    return _prove(backend, tmp_path / "bundle")


@pytest.fixture(scope="module")
def sqlite_bundle(tmp_path_factory: pytest.TempPathFactory) -> Proved:
    folder = tmp_path_factory.mktemp("proofs")
    return _prove(str(folder / "ledger.sqlite"), folder / "bundle")


@pytest.fixture
def bundle(sqlite_bundle: Proved, tmp_path: Path) -> Path:
    """A private copy of the SQLite bundle to damage."""
    copy = tmp_path / "bundle.zip"
    copy.write_bytes(sqlite_bundle.zip.read_bytes())
    return copy


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["verify-bundle", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, " ".join(result.output.split())


def _publish(head: SignedTreeHead, path: Path) -> Path:
    """Write the head exactly as `pmledger checkpoint --out` does."""
    path.write_text(head.model_dump_json(indent=2) + "\n")
    return path


def _forge(path: Path, change: Callable[[Members], Members]) -> None:
    write_members(path, resealed(change(member_contents(path))))


def _edit_json(name: str, change: Callable[[dict[str, Any]], None]) -> Callable[[Members], Members]:
    def edit(members: Members) -> Members:
        content = json.loads(members[name])
        change(content)
        return {**members, name: json.dumps(content).encode()}

    return edit


# the bundle's checkpoint, on each backend ---------------------------------------------------


def test_the_bundle_proves_every_event_against_a_head_signed_at_export(
    proved: Proved, backend: str, tmp_path: Path
) -> None:
    report = verify_bundle(proved.zip, published=[proved.earlier])
    assert report.ok, report.problem
    assert report.tree_head == proved.head
    assert proved.head.size > proved.earlier.size
    assert f"all {report.keyring_events + report.case_events} events are included" in " ".join(
        report.checks
    )
    members = member_contents(proved.zip)
    assert SignedTreeHead.model_validate_json(members[HEAD_MEMBER]) == proved.head
    proofs = BundleProofs.model_validate_json(members[PROOFS])
    assert [p.head for p in proofs.heads] == [proved.earlier]
    with Ledger.open(backend) as ledger:
        assert ledger._merkle_tables().heads() == [proved.earlier, proved.head]
        verified = ledger.verify([proved.earlier])
    assert verified.ok, verified.failure
    code, out = _run(str(proved.zip), "--head", str(_publish(proved.earlier, tmp_path / "h.json")))
    assert code == 0, out
    assert f"published checkpoint of {proved.earlier.at.isoformat()}" in out


def test_the_latest_checkpoint_is_reused_when_it_covers_the_case(
    backend: str, tmp_path: Path
) -> None:
    with seeded(backend, MemoryKeyStore()) as ledger:
        latest = ledger.checkpoint(HR)
        bundle = _export(ledger, tmp_path)
        assert ledger._merkle_tables().heads() == [latest]
    assert SignedTreeHead.model_validate_json(member_contents(bundle)[HEAD_MEMBER]) == latest
    assert verify_bundle(bundle).ok


def test_without_a_covering_checkpoint_or_a_signer_nothing_is_proved(backend: str) -> None:
    with seeded(backend, MemoryKeyStore()) as ledger:
        rows = [row for row in ledger._store.rows()]
        with pytest.raises(PmLedgerError, match="no checkpoint covers"):
            bundle_checkpoint(ledger, rows, member_name, None)


# tampering ----------------------------------------------------------------------------------


def _failure(bundle: Path, *published: SignedTreeHead) -> str:
    report = verify_bundle(bundle, published=published)
    assert report.problem is not None
    return report.problem.describe()


def test_a_changed_proof_hash_names_the_event(bundle: Path) -> None:
    def change(proofs: dict[str, Any]) -> None:
        node = proofs["events"][5]["inclusion"][0]
        proofs["events"][5]["inclusion"][0] = ("0" if node[0] != "0" else "1") + node[1:]

    _forge(bundle, _edit_json(PROOFS, change))
    problem = _failure(bundle)
    assert problem.startswith("member case/000003.json: not in the signed tree at leaf")


def test_a_changed_head_root_or_signature_is_named(bundle: Path) -> None:
    original = bundle.read_bytes()
    for field, value in (("root", "ab" * 32), ("signature", "AAAA" + "B" * 84)):
        bundle.write_bytes(original)
        _forge(bundle, _edit_json(HEAD_MEMBER, lambda head, f=field, v=value: head.update({f: v})))
        problem = _failure(bundle)
        assert problem.startswith(f"{HEAD_MEMBER} (checkpoint of "), problem
        assert "its signature does not verify" in problem


def test_a_changed_leaf_index_is_named(bundle: Path) -> None:
    _forge(bundle, _edit_json(PROOFS, lambda p: p["events"][-1].update({"leaf_index": 12})))
    assert _failure(bundle).startswith("member case/000005.json: not in the signed tree at leaf 12")


def test_reordered_proofs_are_named(bundle: Path) -> None:
    def swap(proofs: dict[str, Any]) -> None:
        events = proofs["events"]
        events[4], events[5] = events[5], events[4]

    _forge(bundle, _edit_json(PROOFS, swap))
    problem = _failure(bundle)
    assert problem.startswith(
        "member case/000002.json: proof 5 in checkpoint/proofs.json is for case/000003.json"
    )
    assert "reordered" in problem


def test_events_moved_to_each_others_leaves_are_named(bundle: Path) -> None:
    """Claiming two events sat the other way round in the log: both index and path swapped."""

    def swap(proofs: dict[str, Any]) -> None:
        a, b = proofs["events"][4], proofs["events"][5]
        for key in ("leaf_index", "inclusion"):
            a[key], b[key] = b[key], a[key]

    _forge(bundle, _edit_json(PROOFS, swap))
    assert _failure(bundle).startswith("member case/000002.json: not in the signed tree at leaf 5")


def test_a_dropped_event_with_its_proof_and_row_is_caught(bundle: Path) -> None:
    def drop(members: Members) -> Members:
        kept = {name: data for name, data in members.items() if name != "case/000003.json"}
        rows = [line for line in members[ROWS].splitlines() if b"case/000003.json" not in line]
        kept[ROWS] = b"".join(line + b"\n" for line in rows)
        return _edit_json(
            PROOFS,
            lambda p: p.update(
                {"events": [e for e in p["events"] if e["member"] != "case/000003.json"]}
            ),
        )(kept)

    _forge(bundle, drop)
    assert _failure(bundle).startswith("member case/000004.json")


def test_a_proof_without_its_event_is_named(bundle: Path) -> None:
    def drop(proofs: dict[str, Any]) -> None:
        del proofs["events"][3]

    _forge(bundle, _edit_json(PROOFS, drop))
    assert _failure(bundle).startswith("member case/000001.json: proof 4 in")


def test_a_bundle_stripped_of_its_checkpoint_fails(bundle: Path) -> None:
    _forge(bundle, lambda m: {k: v for k, v in m.items() if not k.startswith("checkpoint/")})
    assert _failure(bundle) == f"member {HEAD_MEMBER}: missing: the bundle carries no checkpoint"


def test_a_changed_stored_head_is_named(bundle: Path) -> None:
    _forge(bundle, _edit_json(PROOFS, lambda p: p["heads"][0]["head"].update({"size": 3})))
    problem = _failure(bundle)
    assert problem.startswith(f"{PROOFS}: stored checkpoint of "), problem
    assert "(size 3): its signature does not verify" in problem


# published heads ----------------------------------------------------------------------------


def test_a_head_of_another_ledger_is_not_consistent(sqlite_bundle: Proved, tmp_path: Path) -> None:
    with seeded(str(tmp_path / "other.sqlite"), MemoryKeyStore()) as other:
        foreign = other.checkpoint(HR)
    assert foreign.size == sqlite_bundle.earlier.size
    code, out = _run(str(sqlite_bundle.zip), "--head", str(_publish(foreign, tmp_path / "f.json")))
    assert code == 1
    assert f"published checkpoint of {foreign.at.isoformat()} (size 7): not consistent" in out


def test_a_published_head_the_ledger_no_longer_keeps_is_named(sqlite_bundle: Proved) -> None:
    unknown = sqlite_bundle.earlier.model_copy(update={"size": 6})
    assert "holds no consistency proof for a tree of that size" in _failure(
        sqlite_bundle.zip, unknown
    )


def test_a_published_head_with_a_forged_signature_is_named(sqlite_bundle: Proved) -> None:
    forged = sqlite_bundle.earlier.model_copy(update={"signature": "AAAA"})
    assert _failure(sqlite_bundle.zip, forged).endswith("its signature does not verify")


def test_an_unreadable_head_file_is_bad_usage(sqlite_bundle: Proved, tmp_path: Path) -> None:
    junk = tmp_path / "junk.json"
    junk.write_text("{}")
    code, out = _run(str(sqlite_bundle.zip), "--head", str(junk))
    assert code == 2
    assert "is not a published checkpoint" in out


# properties ---------------------------------------------------------------------------------


Parts = tuple[
    SignedTreeHead, BundleProofs, list[tuple[str, bytes]], list[StreamEnd], dict[str, KeyRecord]
]


@pytest.fixture(scope="module")
def parts(sqlite_bundle: Proved) -> Parts:
    """The pieces check_checkpoint takes, read once: the keys come from the ledger itself."""
    members = member_contents(sqlite_bundle.zip)
    proofs = BundleProofs.model_validate_json(members[PROOFS])
    events = [(p.member, members[p.member]) for p in proofs.events]
    rows = [json.loads(line) for line in members[ROWS].splitlines()]
    ends = [
        StreamEnd(
            stream, UUID(row["aggregate_id"]), row["member"], row["version"], members[row["member"]]
        )
        for stream in ("keyring", "case")
        for row in [[r for r in rows if r["member"].startswith(stream)][-1]]
    ]
    with Ledger.open(sqlite_bundle.zip.parent.parent / "ledger.sqlite") as ledger:
        keys = dict(ledger.keyring().keys)
    return sqlite_bundle.head, proofs, events, ends, keys


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_proof_holds_and_any_changed_byte_fails(parts: Parts, data: st.DataObject) -> None:
    head, proofs, events, ends, keys = parts
    assert check_checkpoint(head, proofs, events, ends, keys, [])
    which = data.draw(st.integers(0, len(events) - 1), label="event")
    member, state = events[which]
    at = data.draw(st.integers(0, len(state) - 1), label="byte")
    bit = data.draw(st.integers(0, 7), label="bit")
    changed = bytearray(state)
    changed[at] ^= 1 << bit
    altered = [*events[:which], (member, bytes(changed)), *events[which + 1 :]]
    with pytest.raises(ProofProblem) as caught:
        check_checkpoint(head, proofs, altered, ends, keys, [])
    assert caught.value.where == f"member {member}"
