"""The checkpoint a bundle carries: a signed tree head, and Merkle proofs against it.

Signatures and chain links show that each event is as its signer made it; they cannot show
that someone holding the database *and* the keys did not rewrite the case. A signed tree
head can: `checkpoint/head.json` covers every event in the bundle, each event carries its
leaf index and RFC 9162 inclusion proof against that head (the leaf is the hash of the very
bytes the bundle holds), and every other checkpoint the ledger kept carries a consistency
proof with the bundle's head. A recipient who was given an earlier head (printed, emailed,
handed over with a receipt) can then check that the log the bundle comes from grew from it
only by appending.

Inclusion alone would let a bundle stop early: leave out the case's newest events and the
rest still prove. So the head also signs a map of case heads (`integrity.case_map`), and the
bundle carries the case's and the keyring's entries in it with their proofs: the newest
event of each at the head's size must be the bundle's last one of that stream. The ledger
keeps the map's history, so every other stored head the bundle carries that covers the case's
first event carries the two entries at its own size too: a recipient holding an older
published head checks where the case stood at it, and a fresh head signed over a false map
cannot hide the events recorded before it. (Heads older than the map's history, in a ledger
upgraded from a pmledger that kept only the current map, carry none.)

Which head: the ledger's latest checkpoint when it already covers every exported event and
the map is still at its size (the bundle's own entries are the map's current ones, read at
the size the map stands at), so the bundle speaks of a head that may already have
been published; otherwise a new checkpoint, signed at export time by the person exporting,
and kept in the ledger like any other so that `pmledger verify` holds the log to it
afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

from pydantic import Field

from pmledger.aggregates.keyring import KeyRecord
from pmledger.audit.stored_row import StoredRow
from pmledger.errors import ActRefused, KeyStoreError, StorageError, UnknownKey
from pmledger.events.actors import Actor
from pmledger.events.values import FrozenModel
from pmledger.export.errors import ExportError
from pmledger.export.manifest import Digest
from pmledger.ids import KEYRING_ID
from pmledger.integrity.case_map import CaseHead, root_from_path, verify_map_path
from pmledger.integrity.merkle import leaf_hash, verify_consistency, verify_inclusion
from pmledger.integrity.tree_head import SignedTreeHead
from pmledger.ledger.checkpoints.tree import (
    CaseHeadProof,
    case_heads_at,
    map_paths_at,
    open_log,
)
from pmledger.ledger.facade import Ledger
from pmledger.storage.checkpoints import MerkleTables

HEAD = "checkpoint/head.json"
PROOFS = "checkpoint/proofs.json"
ATTEMPTS = 3
"""Heads signed in turn before giving up, when other checkpoints keep growing the map."""
UNCOVERED = "the case has events that no checkpoint covers yet, so the bundle could not prove them"
UNPROVABLE = (
    "the Merkle tree has grown since the latest checkpoint was signed, so it can no longer prove "
    "where the case ends"
)
"""Why the exporter must sign a head: none covers the case, or the map has moved past it."""


class EventProof(FrozenModel):
    member: str
    leaf_index: int = Field(ge=0)
    inclusion: tuple[Digest, ...]


class CaseHeadEntry(FrozenModel):
    """An aggregate's entry in the head's map of case heads, with its path to `cases_root`."""

    aggregate_id: UUID
    ordinal: int = Field(ge=0)
    version: int = Field(ge=1)
    digest: Digest
    """The RFC 9162 leaf hash of the aggregate's newest event among the head's events."""
    path: tuple[Digest, ...]
    """The sibling hashes from the entry up to the root, leaf level first."""


class HeadProof(FrozenModel):
    """Another checkpoint of the ledger, with the consistency proof between it and the
    bundle's head (from the smaller tree to the larger, as RFC 9162 defines it)."""

    head: SignedTreeHead
    consistency: tuple[Digest, ...]
    case_heads: tuple[CaseHeadEntry, ...] = ()
    """The case's and the keyring's entries in this head's map, at its size: present when the
    head covers the case's first event, signs a map, and the ledger kept the map at its size.
    Empty in bundles made before the map's history was kept."""


class BundleProofs(FrozenModel):
    events: tuple[EventProof, ...]
    """One per event member, in the order of rows.jsonl (log order)."""
    heads: tuple[HeadProof, ...]
    """Every other checkpoint the ledger kept, by size."""
    case_heads: tuple[CaseHeadEntry, ...] = ()
    """The case's and the keyring's entries in the head's map. Empty in bundles made before
    heads carried the map, which `check_checkpoint` then names instead of a parse error."""


@dataclass(frozen=True)
class BundleCheckpoint:
    head: SignedTreeHead
    proofs: BundleProofs

    def members(self) -> list[tuple[str, bytes]]:
        """The head in the form `pmledger checkpoint` prints, so it can be published as is."""
        return [
            (HEAD, (self.head.model_dump_json(indent=2) + "\n").encode()),
            (PROOFS, self.proofs.model_dump_json(indent=1).encode() + b"\n"),
        ]


def bundle_checkpoint(
    ledger: Ledger,
    rows: Sequence[StoredRow],
    member_name: Callable[[StoredRow], str],
    checkpoint_by: Actor | None,
) -> BundleCheckpoint:
    """The head covering `rows` (see the module's note on which), with every proof."""
    tables = ledger._merkle_tables()
    positions = [row.position for row in rows]
    newest = {row.aggregate_id: row for row in rows}
    stored = tables.heads()
    head = stored[-1] if stored and stored[-1].cases_root is not None else None
    why = UNCOVERED
    for _ in range(ATTEMPTS):
        indices = tables.leaf_indices(positions)
        if head is None or not _covers(head, rows, indices):
            head = _sign_checkpoint(ledger, checkpoint_by, why)
            indices = tables.leaf_indices(positions)
            if not _covers(head, rows, indices):
                raise StorageError(
                    "the Merkle tree's record of the log positions it covers lacks events of "
                    "this case that a checkpoint just signed over the whole log covers: the "
                    "tree's tables were changed outside pmledger; run `pmledger verify`"
                )
        found = case_heads_at(tables, list(newest), head.size)
        if found is not None:
            break
        head, why = None, UNPROVABLE
    else:
        raise ExportError(
            "other checkpoints kept growing the Merkle tree while this bundle was being "
            "proved; export again"
        )
    case_heads = tuple(_case_head(found.get(a), row, head) for a, row in newest.items())
    heads = tables.heads()
    log = open_log(tables, head.size)
    events = tuple(
        EventProof(
            member=member_name(row),
            leaf_index=indices[row.position],
            inclusion=_hex(log.inclusion_proof(indices[row.position], head.size)),
        )
        for row in rows
    )
    ordinals = {a: proof.entry.ordinal for a, proof in found.items()}
    others = tuple(
        HeadProof(
            head=other,
            consistency=_hex(
                log.consistency_proof(min(other.size, head.size), max(other.size, head.size))
            ),
            case_heads=_earlier_case_heads(tables, other, head, rows, indices, ordinals),
        )
        for other in heads
        if other.size != head.size
    )
    return BundleCheckpoint(head, BundleProofs(events=events, heads=others, case_heads=case_heads))


def _case_head(proof: CaseHeadProof | None, row: StoredRow, head: SignedTreeHead) -> CaseHeadEntry:
    """The entry the head's map holds for `row`'s aggregate, which must name `row` itself:
    otherwise events were recorded between reading the case and signing the head."""
    if (
        proof is None
        or proof.entry.version != row.version
        or proof.entry.digest != leaf_hash(row.state)
    ):
        raise ExportError(
            f"the case or the keyring gained events while the bundle was made (the checkpoint "
            f"of size {head.size} has a newer version than {row.version}); export again"
        )
    return CaseHeadEntry(
        aggregate_id=UUID(row.aggregate_id),
        ordinal=proof.entry.ordinal,
        version=row.version,
        digest=proof.entry.digest.hex(),
        path=_hex(proof.path),
    )


def _earlier_case_heads(
    tables: MerkleTables,
    other: SignedTreeHead,
    head: SignedTreeHead,
    rows: Sequence[StoredRow],
    indices: Mapping[int, int],
    ordinals: Mapping[str, int],
) -> tuple[CaseHeadEntry, ...]:
    """The entries of `rows`' aggregates in the map of an earlier head `other`: each one's
    newest row below `other.size` (from the log itself), with its path from the map's history.
    None when `other` is later than the bundle's head, signs no map, precedes the case, or
    precedes the map's history."""
    case_rows = [row for row in rows if row.aggregate_id != str(KEYRING_ID)]
    if (
        other.size > head.size
        or other.cases_root is None
        or not case_rows
        or indices[case_rows[0].position] >= other.size
    ):
        return ()
    newest = {row.aggregate_id: row for row in rows if indices[row.position] < other.size}
    paths = map_paths_at(tables, [ordinals[a] for a in newest], other.size)
    if paths is None:
        return ()
    entries = []
    for aggregate_id, row in newest.items():
        ordinal, digest = ordinals[aggregate_id], leaf_hash(row.state)
        path = paths[ordinal]
        leaf = CaseHead(UUID(aggregate_id), row.version, digest).leaf()
        if root_from_path(leaf, ordinal, path).hex() != other.cases_root:
            raise ExportError(
                f"the stored {head_name(other)} signs a cases root that the map the ledger "
                f"kept at its size does not give for version {row.version} of "
                f"{aggregate_id}: run `pmledger verify`"
            )
        entries.append(
            CaseHeadEntry(
                aggregate_id=UUID(aggregate_id),
                ordinal=ordinal,
                version=row.version,
                digest=digest.hex(),
                path=_hex(path),
            )
        )
    return tuple(entries)


def _sign_checkpoint(ledger: Ledger, actor: Actor | None, reason: str) -> SignedTreeHead:
    if actor is None:
        raise ExportError(f"{reason}: sign one with `pmledger checkpoint`, then export again")
    try:
        return ledger.checkpoint(actor)
    except (KeyStoreError, UnknownKey, ActRefused) as exc:
        raise ExportError(
            f"{reason}, and {actor.person_id} cannot sign one here ({exc}): sign one with "
            "`pmledger checkpoint`, then export again"
        ) from None


def _covers(head: SignedTreeHead, rows: Sequence[StoredRow], indices: Mapping[int, int]) -> bool:
    return all(indices.get(row.position, head.size) < head.size for row in rows)


def _hex(proof: Sequence[bytes]) -> tuple[str, ...]:
    return tuple(node.hex() for node in proof)


# checking -----------------------------------------------------------------------------------


class ProofProblem(Exception):
    """What `check_checkpoint` found wrong, and where (a member or a head)."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}")
        self.where = where
        self.what = what


def head_name(head: SignedTreeHead) -> str:
    return f"checkpoint of {head.at.isoformat()} (size {head.size})"


@dataclass(frozen=True)
class StreamEnd:
    """The last event the bundle holds of one stream (the case, or the keyring)."""

    stream: str
    aggregate_id: UUID
    member: str
    version: int
    state: bytes


def check_checkpoint(
    head: SignedTreeHead,
    proofs: BundleProofs,
    events: Sequence[tuple[str, bytes]],
    ends: Sequence[StreamEnd],
    keys: Mapping[str, KeyRecord],
    published: Sequence[SignedTreeHead] = (),
    stream_events: Sequence[StreamEnd] = (),
) -> list[str]:
    """Check the bundle's head, every inclusion proof, that each stream ends where the head's
    map of case heads says, every consistency proof, where each earlier head's map says the
    streams stood at its size, and `published` heads.

    `events` are (member, stored bytes) in log order. `stream_events` are every event of the
    streams (`ends` are their last ones), in log order: where a stream stood at an earlier
    head's size is its last event there, by the leaf indices the inclusion proofs hold.
    Returns what held; raises `ProofProblem` naming the first event or head that does not.
    """
    _signed(head, keys, f"{HEAD} ({head_name(head)})")
    _included(head, proofs.events, events)
    _ends_named(head, proofs.case_heads, ends, None)
    history = _History(proofs, ends, stream_events)
    earlier = 0
    for other in proofs.heads:
        where = f"{PROOFS}: stored {head_name(other.head)}"
        _signed(other.head, keys, where)
        if not _consistent(head, other.head, other.consistency):
            raise ProofProblem(where, "its consistency proof with the bundle's head fails")
        if other.case_heads:
            _earlier_ends_named(other.head, other.case_heads, history, where)
            earlier += 1
    held = [
        f"the tree head of size {head.size} is signed by {head.actor.person_id} with a key "
        "valid then",
        f"all {len(events)} events are included in it, at increasing leaf indices",
        "its map of case heads names "
        + " and ".join(f"version {end.version} of the {end.stream}" for end in ends)
        + f" as their newest among its {head.size} events: the bundle's last ones",
        f"{len(proofs.heads)} other stored checkpoints are consistent with it",
    ]
    if earlier:
        held.append(
            f"{earlier} of them name, in their maps of case heads, the bundle's last events "
            "below their sizes as the newest then"
        )
    for outside in published:
        checked = _published_holds(head, proofs, outside, keys, history)
        held.append(f"the published {head_name(outside)} is consistent with the bundle's head")
        if checked:
            held.append(
                f"the published {head_name(outside)} names the bundle's last events among its "
                f"{outside.size} as the newest then: "
                + " and ".join(f"version {end.version} of the {end.stream}" for end in checked)
            )
    return held


class _History:
    """Where each stream of the bundle stood at any size of the log."""

    def __init__(
        self, proofs: BundleProofs, ends: Sequence[StreamEnd], stream_events: Sequence[StreamEnd]
    ) -> None:
        self.leaf = {proof.member: proof.leaf_index for proof in proofs.events}
        self.ends = ends
        self.events = list(stream_events) or list(ends)

    def ends_at(self, size: int) -> list[StreamEnd]:
        """Each stream's last event among the log's first `size`; a stream with none there
        is left out."""
        found: list[StreamEnd] = []
        for end in self.ends:
            below = [
                e
                for e in self.events
                if e.aggregate_id == end.aggregate_id and self.leaf.get(e.member, size) < size
            ]
            if below:
                found.append(below[-1])
        return found

    def case_covered_by(self, size: int) -> bool:
        """Does a head of `size` hold the case's first event (so its map names the case)?"""
        return any(end.stream == "case" for end in self.ends_at(size))


def _signed(head: SignedTreeHead, keys: Mapping[str, KeyRecord], where: str) -> None:
    key = keys.get(head.key_id)
    if key is None:
        raise ProofProblem(where, f"signed by key {head.key_id}, which the bundle does not hold")
    if key.person_id != head.actor.person_id or head.actor.role not in key.roles:
        raise ProofProblem(where, f"key {head.key_id} is not {head.actor.person_id}'s")
    if not key.valid_at(head.at):
        raise ProofProblem(where, f"key {head.key_id} was not valid at {head.at.isoformat()}")
    if not head.signature_holds(key.public_key):
        raise ProofProblem(where, "its signature does not verify")


def _included(
    head: SignedTreeHead, listed: Sequence[EventProof], events: Sequence[tuple[str, bytes]]
) -> None:
    root = bytes.fromhex(head.root)
    previous: int | None = None
    for number, ((member, state), proof) in enumerate(zip(events, listed, strict=False), 1):
        if proof.member != member:
            raise ProofProblem(
                f"member {member}",
                f"proof {number} in {PROOFS} is for {proof.member}: an event was dropped, "
                "added or reordered",
            )
        if previous is not None and proof.leaf_index <= previous:
            raise ProofProblem(
                f"member {member}",
                f"leaf index {proof.leaf_index} does not follow {previous}: reordered",
            )
        if not verify_inclusion(
            leaf_hash(state), proof.leaf_index, head.size, _bytes(proof.inclusion), root
        ):
            raise ProofProblem(
                f"member {member}",
                f"not in the signed tree at leaf {proof.leaf_index}: its inclusion proof fails "
                f"against the head of size {head.size}",
            )
        previous = proof.leaf_index
    if len(listed) != len(events):
        extra = listed[len(events)] if len(listed) > len(events) else None
        raise ProofProblem(
            PROOFS,
            f"has a proof for {extra.member}, which the bundle does not hold"
            if extra is not None
            else f"proves {len(listed)} of the bundle's {len(events)} events",
        )


def _ends_named(
    head: SignedTreeHead,
    entries: Sequence[CaseHeadEntry],
    ends: Sequence[StreamEnd],
    earlier: str | None,
) -> None:
    """Each stream's entry in `head`'s map leads to its cases root and names `ends`. `earlier`
    is where to report a head other than the bundle's own (None for the bundle's own)."""
    where = earlier or f"{HEAD} ({head_name(head)})"
    if head.cases_root is None:
        raise ProofProblem(
            where,
            "signed without a map of case heads (before pmledger kept one), so nothing shows "
            "that the bundle holds the case's newest events; export it again",
        )
    root = bytes.fromhex(head.cases_root)
    by_id = {entry.aggregate_id: entry for entry in entries}
    for end in ends:
        entry = by_id.get(end.aggregate_id)
        if entry is None:
            raise ProofProblem(
                earlier or PROOFS,
                f"holds no entry for the {end.stream} in the head's map of case heads, so "
                f"nothing shows where the {end.stream} "
                + ("ends" if earlier is None else f"stood at size {head.size}"),
            )
        named = CaseHead(entry.aggregate_id, entry.version, bytes.fromhex(entry.digest))
        if not verify_map_path(named, entry.ordinal, _bytes(entry.path), root):
            raise ProofProblem(
                earlier or PROOFS,
                f"the {end.stream}'s entry in the map of case heads (version {entry.version}) "
                f"does not lead to the cases root of the head of size {head.size}",
            )
        signed = "signed head" if earlier is None else f"signed head of size {head.size}"
        bundle = (
            f"the bundle's {end.stream} ends at version {end.version}"
            if earlier is None
            else f"the bundle's last {end.stream} event among them is version {end.version}"
        )
        if entry.version != end.version:
            raise ProofProblem(
                f"member {end.member}",
                f"the {signed} names version {entry.version} as the {end.stream}'s newest "
                f"among its {head.size} events, but {bundle}"
                + (": events were left out" if entry.version > end.version else ""),
            )
        if entry.digest != leaf_hash(end.state).hex():
            raise ProofProblem(
                f"member {end.member}",
                f"is not the event the {signed} names as the {end.stream}'s newest "
                f"(version {entry.version}): its leaf hash differs",
            )


def _earlier_ends_named(
    head: SignedTreeHead, entries: Sequence[CaseHeadEntry], history: _History, where: str
) -> list[StreamEnd]:
    ends = history.ends_at(head.size)
    _ends_named(head, entries, ends, where)
    return ends


def _published_holds(
    head: SignedTreeHead,
    proofs: BundleProofs,
    outside: SignedTreeHead,
    keys: Mapping[str, KeyRecord],
    history: _History,
) -> list[StreamEnd]:
    """Check a head the recipient holds; return the stream ends its map was checked to name
    (none when it signs no map or precedes the case)."""
    where = f"published {head_name(outside)}"
    stored: HeadProof | None = None
    if outside.size == head.size:
        path: Sequence[str] = ()
    else:
        stored = next((p for p in proofs.heads if p.head.size == outside.size), None)
        if stored is None:
            raise ProofProblem(
                where,
                "the bundle holds no consistency proof for a tree of that size: the ledger "
                "it comes from does not keep that checkpoint",
            )
        path = stored.consistency
    if not _consistent(head, outside, path):
        raise ProofProblem(
            where, "not consistent with the bundle's head: the log was rewritten or is another"
        )
    _signed(outside, keys, where)
    if outside.size == head.size and outside.cases_root not in (None, head.cases_root):
        raise ProofProblem(
            where,
            "signs the same log as the bundle's head but another map of case heads: one of the "
            "two was signed over a false map",
        )
    if (
        outside.cases_root is None
        or outside.size > head.size
        or not history.case_covered_by(outside.size)
    ):
        return []  # no map, events after the bundle's head (not proved), or before the case
    if stored is None:
        return list(history.ends_at(outside.size)) if head.cases_root is not None else []
    if stored.head.cases_root != outside.cases_root:
        raise ProofProblem(
            where,
            "signs the same log as the stored checkpoint of that size but another map of case "
            "heads: one of the two was signed over a false map",
        )
    if not stored.case_heads:
        raise ProofProblem(
            where,
            "the bundle holds no entries in this head's map of case heads, so nothing shows "
            "where the case stood when it was published (the ledger did not keep its map at "
            "that size, or the bundle was made before pmledger kept the map's history); check "
            "the ledger with `pmledger verify --head`",
        )
    return _earlier_ends_named(outside, stored.case_heads, history, where)


def _consistent(head: SignedTreeHead, other: SignedTreeHead, proof: Sequence[str]) -> bool:
    old, new = sorted((head, other), key=lambda h: h.size)
    return verify_consistency(
        old.size, new.size, bytes.fromhex(old.root), bytes.fromhex(new.root), _bytes(proof)
    )


def _bytes(proof: Sequence[str]) -> list[bytes]:
    return [bytes.fromhex(node) for node in proof]
