"""A back-office web API over pmledger, in a dozen lines of host code.

Run it (after `pip install pmledger[fastapi] uvicorn`):

    PMLEDGER_DB=ledger.sqlite PMLEDGER_KEYS=keys/ PMLEDGER_KEY_PASSPHRASE=… \\
        uvicorn examples.fastapi_app:app

The host's own authentication decides who asks. This example trusts two headers so it can
be tried with curl; a real host reads its session or verifies a token here instead, because
whoever can set these headers can act as anyone.
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import FastAPI, Header

from pmledger import Actor, EncryptedFileKeyStore, Ledger, Role
from pmledger.start_up import freeze_start_up_heap
from pmledger.web.fastapi_router import ledger_router


async def current_actor(
    x_person: Annotated[str | None, Header()] = None,
    x_role: Annotated[Role | None, Header()] = None,
) -> Actor | None:
    """Who asks: the host's authentication goes here (None: nobody signed in, answered 401).
    `async def` because it does no blocking I/O: FastAPI runs a plain function on its thread
    pool, a hop per request on top of the router's own."""
    if x_person is None or x_role is None:
        return None
    return Actor(person_id=x_person, role=x_role)


def create_app(ledger: Ledger) -> FastAPI:
    """The app over an open ledger (tests pass their own)."""
    app = FastAPI(title="Back office: performance management")
    app.include_router(ledger_router(ledger, actor=current_actor), prefix="/pm")
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    keys = EncryptedFileKeyStore(
        os.environ["PMLEDGER_KEYS"], os.environ["PMLEDGER_KEY_PASSPHRASE"].encode()
    )
    served = list(app.router.routes)
    with Ledger.open(os.environ["PMLEDGER_DB"], keystore=keys) as ledger:
        app.include_router(ledger_router(ledger, actor=current_actor), prefix="/pm")
        freeze_start_up_heap()  # start-up is done: see pmledger.start_up
        try:
            yield
        finally:  # its routes go with its ledger: a restarted app mounts them once, afresh
            app.router.routes[:] = served


app = FastAPI(title="Back office: performance management", lifespan=_lifespan)
