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
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

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


POOL_PARAMS = {
    "pool_size": ("POSTGRES_POOL_SIZE", int, "1"),
    "max_overflow": ("POSTGRES_MAX_OVERFLOW", int, "14"),
    "pool_timeout": ("POSTGRES_POOL_TIMEOUT", float, "30"),
    "max_idle": ("POSTGRES_MAX_IDLE", float, "60"),
}
"""pmledger's own DSN parameters for the connection pool: (setting, type, default). A ledger
keeps `pool_size` connections open while idle and opens up to `max_overflow` more under load,
each closed again after `max_idle` seconds unused; a caller waits up to `pool_timeout`
seconds for a free one. The defaults keep one idle connection per open ledger, so a host
holding many ledgers (or a test run) does not pile connections up on the server."""
PMLEDGER_PARAMS = ("schema", *POOL_PARAMS)
CONNECT_TIMEOUT = "5"
"""libpq's connect_timeout unless the DSN sets one: a server that does not answer is an error
in seconds, not a hang."""


def _postgres(dsn: str) -> Target:
    """Every libpq parameter (sslmode, sslrootcert, host=/var/run/postgresql, application_name,
    ...) goes to psycopg's own conninfo handling, as libpq means it; pmledger's parameters
    (`schema` and the pool's, see POOL_PARAMS) are taken out first, as libpq would refuse them.
    """
    base, _, query_text = dsn.partition("?")
    query = parse_qsl(query_text, keep_blank_values=True)
    own = {k: v for k, v in query if k in PMLEDGER_PARAMS}
    kept = [(k, v) for k, v in query if k not in own]
    libpq = f"{base}?{urlencode(kept, quote_via=quote)}" if kept else base
    try:
        params = conninfo_to_dict(libpq)
    except psycopg.ProgrammingError as exc:
        raise StorageError(f"PostgreSQL DSN {_redacted(dsn)!r} cannot be read: {exc}") from None
    params.setdefault("connect_timeout", CONNECT_TIMEOUT)
    env = {
        "PERSISTENCE_MODULE": "pmledger.storage.postgres:Factory",
        "POSTGRES_CONNINFO": make_conninfo(**{k: str(v) for k, v in params.items()}),
        "POSTGRES_LOCK_TIMEOUT": "30",
    }
    for name, (setting, kind, default) in POOL_PARAMS.items():
        value = own.get(name, default)
        try:
            if kind(value) < 0:
                raise ValueError(value)
        except ValueError:
            raise StorageError(
                f"PostgreSQL DSN parameter {name}={value!r} must be a number, 0 or more"
            ) from None
        env[setting] = value
    schema = own.get("schema", "")
    if schema:
        env["POSTGRES_SCHEMA"] = schema
    user = f"{params['user']}@" if params.get("user") else ""
    port = f":{params['port']}" if params.get("port") else ""
    where = f"postgresql://{user}{params.get('host', '')}{port}/{params.get('dbname', '')}"
    return Target("postgres", env, where + (f"?schema={schema}" if schema else ""))


def _redacted(dsn: str) -> str:
    """The DSN without its password, for messages."""
    password = urlsplit(dsn).password
    return dsn if password is None else dsn.replace(f":{password}@", ":***@", 1)
