"""`pmledger record EMPLOYEE ACT.json`: record one act on a case from a JSON file; `pmledger
check` with the same arguments says what recording it would decide, storing nothing.

The file holds the act as `pmledger.events` defines it: its `kind` and its fields, the same
JSON `Ledger.execute` and `pmledger import` take under "act". It is validated against the act
models before anything is looked up or signed, so a wrong field stops with exit 2 naming it
and nothing is stored. A `case_opened` act opens the case it names (its own organisation and
employee reference); any other act is recorded on EMPLOYEE's case.

`check` is the same act judged by `Ledger.check`: the refusal `record` would give (exit 2), or
the findings it would record and the deadlines it would start (exit 0), so someone can see
what an act will mean before it is signed into the record.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
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
from pmledger.commands import EmployeeRef, RecordAct
from pmledger.errors import InvalidInput
from pmledger.events.actors import Actor
from pmledger.events.case_acts import CaseOpened
from pmledger.events.signed_event import Act
from pmledger.ledger.facade import Ledger, Verdict
from pmledger.policies.access import Operation
from pmledger.view_json import to_json

EXIT_USAGE = 2

ACT: TypeAdapter[Act] = TypeAdapter(Act)


def register(app: typer.Typer) -> None:
    app.command("record")(record)
    app.command("check")(check)


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


OnOption = Annotated[
    datetime | None,
    typer.Option(
        "--on",
        envvar=env("on"),
        formats=["%Y-%m-%d"],
        help="The day it happened (default: today); earlier for history.",
        show_default=False,
    ),
]
DeviationOption = Annotated[
    str | None,
    typer.Option(
        envvar=env("deviation_reason"),
        help="Why the procedure was departed from, where it allows that with a reason.",
    ),
]
ExpectedVersionOption = Annotated[
    int | None,
    typer.Option(
        envvar=env("expected_version"),
        help="Record only if the case is still at this version (what you looked at).",
    ),
]
EmployeeArgument = Annotated[str, typer.Argument(help="The employee's staff reference.")]
ActArgument = Annotated[
    Path, typer.Argument(metavar="ACT.json", help="The act as JSON (`-`: standard input).")
]


def target_of(
    ledger: Ledger, act: Act, employee: str, organisation: str | None, who: Actor, day: date
) -> EmployeeRef:
    """The case an act is on: the one a `case_opened` act names, else EMPLOYEE's."""
    if isinstance(act, CaseOpened):
        return EmployeeRef(organisation=act.organisation, employee_ref=act.employee_ref)
    return ledger.reader(who, day).find_employee(employee, organisation, Operation.RECORD)


def record(
    employee: EmployeeArgument,
    act_file: ActArgument,
    db: DbOption,
    actor: ActorOption,
    keys: KeysOption,
    on: OnOption = None,
    organisation: OrgOption = None,
    deviation_reason: DeviationOption = None,
    expected_version: ExpectedVersionOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record one act on a case, signed by --actor's key and judged by the case's procedure:
    what it finds is recorded with the act and listed."""
    try:
        act = read_act(act_file)
        who, keystore = acting_as(actor, keys)
        day = as_of_day(on)
        with Ledger.open(db, keystore=keystore) as ledger:
            target = target_of(ledger, act, employee, organisation, who, day)
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


def check(
    employee: EmployeeArgument,
    act_file: ActArgument,
    db: DbOption,
    actor: ActorOption,
    keys: KeysOption,
    on: OnOption = None,
    organisation: OrgOption = None,
    deviation_reason: DeviationOption = None,
    expected_version: ExpectedVersionOption = None,
    as_json: JsonOption = False,
) -> None:
    """Say what `pmledger record` would decide about this act — the refusal (exit 2), or the
    findings it would record and the deadlines it would start — storing no record, only
    the check's own access-log entry (a check reads the case)."""
    try:
        act = read_act(act_file)
        who, keystore = acting_as(actor, keys)
        day = as_of_day(on)
        with Ledger.open(db, keystore=keystore) as ledger:
            target = target_of(ledger, act, employee, organisation, who, day)
            try:
                command = RecordAct(
                    employee=target, act=act, occurred_on=day, actor=who,
                    deviation_reason=deviation_reason, expected_version=expected_version,
                )  # fmt: skip
            except ValidationError as exc:
                raise InvalidInput.from_validation(exc, "act") from None
            verdict = ledger.check(command)
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)
    if verdict.refusal is not None:
        fail(f"would be refused: {read_failure(verdict.refusal)}", EXIT_USAGE, as_json)
    show_verdict(verdict, act.kind, target, as_json)


def show_verdict(verdict: Verdict, kind: str, target: EmployeeRef, as_json: bool) -> None:
    """An act `check` found recordable: what would be found and which clocks would start."""
    if as_json:
        print_json({"ok": True, "would_record": True, "findings": to_json(verdict.findings),
                    "deadlines": to_json(verdict.deadlines)})  # fmt: skip
        return
    out = console()
    say(out, "[green]would record[/] {} on {} with {}; nothing stored", kind, target,
        plural(len(verdict.findings), "finding"))  # fmt: skip
    for f in verdict.findings:
        say(out, "  [yellow]{}[/] {} ({}): {}", f.severity.value, f.rule.id, f.rule.source,
            f.message)  # fmt: skip
    if verdict.deadlines:
        say(out, "it would start {}:", plural(len(verdict.deadlines), "deadline"))
    for d in verdict.deadlines:
        due = d.due_on.isoformat() if d.due_on else d.no_due_date_words
        say(out, "  due {}: {} ({})", due, d.description, d.rule.id)
