"""Moving paper and spreadsheet history into the ledger: one act per JSON line.

Every line is a RecordAct in its JSON form and is judged exactly like a live act, in file
order. The whole file is read and validated first: if any line is malformed, nothing is
stored and every such line is named. Then it is stored `chunk` acts a transaction (one batch
for a file of up to `chunk` acts: a refused line and nothing is stored). Each transaction
also stores how far the file got (`storage.imports`), so a larger import that was killed, or
stopped at a refused line, continues where it stopped when the same file (its refused line
corrected) is imported again: nothing is stored twice. Memory stays that of one chunk,
whatever the size of the file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

import orjson
from pydantic import ValidationError

from pmledger.commands import RecordAct
from pmledger.errors import BatchRejected, InvalidInput, PmLedgerError
from pmledger.ledger.facade import Ledger
from pmledger.policies.judgement import Finding
from pmledger.storage.imports import ImportMark

MAX_REPORTED = 20
CHUNK = 1000
"""Acts stored per transaction: large enough that a commit per chunk costs little, small
enough that a chunk's cases and receipts are all an import holds."""
MAX_FINDINGS = 1000
"""Findings kept for the report (all are counted); each is stored with its act either way."""

Progress = Callable[[int, int], None]
"""Told (lines done, lines in the file) as the import goes."""
CHECK_STEP = 1000
"""Lines checked between two reports of the first pass's progress (≈ 25 ms of checking)."""


class ImportRejected(PmLedgerError):
    """The file was not (wholly) imported; `problems` lists (line number, message), first ones
    first; `stored_lines` is how many of its first lines are stored (0: nothing)."""

    def __init__(self, path: Path, problems: list[tuple[int, str]], stored_lines: int = 0):
        shown = "; ".join(f"line {n}: {m}" for n, m in problems[:MAX_REPORTED])
        more = len(problems) - MAX_REPORTED
        done = (
            f"lines 1-{stored_lines} are stored; correct line {problems[0][0]} and import the "
            "file again to continue from there"
            if stored_lines
            else "nothing was imported"
        )
        super().__init__(
            f"{path}: {done} — {shown}" + (f"; and {more} more problems" if more > 0 else "")
        )
        self.problems = problems
        self.stored_lines = stored_lines


@dataclass
class ImportReport:
    acts: int = 0
    """Acts stored by this run (a rerun stores only those after the lines already stored)."""
    cases: set[UUID] = field(default_factory=set)
    findings: list[tuple[int, Finding]] = field(default_factory=list)
    """The first `MAX_FINDINGS` findings, by line."""
    findings_total: int = 0
    resumed_after: int = 0
    """Lines of the file an earlier run had already stored (0: a new import)."""
    lines: int = 0


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    try:
        with path.open("rb") as file:
            yield from enumerate(file, start=1)
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None


def _command(raw: bytes) -> RecordAct | None:
    if not raw.strip() or raw.lstrip().startswith(b"#"):
        return None
    return RecordAct.model_validate(orjson.loads(raw))


def _count_lines(path: Path) -> int:
    """Lines in the file as `_lines` numbers them, counted a megabyte at a time: a second
    read of the file (under a second for a million acts) so the first pass can show its
    progress against a total."""
    count, last = 0, b"\n"
    try:
        with path.open("rb") as file:
            while block := file.read(1 << 20):
                count += block.count(b"\n")
                last = block[-1:]
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    return count + (last != b"\n")


def check_file(
    path: Path, marks: dict[str, ImportMark], checking: Progress | None = None
) -> tuple[int, ImportMark | None]:
    """Validate every line (all malformed lines reported at once, nothing stored) and find
    the longest stored prefix of the file: (lines in the file, its mark or None).
    `checking` is told (lines checked, lines in the file) every CHECK_STEP lines: for a
    million acts this pass takes minutes before anything is stored."""
    total = _count_lines(path) if checking is not None else 0
    problems: list[tuple[int, str]] = []
    by_lines: dict[int, set[str]] = {}
    for mark in marks.values():
        by_lines.setdefault(mark.lines, set()).add(mark.prefix_sha256)
    digest = hashlib.sha256()
    resume: ImportMark | None = None
    count = 0
    for count, raw in _lines(path):
        digest.update(raw)
        if count in by_lines and (prefix := digest.hexdigest()) in by_lines[count]:
            resume = marks[prefix]
        try:
            _command(raw)
        except orjson.JSONDecodeError as exc:
            problems.append((count, f"not valid JSON ({exc})"))
        except ValidationError as exc:
            problems.append((count, _first_errors(exc)))
        if checking is not None and count % CHECK_STEP == 0:
            checking(count, max(total, count))
    if checking is not None:
        checking(count, count)
    if problems:
        raise ImportRejected(path, problems)
    return count, resume


def import_jsonl(
    ledger: Ledger,
    path: Path,
    *,
    chunk: int = CHUNK,
    progress: Progress | None = None,
    checking: Progress | None = None,
) -> ImportReport:
    """Check the whole file (`checking` told how far), then store it (`progress` told)."""
    total, resume = check_file(path, ledger.import_marks(), checking)
    report = ImportReport(resumed_after=resume.lines if resume else 0, lines=total)
    if progress is not None:
        progress(report.resumed_after, total)
    digest = hashlib.sha256()
    mark = resume
    numbered: list[tuple[int, RecordAct]] = []

    def store(through: int) -> None:
        nonlocal mark
        acts = (mark.acts if mark else 0) + len(numbered)
        new = ImportMark(digest.hexdigest(), through, acts, mark.prefix_sha256 if mark else None)
        try:
            receipts = ledger.record_batch([c for _, c in numbered], import_mark=new)
        except BatchRejected as rejected:
            line = numbered[rejected.index][0]
            stored = mark.lines if mark else 0
            raise ImportRejected(path, [(line, str(rejected.cause))], stored) from None
        for (number, _), receipt in zip(numbered, receipts, strict=True):
            report.cases.add(receipt.case_id)
            report.findings_total += len(receipt.findings)
            room = MAX_FINDINGS - len(report.findings)
            report.findings.extend((number, f) for f in receipt.findings[: max(room, 0)])
        report.acts += len(numbered)
        mark = new
        numbered.clear()
        if progress is not None:
            progress(through, total)

    for number, raw in _lines(path):
        digest.update(raw)
        if number <= report.resumed_after:
            continue
        command = _command(raw)
        if command is not None:
            numbered.append((number, command))
        if len(numbered) >= chunk:
            store(number)
    if numbered:
        store(total)
    return report


def _first_errors(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors(include_url=False)[:3]:
        where = ".".join(str(p) for p in error["loc"])
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)
