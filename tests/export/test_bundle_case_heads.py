"""A bundle must end where the signed head says the case ends.

Before heads signed a map of case heads, someone holding the database and the keys could
leave a case's newest events out of a bundle and rewrite rows.jsonl, the proofs, the manifest
and the chronology to match: every remaining event still proved its inclusion. Each tamper
below is made that way, consistently, so only the head's map stands in the way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.checkpoints.paging import checkpoint_killed_before_signing
from tests.core.helpers import (
    ALICE,
    HEAD,
    HR,
    SteppingClock,
    held,
    open_ledger,
    opened,
    seeded,
)
from tests.core.raw_rows import RawRows
from tests.export.zip_members import member_contents, resealed, write_members

from pmledger.commands import EmployeeRef
from pmledger.export.bundle_zip import member_name
from pmledger.export.case_extract import stored_digest
from pmledger.export.chronology import Chronology
from pmledger.export.errors import ExportError
from pmledger.export.exporter import export_case
from pmledger.export.manifest import CHRONOLOGY, MANIFEST, ROWS
from pmledger.export.proofs import HEAD as HEAD_MEMBER
from pmledger.export.proofs import PROOFS, BundleProofs, bundle_checkpoint
from pmledger.export.verify_bundle import verify_bundle
from pmledger.ids import KEYRING_ID
from pmledger.integrity.case_map import MAP_DEPTH, CaseHead, changed_nodes, map_path
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.integrity.merkle import NodeId, leaf_hash
from pmledger.integrity.tree_head import SignedTreeHead
from pmledger.ledger.facade import Ledger

AS_OF = date(2026, 1, 31)
MEETING = date(2025, 10, 20)
Members = dict[str, bytes]


@dataclass(frozen=True)
class Exported:
    zip: Path
    head: SignedTreeHead
    keys: MemoryKeyStore


def _export(ledger: Ledger, out: Path) -> Path:
    return export_case(ledger.reader(HR, AS_OF), ALICE, out, AS_OF).zip


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    """Alice's case at version 6, and a keyring whose newest entry revokes the employee's key
    (after the employee's last signature), so that hiding it would matter."""
    folder = tmp_path_factory.mktemp("case-heads")
    keys = MemoryKeyStore()
    with seeded(str(folder / "ledger.sqlite"), keys) as ledger:
        ledger.record(ALICE, held(5), occurred_on=MEETING, actor=HEAD)
        ledger.record(ALICE, held(6), occurred_on=MEETING, actor=HEAD)
        employee_key = next(k for k in ledger.keyring().keys.values() if k.person_id == "emp-1")
        ledger.revoke_key(employee_key.key_id, reason="left the school", by=HR)
        bundle = _export(ledger, folder / "bundle")
        head = ledger._merkle_tables().heads()[-1]
    return Exported(bundle, head, keys)


@pytest.fixture
def bundle(exported: Exported, tmp_path: Path) -> Path:
    copy = tmp_path / "bundle.zip"
    copy.write_bytes(exported.zip.read_bytes())
    return copy


def _forge(path: Path, change: Callable[[Members], Members]) -> None:
    write_members(path, resealed(change(member_contents(path))))


def _json(members: Members, name: str, change: Callable[[dict[str, Any]], None]) -> Members:
    content = json.loads(members[name])
    change(content)
    return {**members, name: json.dumps(content).encode()}


def _drop_newest(stream: str, keep: int) -> Callable[[Members], Members]:
    """Leave out the stream's events after version `keep`, rewriting everything else to match:
    members, rows.jsonl, the inclusion proofs, the manifest's head and the chronology."""

    def drop(members: Members) -> Members:
        gone = {
            name
            for name in members
            if name.startswith(f"{stream}/") and int(name.split("/")[1][:6]) > keep
        }
        assert gone, "nothing to drop"
        kept = {name: data for name, data in members.items() if name not in gone}
        lines = [
            line for line in members[ROWS].splitlines() if json.loads(line)["member"] not in gone
        ]
        kept[ROWS] = b"".join(line + b"\n" for line in lines)
        kept = _json(
            kept,
            PROOFS,
            lambda p: p.update({"events": [e for e in p["events"] if e["member"] not in gone]}),
        )
        last = f"{stream}/{keep:06d}.json"
        head = {"version": keep, "digest": stored_digest(members[last])}
        kept = _json(kept, MANIFEST, lambda m: m.update({f"{stream}_head": head}))
        if stream == "case":
            chronology = Chronology.model_validate_json(members[CHRONOLOGY])
            rows = tuple(row for row in chronology.rows if row.version <= keep)
            kept[CHRONOLOGY] = chronology.model_copy(update={"rows": rows}).encode()
        return kept

    return drop


def member_size(bundle: Path) -> int:
    return SignedTreeHead.model_validate_json(member_contents(bundle)[HEAD_MEMBER]).size


def _problem(bundle: Path, *published: SignedTreeHead) -> str:
    report = verify_bundle(bundle, published=published)
    assert report.problem is not None, "the tampered bundle verified"
    return report.problem.describe()


# what an honest bundle shows ------------------------------------------------------------------


def test_an_honest_bundle_ends_where_its_head_says(exported: Exported) -> None:
    report = verify_bundle(exported.zip, published=[exported.head])
    assert report.ok, report.problem
    assert report.tree_head is not None
    assert report.tree_head.cases_root is not None
    assert (
        f"its map of case heads names version 6 of the case and version 4 of the keyring as "
        f"their newest among its {exported.head.size} events: the bundle's last ones"
    ) in report.checks
    proofs = BundleProofs.model_validate_json(member_contents(exported.zip)[PROOFS])
    assert {(e.aggregate_id, e.version) for e in proofs.case_heads} == {
        (ALICE.case_id, 6),
        (KEYRING_ID, 4),
    }
    assert all(len(e.path) == MAP_DEPTH for e in proofs.case_heads)


# the attack -----------------------------------------------------------------------------------


@pytest.mark.parametrize("keep", [5, 4])
def test_dropping_the_case_newest_events_fails(bundle: Path, keep: int) -> None:
    _forge(bundle, _drop_newest("case", keep))
    assert _problem(bundle) == (
        f"member case/{keep:06d}.json: the signed head names version 6 as the case's newest "
        f"among its {member_size(bundle)} events, but the bundle's case ends at version {keep}: "
        "events were left out"
    )


def test_dropping_the_keyring_newest_entry_a_revocation_fails(bundle: Path) -> None:
    last = max(n for n in member_contents(bundle) if n.startswith("keyring/"))
    keep = int(last.split("/")[1][:6]) - 1
    _forge(bundle, _drop_newest("keyring", keep))
    problem = _problem(bundle)
    assert problem.startswith(f"member keyring/{keep:06d}.json: the signed head names version")
    assert problem.endswith(f"the bundle's keyring ends at version {keep}: events were left out")


def test_rewriting_the_case_entry_to_match_fails_its_proof(bundle: Path) -> None:
    def rename(members: Members) -> Members:
        shorter = _drop_newest("case", 4)(members)
        digest = leaf_hash(members["case/000004.json"]).hex()

        def entry(proofs: dict[str, Any]) -> None:
            for named in proofs["case_heads"]:
                if named["aggregate_id"] == str(ALICE.case_id):
                    named.update({"version": 4, "digest": digest})

        return _json(shorter, PROOFS, entry)

    _forge(bundle, rename)
    assert _problem(bundle) == (
        f"{PROOFS}: the case's entry in the map of case heads (version 4) does not lead to "
        f"the cases root of the head of size {member_size(bundle)}"
    )


def test_dropping_the_entries_too_fails(bundle: Path) -> None:
    def strip(members: Members) -> Members:
        return _json(_drop_newest("case", 4)(members), PROOFS, lambda p: p.pop("case_heads"))

    _forge(bundle, strip)
    assert _problem(bundle) == (
        f"{PROOFS}: holds no entry for the case in the head's map of case heads, so nothing "
        "shows where the case ends"
    )


def test_a_head_without_a_map_is_named(bundle: Path, exported: Exported) -> None:
    """A head signed before heads carried the map (here re-signed without it) proves no end."""
    legacy = exported.head.model_copy(update={"cases_root": None}).sign(exported.keys)
    _forge(bundle, lambda m: {**m, HEAD_MEMBER: legacy.model_dump_json(indent=2).encode()})
    problem = _problem(bundle)
    assert problem.startswith(f"{HEAD_MEMBER} (checkpoint of {legacy.at.isoformat()}")
    assert "signed without a map of case heads" in problem
    assert "nothing shows that the bundle holds the case's newest events" in problem


def _false_map(
    members: Members, keep: int, over: SignedTreeHead, keys: MemoryKeyStore
) -> Callable[[Members], Members]:
    """What someone holding the keys can do: drop the case's events after `keep`, and sign
    `over` again over a map that ends the case there, with entries and paths to match."""

    def forge(members: Members) -> Members:
        shorter = _drop_newest("case", keep)(members)
        proofs = BundleProofs.model_validate_json(shorter[PROOFS])
        leaves = {}
        for entry in proofs.case_heads:
            version, digest = entry.version, bytes.fromhex(entry.digest)
            if entry.aggregate_id == ALICE.case_id:
                version, digest = keep, leaf_hash(members[f"case/{keep:06d}.json"])
            leaves[entry.ordinal] = (entry, CaseHead(entry.aggregate_id, version, digest))
        nodes = changed_nodes({o: h.leaf() for o, (_, h) in leaves.items()}, lambda ids: {})

        def read(ids: Any) -> dict[NodeId, bytes]:
            return {i: nodes[i] for i in ids if i in nodes}

        entries = tuple(
            entry.model_copy(
                update={
                    "version": h.version,
                    "digest": h.digest.hex(),
                    "path": tuple(p.hex() for p in map_path(o, read)),
                }
            )
            for o, (entry, h) in leaves.items()
        )
        root = nodes[NodeId(MAP_DEPTH, 0)].hex()
        false_head = over.model_copy(update={"cases_root": root}).sign(keys)
        forged_proofs = proofs.model_copy(update={"case_heads": entries})
        return {
            **shorter,
            HEAD_MEMBER: false_head.model_dump_json(indent=2).encode(),
            PROOFS: forged_proofs.model_dump_json(indent=1).encode(),
        }

    return forge


def test_a_key_holder_can_sign_a_false_map_which_a_held_head_exposes(
    bundle: Path, exported: Exported
) -> None:
    """With the keys, a new head over a map that ends the case early makes a consistent
    shorter bundle. The head the employee was given at export (same size, true map) exposes
    it; so does `pmledger verify` on the ledger (tests/checkpoints); and so does any older
    published head covering the dropped events (below)."""
    _forge(bundle, lambda m: _false_map(m, 4, exported.head, exported.keys)(m))
    assert verify_bundle(bundle).ok, "alone, a bundle cannot tell a false map from a true one"
    assert _problem(bundle, exported.head).endswith(
        "signs the same log as the bundle's head but another map of case heads: one of the "
        "two was signed over a false map"
    )


# an older published head ------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    zip: Path
    older: SignedTreeHead
    """Published after version 6 of the case; the case gained version 7 before the export."""
    keys: MemoryKeyStore


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    folder = tmp_path_factory.mktemp("older-head")
    keys = MemoryKeyStore()
    with seeded(str(folder / "ledger.sqlite"), keys) as ledger:
        ledger.record(ALICE, held(5), occurred_on=MEETING, actor=HEAD)
        ledger.record(ALICE, held(6), occurred_on=MEETING, actor=HEAD)
        older = ledger.checkpoint(HR)
        ledger.record(ALICE, held(7), occurred_on=MEETING, actor=HEAD)
        bundle = _export(ledger, folder / "bundle")
    return Published(bundle, older, keys)


@pytest.fixture
def later_bundle(published: Published, tmp_path: Path) -> Path:
    copy = tmp_path / "bundle.zip"
    copy.write_bytes(published.zip.read_bytes())
    return copy


def _bundle_head(bundle: Path) -> SignedTreeHead:
    return SignedTreeHead.model_validate_json(member_contents(bundle)[HEAD_MEMBER])


def test_a_bundle_proves_where_the_case_stood_at_an_older_head(published: Published) -> None:
    head = _bundle_head(published.zip)
    assert head.size > published.older.size
    proofs = BundleProofs.model_validate_json(member_contents(published.zip)[PROOFS])
    (stored,) = proofs.heads
    assert stored.head == published.older
    assert {(e.aggregate_id, e.version) for e in stored.case_heads} == {
        (ALICE.case_id, 6),
        (KEYRING_ID, 3),
    }
    report = verify_bundle(published.zip, published=[published.older])
    assert report.ok, report.problem
    assert (
        f"the published {_head(published.older)} names the bundle's last events among its "
        f"{published.older.size} as the newest then: version 6 of the case and version 3 "
        "of the keyring"
    ) in report.checks


def _head(head: SignedTreeHead) -> str:
    return f"checkpoint of {head.at.isoformat()} (size {head.size})"


def test_a_false_map_hiding_events_before_an_older_published_head_fails(
    later_bundle: Path, published: Published
) -> None:
    """The attack the map's history stops: drop versions 5 to 7, all but 7 recorded before
    the older head, and sign a fresh head over a map ending the case at 4. The bundle keeps
    the stored older head's true entries (it cannot forge them without re-signing that head
    too): given the older head, the case's end there exposes it."""
    head = _bundle_head(later_bundle)
    _forge(later_bundle, lambda m: _false_map(m, 4, head, published.keys)(m))
    alone = verify_bundle(later_bundle).problem
    assert alone is not None, "the stored older head's true entries fail the bundle alone"
    assert alone.where == "member case/000004.json"
    size = published.older.size
    assert _problem(later_bundle, published.older) == (
        f"member case/000004.json: the signed head of size {size} names version 6 as the "
        f"case's newest among its {size} events, but the bundle's last case event among them "
        "is version 4: events were left out"
    )


def _strip_earlier(members: Members) -> Members:
    return _json(members, PROOFS, lambda p: [h.update({"case_heads": []}) for h in p["heads"]])


def test_stripping_the_older_head_entries_too_fails_given_that_head(
    later_bundle: Path, published: Published
) -> None:
    """Leave out the older head's entries as well: alone the bundle verifies, but the
    recipient holding the older head learns nothing shows where the case stood at it."""
    head = _bundle_head(later_bundle)
    _forge(later_bundle, lambda m: _strip_earlier(_false_map(m, 4, head, published.keys)(m)))
    assert verify_bundle(later_bundle).ok, "alone, a bundle cannot tell a false map"
    assert _problem(later_bundle, published.older) == (
        f"published {_head(published.older)}: the bundle holds no entries in this head's map "
        "of case heads, so nothing shows where the case stood when it was published (the "
        "ledger did not keep its map at that size, or the bundle was made before pmledger "
        "kept the map's history); check the ledger with `pmledger verify --head`"
    )


def test_re_signing_the_older_head_over_a_false_map_fails_given_the_true_one(
    later_bundle: Path, published: Published
) -> None:
    """Forge the stored older head's map too (re-signed, same log): the published one, with
    the true map, differs."""
    head = _bundle_head(later_bundle)

    def forge(members: Members) -> Members:
        forged = _false_map(members, 4, head, published.keys)(members)
        proofs = BundleProofs.model_validate_json(forged[PROOFS])
        (stored,) = proofs.heads
        rest = dict(forged)
        rest[PROOFS] = proofs.model_copy(update={"case_heads": ()}).model_dump_json().encode()
        older = _false_map(members, 4, stored.head, published.keys)(
            {**members, PROOFS: _earlier_as_own(members)}
        )
        false_older = SignedTreeHead.model_validate_json(older[HEAD_MEMBER])
        earlier = BundleProofs.model_validate_json(older[PROOFS]).case_heads
        heads = (stored.model_copy(update={"head": false_older, "case_heads": earlier}),)
        rest[PROOFS] = proofs.model_copy(update={"heads": heads}).model_dump_json().encode()
        return rest

    _forge(later_bundle, forge)
    assert verify_bundle(later_bundle).ok, "every stored head agrees with the false maps"
    assert _problem(later_bundle, published.older) == (
        f"published {_head(published.older)}: signs the same log as the stored checkpoint of "
        "that size but another map of case heads: one of the two was signed over a false map"
    )


def _earlier_as_own(members: Members) -> bytes:
    """proofs.json with the older head's entries in place of the bundle head's, so that
    `_false_map` rewrites those."""
    proofs = BundleProofs.model_validate_json(members[PROOFS])
    return (
        proofs.model_copy(update={"case_heads": proofs.heads[0].case_heads})
        .model_dump_json(indent=1)
        .encode()
    )


# exporting ------------------------------------------------------------------------------------


def test_a_head_older_than_the_map_history_is_named_not_proved(
    backend: str, tmp_path: Path
) -> None:
    """A ledger upgraded from a pmledger that kept only the current map (its history emptied
    here): the map joins the history at its size at the next growth, so the head of that size
    is proved, and heads signed before it carry no entries; a recipient holding one is told
    why."""
    keys = MemoryKeyStore()
    with seeded(backend, keys) as ledger:
        older = ledger.checkpoint(HR)
        ledger.record(ALICE, held(5), occurred_on=MEETING, actor=HEAD)
        upgraded = ledger.checkpoint(HR)
    RawRows(backend)._run(
        "DELETE FROM pml_case_map_version", "DELETE FROM pml_case_map_version", ()
    )
    with open_ledger(backend, keys, SteppingClock(datetime(2025, 9, 2, tzinfo=UTC))) as ledger:
        ledger.record(ALICE, held(6), occurred_on=MEETING, actor=HEAD)
        bundle = _export(ledger, tmp_path)
    proofs = BundleProofs.model_validate_json(member_contents(bundle)[PROOFS])
    assert [h.head for h in proofs.heads] == [older, upgraded]
    assert proofs.heads[0].case_heads == ()
    assert {(e.aggregate_id, e.version) for e in proofs.heads[1].case_heads} == {
        (ALICE.case_id, 5),
        (KEYRING_ID, 3),
    }
    report = verify_bundle(bundle, published=[upgraded])
    assert report.ok, report.problem
    assert "the bundle holds no entries in this head's map of case heads" in _problem(bundle, older)


def test_events_recorded_while_exporting_stop_the_export(backend: str) -> None:
    with seeded(backend, MemoryKeyStore()) as ledger:
        rows = list(ledger._store.rows())
        ledger.record(ALICE, held(5), occurred_on=MEETING, actor=HEAD)
        with pytest.raises(ExportError, match="gained events while the bundle was made"):
            bundle_checkpoint(ledger, rows, member_name, HR)


def test_a_head_the_map_has_grown_past_is_replaced_at_export(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the current map is stored: once a later checkpoint run has grown it (here one
    killed before it signed), the latest head can no longer prove entries, so the export
    signs anew."""
    other = EmployeeRef(organisation="trust", employee_ref="E-002")
    with seeded(backend, MemoryKeyStore()) as ledger:
        latest = ledger.checkpoint(HR)
        ledger.record(other, opened(other), occurred_on=MEETING, actor=HR)
        checkpoint_killed_before_signing(ledger, HR, monkeypatch)
        wanted = {str(ALICE.case_id), str(KEYRING_ID)}
        rows = [row for row in ledger._store.rows() if row.aggregate_id in wanted]
        with pytest.raises(ExportError, match="can no longer prove where the case ends"):
            bundle_checkpoint(ledger, rows, member_name, None)
        bundle = _export(ledger, tmp_path)
        heads = ledger._merkle_tables().heads()
    head = SignedTreeHead.model_validate_json(member_contents(bundle)[HEAD_MEMBER])
    assert heads == [latest, head]
    assert head.size > latest.size
    report = verify_bundle(bundle, published=[latest])
    assert report.ok, report.problem
