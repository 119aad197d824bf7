"""Finding and rewriting an act's personal content, wherever it sits in the act.

The walk is driven by the PERSONAL mark on field types, so nested values (each objective's
text inside a support plan, each area in a concern) are reached without per-act code. A
recorded case event carries one more piece beside its act: the deviation reason, sealed under
the act's category (`rewrite_recorded`, `recorded_personal_strings`).

A blank string (empty, or only spaces) is left as it is: it says nothing about anyone, and
a rule that asks whether a box was filled in must see it blank through the ledger (which
judges the sealed act) exactly as it does in memory.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel

from pmledger.events.signed_event import CaseEvent
from pmledger.events.values import PersonalMarker

M = TypeVar("M", bound=BaseModel)
E = TypeVar("E", bound=CaseEvent)
Rewrite = Callable[[str], str]


def rewrite_personal(model: M, rewrite: Rewrite) -> M:
    """A copy of `model` with every non-blank personal string passed through `rewrite`
    (`model` itself when its type can hold none: models are frozen)."""
    if not _personal_fields(type(model)):
        return model
    data = model.model_dump(mode="python", round_trip=True)
    return type(model).model_validate(_model(type(model), data, rewrite))


def personal_strings(model: BaseModel) -> list[str]:
    """Every non-blank personal string in `model`, in field order."""
    found: list[str] = []

    def collect(text: str) -> str:
        found.append(text)
        return text

    _model(type(model), model.model_dump(mode="python", round_trip=True), collect)
    return found


def rewrite_recorded(event: E, rewrite: Rewrite) -> E:
    """A copy of a case event with its act's personal strings and its deviation reason passed
    through `rewrite`; the copy keeps the stored envelope, so its digest is the stored one."""
    reason = event.deviation_reason
    return event.model_copy(
        update={
            "act": rewrite_personal(event.act, rewrite),
            "deviation_reason": rewrite(reason) if reason else reason,
        }
    )


def recorded_personal_strings(event: CaseEvent) -> list[str]:
    """Every non-blank personal string of a case event: its act's, then its deviation reason."""
    found = personal_strings(event.act)
    return [*found, event.deviation_reason] if event.deviation_reason else found


def _model(cls: type[BaseModel], data: dict[str, Any], rewrite: Rewrite) -> dict[str, Any]:
    out = dict(data)
    for name, annotation, metadata in _personal_fields(cls):
        if out.get(name) is not None:
            out[name] = _value(annotation, metadata, out[name], rewrite)
    return out


@cache
def _personal_fields(cls: type[BaseModel]) -> tuple[tuple[str, Any, list[Any]], ...]:
    """The fields of `cls` that can hold personal content, at any depth: the only ones the
    walk visits (worked out once per model class; every recorded act is walked)."""
    return tuple(
        (name, field.annotation, list(field.metadata))
        for name, field in cls.model_fields.items()
        if _can_hold_personal(field.annotation, list(field.metadata), set())
    )


def _can_hold_personal(annotation: Any, metadata: list[Any], seen: set[type]) -> bool:
    """Whether `_value` could rewrite anything under this annotation (same walk, no value)."""
    if any(isinstance(m, PersonalMarker) for m in metadata):
        return True
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *more = get_args(annotation)
        return _can_hold_personal(base, [*metadata, *more], seen)
    if origin in (tuple, list):
        args = get_args(annotation)
        return bool(args) and _can_hold_personal(args[0], [], seen)
    if origin in (Union, types.UnionType):
        return any(
            _can_hold_personal(option, metadata, seen)
            for option in get_args(annotation)
            if option is not type(None)
        )
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return False
        seen.add(annotation)
        return any(
            _can_hold_personal(field.annotation, list(field.metadata), seen)
            for field in annotation.model_fields.values()
        )
    return False


def option_for(options: list[Any], value: Any) -> Any:
    """The member of a union that `value` is: for a dumped model (a dict), the model whose
    fields hold its keys and whose literals (a discriminator such as a form's `part`) it
    has; else the first member. Walking a union of models as its first member would miss
    every personal field the others declare."""
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


def _value(annotation: Any, metadata: list[Any], value: Any, rewrite: Rewrite) -> Any:
    if any(isinstance(m, PersonalMarker) for m in metadata):
        return rewrite(value) if isinstance(value, str) and value.strip() else value
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *more = get_args(annotation)
        return _value(base, [*metadata, *more], value, rewrite)
    if origin in (tuple, list) and isinstance(value, (tuple, list)):
        element = get_args(annotation)[0]
        return type(value)(_value(element, [], item, rewrite) for item in value)
    if origin in (Union, types.UnionType):
        options = [option for option in get_args(annotation) if option is not type(None)]
        return _value(option_for(options, value), metadata, value, rewrite)
    if (
        isinstance(annotation, type)
        and issubclass(annotation, BaseModel)
        and isinstance(value, dict)
    ):
        return _model(annotation, value, rewrite)
    return value
