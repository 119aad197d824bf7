"""How every command shows what it found: one table style, plain lines when piped, JSON on
request, progress only where someone watches.

On a terminal, tables are rich tables in one style (simple rules, bold human headers, title
on the left) and long commands show progress on stderr. When stdout is not a terminal (a pipe,
a file, cron's mail) nothing wraps: messages are single lines, and a table is its title then
one tab-separated line per row under a header line, so `cut`, `grep` and `awk` read it and a
command printed for the reader to run can be copied whole. `--json` prints JSON instead.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, Protocol

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

Cell = str | Text
"""A table cell: plain text, or `Text(value, style=…)` for a coloured one (colour is for the
terminal only; piped output carries the words)."""


def console(*, stderr: bool = False) -> Console:
    """A console for stdout (or stderr) that never wraps when it is not a terminal."""
    found = Console(stderr=stderr)
    if found.is_terminal:
        return found
    return Console(stderr=stderr, soft_wrap=True, highlight=False)


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 checkpoint`, `2 checkpoints`, `0 cases`: a count with its noun agreeing."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def show_table(
    out: Console, title: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]]
) -> None:
    """One table in the house style, or its plain-lines form when `out` is not a terminal."""
    if not out.is_terminal:
        lines = [title, "\t".join(headers)]
        lines += ["\t".join(_plain(cell) for cell in row) for row in rows]
        if not rows:
            lines.append("(none)")
        typer.echo("\n".join(lines), file=out.file)
        return
    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        header_style="bold",
        show_edge=False,
    )
    for header in headers:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*(cell if isinstance(cell, Text) else Text(cell) for cell in row))
    if not rows:
        table.caption = "none"
    out.print(table)


def _plain(cell: Cell) -> str:
    text = cell.plain if isinstance(cell, Text) else cell
    return " ".join(text.split())


def say(out: Console, markup: str, *values: object) -> None:
    """Print a line of rich markup; `values` fill its `{}` slots, escaped, so a name with
    brackets in it prints as written."""
    out.print(markup.format(*(escape(str(v)) for v in values)))


def show_command(out: Console, *words: str | Path) -> None:
    """A command for the reader to run, on a line of its own, shell-quoted and never broken:
    piped output does not wrap, and on a terminal the line soft-wraps (no newline inserted),
    so it copies and pastes whole."""
    text = " ".join(shlex.quote(str(word)) for word in words)
    out.print(f"  [bold]{escape(text)}[/]", soft_wrap=True)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, default=str))


def fail(message: str, code: int, as_json: bool) -> NoReturn:
    """Stop with `code`: a JSON error on stdout under --json, else one line on stderr."""
    if as_json:
        typer.echo(json.dumps({"ok": False, "error": message}))
    else:
        console(stderr=True).print(f"[red]error[/]: {escape(message)}")
    raise typer.Exit(code)


class Advance(Protocol):
    def __call__(
        self, completed: int, total: int | None = None, description: str | None = None
    ) -> None: ...


@contextmanager
def progress(
    description: str, total: int | None = None, counted: bool = False
) -> Iterator[Advance]:
    """Progress of a long command on stderr, shown only when stderr is a terminal: a bar with
    counts when the total is known or `counted` (a total still being worked out shows "?",
    not 0), else a spinner with the time elapsed."""
    err = Console(stderr=True)
    columns = (
        (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        if total is not None or counted
        else (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    )
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(description, total=total)

        def advance(
            completed: int, total: int | None = None, description: str | None = None
        ) -> None:
            """Move the bar; a new `description` names a command's next stage."""
            if total is not None:
                bar.update(task, total=total)
            if description is not None:
                bar.update(task, description=description)
            bar.update(task, completed=completed)

        yield advance
