"""Fresh ledger addresses on the test's backend, for tests that need several ledgers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from tests.conftest import PG_ADMIN_DSN


@pytest.fixture
def fresh_target(backend: str, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """`fresh_target(name)`: a new empty ledger on the same backend as `backend`."""
    schemas: list[str] = []

    def make(name: str) -> str:
        if not backend.startswith("postgresql://"):
            return str(tmp_path / f"{name}.sqlite")
        schema = f"{backend.rsplit('schema=', 1)[1]}_{name}"
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        schemas.append(schema)
        return f"{PG_ADMIN_DSN}?schema={schema}"

    yield make
    if schemas:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            for schema in schemas:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
