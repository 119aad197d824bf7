"""Direct SQL access to stored events, as an attacker with database access would have."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlparse
from uuid import UUID

import orjson
import psycopg

from pmledger.canonical import canonical_bytes, sha256_hex
from pmledger.integrity.signing import Signer, b64


@dataclass
class RawRows:
    target: str
    table: str = "events"
    """Which table: the signed "events" or the "snapshots" cache."""

    @property
    def _pg(self) -> bool:
        return self.target.startswith("postgresql://")

    def _schema(self) -> str:
        return parse_qs(urlparse(self.target).query)["schema"][0]

    def _run(
        self, sql_sqlite: str, sql_pg: str, params: tuple[object, ...]
    ) -> list[tuple[object, ...]]:
        if self._pg:
            base = self.target.split("?", 1)[0]
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f'SET search_path TO "{self._schema()}"')
                cur = conn.execute(sql_pg.format(t=self.table).replace("?", "%s"), params)
                return list(cur.fetchall()) if cur.description else []
        conn = sqlite3.connect(self.target)
        try:
            rows = conn.execute(sql_sqlite.format(t=self.table), params).fetchall()
            conn.commit()
            return rows
        finally:
            conn.close()

    def _id(self, aggregate_id: str) -> str:
        """eventsourcing stores UUIDs as 32 hex digits in SQLite and as uuid in PostgreSQL."""
        return aggregate_id if self._pg else UUID(aggregate_id).hex

    def state(self, aggregate_id: str, version: int) -> bytes:
        rows = self._run(
            "SELECT state FROM stored_{t} WHERE originator_id=? AND originator_version=?",
            "SELECT state FROM pmledger_{t} WHERE originator_id=? AND originator_version=?",
            (self._id(aggregate_id), version),
        )
        return bytes(rows[0][0])  # type: ignore[arg-type]

    def set_state(self, aggregate_id: str, version: int, state: bytes) -> None:
        self._run(
            "UPDATE stored_{t} SET state=? WHERE originator_id=? AND originator_version=?",
            "UPDATE pmledger_{t} SET state=? WHERE originator_id=? AND originator_version=?",
            (state, self._id(aggregate_id), version),
        )

    def delete(self, aggregate_id: str, version: int) -> None:
        self._run(
            "DELETE FROM stored_{t} WHERE originator_id=? AND originator_version=?",
            "DELETE FROM pmledger_{t} WHERE originator_id=? AND originator_version=?",
            (self._id(aggregate_id), version),
        )

    def swap_states(self, aggregate_id: str, v1: int, v2: int) -> None:
        """Reorder two events of a case by exchanging what is stored at each version."""
        a, b = self.state(aggregate_id, v1), self.state(aggregate_id, v2)
        self.set_state(aggregate_id, v1, b)
        self.set_state(aggregate_id, v2, a)

    def rewrite_signed(
        self, aggregate_id: str, version: int, edit: Callable[[dict[str, Any]], None], keys: Signer
    ) -> str:
        """Change a stored event's payload and sign it again with its own key, as someone
        holding that key (or an older release writing a different shape) would; return the
        new envelope digest."""
        doc = orjson.loads(self.state(aggregate_id, version))
        edit(doc["payload"])
        env = doc["env"]
        env["payload"] = sha256_hex(canonical_bytes(doc["payload"]))
        env_bytes = canonical_bytes(env)
        doc["sig"] = b64(keys.sign(env["key"], env_bytes))
        self.set_state(aggregate_id, version, canonical_bytes(doc))
        return sha256_hex(env_bytes)
