"""Canonical JSON refuses floats; event payloads skip that check because no event can hold one."""

from __future__ import annotations

from typing import Any

import pytest

from pmledger.aggregates.case_snapshot import _CASE
from pmledger.canonical import canonical_bytes, float_free_bytes
from pmledger.events.signed_event import AccessEvent, CaseEvent, KeyringEvent

_SHAPED = ("type", "$ref", "anyOf", "oneOf", "allOf", "const", "enum")


@pytest.mark.parametrize(
    "value",
    [1.5, {"a": [1, {"b": (2, 0.0)}]}, [[[{"deep": float("nan")}]]], {"n": {"m": 1e3}}],
)
def test_a_float_anywhere_has_no_canonical_form(value: object) -> None:
    with pytest.raises(TypeError, match="floats have no canonical form"):
        canonical_bytes(value)


def test_canonical_bytes_sort_keys_and_drop_whitespace() -> None:
    value = {"b": [1, True, None], "a": {"z": "é", "y": 2}}
    assert canonical_bytes(value) == b'{"a":{"y":2,"z":"\xc3\xa9"},"b":[1,true,null]}'
    assert float_free_bytes(value) == canonical_bytes(value)


def _schema_nodes(node: Any) -> list[dict[str, Any]]:
    """Every sub-schema of a JSON schema that describes a value."""
    if not isinstance(node, dict):
        return []
    found = [node]
    for key in ("items", "additionalProperties"):
        found += _schema_nodes(node.get(key))
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for sub in node.get(key, []):
            found += _schema_nodes(sub)
    for key in ("properties", "$defs"):
        for sub in node.get(key, {}).values():
            found += _schema_nodes(sub)
    return found


@pytest.mark.parametrize("model", [CaseEvent, KeyringEvent, AccessEvent])
def test_no_event_model_can_hold_a_float_or_free_form_data(model: type[Any]) -> None:
    """What lets `build_envelope` encode payloads with `float_free_bytes`: a float field (or an
    untyped one that could carry a float) added to any act fails here first."""
    nodes = _schema_nodes(model.model_json_schema(mode="serialization"))
    assert len(nodes) > 10
    for node in nodes:
        assert node.get("type") != "number", node
        assert node.get("additionalProperties", False) is False, node
        assert any(key in node for key in _SHAPED) or "properties" in node, node


def test_no_field_of_a_case_snapshot_can_hold_a_float_or_untyped_data() -> None:
    """What lets `CaseSnapshot.take` encode the case's state with `float_free_bytes`: the
    state is the case dumped by its own type, whose every value is typed and none a float.
    Its maps (records by version, the file's facts by id) are typed maps, not free-form."""
    nodes = _schema_nodes(_CASE.json_schema(mode="serialization"))
    assert len(nodes) > 100
    for node in nodes:
        assert node.get("type") != "number", node
        assert node.get("additionalProperties") is not True, node
        assert any(key in node for key in _SHAPED) or "properties" in node, node
