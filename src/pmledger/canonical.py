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


def _contains_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_contains_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_float(v) for v in value)
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
