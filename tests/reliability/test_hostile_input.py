"""Hostile input: commands built from the real act schemas with wrong types, huge strings,
control characters, unicode edge cases (lone surrogates, RTL overrides, zero-width marks),
dates out of range, unknown enum values and negative or huge numbers.

`Ledger.execute` and `pmledger import` must either record (exactly one event per act) or
refuse with a typed pmledger error, never raise anything else, and a refused import must
leave the ledger's event count unchanged (no partial batch).
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.core.helpers import EMPLOYEE, HEAD, HR, seeded
from tests.reliability.harness import backend_name, keystore, tally
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.errors import PmLedgerError
from pmledger.events.signed_event import CASE_ACTS
from pmledger.ledger.access_log import ACCESS_TOPIC_PREFIX
from pmledger.ledger.facade import Ledger

Json = Any
EXAMPLES = {"sqlite": 400, "postgres": 150}
IMPORT_EXAMPLES = {"sqlite": 120, "postgres": 60}
ALICE_REF = {"organisation": "trust", "employee_ref": "E-001"}
ACTORS = [a.model_dump(mode="json") for a in (HR, HEAD, EMPLOYEE)]

WEIRD_TEXT = [
    "A" * 200_000,
    "\u202eevil\u202c",
    "\u200b",
    "\ufeffBOM",
    "a\u0000b",
    "line\u2028separator",
    "e\u0301\u0301\u0301",
    "😀" * 500,
    "\U0010ffff",
    "\ud800",
    "\udfff tail",
    "x\ud83d",
    "\x7f",
    " ",
    "",
    "\t\n\r",
    "الموظف",
    "null",
    "-1",
    "1e999",
]
BAD_DATES = [
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2025-02-30",
    "2025-13-01",
    "-0001-01-01",
    "2025-1-1",
    "2025-11-03T25:00:00",
    "20251103",
    "1900-02-29",
]
UNKNOWN_ENUMS = ["not_a_value", "HR", "hr ", "Teacher", "first-formal", "\u0430dministrator"]

hostile_text = st.one_of(
    st.sampled_from(WEIRD_TEXT),
    st.text(alphabet=st.characters(max_codepoint=31), min_size=1, max_size=4),
    st.text(alphabet=st.characters(categories=["Cs"]), min_size=1, max_size=3),
    st.text(alphabet=st.characters(categories=["Cf", "Zl", "Zp", "Mn"]), min_size=1, max_size=8),
    st.text(max_size=30),
)
hostile_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([-1, 0, 2**31, 2**63, -(2**63) - 1, 10**30]),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text,
    st.sampled_from(BAD_DATES),
    st.sampled_from(UNKNOWN_ENUMS),
)
hostile: st.SearchStrategy[Json] = st.recursive(
    hostile_scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


VALID_WEIRD = [
    "\u202eevil\u202c",
    "zero\u200bwidth",
    "\ufeffBOM",
    "e\u0301\u0301\u0301",
    "😀" * 40,
    "\U0010ffff\U0001f600",
    "الموظف",
    "職員番号",
    "  padded  ",
    "null",
    "-1",
    "Robert'); DROP TABLE stored_events;--",
    "x" * 120,
]
"""Strings every field type accepts, that are still unusual: they must be stored and verify."""

plausible_text = st.one_of(
    st.text(alphabet=st.characters(categories=["L", "N"], max_codepoint=0x2FF), max_size=30),
    st.sampled_from(VALID_WEIRD),
)


def _plausible(schema: dict[str, Any], defs: dict[str, Any]) -> st.SearchStrategy[Json]:
    """Values of the right shape for one JSON-schema node of an act."""
    if "$ref" in schema:
        return _plausible(defs[schema["$ref"].rsplit("/", 1)[1]], defs)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for union in ("anyOf", "oneOf"):
        if union in schema:
            return st.one_of([_plausible(s, defs) for s in schema[union]])
    kind = schema.get("type")
    if kind == "string":
        if schema.get("format") == "date":
            return st.dates(date(2020, 1, 1), date(2030, 12, 31)).map(date.isoformat)
        if schema.get("format") == "date-time":
            return st.datetimes(timezones=st.just(UTC)).map(datetime.isoformat)
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True)
        low, high = schema.get("minLength", 0), schema.get("maxLength", 10**6)
        return plausible_text.filter(lambda text: low <= len(text.strip()) <= high)
    if kind == "integer":
        return st.integers(schema.get("minimum", 0), schema.get("maximum", 12))
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "array":
        items = schema.get("items") or (schema.get("prefixItems") or [{}])[0]
        return st.lists(_plausible(items, defs), max_size=min(schema.get("maxItems", 3), 3))
    if kind == "object" and "properties" in schema:
        properties = schema["properties"]
        required = set(schema.get("required", ())) | ({"kind"} & set(properties))
        return st.fixed_dictionaries(
            {k: _plausible(v, defs) for k, v in properties.items() if k in required},
            optional={k: _plausible(v, defs) for k, v in properties.items() if k not in required},
        )
    return hostile


def _act(cls: type[Any]) -> st.SearchStrategy[Json]:
    schema = cls.model_json_schema()
    return _plausible(schema, schema.get("$defs", {}))


ACT_STRATEGIES = [_act(cls) for cls in CASE_ACTS]

plausible_commands = st.fixed_dictionaries(
    {
        "employee": st.one_of(
            st.just(ALICE_REF),
            st.just(ALICE_REF),
            st.builds(
                lambda ref: {"organisation": "trust", "employee_ref": ref},
                st.sampled_from(["E-002", "\u202eE-3", "職員-4"]),
            ),
        ),
        "act": st.one_of(ACT_STRATEGIES),
        "occurred_on": st.dates(date(2025, 9, 1), date(2026, 8, 31)).map(date.isoformat),
        "actor": st.sampled_from(ACTORS),
    },
    optional={
        "deviation_reason": plausible_text.filter(lambda text: len(text.strip()) >= 3),
        "expected_version": st.integers(0, 8),
    },
)


def _paths(value: Json, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value: keys of objects and indexes of arrays, at any depth."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found.extend(_paths(inner, (*prefix, key)))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found.extend(_paths(inner, (*prefix, index)))
    return found


@st.composite
def commands(draw: st.DrawFn) -> dict[str, Json]:
    """A RecordAct in its JSON form from the real schemas, with 0-3 hostile mutations: a value
    replaced, a field removed, or an unknown field added, anywhere in the command."""
    command: dict[str, Json] = copy.deepcopy(draw(plausible_commands))  # shared constants
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 1, 2, 3]))):
        path = draw(st.sampled_from(_paths(command)))
        *parents, last = path
        holder = command
        for step in parents:
            holder = holder[step]
        action = draw(st.sampled_from(["replace", "replace", "replace", "remove", "add"]))
        if action == "replace":
            holder[last] = draw(hostile)
        elif action == "remove" and isinstance(holder, dict):
            del holder[last]
        elif isinstance(holder, dict):
            holder[draw(st.sampled_from(["unknown", "Kind", "__class__", ""]))] = draw(hostile)
    return command


def _events(ledger: Ledger) -> int:
    """Events stored outside the access log: a refusal is logged there, by design, and must
    leave nothing anywhere else."""
    return sum(1 for row in ledger._store.rows() if not row.topic.startswith(ACCESS_TOPIC_PREFIX))


FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def test_execute_records_or_refuses_hostile_commands_with_a_typed_error(backend: str) -> None:
    name = backend_name(backend)
    seen: Counter[str] = Counter()
    with seeded(backend) as ledger:

        @settings(FUZZ, max_examples=EXAMPLES[name])
        @given(commands())
        def execute(command: dict[str, Json]) -> None:
            before = _events(ledger)
            try:
                ledger.execute(command)
            except PmLedgerError as exc:
                seen[type(exc).__name__] += 1
                assert _events(ledger) == before, "a refused command stored something"
                return
            seen["recorded"] += 1
            assert _events(ledger) == before + 1, "one command, one event"

        execute()
        assert ledger.verify().ok
    print(f"execute outcomes on {name}: {dict(seen)}")
    assert seen["recorded"] > 0, seen
    assert seen["InvalidInput"] > 0, seen
    tally("fuzz-execute", name, examples=sum(seen.values()), recorded=seen["recorded"])


def _file_text(valid: list[str], hostile_line: str, position: int) -> str:
    lines = list(valid)
    lines.insert(min(position, len(lines)), hostile_line)
    return "\n".join(lines) + "\n"


RAW_LINES = [
    '{"employee": ',
    "\ufeff{}",
    "[" * 100_000,
    '{"a": 1e999999}',
    '{"a": NaN}',
    '"\\ud800"',
    '{"employee": {"organisation": "trust", "employee_ref": "E-001"}, "employee": 1}',
    "\x00",
    "null",
]


def _open_line(ref: str) -> str:
    act = {
        "kind": "case_opened",
        "organisation": "trust",
        "employee_ref": ref,
        "employee_person_id": "emp-1",
        "school": "oakfield",
        "staff_group": "support_staff",
        "pack_id": "star-developing-performance",
    }
    return json.dumps(
        {
            "employee": {"organisation": "trust", "employee_ref": ref},
            "act": act,
            "occurred_on": "2024-01-08",
            "actor": ACTORS[0],
        }
    )


def _concern_line(ref: str) -> str:
    return json.dumps(
        {
            "employee": {"organisation": "trust", "employee_ref": ref},
            "act": {"kind": "concern_raised", "concern_id": "c-1", "areas": ["invoicing"]},
            "occurred_on": "2024-02-29",
            "actor": ACTORS[1],
        }
    )


def test_import_is_all_or_nothing_and_typed_for_hostile_lines(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = backend_name(backend)
    keydir = tmp_path / "keys"
    seeded(backend, keystore(keydir)).close()
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", "reliability passphrase")
    path = tmp_path / "history.jsonl"
    seen: Counter[str] = Counter()
    files = iter(range(10**9))

    def events() -> int:
        with Ledger.open(backend) as reader:
            return _events(reader)

    hostile_lines = st.one_of(
        commands().map(lambda c: json.dumps(c, ensure_ascii=True)),
        commands().map(lambda c: json.dumps(c, ensure_ascii=False, allow_nan=True)),
        st.sampled_from(RAW_LINES),
        hostile.map(lambda v: json.dumps(v, ensure_ascii=True)),
    )

    @settings(FUZZ, max_examples=IMPORT_EXAMPLES[name])
    @given(hostile_lines, st.integers(0, 2), st.booleans())
    def import_file(line: str, position: int, raw_bytes: bool) -> None:
        ref = f"I-{next(files)}"
        text = _file_text([_open_line(ref), _concern_line(ref)], line, position)
        if raw_bytes:
            path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        else:
            path.write_text(text, encoding="utf-8", errors="replace")
        before = events()
        result = CliRunner().invoke(
            app, ["import", str(path), "--db", backend, "--keys", str(keydir), "--json"]
        )
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        summary = json.loads(result.output)
        if result.exit_code == 0:
            seen["imported"] += 1
            assert summary["ok"] is True
            assert summary["acts"] in (2, 3), "the hostile line was a comment or an act"
            assert events() == before + summary["acts"]
        else:
            seen["refused"] += 1
            assert result.exit_code in (1, 2), result.output
            assert summary["ok"] is False
            assert events() == before, "a refused import stored part of the file"

    import_file()
    print(f"import outcomes on {name}: {dict(seen)}")
    with Ledger.open(backend) as reader:
        assert reader.verify().ok
    assert seen["refused"] > 0, seen
    tally("fuzz-import", name, examples=sum(seen.values()), imported=seen["imported"])
