"""Case status, deadlines and report rows as the house tables: presentation only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.text import Text

from pmledger.cli.output import Cell, say, show_table
from pmledger.policies.judgement import Deadline, DeadlineStatus
from pmledger.projections.case_status import CaseStatus

_COLOURS = {
    DeadlineStatus.MET: "green",
    DeadlineStatus.OPEN: "cyan",
    DeadlineStatus.OVERDUE: "red",
    DeadlineStatus.MISSED: "red",
    DeadlineStatus.DEVIATED: "yellow",
    DeadlineStatus.UNKNOWN: "magenta",
}

Columns = Sequence[tuple[str, str]]
"""A report's columns: (key in its rows, header a person reads)."""


def print_status(out: Console, status: CaseStatus) -> None:
    say(out, "[bold]{} ({}) on {}[/]", status.employee_ref, status.organisation, status.as_of)
    flags = ("; [yellow]capability procedure running[/]" if status.capability_active else "") + (
        "; [yellow]appeal pending[/]" if status.appeal_pending else ""
    )
    say(out, "Procedure: [bold]{}[/] ({}); school {}", status.pack_title, status.pack_id,
        status.school)  # fmt: skip
    say(out, "Stage: [bold]{}[/] — ladder {} since {}" + flags, status.stage_words,
        status.stage.value, status.stage_since or "the start")  # fmt: skip
    if status.review is not None:
        say(out, "Review: {}", status.review.words)
    for appeal in status.appeals:
        say(out, "Appeal {}: {}", appeal.appeal_id, appeal.words)
    if status.warnings:
        show_table(
            out,
            "Warnings",
            ("Warning", "Kind", "Issued", "Live until (excl.)", "Status"),
            [
                (w.warning_id, w.kind.value, str(w.issued_on), str(w.expires_on), w.status.value)
                for w in status.warnings
            ],
        )
    if status.deadlines:
        deadline_table(out, "Deadlines", [(status, d) for d in status.deadlines])
    if status.compliance:
        show_table(
            out,
            "Compliance findings",
            ("Date", "Record", "Finding id", "Source", "Finding", "Reason given"),
            [
                (
                    str(f.occurred_on),
                    f"v{f.version}",
                    f.id,
                    f.rule.source,
                    f.message,
                    f.reason_words(),
                )
                for f in status.compliance
            ],
        )
    if status.pay:
        show_table(
            out,
            "Rating and pay (decided by the pay panel; recommended beside it)",
            ("Cycle", "Rating", "Decided", "From", "Recommended", "Approved", "Referred"),
            [
                (
                    p.cycle_id,
                    p.rating or "",
                    _amount(p.decided_points, p.decided_steps, p.decided_one_off_percent)
                    if p.decided
                    else "not decided",
                    str(p.effective_from or ""),
                    _amount(
                        p.recommended_points, p.recommended_steps, p.recommended_one_off_percent
                    )
                    if p.recommendation_id
                    else "",
                    _yes(p.approved),
                    _yes(p.referred),
                )
                for p in status.pay
            ],
        )
    awaiting = ", ".join(f"v{a.version} {a.kind} ({a.occurred_on})" for a in status.awaiting)
    say(out, "Awaiting the employee's signature: {}", awaiting or "nothing")


def _amount(points: int | None, steps: int | None, one_off_percent: int | None) -> str:
    """A pay amount in words: '1 point', '1 step + 3% one-off', 'no progression'."""
    parts = [
        f"{n} {unit}{'' if n == 1 else 's'}"
        for n, unit in ((points, "point"), (steps, "step"))
        if n
    ]
    parts += [f"{one_off_percent}% one-off"] if one_off_percent else []
    return " + ".join(parts) or "no progression"


def deadline_table(out: Console, title: str, rows: Sequence[tuple[CaseStatus, Deadline]]) -> None:
    show_table(
        out,
        title,
        ("Employee", "Due", "Status", "What", "Rule", "Source", "Done"),
        [
            (
                status.employee_ref,
                str(d.due_on or d.no_due_date_words),
                Text(d.status.value, style=_COLOURS.get(d.status, "")),
                d.description,
                d.rule.id,
                d.rule.source,
                str(d.done_on or "") + (f" — {d.reason}" if d.reason else ""),
            )
            for status, d in rows
        ],
    )


def row_table(
    out: Console, title: str, columns: Columns, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Report rows (dicts from the read models) under human headers, in the given order."""
    cells: list[list[Cell]] = [
        ["" if row.get(key) is None else str(row[key]) for key, _ in columns] for row in rows
    ]
    show_table(out, title, [header for _, header in columns], cells)


def _yes(value: bool) -> str:
    return "yes" if value else "no"
