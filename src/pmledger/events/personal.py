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
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel

from pmledger.events.signed_event import CaseEvent
from pmledger.events.values import PersonalMarker

M = TypeVar("M", bound=BaseModel)
E = TypeVar("E", bound=CaseEvent)
Rewrite = Callable[[str], str]


def rewrite_personal(model: M, rewrite: Rewrite) -> M:
    """A copy of `model` with every non-blank personal string passed through `rewrite`
    (`model` itself when it holds none: models are frozen).

    The walk goes over the model's own values and copies only the models on the way to a
    rewritten string, without validating again: a sealed token passes every personal field's
    validation as it is (`values._sealed_passes`), no act's model validator reads personal
    text, and a dump and re-validation of the whole act was 16 % of `record_batch`'s time."""
    return _model(model, rewrite)


def personal_strings(model: BaseModel) -> list[str]:
    """Every non-blank personal string in `model`, in field order."""
    found: list[str] = []

    def collect(text: str) -> str:
        found.append(text)
        return text

    _model(model, collect)
    return found


class _Found(Exception):
    """Stops `has_personal`'s walk at the first personal string."""


def has_personal(model: BaseModel) -> bool:
    """Whether `model` holds any non-blank personal string (`personal_strings` is not
    empty), as the retention plan asks of every record: the fields marked personal
    themselves are read straight from the model's `__dict__` (the walk's ≈ 15 µs of
    annotation matching a field, against ≈ 0.3 µs), the rest walked, stopping at the first."""
    plain, nested = _split_fields(type(model))
    values = model.__dict__
    for name in plain:
        value = values[name]
        if isinstance(value, str) and value.strip():
            return True

    def found(text: str) -> str:
        raise _Found

    try:
        for name, annotation, metadata in nested:
            value = values[name]
            if value:  # None, an empty tuple (most acts' attachments) or a blank string
                _value(annotation, metadata, value, found)
    except _Found:
        return True
    return False


@cache
def _split_fields(
    cls: type[BaseModel],
) -> tuple[tuple[str, ...], tuple[tuple[str, Any, list[Any]], ...]]:
    """`_personal_fields` of `cls` in two: the names of those marked personal themselves
    (a string `_value` rewrites as it is), and the others, which it walks into."""
    fields = _personal_fields(cls)
    return (
        tuple(name for name, _, metadata in fields if _marked(metadata)),
        tuple(field for field in fields if not _marked(field[2])),
    )


def _marked(metadata: list[Any]) -> bool:
    return any(isinstance(m, PersonalMarker) for m in metadata)


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


def recorded_has_personal(act: BaseModel, deviation_reason: str | None) -> bool:
    """Whether a recorded act holds any personal content: its act's (`has_personal`), or its
    deviation reason, sealed under the same category (`recorded_personal_strings`), so a
    record with only a reason is kept, planned and disposed of like any other."""
    return bool(deviation_reason) or has_personal(act)


def _model(model: M, rewrite: Rewrite) -> M:
    changed: dict[str, Any] = {}
    values = model.__dict__
    for name, annotation, metadata in _personal_fields(type(model)):
        value = values[name]
        if value:  # None, an empty tuple (most acts' attachments) or "": nothing to rewrite
            new = _value(annotation, metadata, value, rewrite)
            if new is not value:
                changed[name] = new
    return model.model_copy(update=changed) if changed else model


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
    if _marked(metadata):
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


def _value(annotation: Any, metadata: list[Any], value: Any, rewrite: Rewrite) -> Any:
    """`value` (of a field declared `annotation`) with its personal strings rewritten; the
    same object when there were none, so unchanged parts of an act are shared, not copied.
    A model in a union is walked as the class it is, which needs no guessing."""
    if _marked(metadata):
        return rewrite(value) if isinstance(value, str) and value.strip() else value
    if isinstance(value, BaseModel):
        return _model(value, rewrite)
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *more = get_args(annotation)
        return _value(base, [*metadata, *more], value, rewrite)
    if origin in (tuple, list) and isinstance(value, (tuple, list)):
        element = get_args(annotation)[0]
        items = [_value(element, [], item, rewrite) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    if origin in (Union, types.UnionType):
        options = [option for option in get_args(annotation) if option is not type(None)]
        return _value(options[0], metadata, value, rewrite)
    return value
