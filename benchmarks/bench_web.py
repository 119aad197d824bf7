"""A status read through the FastAPI router vs `Ledger.status` called directly.

Both read the same cases of one ledger as the same person, one after another, each read
checked and written to the access log; the router adds the HTTP request and response (httpx
over ASGI in this process, as a server such as uvicorn hands requests to the app, plus the
client's own work of building the request and reading the answer), FastAPI's routing and
dependency solving, the router's one hop to the thread pool for the ledger call, the host's
actor dependency, and the JSON of the status as bytes. The target is 0.7: the web layer may
cost at most 30 % on top of the ledger's own read.

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
from collections.abc import Coroutine, Iterator
from datetime import date
from typing import Any, TypeVar

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
    """Status reads as HR through the router, one at a time: httpx over ASGI on an event loop
    of the client's own, as a server hands each request to the app. Also used by
    bench_scale_status.py, so both time the router the same way."""

    def __init__(self, ledger: Ledger) -> None:
        async def as_hr() -> Actor:
            return HR

        app = FastAPI()
        app.include_router(ledger_router(ledger, actor=as_hr))
        self.loop = asyncio.new_event_loop()
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://pmledger.test"
        )

    async def status(self, ref: EmployeeRef) -> None:
        answered = await self.client.get(
            f"/cases/{ref.organisation}/{ref.employee_ref}/status",
            params={"as_of": AS_OF.isoformat()},
        )
        if answered.status_code != 200:
            raise AssertionError(answered.text)

    def run(self, reads: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(reads)

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.close()


def routed(ledger: Ledger, refs: list[EmployeeRef], reads: int) -> Contender:
    @contextlib.contextmanager
    def prepare() -> Iterator[Body]:
        with contextlib.closing(RouterClient(ledger)) as router:

            async def reads_through_the_router() -> int:
                for n in range(reads):
                    await router.status(refs[n % len(refs)])
                return reads

            yield lambda: router.run(reads_through_the_router())

    return Contender("GET …/status through the router", prepare)


def run_web(ctx: Context) -> list[Result]:
    cases = ctx.size(quick=20, full=200)
    reads = ctx.size(quick=200, full=2_000)
    with ctx.stores.fresh("web") as target:
        keystore = MemoryKeyStore()
        with open_ledger(target, keystore=keystore) as built:
            refs = open_cases(built, enrol(built, cases), cases)
        with open_ledger(target, keystore=keystore) as ledger:
            result = ctx.compare(
                "web-status",
                routed(ledger, refs, reads),
                [Baseline(direct(ledger, refs, reads), WEB_TARGET)],
                params={"cases": cases, "reads_per_round": reads, "reader": "hr (logged)"},
                unit="reads/s",
                notes=["sequential reads; each read also appends to the reader's access log"],
                trace_memory=False,
            )
    return [result]


BENCHMARKS = [
    Benchmark(
        "web-status",
        "a case status read through the FastAPI router vs Ledger.status directly",
        run_web,
    ),
]
