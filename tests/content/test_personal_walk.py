"""The personal-content walk visits only the fields that can hold personal text (worked out
once per model class) and copies an act without validating it again; it must rewrite exactly
what the full walk over every field of the act's dump, validated again, did."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from tests.example_acts import recorded_example_acts

from pmledger.events.personal import personal_strings, rewrite_personal
from pmledger.events.values import PersonalMarker


def option_for(options: list[Any], value: Any) -> Any:
    """The member of a union that `value` is: for a dumped model (a dict), the model whose
    fields hold its keys and whose literals (a discriminator such as a form's `part`) it
    has; else the first member (the dump loses which model it was)."""
    if isinstance(value, dict):
        for option in options:
            if isinstance(option, type) and issubclass(option, BaseModel) and _fits(option, value):
                return option
    return options[0]


def _fits(cls: type[BaseModel], data: dict[str, Any]) -> bool:
    fields = cls.model_fields
    if not set(data) <= set(fields):
        return False
    return all(
        data[name] in get_args(field.annotation)
        for name, field in fields.items()
        if name in data and get_origin(field.annotation) is Literal
    )


def _full_model(cls: type[BaseModel], data: dict[str, Any], rewrite: Any) -> dict[str, Any]:
    """The walk as it was: every field of every model, every time."""
    out = dict(data)
    for name, field in cls.model_fields.items():
        if out.get(name) is not None:
            out[name] = _full_value(field.annotation, list(field.metadata), out[name], rewrite)
    return out


def _full_value(annotation: Any, metadata: list[Any], value: Any, rewrite: Any) -> Any:
    if any(isinstance(m, PersonalMarker) for m in metadata):
        return rewrite(value) if isinstance(value, str) and value.strip() else value
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *more = get_args(annotation)
        return _full_value(base, [*metadata, *more], value, rewrite)
    if origin in (tuple, list) and isinstance(value, (tuple, list)):
        element = get_args(annotation)[0]
        return type(value)(_full_value(element, [], item, rewrite) for item in value)
    if origin in (Union, types.UnionType):
        options = [option for option in get_args(annotation) if option is not type(None)]
        return _full_value(option_for(options, value), metadata, value, rewrite)
    if (
        isinstance(annotation, type)
        and issubclass(annotation, BaseModel)
        and isinstance(value, dict)
    ):
        return _full_model(annotation, value, rewrite)
    return value


def test_every_example_act_is_rewritten_as_the_full_walk_rewrites_it(tmp_path: Path) -> None:
    def mark(text: str) -> str:
        return f"<{text}>"

    acts = recorded_example_acts(tmp_path)
    kinds = {act.kind for act in acts}
    assert len(kinds) > 30, sorted(kinds)
    for act in acts:
        data = act.model_dump(mode="python", round_trip=True)
        expected = type(act).model_validate(_full_model(type(act), data, mark))
        assert rewrite_personal(act, mark) == expected, act.kind
        found: list[str] = []

        def collect(text: str, found: list[str] = found) -> str:
            found.append(text)
            return text

        _full_model(type(act), data, collect)
        assert personal_strings(act) == found, act.kind
