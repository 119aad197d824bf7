"""The JSON form of every view pmledger returns: one call, `to_json(view)`.

A host (a web handler, a report, the CLI) gets plain JSON data — dicts, lists, strings,
numbers, booleans and None, dates as ISO strings — from a `CaseStatus`, a `Receipt`, a
`CaseEvent`, a `VerifyReport`, a `CaseSummary`, any list of them, and the dict rows the
reader's reports return. A view that shows more than its fields (a status's compliance
findings, a report's `ok`) says so with its own `as_json()`, which this calls.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import TypeAdapter


def to_json(view: object) -> Any:
    """The view as JSON-ready data (pass it to `json.dumps` or return it from a handler)."""
    as_json = getattr(view, "as_json", None)
    if callable(as_json):
        return as_json()
    if isinstance(view, list | tuple):
        return [to_json(item) for item in view]
    if isinstance(view, Mapping):
        return {str(key): to_json(value) for key, value in view.items()}
    return _adapter(type(view)).dump_python(view, mode="json")


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(kind: type[Any]) -> TypeAdapter[Any]:
    """One adapter per view type: building one costs ~1 ms, dumping with it microseconds.
    Two threads racing here build two equal adapters; either may stay, so no lock is needed."""
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        adapter = _ADAPTERS[kind] = TypeAdapter(kind)
    return adapter
