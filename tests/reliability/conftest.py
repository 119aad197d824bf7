"""Fresh ledger addresses on the test's backend, for tests that need several ledgers."""

from __future__ import annotations

import subprocess
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


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs, unmounted afterwards: a full disk for the fault tests."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=False)
