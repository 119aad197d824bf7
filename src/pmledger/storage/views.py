"""Case read models beside eventsourcing's tracking table, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking

from pmledger.errors import StorageError
from pmledger.ledger.views.rows import CaseRows
from pmledger.projections.case_status import FOLD_STATE, FoldState
from pmledger.storage import views_sql as sql
from pmledger.storage.stored_values import stored_int, stored_text
from pmledger.storage.tracked import TrackedTables

REBUILD = "run `pmledger projections rebuild` to fold them again from the signed events"
"""The repair of any damage to the read models: nothing in them has legal effect."""


class CaseViews(TrackedTables):
    """Case read models: per-case fold state plus the rows school-wide queries read."""

    ddl = sql.CREATE
    repair = REBUILD

    def load_states(self, case_ids: Iterable[str]) -> dict[str, FoldState]:
        ids = list(case_ids)
        if not ids:
            return {}
        statement = self._q(sql.SELECT_STATES, marks=",".join("?" * len(ids)))
        with self._tx(commit=False) as c:
            c.execute(statement, ids)
            rows = c.fetchall()
        return {(case := _case_id(row)): _fold_state(case, row["state"]) for row in rows}

    def write(
        self,
        cases: list[CaseRows],
        tracking: Tracking | None,
        *,
        states: list[tuple[bytes, str]],
        expect_position: int | None = None,
    ) -> None:
        """Rows of the cases a page touched, and (state, case id) of cases whose stored state
        is brought on without their rows changing, with the page's position.

        `expect_position`: refuse (IntegrityError) unless the views still stand there, for a
        writer whose rows belong to no position until its last write names one (a rebuild
        case by case); `tracking` None writes rows only.
        """
        with self._tx(commit=True) as c:
            self._lock(c)
            if expect_position is not None:
                found = self._position_in(c)
                if found != expect_position:
                    raise IntegrityError(
                        f"the read models moved to log position {found} while they were "
                        f"being written from position {expect_position}"
                    )
            with self._pipelined(c):
                if states:
                    c.executemany(self._q(sql.UPDATE_STATE), states)
                ids = [rows.case[0] for rows in cases]
                for table in sql.DETAIL_TABLES if ids else ():
                    c.execute(
                        self._q(sql.DELETE_CASES, table=table, marks=",".join("?" * len(ids))), ids
                    )
                self._insert_rows(
                    c,
                    "pml_case AS c",
                    sql.TYPES["pml_case"],
                    [r.case for r in cases],
                    sql.UPSERT_CASE,
                )
                for table, attr in (
                    ("pml_warning", "warnings"),
                    ("pml_deadline", "deadlines"),
                    ("pml_finding", "findings"),
                    ("pml_awaiting", "awaiting"),
                ):
                    values = [row for rows in cases for row in getattr(rows, attr)]
                    self._insert_rows(c, table, sql.TYPES[table], values, "")
                if tracking is not None:
                    self._track(c, tracking)

    def clear(self) -> None:
        """Forget every row and the tracked position, so the next catch-up rebuilds all."""
        with self._tx(commit=True) as c:
            for table in ("pml_case", *sql.DETAIL_TABLES):
                c.execute(self._q(f"DELETE FROM {{t}}{table}"))
            c.execute(
                self._q(f"DELETE FROM {self._tracking_table()} WHERE application_name=?"),
                (self.application_name,),
            )

    def _rows(self, statement: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self._tx(commit=False) as c:
            c.execute(self._q(statement), params)
            return [dict(row) for row in c.fetchall()]

    def live_warnings(self, as_of: date) -> list[dict[str, Any]]:
        day = as_of.isoformat()
        return self._rows(sql.LIVE_WARNINGS, (day, day, day))

    def deadlines_due_by(self, horizon: date, as_of: date) -> list[dict[str, Any]]:
        """Deadlines due on or before `horizon` and not done by `as_of`."""
        return self._rows(sql.DEADLINES_DUE, (horizon.isoformat(), as_of.isoformat()))

    def cases_by_stage(self) -> list[dict[str, Any]]:
        return self._rows(sql.CASES_BY_STAGE)

    def findings_by_procedure(self) -> list[dict[str, Any]]:
        return self._rows(sql.FINDINGS_BY_PROCEDURE)

    def awaiting_acknowledgement(self) -> list[dict[str, Any]]:
        return self._rows(sql.AWAITING)

    def every_row(self) -> dict[str, list[dict[str, Any]]]:
        """Every stored row of every table, in key order, without the cases' fold states
        (a cache the next catch-up resumes from, not something a query answers from): what
        `projections verify` holds to the pure fold of the events."""
        return {
            table: [
                _keyed(table, {k: v for k, v in row.items() if k != "state"})
                for row in self._rows(f"SELECT * FROM {{t}}{table} ORDER BY {order}")
            ]
            for table, order in sql.ROW_ORDER.items()
        }

    def resume_points(self) -> Iterator[tuple[str, int, FoldState | None]]:
        """Every case: its id, the version its rows show and its stored fold state (None when
        none was stored yet), for checks that the views agree with the pure fold."""
        with self._tx(commit=False) as c:
            c.execute(self._q("SELECT case_id, version, state FROM {t}pml_case ORDER BY case_id"))
            rows = c.fetchall()
        for row in rows:
            state, case_id = row["state"], _case_id(row)
            yield (
                case_id,
                stored_int(row, "version", remedy=REBUILD),
                None if state is None else _fold_state(case_id, state),
            )


def _case_id(row: Any) -> str:
    """A read model's case id, kept as text: a BLOB there (SQLite keeps any value in any
    column) matches no case and sorts against no text, so it is named, not compared."""
    return stored_text(row["case_id"], "a read model's case id", REBUILD)


_INTEGER_KEYS = frozenset({"seq", "version"})
_KEYS = {
    table: tuple(column.strip() for column in order.split(","))
    for table, order in sql.ROW_ORDER.items()
}
"""Each table's key columns (`views_sql.ROW_ORDER`), split once."""


def _keyed(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """`row` with its key columns read as the types they are written as, so rows can be
    ordered and compared by key (`projections verify`)."""
    for column in _KEYS[table]:
        if column in _INTEGER_KEYS:
            row[column] = stored_int(row, column, remedy=REBUILD)
        else:
            row[column] = stored_text(
                row[column], f"a read model's {column.replace('_', ' ')}", REBUILD
            )
    return row


def _fold_state(case_id: str, stored: bytes) -> FoldState:
    """A case's stored fold state; a state that no longer decodes is a damaged read model,
    which a rebuild replaces from the signed events (nothing in it has legal effect)."""
    try:
        return FOLD_STATE.validate_json(bytes(stored))
    except (ValueError, TypeError) as exc:  # TypeError: text where SQLite kept bytes
        raise StorageError.damaged(
            f"the stored read model of case {case_id}",
            exc,
            REBUILD,
        ) from None
