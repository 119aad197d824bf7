"""Rich tables and JSON for case status and deadlines: presentation only."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter
from rich.console import Console
from rich.table import Table

from pmledger.policies.judgement import Deadline, DeadlineStatus
from pmledger.projections.case_status import CaseStatus

_STATUS = TypeAdapter(CaseStatus)
_COLOURS = {
    DeadlineStatus.MET: "green",
    DeadlineStatus.OPEN: "cyan",
    DeadlineStatus.OVERDUE: "red",
    DeadlineStatus.MISSED: "red",
    DeadlineStatus.DEVIATED: "yellow",
    DeadlineStatus.UNKNOWN: "magenta",
}


def status_json(status: CaseStatus) -> dict[str, Any]:
    data: dict[str, Any] = _STATUS.dump_python(status, mode="json")
    data["compliance"] = [f.model_dump(mode="json") for f in status.compliance]
    return data


def print_status(console: Console, status: CaseStatus) -> None:
    console.rule(f"{status.employee_ref} ({status.organisation}) on {status.as_of}")
    console.print(
        f"Procedure: [bold]{status.pack_title}[/] ({status.pack_id}); school {status.school}\n"
        f"Stage: [bold]{status.stage_words}[/] — ladder {status.stage.value}"
        f" since {status.stage_since}"
        + ("; [yellow]capability procedure running[/]" if status.capability_active else "")
        + ("; [yellow]appeal pending[/]" if status.appeal_pending else "")
    )
    if status.warnings:
        table = Table(title="Warnings")
        for column in ("warning", "kind", "issued", "live until (excl.)", "status"):
            table.add_column(column)
        for w in status.warnings:
            table.add_row(
                w.warning_id, w.kind.value, str(w.issued_on), str(w.expires_on), w.status.value
            )
        console.print(table)
    if status.deadlines:
        console.print(deadline_table("Deadlines", [(status, d) for d in status.deadlines]))
    compliance = status.compliance
    if compliance:
        table = Table(title="Compliance findings")
        for column in ("date", "v", "rule", "source", "finding", "deviation reason"):
            table.add_column(column)
        for f in compliance:
            table.add_row(
                str(f.occurred_on),
                str(f.version),
                f.rule.id,
                f.rule.source,
                f.message,
                f.deviation_reason or "",
            )
        console.print(table)
    if status.pay:
        table = Table(title="Rating and pay")
        for column in ("cycle", "rating", "points", "steps", "one-off %", "approved", "decided"):
            table.add_column(column)
        for p in status.pay:
            table.add_row(
                p.cycle_id,
                p.rating or "",
                str(p.pay_points),
                str(p.pay_steps),
                str(p.one_off_percent),
                "yes" if p.approved else "no",
                "yes" if p.decided else "no",
            )
        console.print(table)
    awaiting = ", ".join(f"v{a.version} {a.kind} ({a.occurred_on})" for a in status.awaiting)
    console.print(f"Awaiting the employee's signature: {awaiting or 'nothing'}")


def deadline_table(title: str, rows: list[tuple[CaseStatus, Deadline]]) -> Table:
    table = Table(title=title)
    for column in ("employee", "rule", "source", "what", "due", "status", "done"):
        table.add_column(column)
    for status, d in rows:
        colour = _COLOURS.get(d.status, "white")
        table.add_row(
            status.employee_ref,
            d.rule.id,
            d.rule.source,
            d.description,
            str(d.due_on or d.no_due_date_words),
            f"[{colour}]{d.status.value}[/]",
            str(d.done_on or "") + (f" — {d.reason}" if d.reason else ""),
        )
    return table
