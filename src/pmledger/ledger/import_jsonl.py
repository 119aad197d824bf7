"""Moving paper and spreadsheet history into the ledger: one act per JSON line.

Every line is a RecordAct in its JSON form and is judged exactly like a live act, in file
order. The file is one batch: if any line is malformed or refused, nothing is stored, and the
error names the line so the file can be fixed and imported again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

import orjson
from pydantic import ValidationError

from pmledger.commands import RecordAct
from pmledger.errors import BatchRejected, InvalidInput, PmLedgerError
from pmledger.ledger.facade import Ledger, Receipt
from pmledger.policies.judgement import Finding

MAX_REPORTED = 20


class ImportRejected(PmLedgerError):
    """The file was not imported; `problems` lists (line number, message), first ones first."""

    def __init__(self, path: Path, problems: list[tuple[int, str]]) -> None:
        shown = "; ".join(f"line {n}: {m}" for n, m in problems[:MAX_REPORTED])
        more = len(problems) - MAX_REPORTED
        super().__init__(
            f"{path}: nothing was imported — {shown}"
            + (f"; and {more} more problems" if more > 0 else "")
        )
        self.problems = problems


@dataclass
class ImportReport:
    acts: int = 0
    cases: set[UUID] = field(default_factory=set)
    findings: list[tuple[int, Finding]] = field(default_factory=list)


def read_commands(path: Path) -> list[tuple[int, RecordAct]]:
    """Parse and validate every line; report all malformed lines at once."""
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    commands: list[tuple[int, RecordAct]] = []
    problems: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith(b"#"):
            continue
        try:
            commands.append((number, RecordAct.model_validate(orjson.loads(raw))))
        except orjson.JSONDecodeError as exc:
            problems.append((number, f"not valid JSON ({exc})"))
        except ValidationError as exc:
            problems.append((number, _first_errors(exc)))
    if problems:
        raise ImportRejected(path, problems)
    return commands


def import_jsonl(ledger: Ledger, path: Path) -> ImportReport:
    numbered = read_commands(path)
    try:
        receipts: list[Receipt] = ledger.record_batch([command for _, command in numbered])
    except BatchRejected as rejected:
        raise ImportRejected(path, [(numbered[rejected.index][0], str(rejected.cause))]) from None
    report = ImportReport(acts=len(receipts))
    for (number, _), receipt in zip(numbered, receipts, strict=True):
        report.cases.add(receipt.case_id)
        report.findings.extend((number, finding) for finding in receipt.findings)
    return report


def _first_errors(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors(include_url=False)[:3]:
        where = ".".join(str(p) for p in error["loc"])
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)
