"""`pmledger pack list | show | check | diff | explain`: procedures as readable tables.

An HR adviser reviews a procedure without reading Python: its stages in its own words and their
place on the common ladder, every time limit with its unit and section, who may do what, the
warnings and letters (`show`); a school checks its own file before registering it (`check`,
exit 0 or 2 with the loader's messages); two versions or a variant and its model are compared
entry by entry (`diff`); one rule is explained with its section, severity and, when the
procedure's text is at hand, its words (`explain`).

A pack is named by id (its newest version), ``id@version``, or a pack file's path. The root
`--packs` option (or $PMLEDGER_PACKS, `PacksOption` here, taken by the app's callback) registers
a school's variants for every command, these included.
"""

from __future__ import annotations

import difflib
import importlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from pmledger.cli.options import JsonOption, env
from pmledger.cli.output import console, fail, plural, print_json, say, show_table
from pmledger.errors import PmLedgerError
from pmledger.policies.ladder import Ladder
from pmledger.policies.named_checks import NamedChecks
from pmledger.policies.packfile import LoadedPack, PackFileError, load_pack_file, shipped_packs
from pmledger.policies.packfile.compare import Difference, differences
from pmledger.policies.packfile.model import PackFile, RuleEntry
from pmledger.policies.packfile.seed_text import cited_sections, section_text
from pmledger.policies.registry import (
    check_pack_file,
    register_pack_file,
    registered_pack_files,
)
from pmledger.policies.rule_kinds import RULE_KINDS

EXIT_BAD_FILE = 2

PACKS_ENV = "PMLEDGER_PACKS"
SEEDS_ENV = "PMLEDGER_SEEDS"

pack_app = typer.Typer(
    help="Procedure packs: show one as tables, check a school's file, compare two, explain a rule.",
    no_args_is_help=True,
)

PackArgument = Annotated[
    str, typer.Argument(help="A pack id (its newest version), ID@VERSION, or a pack file's path.")
]


def register(app: typer.Typer) -> None:
    app.add_typer(pack_app, name="pack")


PacksOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--packs",
        envvar=PACKS_ENV,
        help="A school's pack file, or a folder of them, to judge and read its cases by; "
        f"repeat for several (or list them in ${PACKS_ENV}, separated by '{os.pathsep}').",
    ),
]
"""The root option (before any command) that registers a school's variants for the run."""


def register_variants(packs: list[Path] | None) -> None:
    """Register the files `--packs` names, or stop with exit 2 and the loader's message."""
    try:
        for path in variant_files(packs or []):
            register_pack_file(path)
    except PmLedgerError as exc:
        fail(str(exc), EXIT_BAD_FILE, False)


def variant_files(paths: Sequence[Path]) -> list[Path]:
    """The pack files named: each file, and every ``*.toml`` in each folder (sorted, so a
    variant's parent in the same folder is found whatever the order)."""
    found: list[Path] = []
    for path in paths:
        found += sorted(path.glob("*.toml")) if path.is_dir() else [path]
    return found


# --- list ---------------------------------------------------------------------------------


@pack_app.command("list")
def list_command(as_json: JsonOption = False) -> None:
    """Every procedure version pmledger ships, and the schools' variants registered with
    --packs."""
    known = _known()
    if as_json:
        print_json([_summary(loaded) for loaded in known])
        return
    rows = [
        [
            loaded.file.id,
            loaded.file.version,
            loaded.file.title,
            loaded.file.extends or "",
            str(len({rule.id for rule in loaded.file.rules})),
            loaded.digest[:12],
        ]
        for loaded in known
    ]
    out = console()
    show_table(
        out, "Procedure packs", ["pack", "version", "title", "extends", "rules", "digest"], rows
    )
    _show_superseded(out, known)


def _show_superseded(out: Console, known: list[LoadedPack]) -> None:
    """The earlier contents each version lists as replaced: verify accepts events recorded
    under exactly those, and says which version reads them now."""
    rows = [
        [loaded.file.id, loaded.file.version, old.version, old.digest[:12], old.why]
        for loaded in known
        for old in loaded.file.supersedes
    ]
    if rows:
        show_table(
            out,
            "Superseded versions (verify accepts records judged under them)",
            ["pack", "version", "supersedes", "digest", "why"],
            rows,
        )


def _summary(loaded: LoadedPack) -> dict[str, Any]:
    data = loaded.file
    return {
        "id": data.id,
        "version": data.version,
        "title": data.title,
        "extends": data.extends,
        "source": data.source.document,
        "rules": len({rule.id for rule in data.rules}),
        "digest": loaded.digest,
        "file": loaded.origin,
        "supersedes": [old.model_dump(mode="json") for old in data.supersedes],
    }


# --- show ---------------------------------------------------------------------------------


@pack_app.command("show")
def show_command(
    pack: PackArgument,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            envvar=env("full"),
            help="Also the stage machine, what records must confirm, and every rule.",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """A procedure as tables: its stages in its own words on the common ladder, time limits
    with units and sections, limits, warnings, who may do what, letters and forms."""
    loaded = _resolve(pack, as_json)
    data = loaded.file
    if as_json:
        print_json(
            {
                **_summary(loaded),
                "pack": data.model_dump(mode="json", by_alias=True),
                "who_records": _who_records(data),
            }
        )
        return
    out = console()
    say(out, "[bold]{}[/] ({})", data.title, data.ref)
    say(out, "Procedure: {}", data.source.document)
    if data.extends:
        say(
            out,
            "Extends: {} (what it changes: pmledger pack diff {} {})",
            data.extends,
            data.extends,
            pack,
        )
    say(out, "Digest: {}", loaded.digest)
    _show_superseded(out, [loaded])
    _show_stages(out, data)
    show_table(
        out,
        "Time limits",
        ["time limit", "limit", "what it limits", "section"],
        [[name, e.words, e.meaning, e.source] for name, e in data.time_limits.items()],
    )
    if data.limits:
        show_table(
            out,
            "Limits",
            ["limit", "value", "what it limits", "section"],
            [[name, str(e.value), e.meaning, e.source] for name, e in data.limits.items()],
        )
    show_table(
        out,
        "Warnings",
        ["warning", "live for", "section"],
        [[kind.value, plural(e.months, "month"), e.source] for kind, e in data.warnings.items()],
    )
    _show_who(out, data)
    _show_pay(out, data)
    show_table(
        out,
        "Letters and forms",
        ["letter or form", "title", "section"],
        [
            [name, e.title, e.source]
            for entries in (data.letters, data.forms)
            for name, e in entries.items()
        ],
    )
    if data.switched_off:
        show_table(
            out,
            "Rules the school does not apply",
            ["rule", "reason"],
            [[rule, reason] for rule, reason in data.switched_off.items()],
        )
    if full:
        _show_full(out, data)
    else:
        rules = len({rule.id for rule in data.rules})
        say(
            out,
            "{}; each one: pmledger pack explain RULE_ID; all of them: pmledger pack show {} "
            "--full",
            plural(rules, "rule"),
            pack,
        )


def _show_stages(out: Console, data: PackFile) -> None:
    rows = [
        [f"{ladder.rank + 1} {ladder.value}", data.stages[ladder].words, data.stages[ladder].source]
        for ladder in Ladder
        if ladder in data.stages
    ]
    show_table(out, "Stages", ["ladder", "the procedure's words", "section"], rows)


def _show_who(out: Console, data: PackFile) -> None:
    show_table(
        out,
        "Authority",
        ["act", "roles", "authority level", "section", "note"],
        [
            [
                act,
                ", ".join(role.value for role in e.roles),
                str(e.authority_level or ""),
                e.source,
                e.note,
            ]
            for act, e in data.authority.items()
        ],
    )
    who = _who_records(data)
    if who:
        show_table(
            out,
            "Who records each act",
            ["roles", "acts", "rule", "section"],
            [
                [
                    ", ".join(entry["roles"]),
                    ", ".join(entry["acts"]),
                    entry["rule"],
                    entry["source"],
                ]
                for entry in who
            ],
        )


def _who_records(data: PackFile) -> list[dict[str, Any]]:
    """The file's `[who]` table, which judging reads too: one row per entry."""
    return [
        {
            "roles": sorted(role.value for role in who.roles),
            "acts": sorted(who.acts),
            "rule": who_id,
            "source": who.source,
        }
        for who_id, who in data.who.items()
    ]


def _show_pay(out: Console, data: PackFile) -> None:
    for name, table in data.pay.items():
        show_table(
            out,
            f"Pay: {name} ({table.source}): {table.meaning}",
            ["rating", *table.columns],
            [[rating, *(str(value) for value in row)] for rating, row in table.rows.items()],
        )


def _show_full(out: Console, data: PackFile) -> None:
    show_table(
        out,
        "Stage machine (asked in this order)",
        ["act", "from", "to", "when"],
        [
            [
                move.act,
                ", ".join(stage.value for stage in move.from_),
                move.to.value if move.to else "(stays)",
                move.when_words,
            ]
            for move in data.transitions
        ],
    )
    show_table(
        out,
        "What records must confirm",
        ["record", "key", "what it attests", "section", "or the act's field"],
        [
            [record, key, e.meaning, e.source, e.or_field or ""]
            for record, keys in data.required.items()
            for key, e in keys.items()
        ],
    )
    show_table(
        out,
        "Rules",
        ["rule", "section", "judges", "severity", "summary"],
        [[r.id, r.source, r.judges.value, r.severity.value, r.summary] for r in data.rules],
    )


# --- check --------------------------------------------------------------------------------


@pack_app.command("check")
def check_command(
    file: Annotated[Path, typer.Argument(help="The school's pack file (TOML).")],
    as_json: JsonOption = False,
) -> None:
    """Check a school's pack file as registering it would: exit 0 with what it changes from
    the pack it extends, or exit 2 with every problem, each naming the entry and the fix."""
    try:
        loaded, _ = check_pack_file(file)
    except PackFileError as exc:
        if as_json:
            print_json({"ok": False, "file": exc.origin, "problems": list(exc.problems)})
            raise typer.Exit(EXIT_BAD_FILE) from None
        fail(str(exc), EXIT_BAD_FILE, False)
    except PmLedgerError as exc:
        fail(str(exc), EXIT_BAD_FILE, as_json)
    data = loaded.file
    parent = _resolve(data.extends, as_json).file if data.extends else None
    changes = differences(parent, data) if parent is not None else []
    if as_json:
        print_json(
            {
                "ok": True,
                "id": data.id,
                "version": data.version,
                "extends": data.extends,
                "digest": loaded.digest,
                "changes": [_difference_json(d) for d in changes],
            }
        )
        return
    out = console()
    say(out, "[green]OK[/]: {} ({}); digest {}", data.ref, data.title, loaded.digest)
    if parent is not None:
        _show_differences(out, f"What it changes from {parent.ref}", parent, data, changes)


# --- diff ---------------------------------------------------------------------------------


@pack_app.command("diff")
def diff_command(before: PackArgument, after: PackArgument, as_json: JsonOption = False) -> None:
    """Compare two procedure versions (or a school's file and its model) entry by entry:
    words, time limits, limits, warnings, who may act, letters, rules and rules switched off."""
    old, new = _resolve(before, as_json).file, _resolve(after, as_json).file
    changes = differences(old, new)
    if as_json:
        print_json([_difference_json(d) for d in changes])
        return
    _show_differences(console(), f"{old.ref} → {new.ref}", old, new, changes)


def _show_differences(
    out: Console, title: str, old: PackFile, new: PackFile, changes: list[Difference]
) -> None:
    show_table(
        out,
        title,
        ["what", "entry", "field", old.ref, new.ref],
        [[d.section, d.entry, d.field, _side(d.before), _side(d.after)] for d in changes],
    )


def _side(value: str | None) -> str:
    return "(absent)" if value is None else value


def _difference_json(d: Difference) -> dict[str, str | None]:
    return {
        "section": d.section,
        "entry": d.entry,
        "field": d.field,
        "before": d.before,
        "after": d.after,
    }


# --- explain ------------------------------------------------------------------------------


@pack_app.command("explain")
def explain_command(
    rule_id: Annotated[str, typer.Argument(help="A rule's id, as a finding names it.")],
    seeds: Annotated[
        Path | None,
        typer.Option(
            "--seeds",
            envvar=SEEDS_ENV,
            help="Folder of the procedures' texts (the seed files), to print the sections the "
            "rule cites.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """One rule: the procedure and section it comes from, what it requires, how it judges and
    how severe a breach is; with --seeds, the procedure's own words for those sections."""
    holders = [(loaded, entries) for loaded in _known() if (entries := loaded.file.rule(rule_id))]
    if not holders:
        every = sorted({rule.id for loaded in _known() for rule in loaded.file.rules})
        near = difflib.get_close_matches(rule_id, every, n=3)
        hint = f"did you mean {' or '.join(near)}? " if near else ""
        fail(
            f"no pack has a rule {rule_id!r}; {hint}`pmledger pack show ID --full` lists a "
            "pack's rules",
            EXIT_BAD_FILE,
            as_json,
        )
    first, entries = holders[0]
    texts = _seed_texts(seeds, first.file, entries)
    if as_json:
        print_json(
            {
                "rule": rule_id,
                "packs": [
                    {
                        "pack": loaded.file.ref,
                        "switched_off": loaded.file.switched_off.get(rule_id),
                    }
                    for loaded, _ in holders
                ],
                "parts": [entry.model_dump(mode="json") for entry in entries],
                "procedure": first.file.source.document,
                "text": texts,
            }
        )
        return
    out = console()
    say(out, "[bold]{}[/]: {}", rule_id, entries[0].summary)
    say(out, "Procedure: {} ({})", first.file.title, first.file.source.document)
    show_table(
        out,
        "How it judges" if len(entries) == 1 else "How it judges (in parts)",
        ["section", "judges", "severity", "judged by", "parameters", "summary"],
        [
            [
                e.source,
                e.judges.value,
                e.severity.value,
                _judged_by(first.file, e),
                _parameters(first.file, e),
                e.summary,
            ]
            for e in entries
        ],
    )
    show_table(
        out,
        "Packs that hold it",
        ["pack", "title", "applied"],
        [
            [
                loaded.file.ref,
                loaded.file.title,
                f"no: {loaded.file.switched_off[rule_id]}"
                if rule_id in loaded.file.switched_off
                else "yes",
            ]
            for loaded, _ in holders
        ],
    )
    if seeds is None:
        if first.file.source.file:
            say(
                out,
                "The procedure's words: add --seeds DIR (the folder holding {})",
                first.file.source.file,
            )
        return
    for section, text in texts.items():
        say(out, "\n[bold]§{}[/] of {}", section, first.file.source.seed)
        say(out, "{}", text or "(the procedure's text has no heading numbered so)")


def _judged_by(data: PackFile, entry: RuleEntry) -> str:
    """The rule kind and what it does."""
    if entry.kind == "check":
        name = entry.params["check"]
        checks = getattr(importlib.import_module(data.python), "CHECKS", None)
        found = checks.find("problem", name) if isinstance(checks, NamedChecks) else None
        section = f" ({found.section})" if found is not None else ""
        return f"named check {name}{section} of {data.python}"
    return f"{entry.kind}: {RULE_KINDS[entry.kind].meaning}"


def _parameters(data: PackFile, entry: RuleEntry) -> str:
    """Each parameter as the file gives it; a time limit with its amount and unit."""
    shown = []
    for name, value in entry.params.items():
        if name == "check":
            continue
        if isinstance(value, list):
            text = ", ".join(map(str, value))
        elif isinstance(value, dict):
            text = ", ".join(f"{key} by {check}" for key, check in value.items())
        elif isinstance(value, str) and value in data.time_limits:
            text = f"{value} ({data.time_limits[value].words})"
        else:
            text = str(value).lower() if isinstance(value, bool) else str(value)
        shown.append(f"{name} = {text}")
    return "; ".join(shown)


def _seed_texts(
    seeds: Path | None, data: PackFile, entries: tuple[RuleEntry, ...]
) -> dict[str, str | None]:
    """Each section the rule cites → its text in the procedure, when the text is at hand."""
    if seeds is None or data.source.file is None:
        return {}
    try:
        text = (seeds / data.source.file).read_text(encoding="utf-8")
    except OSError:
        return {}
    sections = cited_sections(" ".join(entry.source for entry in entries))
    return {section: section_text(text, section) for section in sections}


# --- finding a pack -------------------------------------------------------------------------


def _known() -> list[LoadedPack]:
    """Shipped packs, then the variants registered with --packs."""
    return [*shipped_packs(), *registered_pack_files()]


def _resolve(ref: str, as_json: bool) -> LoadedPack:
    """A pack by id (newest version), ``id@version``, or file path; exit 2 naming what is known."""
    path = Path(ref)
    try:
        if ref.endswith(".toml") or path.is_file():
            return load_pack_file(path)
    except PackFileError as exc:
        fail(str(exc), EXIT_BAD_FILE, as_json)
    pack_id, _, version = ref.partition("@")
    found = [
        loaded
        for loaded in _known()
        if loaded.file.id == pack_id and (not version or loaded.file.version == version)
    ]
    if not found:
        known = ", ".join(loaded.file.ref for loaded in _known())
        fail(
            f"no pack {ref!r}; known: {known} (a school's file: give its path, or register it "
            "with --packs)",
            EXIT_BAD_FILE,
            as_json,
        )
    return found[-1]
