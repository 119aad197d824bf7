"""Print the README's reliability table from the figures the reliability tests recorded.

    PMLEDGER_RELIABILITY_FIGURES=figures.jsonl pytest -n 2 tests/reliability
    python -m tests.reliability.table figures.jsonl

A test records its figures only after all of its assertions held, so every row's "lost" is
what the test proved, not what it hoped.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

ROWS = [
    (
        "crash-append",
        "SIGKILL of a process appending signed events (`Ledger.record`) at random points",
        "{kills} kills in {runs} runs; {acknowledged} acknowledged appends checked",
        "no acknowledged append lost, none half-written or stored twice; reruns finished",
    ),
    (
        "crash-purge",
        "SIGKILL of `pmledger retention purge` at random points, then a rerun",
        "{kills} kills in {runs} runs over {ledgers} ledgers; {interrupted} left a signed "
        "certificate whose keys the rerun destroyed",
        "none: no key destroyed before its certificate; same certificates and destroyed keys "
        "as one clean run",
    ),
    (
        "disk-full-purge",
        "`pmledger retention purge` on a full disk (a 4 MiB tmpfs filled to a seeded number of "
        "free bytes), then a rerun",
        "{runs} runs, {stopped} stopped with exit 3 (rerun)",
        "none: no key destroyed before its certificate; `verify` clean; the rerun ended like "
        "one clean run",
    ),
    (
        "connection-lost-purge",
        "The purge's own PostgreSQL backends terminated (`pg_terminate_backend`) mid-purge, "
        "then a rerun",
        "{runs} runs, {terminated} backends terminated, {stopped} stopped with exit 3 (rerun)",
        "none: no key destroyed before its certificate; the rerun ended like one clean run",
    ),
    (
        "data-key-deleted",
        "A data key's row deleted from the key table by SQL",
        "{named} of {attacks} named by `verify`",
        "nothing: `verify` exits 1 naming the case and category (content sealed, no key row)",
    ),
    (
        "data-key-nulled",
        "A data key nulled by SQL with an invented `destroyed_on` and rule",
        "{named} of {attacks} named by `verify`",
        "nothing: `verify` exits 1: no signed certificate disposes of that category",
    ),
    (
        "data-key-random",
        "A data key replaced by SQL with a random key",
        "{named} of {attacks} named by `verify`",
        "nothing: `verify` exits 1 naming the case and category; a read raises "
        "TamperingDetected, not InvalidInput",
    ),
    (
        "data-key-swapped",
        "Two categories' data keys of a case swapped by SQL",
        "{named} of {attacks} named by `verify`",
        "nothing: `verify` exits 1 naming the case and the first category in the log",
    ),
    (
        "snapshot-edited",
        "A snapshot edited by SQL to drop a legal hold, then `pmledger retention purge`",
        "{named} of {attacks} named by `verify`",
        "nothing: the purge ignored the unsigned state and kept the held keys; `verify` exits 1 "
        "naming the snapshot",
    ),
    (
        "concurrency",
        "{writers} processes writing to one shared case and their own cases at once",
        "{attempts} writes: {stored} stored, {conflicts} ConcurrencyConflict",
        "none lost or duplicated; every refusal typed",
    ),
    (
        "corruption-file",
        "SQLite file truncated, garbage over pages and inside stored events",
        "{corruptions} damaged files x 3 commands ({commands_run} runs)",
        "all reported (exit 1 or 2), no traceback",
    ),
    (
        "corruption-edit",
        "A stored row edited by SQL (changed field, broken JSON, wrong shape)",
        "{corruptions} edits x 3 commands ({commands_run} runs)",
        "all reported (exit 1 or 2), no traceback; verify names the row",
    ),
    (
        "corruption-forged",
        "A forged row inserted by SQL (next version, consistent digests, attacker's signature)",
        "{corruptions} forgery x 3 commands ({commands_run} runs)",
        "all reported (exit 1 or 2), no traceback; verify names the row",
    ),
    (
        "fuzz-execute",
        "Hypothesis: `Ledger.execute` with commands from the act schemas, hostile values",
        "{examples} commands ({recorded} recorded, the rest refused with typed errors)",
        "no untyped exception; a refusal stores nothing",
    ),
    (
        "fuzz-import",
        "Hypothesis: `pmledger import` files with a hostile line",
        "{examples} files ({imported} imported whole, the rest refused)",
        "no untyped exception; no partial batch",
    ),
    (
        "sealed-at-rest",
        "Raw SQLite file bytes and a binary COPY of every PostgreSQL table searched for personal "
        "text (a deviation reason naming illness and a union steward), before and after a purge",
        "{texts} texts searched before and after {purges} purge",
        "nothing found at rest; entitled readers and the bundle still read every word",
    ),
    (
        "concurrent-reads",
        "One person's status reads in threads at once, across two ledgers on one database",
        "{reads} concurrent reads",
        "none failed; every read on the access log; verify OK",
    ),
    (
        "full-disk",
        "Reads (which write the access log) and writes on a full disk (a filled tmpfs)",
        "{refused} commands refused (a read, a write)",
        "StorageError saying so, never an untyped error; after freeing space nothing lost",
    ),
    (
        "bad-values",
        "Business dates 0001-01-01, 1969-12-31, 9999-12-31; a key revocation with no reason or "
        "a naive time",
        "{tried} bad values",
        "each refused with InvalidInput naming the field and the window; nothing stored",
    ),
    (
        "access-revoked-key",
        "Reading, recording and exporting through a role or school whose key was revoked "
        "(a Headteacher moved school, HR staff moved out of HR)",
        "{attempts} attempts, all refused and logged",
        "none: nothing read, recorded or exported",
    ),
    (
        "access-authority-claimed",
        "Acting with an authority level (004 §6) above the one signed with the person's key",
        "{attempts} claims, all refused (AuthorityNotRegistered)",
        "none: nothing recorded",
    ),
    (
        "authority-claim-logged",
        "Recording and reading with an authority level above the registered one, then reading "
        "the access log",
        "{attempts} claims, all refused and logged",
        "none: nothing recorded or read; each refusal on the access log, signed by the "
        "person's own key",
    ),
    (
        "guarded-surface",
        "Every guarded public call (found by walking the API) made by someone unrelated to the "
        "case and by someone entitled",
        "{calls} calls, every one decided and logged",
        "none: the unrelated person was answered nothing, and no call went unlogged",
    ),
    (
        "destroyed-keys-at-rest",
        "Raw SQLite file and WAL, and the PostgreSQL key table's heap file (dead row versions "
        "included), searched for the bytes of the data keys a purge destroyed",
        "{keys} destroyed keys searched after {purges} purge",
        "nothing found: secure_delete and a WAL checkpoint (SQLite), VACUUM (PostgreSQL)",
    ),
    (
        "access-relationship-ended",
        "Reading, recording and exporting by a replaced reviewer, line manager or monitor, an "
        "appeal chair after the appeal, and a pay panel recording a meeting",
        "{attempts} attempts, all refused and logged",
        "none: nothing read, recorded or exported",
    ),
    (
        "views-edited",
        "The stored read models edited by SQL so that `report warnings` hides a live warning, "
        "then `projections update`",
        "{named} of {attacks} named by `projections verify`",
        "nothing: `projections verify` exits 1 naming the case and the warning; the update "
        "leaves the edit, `projections rebuild` repairs it",
    ),
    (
        "views-tracking-moved",
        "The read models' tracking row moved forward by SQL, so later events are never applied",
        "{named} of {attacks} named by `projections verify`",
        "nothing: `projections verify` exits 1 saying the row was moved; `projections "
        "rebuild` repairs it",
    ),
    (
        "checkpoint-case-deleted",
        "A whole case deleted by SQL with its snapshots, data keys and every stored tree head",
        "{named} of {attacks} named by `verify`",
        "nothing: `verify` exits 1 naming the first checkpointed position missing from the "
        "log (the ledger's own Merkle tree records it); `verify --heads DIR` fails too",
    ),
    (
        "checkpoint-tree-deleted",
        "The same, and the Merkle tree's own tables emptied too",
        "{named} of {attacks} named by `verify --heads DIR`",
        "nothing with heads kept outside: `verify --heads DIR` exits 1; without them `verify` "
        "passes but says no head held outside the ledger was given",
    ),
    (
        "bundle-other-ledger",
        "A bundle of the same case built from an attacker's own ledger (same people and acts, "
        "the attacker's keys), checked with `verify-bundle --trust` of the organisation's root "
        "key",
        "{named} of {attacks} refused by `verify-bundle --trust`",
        "nothing: exit 1 naming the bundle's root key; without --trust both bundles pass and "
        "each result names its root key and says it holds only as far as the bundle's own signer",
    ),
]
BACKENDS = (("sqlite", "SQLite"), ("postgres", "PostgreSQL"))


def render(figures: list[dict[str, object]]) -> str:
    totals: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for record in figures:
        key = (str(record["scenario"]), str(record["backend"]))
        for name, value in record.items():
            if not isinstance(value, int):
                continue
            if name == "writers":
                totals[key][name] = value
            else:
                totals[key][name] += value
    lines = [
        "| what was tried | SQLite | PostgreSQL | what was lost |",
        "|---|---|---|---|",
    ]
    kills = 0
    for scenario, what, how_many, lost in ROWS:
        cells = []
        writers = 0
        for backend, _ in BACKENDS:
            found = totals.get((scenario, backend))
            if found is None:
                cells.append("—")
                continue
            writers = max(writers, found.get("writers", 0))
            kills += found.get("kills", 0)
            cells.append(how_many.format_map(defaultdict(int, found)))
        lines.append(f"| {what.format(writers=writers)} | {cells[0]} | {cells[1]} | {lost} |")
    lines.append("")
    lines.append(f"{kills} SIGKILLs in all.")
    return "\n".join(lines) + "\n"


def main() -> None:
    path = Path(sys.argv[1])
    figures = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    sys.stdout.write(render(figures))


if __name__ == "__main__":
    main()
