"""A status read through the FastAPI router vs `Ledger.status` called directly.

Both read the same cases of one ledger as the same person, one after another, each read
checked and written to the access log. The router adds the web layer: Starlette's and
FastAPI's middleware, routing and dependency solving (path, `as_of`, the host's actor
dependency), the one hop to the thread pool where FastAPI runs the plain endpoint, and the
JSON of the status as bytes. The target is 0.7: the web layer may cost at most 30 % on top
of the ledger's own read.

`web-status` (the target) hands each request to the app as an ASGI server does once it has
parsed the request: the scope, `receive` and `send`. `web-status-httpx` times the same
reads from an httpx client over its ASGI transport, as this benchmark did before: that adds
an HTTP client's own work (about 0.45 ms of CPU a request on this machine, a quarter of a
direct read on SQLite; a server's own parsing, in C under uvicorn, is a fraction of it),
and stays for comparison with the figures before the split.

Starlette's `TestClient` is not used for the timing: it runs the app through a thread portal
of its own (two thread hand-offs and a lock wait per request), which cost about 3 ms a
request here (0.32 of the direct read on SQLite) and is no part of a deployed router.

The host's actor dependency is `async def`, as in `examples/fastapi_app.py` and as the
router's docstring advises for one that does no blocking I/O: a plain function is a second
hop to the thread pool per request, the host's cost rather than the router's.

`sniffio` must be installed (the `test` extra has it): without it httpx's ASGI transport
(and httpcore) try `import sniffio` on every request, and a failed import is not cached, so
each request walks sys.path for it — about 0.3 ms of the client's own, a sixth of a direct
read (encode/httpcore#1103; anyio stopped depending on sniffio, which used to bring it).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine, Iterator, MutableMapping
from datetime import date
from functools import partial
from typing import Any, Literal, TypeVar

import httpx
import sniffio  # noqa: F401 - see the docstring: httpx imports it on every request
from fastapi import FastAPI
from harness import Baseline, Benchmark, Body, Contender, Context, Result
from workload import HR, enrol, open_cases, open_ledger

from pmledger import Actor, EmployeeRef, Ledger, MemoryKeyStore, to_json
from pmledger.web.fastapi_router import ledger_router

T = TypeVar("T")
WEB_TARGET = 0.7
AS_OF = date(2025, 10, 20)
Via = Literal["asgi", "httpx"]


def direct(ledger: Ledger, refs: list[EmployeeRef], reads: int) -> Contender:
    @contextlib.contextmanager
    def prepare() -> Iterator[Body]:
        def body() -> int:
            for n in range(reads):
                to_json(ledger.reader(HR).status(refs[n % len(refs)], AS_OF))
            return reads

        yield body

    return Contender("Ledger.status + to_json", prepare)


class RouterClient:
    """Status reads as HR through the router, one at a time, on an event loop of the client's
    own. Also used by bench_scale_status.py, so both time the router the same way.

    `via="asgi"` hands each request to the app as an ASGI server does: the scope uvicorn
    builds from a parsed request line and headers, the answer's status and body collected
    from `send`. `via="httpx"` goes through httpx's ASGI transport instead, which adds an
    HTTP client's own work per request (building and parsing the URL, merging the base URL,
    the request and response models, cookies): about 0.45 ms of CPU on this machine, a
    quarter of a direct read, none of it the router's or a server's.
    """

    def __init__(self, ledger: Ledger, via: Via = "asgi") -> None:
        async def as_hr() -> Actor:
            return HR

        self.app = FastAPI()
        self.app.include_router(ledger_router(ledger, actor=as_hr))
        self.via = via
        self.loop = asyncio.new_event_loop()
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url="http://pmledger.test"
        )

    async def status(self, ref: EmployeeRef) -> None:
        path = f"/cases/{ref.organisation}/{ref.employee_ref}/status"
        query = f"as_of={AS_OF.isoformat()}"
        if self.via == "httpx":
            answered = await self.client.get(f"{path}?{query}")
            status, body = answered.status_code, answered.content
        else:
            status, body = await self._asgi_get(path, query.encode())
        if status != 200 or not body:
            raise AssertionError(f"{status}: {body!r}")

    async def _asgi_get(self, path: str, query: bytes) -> tuple[int, bytes]:
        scope = {
            "type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"},
            "http_version": "1.1", "scheme": "http", "method": "GET", "root_path": "",
            "path": path, "raw_path": path.encode(), "query_string": query,
            "headers": [(b"host", b"pmledger.test"), (b"accept", b"*/*")],
            "server": ("pmledger.test", 80), "client": ("127.0.0.1", 50000), "state": {},
        }  # fmt: skip
        answer: dict[str, Any] = {"status": 0, "body": bytearray()}

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
            elif message["type"] == "http.response.body":
                answer["body"] += message.get("body", b"")

        await self.app(scope, receive, send)
        return answer["status"], bytes(answer["body"])

    def run(self, reads: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(reads)

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.close()


def routed(ledger: Ledger, refs: list[EmployeeRef], reads: int, via: Via) -> Contender:
    @contextlib.contextmanager
    def prepare() -> Iterator[Body]:
        with contextlib.closing(RouterClient(ledger, via)) as router:

            async def reads_through_the_router() -> int:
                for n in range(reads):
                    await router.status(refs[n % len(refs)])
                return reads

            yield lambda: router.run(reads_through_the_router())

    via_words = "handed to the app" if via == "asgi" else "from an httpx client"
    return Contender(f"GET …/status through the router, {via_words}", prepare)


def run_web(name: str, via: Via, target_ratio: float | None, ctx: Context) -> list[Result]:
    cases = ctx.size(quick=20, full=200)
    reads = ctx.size(quick=200, full=2_000)
    params = {"cases": cases, "reads_per_round": reads, "reader": "hr (logged)"}
    notes = ["sequential reads; each read also appends to the reader's access log"]
    with ctx.stores.fresh("web") as target:
        keystore = MemoryKeyStore()
        with open_ledger(target, keystore=keystore) as built:
            refs = open_cases(built, enrol(built, cases), cases)
        with open_ledger(target, keystore=keystore) as ledger:
            return [
                ctx.compare(
                    name,
                    routed(ledger, refs, reads, via),
                    [Baseline(direct(ledger, refs, reads), target_ratio)],
                    params={**params, "via": via},
                    unit="reads/s",
                    notes=notes,
                    trace_memory=False,
                )
            ]


BENCHMARKS = [
    Benchmark(
        "web-status",
        "a case status read through the FastAPI router vs Ledger.status directly",
        partial(run_web, "web-status", "asgi", WEB_TARGET),
    ),
    Benchmark(
        "web-status-httpx",
        "the same reads from an httpx client, for comparison with the figures before the split",
        partial(run_web, "web-status-httpx", "httpx", None),
        diagnostic=True,
    ),
]
