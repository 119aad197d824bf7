"""Streaming verification of a whole ledger, one stored row at a time.

Memory is proportional to the number of cases and keys, never to the number of events: each
case keeps its last version and chain digest, and the digests of its latest records still
awaiting the employee's acknowledgement (at most `PENDING_PER_CASE`), so an acknowledgement
is checked without a read; only one of an older record is looked up. The keyring is rebuilt
from the same stream, so a key is trusted only from the point in the log where its
registration appears, and not at all after its revocation appears.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import ValidationError

from pmledger.audit.case_heads import CaseHeads
from pmledger.audit.data_keys import DataKeyAudit
from pmledger.audit.stored_row import StoredRow
from pmledger.canonical import parse_canonical
from pmledger.events.actors import Role
from pmledger.events.record_acts import COUNTERSIGNED
from pmledger.events.signed_event import from_stored
from pmledger.ids import directory_id
from pmledger.integrity.envelope import ENVELOPE_FIELDS, GENESIS
from pmledger.integrity.merkle import RunningRoot, leaf_hash
from pmledger.integrity.signing import b64, key_id_of, unb64
from pmledger.integrity.snapshot_seal import SnapshotSeal
from pmledger.integrity.tree_head import SignedTreeHead
from pmledger.retention.schedule import RecordCategory

KEY_MANAGERS = frozenset({Role.ADMINISTRATOR.value, Role.HR.value})
"""Roles whose keys may register and revoke other people's keys."""
DIRECTORY_KEEPERS = frozenset({*KEY_MANAGERS, Role.DPO.value})
"""Roles whose keys may sign directory entries (HR, administrators) and their disposal (DPO)."""

DIRECTORY_CATEGORY = RecordCategory.DIRECTORY.value
"""The category a directory entry's personal content is sealed under."""

_SORT = orjson.OPT_SORT_KEYS

_RECORD_FIELDS = frozenset({"env", "payload", "sig"})

PENDING_PER_CASE = 64
"""Unacknowledged record digests kept per case; acknowledgements of older ones are looked up."""

SIGNATURES_AT_ONCE = 64
"""Signatures a verifier that defers them (`Verifier.defer_signatures`) checks in one go.

Ed25519 checks one after another run at the speed of a bare loop; each between a row's
other checks ran ≈ 12 % slower (182 against 160 µs a row, best of twelve, one process of a
2-core machine at load 7, 2,597 rows; helper h23vfy): the interpreter's work on the row
pushes the curve's tables out of the processor's caches. Sixty-four rows' worth of messages
and signatures is a few tens of kilobytes held at a time."""


@dataclass(frozen=True, slots=True)
class Failure:
    position: int
    aggregate_id: str
    subject: str
    version: int
    reason: str

    def describe(self) -> str:
        return (
            f"{self.subject} (aggregate {self.aggregate_id}) version {self.version} "
            f"at log position {self.position}: {self.reason}"
        )


@dataclass(slots=True)
class VerifyReport:
    events: int = 0
    cases: int = 0
    keys: int = 0
    checkpoints: int = 0
    failure: Failure | None = None
    documents: int = 0
    """Stored documents opened and found to hash to their digests."""
    documents_disposed: int = 0
    """Stored documents not opened because a purge destroyed their category's key."""
    document_problem: str | None = None
    interrupted: list[str] = field(default_factory=list)
    """Categories a signed certificate disposed of whose data keys still live: a purge that
    stopped between signing and destroying (not tampering); a rerun of the purge completes it."""
    organisation: str | None = None
    """Whose ledger this is, as the keyring's signed `OrganisationNamed` says (None if never
    named)."""
    outside_heads: int = 0
    """Signed heads kept outside the ledger that the log was held to. With none, a log cut
    back or rewritten together with its stored heads can only be caught by what the ledger's
    own records still say (see `caveat`)."""

    @property
    def caveat(self) -> str | None:
        """What an OK does not cover: said with the result, never left for the reader to
        know."""
        if self.outside_heads:
            return None
        return (
            "no head held outside the ledger was given: whoever holds the database could cut "
            "the log back or rewrite it together with its stored heads; keep heads outside "
            "(`pmledger checkpoint --out DIR`) and check them (`pmledger verify --heads DIR`)"
        )

    superseded_packs: list[str] = field(default_factory=list)
    """Pack contents events were judged under that a newer version of the pack supersedes,
    each once, saying which version reads them now and why (accepted, not a failure)."""

    @property
    def ok(self) -> bool:
        return self.failure is None and self.document_problem is None

    def describe_failure(self) -> str:
        """The first thing found wrong (an event, a checkpoint or a document)."""
        if self.failure is not None:
            return self.failure.describe()
        return self.document_problem or ""

    def as_json(self) -> dict[str, Any]:
        failure = self.failure
        return {
            "ok": self.ok,
            "organisation": self.organisation,
            "events": self.events,
            "cases": self.cases,
            "keys": self.keys,
            "checkpoints": self.checkpoints,
            "documents": self.documents,
            "documents_disposed": self.documents_disposed,
            "document_problem": self.document_problem,
            "interrupted_purges": self.interrupted,
            "outside_heads": self.outside_heads,
            "caveat": self.caveat,
            "superseded_packs": self.superseded_packs,
            "failure": None
            if failure is None
            else {
                "position": failure.position,
                "aggregate_id": failure.aggregate_id,
                "subject": failure.subject,
                "version": failure.version,
                "reason": failure.reason,
            },
        }


class _Bad(Exception):
    pass


_Before = tuple[int, int, int, str | None, int, str | None]
"""What the report said as a row began (events, cases, keys, organisation, how many superseded
packs), and the row's subject then: what a failure of the row reports."""


@dataclass(slots=True)
class _Deferred:
    """A signature `check` left for `settle`, with the row it signs (made for every row, so
    not frozen: a frozen dataclass's `__init__` sets each field through `object.__setattr__`)."""

    row: StoredRow
    key_id: str
    public: Ed25519PublicKey
    signature: bytes
    message: bytes
    before: _Before


@dataclass(slots=True)
class _Key:
    person_id: str
    roles: frozenset[str]
    public_raw: bytes
    public: Ed25519PublicKey
    valid_from: datetime
    revoked_at: datetime | None = None
    revocation_seen: bool = False


@dataclass(slots=True)
class _Chain:
    version: int = 0
    digest: str = GENESIS
    awaiting: dict[int, str] = field(default_factory=dict)
    """version → digest of countersignable records not yet acknowledged, oldest first."""


@dataclass
class Verifier:
    """Feed rows in log order with `check`; the first bad row stops the run.

    `heads` are signed tree heads (checkpoints) to hold the log against: the root of the first
    `size` events must be the signed root, so a changed, dropped or reordered event before a
    checkpoint fails even if every remaining signature is good. `snapshot_seals` ((case id,
    version) → seal, None if unreadable) are held against the chain and the keys as it streams
    past them. `data_keys`, when given, is the key table held against the sealed content and
    the disposal certificates (see `audit.data_keys`).
    """

    lookup_state: Callable[[str, int], bytes | None]
    heads: list[SignedTreeHead] = field(default_factory=list)
    snapshot_seals: dict[tuple[str, int], SnapshotSeal | None] = field(default_factory=dict)
    data_keys: DataKeyAudit | None = None
    report: VerifyReport = field(default_factory=VerifyReport)
    in_log_order: bool = True
    """False when rows are not the whole log in order (one case after its keyring): a key's
    revocation is then held to the revocation's time only, not to where it was recorded."""
    heads_held_at: list[int] = field(default_factory=list)
    """The log position of the row after which each head held, in order (see `hold_rows`)."""
    head_failed_at: int = 0
    """The log position of the row after which a head was last compared."""
    defer_signatures: bool = False
    """Check signatures `SIGNATURES_AT_ONCE` at a time, after their rows' other checks (see
    `settle`, which the caller must call after the last row): what a whole-log verify does,
    where only the first failure matters. A caller that needs each row's own verdict as it
    goes (an export marking every record) leaves this off."""
    failure_counted: tuple[int, int] = (0, 0)
    """The cases and keys the failing row counted before it failed (in `report`'s counts)."""
    superseded_at: dict[str, int] = field(default_factory=dict)
    """The log position of the row that first stated each note of `report.superseded_packs`:
    a sharded verify puts its processes' notes in log order by it, and keeps those before a
    failure."""
    _pending: list[_Deferred] = field(default_factory=list)
    _row: StoredRow | None = None
    _before: _Before = (0, 0, 0, None, 0, None)
    _tree: RunningRoot = field(default_factory=RunningRoot)
    _case_heads: CaseHeads = field(default_factory=CaseHeads)
    _chains: dict[str, _Chain] = field(default_factory=dict)
    _keys: dict[str, _Key] = field(default_factory=dict)
    _subjects: dict[str, str] = field(default_factory=dict)
    pack_digest: Callable[[str, str], str | None] | None = None
    """The content digest of the pack file in force for (id, version), None if none is
    registered; when given, an event's recorded pack digest is held to it."""
    pack_superseded: Callable[[str, str, str], str | None] | None = None
    """For (id, version, digest) not the file in force: why a newer version that lists that
    content as superseded reads it now, None if no pack file lists it."""

    def run(self, rows: Iterable[StoredRow]) -> VerifyReport:
        pending = sorted(self.heads, key=lambda h: h.size)
        if not self._heads_hold(pending):
            return self.report
        for row in rows:
            if not self.check(row):
                return self.report
            self._grow(row.aggregate_id, row.version, leaf_hash(row.state))
            # A head is compared only once every row before it is wholly checked: a bad
            # signature before it comes first.
            if pending and pending[0].size == self._tree.size and not self.settle():
                return self.report
            if not self._heads_hold(pending):
                return self.report
        if self.settle():
            self.finish(pending)
        return self.report

    def _grow(self, aggregate_id: str, version: int, leaf: bytes) -> None:
        self._tree.append(leaf)
        self._case_heads.see(aggregate_id, version, leaf)

    def heads_to_hold(self) -> list[SignedTreeHead]:
        """The log pass of a verify whose rows other processes check begins here: the heads
        in the order the log reaches them, less any of size 0 (held now, before any row).
        Then `hold_rows` over the log's pages until it returns False or none is left; what
        is left goes to `finish`."""
        pending = sorted(self.heads, key=lambda h: h.size)
        self._heads_hold(pending, 0)
        return pending

    def hold_rows(self, rows: Iterable[StoredRow], pending: list[SignedTreeHead]) -> bool:
        """Grow the tree and the map of case heads over `rows` (their leaf hashes only: no
        other check), holding each head in `pending` as its size is reached. False once a
        head failed (the report names it).

        The position of the row after which each head held is kept in `heads_held_at`, and a
        head that fails names the position of that row in `head_failed_at` (0: before any
        row), so the caller can tell which came first, a bad row or a bad head.
        """
        if self.report.failure is not None:
            return False
        tree, case_heads = self._tree, self._case_heads
        for row in rows:
            if not pending:
                break
            leaf = leaf_hash(row.state)
            tree.append(leaf)
            case_heads.see(row.aggregate_id, row.version, leaf)
            if pending[0].size == tree.size and not self._heads_hold(pending, row.position):
                return False
        return True

    def finish(self, pending: list[SignedTreeHead]) -> None:
        """What is checked once every row has passed: heads the log never reached (events
        removed), the heads' signatures, snapshots of versions the log lacks, disposals."""
        if pending:
            head = pending[0]
            self._head_failure(
                head,
                f"the log holds {self._tree.size} events but the checkpoint signed at "
                f"{head.at.isoformat()} covers {head.size}: events were removed",
            )
        else:
            self._check_head_signatures()
        if self.report.failure is None and self.snapshot_seals:
            (aggregate_id, version), _ = next(iter(self.snapshot_seals.items()))
            self._snapshot_failure(0, aggregate_id, version)
        if self.report.failure is None and self.data_keys is not None:
            self._check_disposals(self.data_keys)

    def key_records(
        self,
    ) -> list[tuple[str, str, tuple[str, ...], bytes, datetime, datetime | None]]:
        """Every key the rows registered, as plain values another process can be sent."""
        return [
            (key_id, k.person_id, tuple(sorted(k.roles)), k.public_raw, k.valid_from, k.revoked_at)
            for key_id, k in self._keys.items()
        ]

    def adopt_keys(
        self, records: list[tuple[str, str, tuple[str, ...], bytes, datetime, datetime | None]]
    ) -> None:
        """Hold heads and snapshots to keys another process found in the same keyring."""
        for key_id, person_id, roles, public_raw, valid_from, revoked_at in records:
            self._keys[key_id] = _Key(
                person_id=person_id,
                roles=frozenset(roles),
                public_raw=public_raw,
                public=Ed25519PublicKey.from_public_bytes(public_raw),
                valid_from=valid_from,
                revoked_at=revoked_at,
                revocation_seen=revoked_at is not None,
            )

    def subjects_of(self, aggregate_ids: Iterable[str]) -> dict[str, str]:
        """How failures name these aggregates (those the rows named)."""
        return {a: self._subjects[a] for a in aggregate_ids if a in self._subjects}

    def adopt_subjects(self, subjects: dict[str, str]) -> None:
        self._subjects.update(subjects)

    def _check_disposals(self, audit: DataKeyAudit) -> None:
        problem, interrupted = audit.finish()
        if problem is not None:
            self.report.failure = Failure(
                position=problem.position,
                aggregate_id=problem.aggregate_id,
                subject=self._subjects.get(problem.aggregate_id, "case"),
                version=problem.version,
                reason=problem.reason,
            )
            return
        self.report.interrupted = [
            f"{self._subjects.get(aggregate_id, aggregate_id)}: {category}"
            for aggregate_id, category in interrupted
        ]

    def _heads_hold(self, pending: list[SignedTreeHead], position: int = 0) -> bool:
        """Compare and drop every pending head whose size the stream has just reached (at
        the row at log `position`)."""
        while pending and pending[0].size == self._tree.size:
            head = pending.pop(0)
            self.head_failed_at = position
            if self._tree.root().hex() != head.root:
                self._head_failure(
                    head,
                    f"the first {head.size} events do not have the root signed at "
                    f"{head.at.isoformat()}: an event before that checkpoint was changed, "
                    "dropped or reordered",
                )
                return False
            wrong = self._case_heads.mismatch(head)
            if wrong is not None:
                self._head_failure(head, wrong)
                return False
            self.report.checkpoints += 1
            self.heads_held_at.append(position)
        return True

    def _check_head_signatures(self) -> None:
        for head in self.heads:
            key = self._keys.get(head.key_id)
            if key is None:
                self._head_failure(head, f"checkpoint signed by unknown key {head.key_id}")
            elif key.person_id != head.actor.person_id:
                self._head_failure(head, f"checkpoint key {head.key_id} is not {head.actor}")
            elif head.at < key.valid_from or (key.revoked_at and head.at >= key.revoked_at):
                self._head_failure(head, f"checkpoint key {head.key_id} was not valid then")
            elif not head.signature_holds(key.public_raw):
                self._head_failure(head, "checkpoint signature does not verify")
            else:
                continue
            return

    def _head_failure(self, head: SignedTreeHead, reason: str) -> None:
        self.report.failure = Failure(
            position=head.size,
            aggregate_id="",
            subject=f"checkpoint of {head.at.date().isoformat()}",
            version=head.size,
            reason=reason,
        )

    def _snapshot_failure(self, position: int, aggregate_id: str, version: int) -> None:
        self.report.failure = Failure(
            position=position,
            aggregate_id=aggregate_id,
            subject=self._subjects.get(aggregate_id, "case"),
            version=version,
            reason="snapshot does not match the signed event at its version",
        )

    def check(self, row: StoredRow) -> bool:
        """Check the next row: False once a row failed (the report names it). With
        `defer_signatures`, the failure named may be an earlier row's signature."""
        report = self.report
        self._row = row
        self._before = (
            report.events,
            report.cases,
            report.keys,
            report.organisation,
            len(report.superseded_packs),
            self._subjects.get(row.aggregate_id),
        )
        try:
            self._check(row)
        except _Bad as bad:
            return self._failed(row, str(bad))
        except (KeyError, ValueError, TypeError) as exc:
            return self._failed(row, f"malformed event: {exc!r}")
        report.events += 1
        if len(self._pending) >= SIGNATURES_AT_ONCE:
            return self.settle()
        return True

    def _failed(self, row: StoredRow, reason: str) -> bool:
        """The row failed, unless a signature left for later fails first (an earlier row's,
        or this row's own: it came before what failed here)."""
        if self.settle():
            self._fail(row, reason)
            report, before = self.report, self._before
            self.failure_counted = (report.cases - before[1], report.keys - before[2])
        return False

    def settle(self) -> bool:
        """Check the signatures `check` deferred, oldest first. At the first that does not
        verify, the report says what it said as that row began and names that row, as if it
        had stopped there (which it would have, checking each signature in turn): nothing
        counted or found after it stays. False then, True if every one holds."""
        pending, self._pending = self._pending, []
        for item in pending:
            try:
                item.public.verify(item.signature, item.message)
                continue
            except InvalidSignature:
                reason = f"signature does not verify with key {item.key_id}"
            except (KeyError, ValueError, TypeError) as exc:
                reason = f"malformed event: {exc!r}"
            report, row = self.report, item.row
            events, cases, keys, organisation, superseded, subject = item.before
            report.events, report.cases, report.keys = events, cases, keys
            report.organisation = organisation
            del report.superseded_packs[superseded:]
            self.failure_counted = (0, 0)
            report.failure = Failure(
                position=row.position,
                aggregate_id=row.aggregate_id,
                subject=subject if subject is not None else _stream_of(row.topic),
                version=row.version,
                reason=reason,
            )
            return False
        return True

    def _fail(self, row: StoredRow, reason: str) -> None:
        self.report.failure = Failure(
            position=row.position,
            aggregate_id=row.aggregate_id,
            subject=self._subjects.get(row.aggregate_id, _stream_of(row.topic)),
            version=row.version,
            reason=reason,
        )

    def _check(self, row: StoredRow) -> None:
        env, payload, signature = _parse(row.state)
        if env["id"] != row.aggregate_id:
            raise _Bad(f"envelope names aggregate {env['id']}, row is stored under another")
        if env["v"] != row.version:
            raise _Bad(f"envelope says version {env['v']}, row is stored as version {row.version}")
        if env["topic"] != row.topic:
            raise _Bad(f"envelope topic {env['topic']!r} differs from stored topic {row.topic!r}")
        # `_parse` held the row to its canonical form, {"env":…,"payload":…,"sig":"…"}, so the
        # envelope's and the payload's canonical bytes are slices of it as stored: the
        # envelope ends at the first `},"payload":{` (its values are strings without a bare
        # quote, and an int), the payload between there and the signature.
        env_bytes = row.state[7 : row.state.index(b'},"payload":{', 7) + 1]
        sig_tail = 10 + (len(signature) + 2) // 3 * 4  # ,"sig":"<base64>"}
        payload_bytes = row.state[len(env_bytes) + 18 : -sig_tail]
        if hashlib.sha256(payload_bytes).hexdigest() != env["payload"]:
            raise _Bad("payload bytes do not match the digest in the envelope")
        digest = hashlib.sha256(env_bytes).hexdigest()
        chain = self._chains.get(row.aggregate_id) or _Chain()
        if row.version != chain.version + 1:
            missing = "first event" if chain.version == 0 else f"version {chain.version + 1}"
            raise _Bad(
                f"version {row.version} follows version {chain.version}: {missing} is "
                "missing or events are out of order"
            )
        if env["prev"] != chain.digest:
            raise _Bad("chain link broken: prev does not match the digest of the previous event")
        at = _parse_time(env["at"])
        topic = row.topic
        if topic.startswith("pmledger.keyring/"):
            _check_model(topic, env, payload)  # the keyring's checks read the change itself
            self._check_keyring_event(env, payload, signature, env_bytes, at)
        else:
            # Who signed is named before what was signed (an outsider's malformed row is an
            # unknown key): the signer check reads the actor defensively, the rest the model.
            key = self._check_signer(env["key"], payload, signature, env_bytes, at)
            _check_model(topic, env, payload)
            if topic.startswith("pmledger.person/"):
                self._check_directory_event(row, key, env["key"], payload)
                self._check_sealed(row, payload_bytes)
            elif not topic.startswith("pmledger.access/"):
                self._check_case_event(row, payload, chain)
                self._check_sealed(row, payload_bytes)
        at_snapshot = (row.aggregate_id, row.version)
        if at_snapshot in self.snapshot_seals:
            self._check_snapshot(self.snapshot_seals.pop(at_snapshot), digest)
        if chain.version == 0:
            self._chains[row.aggregate_id] = chain
        chain.version = row.version
        chain.digest = digest
        if topic.startswith("pmledger.case/") and payload["act"].get("kind") in COUNTERSIGNED:
            chain.awaiting[row.version] = digest
            if len(chain.awaiting) > PENDING_PER_CASE:
                del chain.awaiting[next(iter(chain.awaiting))]

    def _check_sealed(self, row: StoredRow, payload_bytes: bytes) -> None:
        if self.data_keys is not None:
            problem = self.data_keys.see_content(row.aggregate_id, payload_bytes)
            if problem is not None:
                raise _Bad(problem)

    def _check_snapshot(self, seal: SnapshotSeal | None, digest: str) -> None:
        """The snapshot at this event names its digest and is signed by a key valid when it
        was taken: what a load starts from is what the signed events fold to."""
        if seal is None or seal.head != digest:
            raise _Bad("snapshot does not match the signed event at its version")
        if seal.key_id is None:
            raise _Bad("snapshot is not signed (edited, or written by an older release)")
        key = self._keys.get(seal.key_id)
        if (
            key is None
            or seal.at < key.valid_from
            or (key.revoked_at and seal.at >= key.revoked_at)
        ):
            raise _Bad(f"snapshot signed by key {seal.key_id}, not valid when it was taken")
        if not seal.signed_by(seal.key_id, key.public_raw):
            raise _Bad("snapshot was changed after it was signed: its signature does not hold")

    def _check_signer(
        self, key_id: str, payload: dict[str, Any], sig: bytes, message: bytes, at: datetime
    ) -> _Key:
        key = self._keys.get(key_id)
        if key is None:
            raise _Bad(f"signed by unknown key {key_id} (not registered earlier in the log)")
        if key.revocation_seen and self.in_log_order:
            raise _Bad(f"signed by revoked key {key_id}: recorded after its revocation")
        if at < key.valid_from:
            raise _Bad(f"signed by key {key_id} before it became valid ({key.valid_from})")
        if key.revoked_at is not None and at >= key.revoked_at:
            raise _Bad(f"signed by key {key_id} after it was revoked ({key.revoked_at})")
        actor = payload.get("actor")
        if not isinstance(actor, dict) or actor.get("person_id") != key.person_id:
            raise _Bad(f"key {key_id} belongs to {key.person_id}, not to the recorded actor")
        if self.defer_signatures:
            assert self._row is not None, "called from check"
            self._pending.append(
                _Deferred(self._row, key_id, key.public, sig, message, self._before)
            )
            return key
        try:
            key.public.verify(sig, message)
        except InvalidSignature:
            raise _Bad(f"signature does not verify with key {key_id}") from None
        return key

    def _check_pack(self, pack: object, position: int) -> None:
        """A recorded pack digest must be the content of the pack file judging it now, or an
        earlier content a newer version of that pack lists as superseded (reported as such):
        a file changed without a new version, or a school's variant not registered, fails."""
        if self.pack_digest is None or not isinstance(pack, dict) or "digest" not in pack:
            return
        pack_id, version, digest = str(pack.get("id")), str(pack.get("version")), pack["digest"]
        ref = f"{pack_id}@{version}"
        known = self.pack_digest(pack_id, version)
        if known == digest:
            return
        why = self.pack_superseded(pack_id, version, digest) if self.pack_superseded else None
        if why is not None:
            if why not in self.report.superseded_packs:
                self.report.superseded_packs.append(why)
                self.superseded_at[why] = position
            return
        if known is None:
            raise _Bad(
                f"judged under pack {ref} (content {digest[:12]}…), whose file is not registered "
                "with this ledger and that no newer version lists as superseded: open the ledger "
                "with the school's pack file (pmledger --packs FILE verify, or "
                "Ledger.open(..., packs=[FILE])) and verify again"
            )
        raise _Bad(
            f"judged under pack {ref} with content {digest[:12]}…, but that pack's file now has "
            f"content {known[:12]}… and no newer version lists the earlier content as "
            "superseded: the file was changed without a new version"
        )

    def _check_case_event(self, row: StoredRow, payload: dict[str, Any], chain: _Chain) -> None:
        act = payload.get("act")
        if not isinstance(act, dict):
            raise _Bad("case event without an act")
        self._check_pack(payload.get("pack"), row.position)
        if act.get("kind") == "records_disposed" and self.data_keys is not None:
            for disposal in act["disposals"]:
                self.data_keys.see_certificate(
                    row.aggregate_id,
                    str(disposal["category"]),
                    str(act["as_of"]),
                    str(disposal["rule"]),
                    row.position,
                    row.version,
                )
        if act.get("kind") == "case_opened":
            self._subjects[row.aggregate_id] = (
                f"employee {act.get('employee_ref')} of {act.get('organisation')}"
            )
            self.report.cases += 1
        elif act.get("kind") == "record_acknowledged":
            self._check_acknowledgement(row, act, chain)

    def _check_acknowledgement(self, row: StoredRow, act: dict[str, Any], chain: _Chain) -> None:
        version = act.get("record_version")
        if not isinstance(version, int) or not 1 <= version < row.version:
            raise _Bad(f"acknowledges record version {version!r}, which precedes nothing")
        digest = chain.awaiting.get(version)
        if digest is None:
            state = self.lookup_state(row.aggregate_id, version)
            if state is None:
                raise _Bad(f"acknowledged record version {version} is missing")
            digest = _envelope_digest(state)
        if digest != act.get("record_digest"):
            raise _Bad(f"acknowledgement does not match the digest of record version {version}")
        chain.awaiting.pop(version, None)

    def _check_keyring_event(
        self,
        env: dict[str, Any],
        payload: dict[str, Any],
        sig: bytes,
        message: bytes,
        at: datetime,
    ) -> None:
        change = payload.get("change")
        if not isinstance(change, dict):
            raise _Bad("keyring event without a change")
        if change.get("kind") == "key_registered":
            public_raw = bytes.fromhex(str(change["public_key"]))
            key_id = str(change["registered_key_id"])
            if key_id_of(public_raw) != key_id:
                raise _Bad(f"registered key id {key_id} is not the fingerprint of its public key")
            new_key = _Key(
                person_id=str(change["person_id"]),
                roles=frozenset(str(r) for r in change["roles"]),
                public_raw=public_raw,
                public=Ed25519PublicKey.from_public_bytes(public_raw),
                valid_from=_parse_time(str(change["valid_from"])),
            )
            if not self._keys:
                if env["key"] != key_id:
                    raise _Bad("the first key registration must be signed by the key itself")
                self._keys[key_id] = new_key
                self._check_signer(env["key"], payload, sig, message, at)
            else:
                self._check_key_manager(env["key"], payload, sig, message, at)
                if key_id in self._keys:
                    raise _Bad(f"key {key_id} is registered twice")
                self._keys[key_id] = new_key
            self.report.keys += 1
        elif change.get("kind") == "key_revoked":
            self._check_key_manager(env["key"], payload, sig, message, at)
            revoked = self._keys.get(str(change["revoked_key_id"]))
            if revoked is None:
                raise _Bad(f"revokes unknown key {change['revoked_key_id']}")
            revoked.revoked_at = _parse_time(str(change["revoked_at"]))
            revoked.revocation_seen = True
        elif change.get("kind") == "organisation_named":
            self._check_key_manager(env["key"], payload, sig, message, at)
            self.report.organisation = str(change["organisation"])
        else:
            raise _Bad(f"unknown keyring change {change.get('kind')!r}")

    def _check_directory_event(
        self, row: StoredRow, key: _Key, key_id: str, payload: dict[str, Any]
    ) -> None:
        """A directory entry is signed (`key`, already checked as its signer's) by someone who
        keeps the directory, in the stream of the person it describes: an entry moved into
        another person's stream fails."""
        if not key.roles & DIRECTORY_KEEPERS:
            raise _Bad(
                f"key {key_id} may not sign directory entries (needs hr, administrator or dpo)"
            )
        change = payload.get("change")
        if not isinstance(change, dict) or not isinstance(change.get("person_id"), str):
            raise _Bad("directory event without a person")
        if str(directory_id(change["person_id"])) != row.aggregate_id:
            raise _Bad(f"entry for {change['person_id']} is stored in another person's stream")
        self._subjects.setdefault(row.aggregate_id, f"directory entry of {change['person_id']}")
        if change.get("kind") == "directory_entry_disposed" and self.data_keys is not None:
            self.data_keys.see_certificate(
                row.aggregate_id,
                DIRECTORY_CATEGORY,
                str(change["as_of"]),
                str(change["rule"]),
                row.position,
                row.version,
            )

    def _check_key_manager(
        self, key_id: str, payload: dict[str, Any], sig: bytes, message: bytes, at: datetime
    ) -> None:
        key = self._check_signer(key_id, payload, sig, message, at)
        if not key.roles & KEY_MANAGERS:
            raise _Bad(f"key {key_id} may not change the keyring (needs administrator or hr)")


def verify_case(keyring: Iterable[StoredRow], case: Iterable[StoredRow]) -> VerifyReport:
    """Check one case's chain, payloads and signatures against the keyring, without reading
    the rest of the log: the quick check before a case is shown.

    The keyring is checked as in `Verifier.run`; the case's keys are held to the times they
    were valid. Only the whole-log `Ledger.verify` also holds keys to log order and the log to
    its checkpoints.
    """
    case_rows = list(case)
    states = {(row.aggregate_id, row.version): row.state for row in case_rows}
    verifier = Verifier(lookup_state=lambda aggregate, version: states.get((aggregate, version)))
    for row in keyring:
        if not verifier.check(row):
            return verifier.report
    verifier.in_log_order = False
    for row in case_rows:
        if not verifier.check(row):
            break
    return verifier.report


def _parse(state: bytes) -> tuple[dict[str, Any], dict[str, Any], bytes]:
    try:
        doc = parse_canonical(state)
    except ValueError as exc:
        raise _Bad(f"stored bytes are damaged: {exc}") from None
    if not isinstance(doc, dict) or doc.keys() != _RECORD_FIELDS:
        raise _Bad("stored event is not an {env, payload, sig} record")
    env, payload, sig = doc["env"], doc["payload"], doc["sig"]
    if not isinstance(env, dict) or tuple(env) != ENVELOPE_FIELDS:  # canonical: keys sorted
        raise _Bad("envelope fields are missing or extra")
    if not isinstance(payload, dict):
        raise _Bad("payload is not an object")
    try:
        signature = unb64(sig)
    except (ValueError, AttributeError, TypeError):
        raise _Bad("signature is not valid base64") from None
    if b64(signature) != sig:
        raise _Bad("signature is not in canonical base64 (its unused bits were changed)")
    return env, payload, signature


def _check_model(topic: str, env: dict[str, Any], payload: dict[str, Any]) -> None:
    """The row must be what the ledger loads: its payload valid for its model, and its act
    the kind its topic names. A signature says who wrote the bytes, not that they are an act
    (a key holder can sign a field of the wrong type, an unknown kind, a missing field), and
    a row verify passed that the ledger then refused to load, or filed under another kind,
    would be trusted without being checked."""
    try:
        event = from_stored(topic, env, payload)
    except ValidationError as exc:
        raise _Bad(f"does not match its model ({topic}): {_model_errors(exc)}") from None
    except ValueError as exc:  # an unknown stream
        raise _Bad(str(exc)) from None
    if event.topic != topic:
        raise _Bad(f"stored under topic {topic} but its act is {event.kind}")


def _model_errors(exc: ValidationError, shown: int = 3) -> str:
    """Where and what, never the values (they may be personal content)."""
    problems = []
    for error in exc.errors(include_url=False, include_input=False, include_context=True):
        where = ".".join(str(part) for part in error["loc"])
        if error["type"] == "union_tag_invalid":
            what = f"no act has kind {error.get('ctx', {}).get('tag')!r}"
        else:
            what = error["msg"]
        problems.append(f"{where}: {what}")
    more = len(problems) - shown
    return "; ".join(problems[:shown]) + (f" (and {more} more)" if more > 0 else "")


def _envelope_digest(state: bytes) -> str:
    env, _, _ = _parse(state)
    return hashlib.sha256(orjson.dumps(env, option=_SORT)).hexdigest()


def _parse_time(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise _Bad(f"time {text!r} is not an ISO 8601 timestamp") from None
    if value.tzinfo is None:
        raise _Bad(f"time {text!r} has no time zone")
    return value


def _stream_of(topic: str) -> str:
    return topic.removeprefix("pmledger.").split("/", 1)[0]
