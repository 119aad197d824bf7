"""`verify-bundle`: check a case bundle with nothing but the bundle (no database, no keys).

Layer by layer, each naming what it finds wrong: the zip's layout (any changed byte, headers
included), the sealed manifest and the digest of every member, every keyring and case event
through the same `Verifier` as `pmledger verify` (signatures, chain links, key validity, in
log order), the case's chain from version 1 to the head the manifest names, the signed tree
head with every event's inclusion proof, the head's map of case heads naming the bundle's last
case and keyring events as the newest at its size, every other head's consistency proof and
(where the bundle carries them) its map's entries naming the bundle's last events below its
size, heads the recipient was given (`published`: each one's map must name where the case
stood at its size), chronology.json against the events, and the PDF
against its digest and its printed chronology.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import orjson
from pydantic import BaseModel, ValidationError
from pypdf import PdfReader

from pmledger.aggregates.keyring import KeyRecord, project_keyring
from pmledger.audit.stored_row import StoredRow
from pmledger.audit.verifier import Verifier
from pmledger.canonical import sha256_hex
from pmledger.events.case_acts import CaseOpened
from pmledger.events.keyring_acts import KeyRegistered
from pmledger.events.signed_event import CaseEvent, KeyringEvent
from pmledger.events.values import FrozenModel
from pmledger.export.bundle_zip import DOCUMENTS_FOLDER, member_name
from pmledger.export.case_extract import stored_digest
from pmledger.export.chronology import (
    Chronology,
    ChronologyRow,
    chronology_rows,
    printed_row_key,
    visible,
)
from pmledger.export.manifest import (
    CHRONOLOGY,
    MANIFEST,
    MEDIA_TYPE,
    MIMETYPE,
    ROWS,
    Head,
    Manifest,
)
from pmledger.export.presentation import day, record_heading
from pmledger.export.proofs import (
    HEAD,
    PROOFS,
    BundleProofs,
    ProofProblem,
    StreamEnd,
    check_checkpoint,
)
from pmledger.export.zip_container import (
    END_SIGNATURE,
    LOCAL_SIGNATURE,
    ContainerDamaged,
    Member,
    first_difference,
    read_members,
)
from pmledger.ids import KEYRING_ID, case_id
from pmledger.integrity.tree_head import SignedTreeHead
from pmledger.ledger.documents import refs_of
from pmledger.ledger.mapper import decode_event

MARKER = b"pmledger-bundle"
"""Found in the `mimetype` member and in the manifest: a bundle has it twice, far apart."""
_END_SEARCH = 22 + 0xFFFF


M = TypeVar("M", bound=BaseModel)
E = TypeVar("E", CaseEvent, KeyringEvent)


class NotABundle(Exception):
    """The input is not a pmledger bundle (or cannot be read at all): nothing was checked."""


@dataclass(frozen=True)
class Problem:
    where: str
    what: str

    def describe(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass
class BundleReport:
    bundle: Path
    pdf: Path | None = None
    problem: Problem | None = None
    members: int = 0
    keyring_events: int = 0
    case_events: int = 0
    chronology_rows: int = 0
    documents: int = 0
    head: Head | None = None
    tree_head: SignedTreeHead | None = None
    checks: list[str] = field(default_factory=list)
    """What held, in the order it was checked."""
    root_key: str | None = None
    """Fingerprint of the keyring's first key, registered by itself: every signature in the
    bundle goes back to it, so the result holds only as far as this is the organisation's."""
    signers: dict[str, str] = field(default_factory=dict)
    """Fingerprint -> whose key it is, for every key that signed the case's events or the
    tree head: the keys the result rests on besides the root."""
    organisation: str | None = None
    """Whose ledger, as the bundle's keyring signs it (None if it never named one)."""
    trusted: str | None = None
    """The organisation root key given from outside (`--trust`) that the root matched."""

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def caveat(self) -> str | None:
        """What an OK without a trusted root does not show, said with the result."""
        if self.trusted is not None or self.root_key is None or not self.ok:
            return None
        return (
            f"this holds only as far as the bundle's own signer: its keyring certifies itself "
            f"from root key {self.root_key}, and a bundle made from anyone's own ledger would "
            "pass as well; compare that fingerprint with the organisation's root key, or pass "
            "it with --trust"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "bundle": str(self.bundle),
            "pdf": str(self.pdf) if self.pdf else None,
            "members": self.members,
            "keyring_events": self.keyring_events,
            "case_events": self.case_events,
            "chronology_rows": self.chronology_rows,
            "documents": self.documents,
            "case_head": self.head.model_dump() if self.head else None,
            "tree_head": None
            if self.tree_head is None
            else {
                "size": self.tree_head.size,
                "root": self.tree_head.root,
                "cases_root": self.tree_head.cases_root,
            },
            "checks": self.checks,
            "organisation": self.organisation,
            "root_key": self.root_key,
            "signers": self.signers,
            "trusted_root": self.trusted,
            "caveat": self.caveat,
            "problem": None
            if self.problem is None
            else {"where": self.problem.where, "what": self.problem.what},
        }


class _Failed(Exception):
    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}")
        self.problem = Problem(where, what)


class RowEntry(FrozenModel):
    aggregate_id: str
    member: str
    position: int
    topic: str
    version: int


def verify_bundle(
    bundle: Path,
    pdf: Path | None = None,
    published: Sequence[SignedTreeHead] = (),
    trust: str | None = None,
) -> BundleReport:
    """Check everything; the report names the first thing that does not hold.

    `published` are tree heads the recipient holds from outside the bundle: each must be
    consistent with the bundle's head, or the log was rewritten since it was given out.
    `trust` is the organisation's root key fingerprint, known from outside the bundle: the
    bundle's keyring must rest on it, or the bundle comes from another ledger (whose own
    signatures all hold). Without it the report says the result holds only as far as the
    bundle's own signer (`caveat`).
    """
    data = _read_bundle(bundle)
    pdf_data = _read_pdf(pdf) if pdf is not None else None
    report = BundleReport(bundle=bundle, pdf=pdf)
    try:
        check = _BundleCheck(data, report)
        check.run(pdf_data, published)
        if trust is not None:
            check.rests_on(trust)
    except _Failed as failed:
        report.problem = failed.problem
    return report


def _read_bundle(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NotABundle(f"cannot read {path}: {exc.strerror or exc}") from None
    zip_like = (
        data[:4] == LOCAL_SIGNATURE
        or data.rfind(END_SIGNATURE, max(0, len(data) - _END_SEARCH)) >= 0
    )
    if not zip_like:
        raise NotABundle(f"{path} is not a zip archive, so not a pmledger bundle")
    if MARKER not in data:
        raise NotABundle(f"{path} is a zip archive but not a pmledger bundle")
    return data


def _read_pdf(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise NotABundle(f"cannot read {path}: {exc.strerror or exc}") from None


class _BundleCheck:
    def __init__(self, data: bytes, report: BundleReport) -> None:
        self.data = data
        self.report = report
        self.members: dict[str, Member] = {}

    def run(self, pdf: bytes | None, published: Sequence[SignedTreeHead]) -> None:
        manifest = self._manifest()
        self._members_match(manifest)
        entries = self._rows(manifest)
        events = self._signed_events(manifest, entries)
        self._documents(events)
        self._checkpoint(manifest, entries, published)
        chronology = self._chronology(manifest, events)
        if pdf is not None:
            self._pdf(manifest, chronology, events, pdf)

    def content(self, name: str) -> bytes:
        member = self.members[name]
        return self.data[member.data_at : member.data_at + member.size]

    def held(self, check: str) -> None:
        self.report.checks.append(check)

    # the container and the manifest ---------------------------------------------------------

    def _manifest(self) -> Manifest:
        try:
            members = read_members(self.data)
        except ContainerDamaged as damaged:
            raise _Failed("zip container", str(damaged)) from None
        for member in members:
            if member.name in self.members:
                raise _Failed("zip container", f"member {member.name} appears twice")
            self.members[member.name] = member
        if MANIFEST not in self.members:
            raise _Failed(MANIFEST, "missing from the bundle")
        raw = self.content(MANIFEST)
        manifest = _parse(Manifest, raw, MANIFEST)
        if manifest.encode() != raw:
            raise _Failed(MANIFEST, "not in the form pmledger writes it: it was edited")
        if manifest.seal != manifest.expected_seal():
            raise _Failed(MANIFEST, "its seal does not match its content: it was edited")
        self.held("manifest.json is intact (canonical form, seal holds)")
        return manifest

    def _members_match(self, manifest: Manifest) -> None:
        listed = [m.name for m in manifest.members] + [MANIFEST]
        seen: set[str] = set()
        for name in listed:
            if name in seen:
                raise _Failed(MANIFEST, f"lists member {name} twice")
            seen.add(name)
        present = list(self.members)
        for name in present:
            if name not in seen:
                raise _Failed(f"member {name}", "not listed in the manifest (added)")
        for name in listed:
            if name not in self.members:
                raise _Failed(f"member {name}", "listed in the manifest but missing (removed)")
        if present != listed:
            moved = next(a for a, b in zip(present, listed, strict=False) if a != b)
            raise _Failed(f"member {moved}", "out of the order the manifest lists (reordered)")
        for entry in manifest.members:
            content = self.content(entry.name)
            if len(content) != entry.size or sha256_hex(content) != entry.sha256:
                raise _Failed(f"member {entry.name}", "its SHA-256 differs from the manifest")
        self.report.members = len(listed)
        self.held(f"all {len(listed)} members match their SHA-256 in the manifest")
        region = first_difference(self.data, list(self.members.values()))
        if region is not None:
            raise _Failed(
                "zip container",
                f"{region.what} (from byte {region.start}) differs from the layout pmledger "
                "writes: the zip was altered",
            )
        if self.content(MIMETYPE) != MEDIA_TYPE:
            raise _Failed(f"member {MIMETYPE}", "not the pmledger bundle media type")
        self.held("the zip container is byte for byte as pmledger writes it")

    # the signed events ------------------------------------------------------------------------

    def _rows(self, manifest: Manifest) -> list[RowEntry]:
        ids = {str(manifest.case_id), str(KEYRING_ID)}
        entries: list[RowEntry] = []
        referenced: set[str] = set()
        for number, line in enumerate(self.content(ROWS).splitlines(), 1):
            entry = _parse(RowEntry, line, f"{ROWS} line {number}")
            where = f"{ROWS} line {number}"
            if entry.aggregate_id not in ids:
                raise _Failed(
                    where, f"aggregate {entry.aggregate_id} is neither the case nor the keyring"
                )
            expected = member_name(_row(entry, b""))
            if entry.member != expected:
                raise _Failed(where, f"names member {entry.member}, expected {expected}")
            if entry.member not in self.members or entry.member in referenced:
                raise _Failed(where, f"member {entry.member} is missing or listed twice")
            if entries and entry.position <= entries[-1].position:
                raise _Failed(where, "log positions do not increase: rows were reordered")
            referenced.add(entry.member)
            entries.append(entry)
        unlisted = [
            name
            for name in self.members
            if name.startswith(("case/", "keyring/")) and name not in referenced
        ]
        if unlisted:
            raise _Failed(f"member {unlisted[0]}", f"an event not listed in {ROWS}")
        return entries

    def _signed_events(self, manifest: Manifest, entries: list[RowEntry]) -> list[CaseEvent]:
        by_version = {(e.aggregate_id, e.version): e.member for e in entries}

        def lookup(aggregate_id: str, version: int) -> bytes | None:
            member = by_version.get((aggregate_id, version))
            return None if member is None else self.content(member)

        verifier = Verifier(lookup_state=lookup)
        report = verifier.run(_row(entry, self.content(entry.member)) for entry in entries)
        if report.failure is not None:
            failure = report.failure
            member = by_version.get((failure.aggregate_id, failure.version), "?")
            raise _Failed(f"member {member}", failure.describe())
        case = str(manifest.case_id)
        case_entries = [e for e in entries if e.aggregate_id == case]
        keyring_entries = [e for e in entries if e.aggregate_id != case]
        self._head("case", manifest.case_head, case_entries)
        self._head("keyring", manifest.keyring_head, keyring_entries)
        events = [self._decode(entry, CaseEvent) for entry in case_entries]
        opened = events[0].act
        if not isinstance(opened, CaseOpened) or (
            opened.organisation,
            opened.employee_ref,
        ) != (manifest.organisation, manifest.employee_ref):
            raise _Failed(MANIFEST, "names an employee other than the one the case opens for")
        if case_id(opened.organisation, opened.employee_ref) != manifest.case_id:
            raise _Failed(MANIFEST, "case id is not the id of the employee the case opens for")
        self._keys_relied_on([self._decode(e, KeyringEvent) for e in keyring_entries], events)
        self.report.keyring_events = len(keyring_entries)
        self.report.case_events = len(case_entries)
        self.report.head = manifest.case_head
        self.held(
            f"{len(keyring_entries)} keyring and {len(case_entries)} case events verified "
            "(signatures, chain links, key validity)"
        )
        self.held(f"the case runs unbroken from version 1 to the head, version {len(case_entries)}")
        return events

    def _keys_relied_on(self, keyring: list[KeyringEvent], events: list[CaseEvent]) -> None:
        """The root key (the first registration, signed by itself, as the verifier holds it
        to) and whose key signed each case event: what the result rests on."""
        first = keyring[0].change
        assert isinstance(first, KeyRegistered)
        self.report.root_key = first.registered_key_id
        named = project_keyring(None, keyring)
        assert named is not None
        self.report.organisation = named.organisation
        for event in events:
            self.report.signers[event.key_id] = _whose(named.keys[event.key_id])

    def rests_on(self, trusted: str) -> None:
        """The bundle's root key must be the organisation's, known from outside the bundle."""
        if self.report.root_key != trusted:
            raise _Failed(
                "keyring",
                f"rests on root key {self.report.root_key}, not on the organisation's root key "
                f"{trusted} given with --trust: the bundle was made from another ledger",
            )
        self.report.trusted = trusted
        self.held(f"the keyring rests on the trusted organisation root key {trusted}")

    def _documents(self, events: list[CaseEvent]) -> None:
        """Every document the bundle carries must hash to a digest a signed record names (its
        member name is that digest): a changed byte fails here even when the manifest was
        rewritten to match, since the records' signatures hold the digests."""
        named = {ref.sha256 for event in events for ref in refs_of(event.act)}
        count = 0
        for name in self.members:
            if not name.startswith(DOCUMENTS_FOLDER):
                continue
            digest = name.removeprefix(DOCUMENTS_FOLDER).split(".", 1)[0]
            if digest not in named:
                raise _Failed(f"member {name}", "no signed record names this document")
            if sha256_hex(self.content(name)) != digest:
                raise _Failed(
                    f"member {name}",
                    "its bytes do not have the SHA-256 its signed record names: it was changed",
                )
            count += 1
        self.report.documents = count
        if count:
            self.held(f"all {count} documents have the SHA-256 their signed records name")

    def _head(self, stream: str, head: Head, entries: list[RowEntry]) -> None:
        if not entries:
            raise _Failed(ROWS, f"the bundle holds no {stream} events")
        last = entries[-1]
        if last.version != head.version or len(entries) != head.version:
            raise _Failed(
                MANIFEST,
                f"names {stream} head version {head.version}, but the bundle's {stream} chain "
                f"ends at version {last.version}",
            )
        if stored_digest(self.content(last.member)) != head.digest:
            raise _Failed(MANIFEST, f"{stream} head digest differs from the last {stream} event")

    def _decode(self, entry: RowEntry, kind: type[E]) -> E:
        try:
            event = decode_event(entry.topic, self.content(entry.member))
        except (ValidationError, ValueError, KeyError, TypeError) as exc:
            raise _Failed(
                f"member {entry.member}", f"signed, but this pmledger cannot read it: {exc}"
            ) from None
        if not isinstance(event, kind):
            raise _Failed(f"member {entry.member}", f"not a {kind.__name__}")
        return event

    def _checkpoint(
        self, manifest: Manifest, entries: list[RowEntry], published: Sequence[SignedTreeHead]
    ) -> None:
        for name in (HEAD, PROOFS):
            if name not in self.members:
                raise _Failed(f"member {name}", "missing: the bundle carries no checkpoint")
        head = _parse(SignedTreeHead, self.content(HEAD), HEAD)
        proofs = _parse(BundleProofs, self.content(PROOFS), PROOFS)
        keyring = project_keyring(
            None,
            (
                self._decode(entry, KeyringEvent)
                for entry in entries
                if entry.aggregate_id != str(manifest.case_id)
            ),
        )
        keys = {} if keyring is None else keyring.keys
        stored = [(entry.member, self.content(entry.member)) for entry in entries]
        ends = [
            self._end("case", manifest.case_id, entries),
            self._end("keyring", KEYRING_ID, entries),
        ]
        streams = {str(manifest.case_id): "case", str(KEYRING_ID): "keyring"}
        stream_events = [
            StreamEnd(
                streams[entry.aggregate_id],
                UUID(entry.aggregate_id),
                entry.member,
                entry.version,
                self.content(entry.member),
            )
            for entry in entries
        ]
        try:
            held = check_checkpoint(head, proofs, stored, ends, keys, published, stream_events)
        except ProofProblem as problem:
            raise _Failed(problem.where, problem.what) from None
        self.report.tree_head = head
        self.report.signers.setdefault(head.key_id, _whose(keys[head.key_id]))
        for check in held:
            self.held(check)

    def _end(self, stream: str, aggregate_id: UUID, entries: list[RowEntry]) -> StreamEnd:
        """The stream's last event in the bundle; `_signed_events` has seen that it has one."""
        last = [entry for entry in entries if entry.aggregate_id == str(aggregate_id)][-1]
        return StreamEnd(stream, aggregate_id, last.member, last.version, self.content(last.member))

    # what the bundle says about the events --------------------------------------------------

    def _chronology(self, manifest: Manifest, events: list[CaseEvent]) -> Chronology:
        chronology = _parse(Chronology, self.content(CHRONOLOGY), CHRONOLOGY)
        if chronology.case_id != manifest.case_id or chronology.as_of != manifest.as_of:
            raise _Failed(CHRONOLOGY, "is for another case or another as-of date than the manifest")
        derived = chronology_rows(events)
        listed = [entry.row for entry in chronology.rows]
        for number, (said, truth) in enumerate(zip(listed, derived, strict=False), 1):
            if said != truth:
                raise _Failed(
                    CHRONOLOGY,
                    f"row {number} reads {_row_text(said)!r}, but the events give "
                    f"{_row_text(truth)!r}",
                )
        if len(listed) != len(derived):
            raise _Failed(
                CHRONOLOGY, f"has {len(listed)} rows for the {len(derived)} events of the case"
            )
        self.report.chronology_rows = len(listed)
        self.held(f"chronology.json shows exactly the case's {len(listed)} events")
        return chronology

    def _pdf(
        self, manifest: Manifest, chronology: Chronology, events: list[CaseEvent], pdf: bytes
    ) -> None:
        where = self.report.pdf.name if self.report.pdf else manifest.pdf.name
        if sha256_hex(pdf) != manifest.pdf.sha256:
            raise _Failed(where, "its SHA-256 differs from the one in the manifest")
        pages = _page_texts(pdf, where)
        text = "".join(pages)
        position = 0
        for entry in chronology.rows:
            found = text.find(printed_row_key(entry.row, entry.page), position)
            if found < 0:
                raise _Failed(where, f"its chronology does not show {_row_text(entry.row)!r}")
            position = found
            if not 1 <= entry.page <= len(pages):
                raise _Failed(
                    CHRONOLOGY, f"v{entry.version} points at page {entry.page}, not in the PDF"
                )
            event = events[entry.version - 1]
            heading = visible(record_heading(entry.version, event.occurred_on, event.kind))
            if heading not in pages[entry.page - 1]:
                raise _Failed(where, f"page {entry.page} does not hold record v{entry.version}")
        if visible(day(manifest.as_of)) not in pages[0]:
            raise _Failed(where, "its cover does not give the manifest's as-of date")
        if manifest.case_head.digest not in text:
            raise _Failed(where, "does not print the chain head the manifest names")
        self.held(
            f"{where} matches the manifest and its chronology shows every event, each "
            "pointing at the page of its record"
        )


def _whose(key: KeyRecord) -> str:
    return f"{key.person_id} ({', '.join(role.value for role in key.roles)})"


def _row(entry: RowEntry, state: bytes) -> StoredRow:
    return StoredRow(
        position=entry.position,
        aggregate_id=entry.aggregate_id,
        version=entry.version,
        topic=entry.topic,
        state=state,
    )


def _parse(model: type[M], raw: bytes, where: str) -> M:
    try:
        return model.model_validate(orjson.loads(raw))
    except orjson.JSONDecodeError as exc:
        raise _Failed(where, f"not valid JSON ({exc})") from None
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        place = ".".join(str(p) for p in first["loc"]) or "content"
        raise _Failed(where, f"{place}: {first['msg']}") from None


def _row_text(row: ChronologyRow) -> str:
    return " | ".join(row.cells())


def _page_texts(pdf: bytes, where: str) -> list[str]:
    """The visible text of every page; any failure of the PDF parser is a damaged PDF."""
    try:
        reader = PdfReader(BytesIO(pdf))
        return [visible(page.extract_text() or "") for page in reader.pages]
    except Exception as exc:  # pypdf raises many types on damaged input; all mean the same
        raise _Failed(where, f"cannot be read as a PDF ({type(exc).__name__}: {exc})") from None
