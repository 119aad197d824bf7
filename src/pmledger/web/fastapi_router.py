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

One Ledger serves every request (see "Thread safety" in the README). Each handler is a
coroutine that hands its whole ledger call — the read or write, and the JSON of its answer —
to the thread pool in one hop, so the event loop never waits on the database and a request
costs one hand-off, not one per step. A host's `actor` dependency that does no blocking I/O
(it reads a header or a verified token) should be `async def` too: FastAPI runs a plain
function on the thread pool, a second hand-off per request.
"""

import shutil
import tempfile
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import anyio.to_thread
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
        return content if isinstance(content, bytes) else orjson.dumps(content)


def error_body(exc: PmLedgerError) -> dict[str, Any]:
    """What an error answers with: its class, its message and, for bad input, each field."""
    fields = getattr(exc, "details", ())
    return {
        "error": type(exc).__name__,
        "message": str(exc),
        "fields": [{"field": f.field, "message": f.message, "type": f.type} for f in fields],
    }


async def _answer(person: Actor | None, call: Callable[[Actor], T]) -> T:
    """`call` as the person asking, on the thread pool (it blocks on the database), its typed
    errors answered as HTTP ones; nobody signed in (the host's dependency gave None) is 401."""
    if person is None:
        raise HTTPException(
            401, detail=error_body(ActorRequired("sign in: every read and act names a person"))
        )
    try:
        return await anyio.to_thread.run_sync(call, person)
    except PmLedgerError as exc:
        raise HTTPException(exc.status, detail=error_body(exc)) from None


def _json(view: object) -> bytes:
    return orjson.dumps(to_json(view))


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

    # The host's dependency itself, not one of ours around it: a level of dependency solving
    # less per request, and `app.dependency_overrides[actor]` in a host's tests still applies.
    Who = Annotated[Actor | None, Depends(actor)]  # noqa: N806 - a type, on the host's dependency

    def status_of(
        organisation: str, employee_ref: str, as_of: date | None, by: Actor
    ) -> CaseStatus:
        employee = EmployeeRef(organisation=organisation, employee_ref=employee_ref)
        return ledger.reader(by).status(employee, as_of or day())

    @router.post("/cases/{organisation}/{employee_ref}/acts", status_code=201)
    async def record(
        organisation: Identifier, employee_ref: Identifier, body: ActRequest, by: Who
    ) -> JsonAnswer:
        """Record one act; the answer is the receipt, with what the procedure found."""
        employee = EmployeeRef(organisation=organisation, employee_ref=employee_ref)
        receipt = await _answer(
            by,
            lambda who: _json(
                ledger.record(
                    employee,
                    body.act,
                    occurred_on=body.occurred_on,
                    actor=who,
                    deviation_reason=body.deviation_reason,
                    expected_version=body.expected_version,
                )
            ),
        )
        return JsonAnswer(receipt, status_code=201)

    @router.get("/cases/{organisation}/{employee_ref}/status")
    async def status(
        organisation: str, employee_ref: str, by: Who, as_of: AsOf = None
    ) -> JsonAnswer:
        """Stage, warnings, deadlines, findings, pay and signatures on a date."""
        return JsonAnswer(
            await _answer(by, lambda who: _json(status_of(organisation, employee_ref, as_of, who)))
        )

    def part(view: View) -> Callable[..., Any]:
        def chosen(found: CaseStatus) -> object:
            return {
                "deadlines": found.deadlines,
                "warnings": found.warnings,
                "findings": found.compliance,
            }[view]

        async def read(
            organisation: str, employee_ref: str, by: Who, as_of: AsOf = None
        ) -> JsonAnswer:
            return JsonAnswer(
                await _answer(
                    by, lambda who: _json(chosen(status_of(organisation, employee_ref, as_of, who)))
                )
            )

        read.__doc__ = f"The case's {view} on a date (from its status)."
        read.__name__ = view
        return read

    for view in ("deadlines", "warnings", "findings"):
        router.get(f"/cases/{{organisation}}/{{employee_ref}}/{view}")(part(view))

    @router.get("/cases/{organisation}/{employee_ref}/events")
    async def events(organisation: str, employee_ref: str, by: Who) -> JsonAnswer:
        """The case's records as the reader may see them, oldest first."""
        employee = EmployeeRef(organisation=organisation, employee_ref=employee_ref)
        return JsonAnswer(
            await _answer(by, lambda who: _json(ledger.reader(who).records(employee)))
        )

    @router.get(
        "/cases/{organisation}/{employee_ref}/export",
        response_class=FileResponse,
        responses={200: {"content": {"application/zip": {}, "application/pdf": {}}}},
    )
    async def export(
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
        on = as_of or day()

        def bundle(who: Actor) -> tuple[Path, Path]:
            folder = Path(tempfile.mkdtemp(prefix="pmledger-export-"))
            try:
                chosen = [ChosenRedaction.parse(r) for r in redact or []]
                reader = ledger.reader(who, on)
                result = export_case(reader, employee, folder, on, redactions=chosen)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
            return folder, result.zip if file == "zip" else result.pdf

        folder, path = await _answer(by, bundle)
        return FileResponse(
            path,
            media_type="application/zip" if file == "zip" else "application/pdf",
            filename=f"{employee_ref}-{path.name}",
            background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
        )

    return router
