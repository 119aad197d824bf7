"""The read models build from the start by reading the log case by case, a page at a time
after the last (id, version) key. Each page must be a walk along the primary key: a plan that
sorts instead costs a sort of the whole log per page, which no test at test sizes would feel
(a million-event rebuild on PostgreSQL took 253 s instead of 31 when the ORDER BY meant the
id as text). So the plan itself is checked, with sorting made as dear as the planner allows.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse
from uuid import UUID

import psycopg
from eventsourcing.postgres import PostgresAggregateRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder
from tests.core.helpers import open_ledger

from pmledger.storage import postgres, sqlite


def _plan(backend: str) -> str:
    """The plan of one case page query on this backend, one line per node."""
    ledger = open_ledger(backend)
    try:
        recorder = ledger._store.recorder
        table = recorder.events_table_name
        if isinstance(recorder, SQLiteAggregateRecorder):
            with recorder.datastore.transaction(commit=False) as c:
                c.execute(f"EXPLAIN QUERY PLAN {sqlite.case_page_query(table)}", ("", 0, 10, 10))
                return " / ".join(str(row[-1]) for row in c.fetchall())
        assert isinstance(recorder, PostgresAggregateRecorder)
        schema = parse_qs(urlparse(backend).query)["schema"][0]
        with psycopg.connect(backend.split("?", 1)[0], autocommit=True) as conn:
            conn.execute("SET enable_sort = off")
            query = postgres.case_page_query(schema, table).as_string(conn)
            rows = conn.execute(f"EXPLAIN {query}", (str(UUID(int=0)), 0, 10, 10)).fetchall()
        return " / ".join(str(row[0]) for row in rows)
    finally:
        ledger.close()


def test_case_pages_walk_the_key_without_sorting(backend: str) -> None:
    plan = _plan(backend)
    if backend.startswith("postgresql://"):
        assert "Sort" not in plan, plan
        assert "Index Scan using pmledger_events_pkey" in plan, plan
    else:
        assert "TEMP B-TREE" not in plan, plan
        assert "PRIMARY KEY" in plan or "autoindex" in plan, plan
