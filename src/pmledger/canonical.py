"""Canonical JSON bytes: the single serialisation that digests and signatures are taken over.

Signatures must survive years and re-implementation in other languages, so the form is plain
JSON (orjson, keys sorted, no insignificant whitespace, UTF-8). Floats are refused because two
correct encoders may print them differently.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

_OPTIONS = orjson.OPT_SORT_KEYS


def canonical_bytes(value: Any) -> bytes:
    """Encode plain JSON data (dict/list/str/int/bool/None) canonically."""
    if _contains_float(value):
        msg = "floats have no canonical form; use an int or a decimal string"
        raise TypeError(msg)
    return orjson.dumps(value, option=_OPTIONS)


def float_free_bytes(value: Any) -> bytes:
    """`canonical_bytes` without the float check, for data that cannot hold a float: an
    event's payload (no event model has a float field, which a test holds the schema to) and
    envelopes (strings and an int), or stored data re-encoded to take its digest exactly as
    `verify` does. This is the hot path of every record and replay."""
    return orjson.dumps(value, option=_OPTIONS)


def _contains_float(value: Any) -> bool:
    """An iterative walk (no recursion, no generator per container)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
        elif isinstance(item, float):
            return True
    return False


def parse_canonical(data: bytes) -> Any:
    """Parse bytes and insist they are exactly in canonical form.

    Re-encoding and comparing is what makes *any* changed byte detectable, including ones
    that leave the meaning intact (added whitespace, reordered keys, duplicated keys).
    """
    value = orjson.loads(data)
    if orjson.dumps(value, option=_OPTIONS) != data:
        msg = "bytes are not in canonical form"
        raise ValueError(msg)
    return value


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
