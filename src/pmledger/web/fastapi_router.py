"""A FastAPI router over one `Ledger`: record acts, read views, export bundles.

The host mounts it and brings its own authentication: `actor` is a FastAPI dependency the
host writes (reading its session, token or header) returning the `Actor` who asks, or None
when nobody is signed in (answered 401). Every read and write goes through the Ledger with
that actor, so access control and the access log are the library's, not the host's.

    app = FastAPI()
    app.include_router(ledger_router(ledger, actor=current_actor), prefix="/pm")

Request bodies are typed: `ActRequest.act` is the act catalogue's discriminated union
(`pmledger.Act`, on `kind`), so the OpenAPI schema lists every act with its fields. Errors
answer with their `http_status` and a body `{"detail": {"error", "message", "fields"}}`,
`fields` naming each wrong field.

Handlers are plain functions, which FastAPI runs on its thread pool: one Ledger serves them
all (see "Thread safety" in the README), and the read or write and the JSON of its answer
cost one hop to the pool a request. A host's `actor` dependency that does no blocking I/O (it
reads a header or a verified token) should be `async def`: FastAPI runs a plain function on
the thread pool too, a second hop per request (on a loaded machine each hop is a thread
wake-up; the web-status benchmark's router lost a tenth of its ratio to it).
"""

import shutil
import tempfile
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import orjson
from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import FileResponse, Response
from pydantic import Field
from starlette.background import BackgroundTask

from pmledger.commands import EmployeeRef
from pmledger.errors import ActorRequired, PmLedgerError
from pmledger.events.actors import Actor
from pmledger.events.signed_event import Act
from pmledger.events.values import FrozenModel, Identifier, Reason
from pmledger.ledger.facade import Ledger
from pmledger.projections.case_status import CaseStatus
from pmledger.view_json import to_json

T = TypeVar("T")

ActorDependency = Callable[..., Actor | None] | Callable[..., Awaitable[Actor | None]]
"""The host's FastAPI dependency naming who asks: a plain function or a coroutine one."""
AsOf = Annotated[date | None, Query(description="Business date (default: today).")]
View = Literal["deadlines", "warnings", "findings"]


class ActRequest(FrozenModel):
    """One act on the case named in the path, by the actor the host's dependency names."""

    act: Act
    occurred_on: date
    deviation_reason: Reason | None = None
    expected_version: int | None = Field(default=None, ge=0)


class JsonAnswer(Response):
    """A view's JSON, written by orjson from what `to_json` made. A handler returns it so
    FastAPI does not walk the data again with `jsonable_encoder` (a status's nested dicts
    cost it more than the ledger's own read: 0.47 of a direct read on SQLite before)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def error_body(exc: PmLedgerError) -> dict[str, Any]:
    """What an error answers with: its class, its message and, for bad input, each field."""
    fields = getattr(exc, "details", ())
    return {
        "error": type(exc).__name__,
        "message": str(exc),
        "fields": [{"field": f.field, "message": f.message, "type": f.type} for f in fields],
    }


def _answer(call: Callable[[], T]) -> T:
    try:
        return call()
    except PmLedgerError as exc:
        raise HTTPException(exc.status, detail=error_body(exc)) from None


def ledger_router(
    ledger: Ledger,
    actor: ActorDependency,
    *,
    today: Callable[[], date] | None = None,
) -> APIRouter:
    """The routes, reading and writing `ledger` as the person `actor` returns.

    `today` is the business date a read defaults to when it gives no `as_of` (default: the
    ledger's clock), so a host with its own notion of today passes it once.
    """
    router = APIRouter(tags=["pmledger"], default_response_class=JsonAnswer)
    day = today or (lambda: ledger.now().date())

    async def who(person: Annotated[Actor | None, Depends(actor)]) -> Actor:
        # async: it only checks a value, so FastAPI need not hop to its thread pool for it
        if person is None:
            raise HTTPException(
                401, detail=error_body(ActorRequired("sign in: every read and act names a person"))
            )
        return person

    Who = Annotated[Actor, Depends(who)]  # noqa: N806 - a type, built on the host's dependency

    def status_of(
        organisation: str, employee_ref: str, as_of: date | None, by: Actor
    ) -> CaseStatus:
        employee = EmployeeRef(organisation=organisation, employee_ref=employee_ref)
        return ledger.reader(by).status(employee, as_of or day())

    @router.post("/cases/{organisation}/{employee_ref}/acts", status_code=201)
    def record(
        organisation: Identifier, employee_ref: Identifier, body: ActRequest, by: Who
    ) -> JsonAnswer:
        """Record one act; the answer is the receipt, with what the procedure found."""
        employee = EmployeeRef(organisation=organisation, employee_ref=employee_ref)
        receipt = _answer(
            lambda: ledger.record(
                employee,
                body.act,
                occurred_on=body.occurred_on,
                actor=by,
                deviation_reason=body.deviation_reason,
                expected_version=body.expected_version,
            )
        )
        return JsonAnswer(to_json(receipt), status_code=201)

    @router.get("/cases/{organisation}/{employee_ref}/status")
    def status(organisation: str, employee_ref: str, by: Who, as_of: AsOf = None) -> JsonAnswer:
        """Stage, warnings, deadlines, findings, pay and signatures on a date."""
        return JsonAnswer(
            to_json(_answer(lambda: status_of(organisation, employee_ref, as_of, by)))
        )

    def part(view: View) -> Callable[..., Any]:
        def read(organisation: str, employee_ref: str, by: Who, as_of: AsOf = None) -> JsonAnswer:
            found = _answer(lambda: status_of(organisation, employee_ref, as_of, by))
            chosen = {
                "deadlines": found.deadlines,
                "warnings": found.warnings,
                "findings": found.compliance,
            }[view]
            return JsonAnswer(to_json(chosen))

        read.__doc__ = f"The case's {view} on a date (from its status)."
        read.__name__ = view
        return read

    for view in ("deadlines", "warnings", "findings"):
        router.get(f"/cases/{{organisation}}/{{employee_ref}}/{view}")(part(view))

    @router.get("/cases/{organisation}/{employee_ref}/events")
    def events(organisation: str, employee_ref: str, by: Who) -> JsonAnswer:
        """The case's records as the reader may see them, oldest first."""
        employee = EmployeeRef(organisation=organisation, employee_ref=employee_ref)
        return JsonAnswer(to_json(_answer(lambda: ledger.reader(by).records(employee))))

    @router.get(
        "/cases/{organisation}/{employee_ref}/export",
        response_class=FileResponse,
        responses={200: {"content": {"application/zip": {}, "application/pdf": {}}}},
    )
    def export(
        organisation: str,
        employee_ref: str,
        by: Who,
        as_of: AsOf = None,
        file: Literal["zip", "pdf"] = "zip",
        redact: Annotated[
            list[str] | None,
            Query(
                description="RECORD_OR_DOCUMENT=GROUND (v12=legal_privilege, or a document's "
                "SHA-256 or 8+ digit prefix); grounds: third_party_data, legal_privilege, "
                "without_prejudice. Repeat for each."
            ),
        ] = None,
    ) -> FileResponse:
        """The case's bundle as the reader may see it, streamed: bundle.zip (the verifiable
        records) or bundle.pdf (the hearing bundle), less what `redact` redacts on its ground."""
        from pmledger.export.exporter import export_case
        from pmledger.export.redaction import ChosenRedaction

        employee = EmployeeRef(organisation=organisation, employee_ref=employee_ref)
        folder = Path(tempfile.mkdtemp(prefix="pmledger-export-"))
        try:
            result = _answer(
                lambda: export_case(ledger.reader(by, as_of or day()), employee, folder,
                                    as_of or day(),
                                    redactions=[ChosenRedaction.parse(r) for r in redact or []])
            )  # fmt: skip
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        path = result.zip if file == "zip" else result.pdf
        return FileResponse(
            path,
            media_type="application/zip" if file == "zip" else "application/pdf",
            filename=f"{employee_ref}-{path.name}",
            background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
        )

    return router
