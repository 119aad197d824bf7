"""Where a ledger lives: a SQLite file path, a PostgreSQL DSN, or memory.

The eventsourcing environment is built here and only here, explicitly: pmledger never reads
eventsourcing settings from the process environment, so two ledgers in one host process
(Django, FastAPI, a test run) can never leak configuration into each other.

The address is also where the backend is chosen, once: `PERSISTENCE_MODULE` names the
backend's `Factory` (`pmledger.storage.sqlite`, `postgres` or `memory`), which eventsourcing
builds and which builds every table the ledger keeps beside eventsourcing's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from pmledger.errors import StorageError

_POSTGRES_SCHEMES = ("postgresql", "postgres")


@dataclass(frozen=True)
class Target:
    kind: str
    env: dict[str, str]
    display: str


def parse_target(target: str | Path) -> Target:
    text = str(target)
    if text in (":memory:", "memory:"):
        return Target("memory", {"PERSISTENCE_MODULE": "pmledger.storage.memory:Factory"}, "memory")
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if scheme in _POSTGRES_SCHEMES:
        return _postgres(text)
    if scheme:
        raise StorageError(
            f"unsupported ledger address {text!r}: give a SQLite file path or a "
            "postgresql://user@host:port/dbname DSN"
        )
    path = Path(text).expanduser()
    if path.is_dir():
        raise StorageError(f"{path} is a directory; give the path of a SQLite file inside it")
    if not path.parent.exists():
        raise StorageError(f"folder {path.parent} does not exist; create it first")
    return Target(
        "sqlite",
        {
            "PERSISTENCE_MODULE": "pmledger.storage.sqlite:Factory",
            "SQLITE_DBNAME": str(path),
            "SQLITE_LOCK_TIMEOUT": "30",
        },
        str(path),
    )


def _postgres(dsn: str) -> Target:
    url = urlparse(dsn)
    dbname = url.path.lstrip("/")
    if not dbname or not url.hostname:
        raise StorageError(
            f"PostgreSQL DSN {dsn!r} needs a host and a database: postgresql://user@host:5432/db"
        )
    query = parse_qs(url.query)
    env = {
        "PERSISTENCE_MODULE": "pmledger.storage.postgres:Factory",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": url.hostname,
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": unquote(url.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(url.password or ""),
        "POSTGRES_CONNECT_TIMEOUT": query.get("connect_timeout", ["5"])[0],
        "POSTGRES_LOCK_TIMEOUT": "30",
    }
    schema = query.get("schema", [""])[0]
    if schema:
        env["POSTGRES_SCHEMA"] = schema
    safe = f"postgresql://{url.username or 'postgres'}@{url.hostname}:{url.port or 5432}/{dbname}"
    return Target("postgres", env, safe + (f"?schema={schema}" if schema else ""))
