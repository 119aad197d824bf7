"""Finding and rewriting an act's personal content, wherever it sits in the act.

The walk is driven by the PERSONAL mark on field types, so nested values (each objective's
text inside a support plan, each area in a concern) are reached without per-act code.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel

from pmledger.events.values import PersonalMarker

M = TypeVar("M", bound=BaseModel)
Rewrite = Callable[[str], str]


def rewrite_personal(model: M, rewrite: Rewrite) -> M:
    """A copy of `model` with every non-empty personal string passed through `rewrite`."""
    data = model.model_dump(mode="python", round_trip=True)
    return type(model).model_validate(_model(type(model), data, rewrite))


def personal_strings(model: BaseModel) -> list[str]:
    """Every non-empty personal string in `model`, in field order."""
    found: list[str] = []

    def collect(text: str) -> str:
        found.append(text)
        return text

    _model(type(model), model.model_dump(mode="python", round_trip=True), collect)
    return found


def _model(cls: type[BaseModel], data: dict[str, Any], rewrite: Rewrite) -> dict[str, Any]:
    out = dict(data)
    for name, field in cls.model_fields.items():
        if out.get(name) is not None:
            out[name] = _value(field.annotation, list(field.metadata), out[name], rewrite)
    return out


def _value(annotation: Any, metadata: list[Any], value: Any, rewrite: Rewrite) -> Any:
    if any(isinstance(m, PersonalMarker) for m in metadata):
        return rewrite(value) if isinstance(value, str) and value else value
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *more = get_args(annotation)
        return _value(base, [*metadata, *more], value, rewrite)
    if origin in (tuple, list) and isinstance(value, (tuple, list)):
        element = get_args(annotation)[0]
        return type(value)(_value(element, [], item, rewrite) for item in value)
    if origin in (Union, types.UnionType):
        for option in get_args(annotation):
            if option is not type(None):
                return _value(option, metadata, value, rewrite)
    if (
        isinstance(annotation, type)
        and issubclass(annotation, BaseModel)
        and isinstance(value, dict)
    ):
        return _model(annotation, value, rewrite)
    return value
