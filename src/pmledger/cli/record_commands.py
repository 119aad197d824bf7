"""`pmledger record EMPLOYEE ACT.json`: record one act on a case from a JSON file.

The file holds the act as `pmledger.events` defines it: its `kind` and its fields, the same
JSON `Ledger.execute` and `pmledger import` take under "act". It is validated against the act
models before anything is looked up or signed, so a wrong field stops with exit 2 naming it
and nothing is stored. A `case_opened` act opens the case it names (its own organisation and
employee reference); any other act is recorded on EMPLOYEE's case.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from pydantic import TypeAdapter, ValidationError

from pmledger.cli.options import (
    READ_FAILURES,
    ActorOption,
    DbOption,
    JsonOption,
    KeysOption,
    OrgOption,
    acting_as,
    as_of_day,
    env,
    read_failure,
)
from pmledger.cli.output import console, fail, plural, print_json, say
from pmledger.commands import EmployeeRef
from pmledger.errors import InvalidInput
from pmledger.events.case_acts import CaseOpened
from pmledger.events.signed_event import Act
from pmledger.ledger.facade import Ledger
from pmledger.policies.access import Operation
from pmledger.view_json import to_json

EXIT_USAGE = 2

ACT: TypeAdapter[Act] = TypeAdapter(Act)


def register(app: typer.Typer) -> None:
    app.command("record")(record)


def read_act(file: Path) -> Act:
    """The act in `file` (`-`: standard input), or InvalidInput naming each wrong field."""
    try:
        text = sys.stdin.read() if str(file) == "-" else file.read_text()
    except OSError as exc:
        raise InvalidInput(f"cannot read {file}: {exc.strerror or exc}") from None
    try:
        return ACT.validate_json(text)
    except ValidationError as exc:
        raise InvalidInput.from_validation(exc, f"act in {file}") from None


def record(
    employee: Annotated[str, typer.Argument(help="The employee's staff reference.")],
    act_file: Annotated[
        Path, typer.Argument(metavar="ACT.json", help="The act as JSON (`-`: standard input).")
    ],
    db: DbOption,
    actor: ActorOption,
    keys: KeysOption,
    on: Annotated[
        datetime | None,
        typer.Option(
            "--on",
            envvar=env("on"),
            formats=["%Y-%m-%d"],
            help="The day it happened (default: today); earlier for history.",
            show_default=False,
        ),
    ] = None,
    organisation: OrgOption = None,
    deviation_reason: Annotated[
        str | None,
        typer.Option(
            envvar=env("deviation_reason"),
            help="Why the procedure was departed from, where it allows that with a reason.",
        ),
    ] = None,
    expected_version: Annotated[
        int | None,
        typer.Option(
            envvar=env("expected_version"),
            help="Record only if the case is still at this version (what you looked at).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Record one act on a case, signed by --actor's key and judged by the case's procedure:
    what it finds is recorded with the act and listed."""
    try:
        act = read_act(act_file)
        who, keystore = acting_as(actor, keys)
        day = as_of_day(on)
        with Ledger.open(db, keystore=keystore) as ledger:
            if isinstance(act, CaseOpened):
                target = EmployeeRef(organisation=act.organisation, employee_ref=act.employee_ref)
            else:
                target = ledger.reader(who, day).find_employee(
                    employee, organisation, Operation.RECORD
                )
            receipt = ledger.record(
                target, act, occurred_on=day, actor=who, deviation_reason=deviation_reason,
                expected_version=expected_version,
            )  # fmt: skip
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)
    if as_json:
        print_json({"ok": True, **to_json(receipt)})
        return
    out = console()
    say(out, "[green]recorded[/] {} on {} as version {} ({}), digest {}", act.kind, target,
        receipt.version, plural(len(receipt.findings), "finding"), receipt.digest)  # fmt: skip
    for f in receipt.findings:
        say(out, "  [yellow]{}[/] {} ({}, {}): {}", f.severity.value, f.rule.id, f.rule.source,
            f"v{f.version}", f.message)  # fmt: skip
