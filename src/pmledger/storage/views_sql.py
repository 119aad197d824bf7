"""The read-model tables and queries, in SQL that SQLite and PostgreSQL both accept.

Table names are written `{t}name`; each backend puts its schema prefix in `{t}` and its
parameter style in place of `?`.
"""

from __future__ import annotations

CREATE = (
    "CREATE TABLE IF NOT EXISTS {t}pml_case (case_id TEXT PRIMARY KEY, organisation TEXT, "
    "employee_ref TEXT, school TEXT, nation TEXT, pack_id TEXT, pack_version TEXT, stage TEXT, "
    "stage_words TEXT, stage_since TEXT, capability_active INTEGER, appeal_pending INTEGER, "
    "version INTEGER, state {blob})",
    "CREATE TABLE IF NOT EXISTS {t}pml_warning (case_id TEXT, warning_id TEXT, kind TEXT, "
    "issued_on TEXT, expires_on TEXT, rescinded_on TEXT, PRIMARY KEY (case_id, warning_id))",
    "CREATE TABLE IF NOT EXISTS {t}pml_deadline (case_id TEXT, seq INTEGER, rule_id TEXT, "
    "source TEXT, description TEXT, anchor_version INTEGER, due_on TEXT, done_on TEXT, "
    "done_version INTEGER, reason TEXT, unit TEXT, PRIMARY KEY (case_id, seq))",
    "CREATE INDEX IF NOT EXISTS pml_deadline_due ON {t}pml_deadline (due_on)",
    "CREATE TABLE IF NOT EXISTS {t}pml_finding (case_id TEXT, seq INTEGER, version INTEGER, "
    "occurred_on TEXT, rule_id TEXT, source TEXT, severity TEXT, message TEXT, "
    "deviation_reason TEXT, PRIMARY KEY (case_id, seq))",
    "CREATE TABLE IF NOT EXISTS {t}pml_awaiting (case_id TEXT, version INTEGER, kind TEXT, "
    "occurred_on TEXT, PRIMARY KEY (case_id, version))",
)

DETAIL_TABLES = ("pml_warning", "pml_deadline", "pml_finding", "pml_awaiting")

COLUMNS = {
    "pml_case": (
        "case_id", "organisation", "employee_ref", "school", "nation", "pack_id",
        "pack_version", "stage", "stage_words", "stage_since", "capability_active",
        "appeal_pending", "version",
    ),
    "pml_warning": ("case_id", "warning_id", "kind", "issued_on", "expires_on", "rescinded_on"),
    "pml_deadline": (
        "case_id", "seq", "rule_id", "source", "description", "anchor_version", "due_on",
        "done_on", "done_version", "reason", "unit",
    ),
    "pml_finding": (
        "case_id", "seq", "version", "occurred_on", "rule_id", "source", "severity", "message",
        "deviation_reason",
    ),
    "pml_awaiting": ("case_id", "version", "kind", "occurred_on"),
}  # fmt: skip
"""Each table's columns in `CREATE` order (the case's fold state left out), as the row tuples
of `ledger.views.rows` lay them out."""

ROW_ORDER = {
    "pml_case": "case_id",
    "pml_warning": "case_id, warning_id",
    "pml_deadline": "case_id, seq",
    "pml_finding": "case_id, seq",
    "pml_awaiting": "case_id, version",
}
"""Each table's key, the order its rows are compared in."""

TYPES = {
    "pml_case": (*("text",) * 10, "integer", "integer", "integer", "blob"),
    "pml_warning": ("text",) * 6,
    "pml_deadline": (
        "text", "integer", "text", "text", "text", "integer", "text", "text", "integer", "text",
        "text",
    ),
    "pml_finding": ("text", "integer", "integer", *("text",) * 6),
    "pml_awaiting": ("text", "integer", "text", "text"),
}  # fmt: skip
"""Each table's column types in `CREATE` order (the case's fold state last, as a blob): every
row of a write goes in as one INSERT per table (`TrackedTables._insert_rows`), which on
PostgreSQL sends each column as one array of these types."""

UPSERT_CASE = (
    "ON CONFLICT (case_id) DO UPDATE "
    "SET organisation=excluded.organisation, employee_ref=excluded.employee_ref, "
    "school=excluded.school, nation=excluded.nation, pack_id=excluded.pack_id, "
    "pack_version=excluded.pack_version, stage=excluded.stage, stage_words=excluded.stage_words, "
    "stage_since=excluded.stage_since, capability_active=excluded.capability_active, "
    "appeal_pending=excluded.appeal_pending, version=excluded.version, "
    "state=COALESCE(excluded.state, c.state)"
)
"""How a case row meets the stored one (the table is written `pml_case AS c`): a row without
a state keeps the stored one, the case's resume point (see the updater)."""
DELETE_CASES = "DELETE FROM {t}{table} WHERE case_id IN ({marks})"
"""A table's rows of the cases a write replaces, in one statement."""

UPDATE_STATE = "UPDATE {t}pml_case SET state=? WHERE case_id=?"
SELECT_STATES = (
    "SELECT case_id, state FROM {t}pml_case WHERE case_id IN ({marks}) AND state IS NOT NULL"
)

LIVE_WARNINGS = (
    "SELECT c.organisation, c.employee_ref, c.school, c.pack_id, w.warning_id, w.kind, "
    "w.issued_on, w.expires_on FROM {t}pml_warning w JOIN {t}pml_case c USING (case_id) "
    "WHERE w.issued_on <= ? AND ? < w.expires_on "
    "AND (w.rescinded_on IS NULL OR w.rescinded_on > ?) "
    "ORDER BY w.expires_on, c.employee_ref"
)
DEADLINES_DUE = (
    "SELECT c.organisation, c.employee_ref, c.school, c.nation, c.pack_id, d.rule_id, d.source, "
    "d.description, d.due_on, d.done_on FROM {t}pml_deadline d JOIN {t}pml_case c USING (case_id) "
    "WHERE d.due_on IS NOT NULL AND d.due_on <= ? AND (d.done_on IS NULL OR d.done_on > ?) "
    "ORDER BY d.due_on, c.employee_ref"
)
CASES_BY_STAGE = (
    "SELECT pack_id, stage, stage_words, COUNT(*) AS n FROM {t}pml_case "
    "GROUP BY pack_id, stage, stage_words ORDER BY pack_id, stage"
)
FINDINGS_BY_PROCEDURE = (
    "SELECT c.pack_id, f.rule_id, f.source, COUNT(*) AS n, "
    "SUM(CASE WHEN f.deviation_reason IS NULL THEN 0 ELSE 1 END) AS deviated "
    "FROM {t}pml_finding f JOIN {t}pml_case c USING (case_id) "
    "GROUP BY c.pack_id, f.rule_id, f.source ORDER BY c.pack_id, n DESC, f.rule_id"
)
AWAITING = (
    "SELECT c.organisation, c.employee_ref, a.version, a.kind, a.occurred_on "
    "FROM {t}pml_awaiting a JOIN {t}pml_case c USING (case_id) "
    "ORDER BY a.occurred_on, c.employee_ref"
)
