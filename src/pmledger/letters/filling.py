"""Filling a template's slots from what the caller gives, the case and the school's calendar.

Dates counted from another slot use the case's own calendar (`SchoolCalendar.shift`), so
"5 working days' notice" skips the bank holidays of the school's nation and "7 calendar
days" does not: the same arithmetic the pack's rules judge the letter by.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from pmledger.calendar import Direction, SchoolCalendar, TimeLimit
from pmledger.calendar.errors import CalendarError
from pmledger.errors import InvalidInput
from pmledger.letters.template import LetterTemplate, Slot
from pmledger.projections.people import PersonDetails

Lookup = Callable[[str], PersonDetails]
_MISSING = object()


def fill_slots(
    template: LetterTemplate,
    inputs: Mapping[str, Any],
    standard: Mapping[str, Any],
    calendar: SchoolCalendar,
    lookup: Lookup,
) -> dict[str, Any]:
    """Every slot's value (None for an optional slot nothing filled); InvalidInput naming each
    required slot that could not be filled, what it is and how to give it."""
    unknown = sorted(set(inputs) - set(template.meta.slots) - set(standard))
    if unknown:
        raise InvalidInput(
            f"{template.id} has no slot {', '.join(map(repr, unknown))}; its slots: "
            f"{', '.join(sorted(template.meta.slots))}"
        )
    values: dict[str, Any] = {**standard}
    values.update({k: v for k, v in inputs.items() if k in standard})
    missing: list[str] = []
    resolving: set[str] = set()

    def resolve(name: str) -> Any:
        if name in values:
            return values[name]
        slot = template.meta.slots[name]
        if name in resolving:
            raise InvalidInput(f"{template.origin}: slot {name!r} is computed from itself")
        resolving.add(name)
        value = _value(name, slot)
        resolving.discard(name)
        if value is None and slot.required:
            missing.append(_missing(template, name, slot))
        values[name] = value
        return value

    def _value(name: str, slot: Slot) -> Any:
        if name in inputs:
            return _coerce(template, name, slot, inputs[name], lookup)
        if slot.from_:
            found = _path(values | {"case": standard.get("case")}, slot.from_)
            if found is not None:
                return _coerce(template, name, slot, found, lookup)
        base_name = slot.before or slot.after
        if base_name:
            base = resolve(base_name)
            if base is None:
                return None
            assert slot.amount is not None
            assert slot.unit is not None
            direction = Direction.BEFORE if slot.before else Direction.AFTER
            try:
                return calendar.shift(
                    base, TimeLimit(amount=slot.amount, unit=slot.unit), direction
                )
            except CalendarError as exc:
                raise InvalidInput(
                    f"{template.id}: slot {name!r} cannot be counted: {exc}"
                ) from None
        if slot.default is not None:
            return _coerce(template, name, slot, slot.default, lookup)
        return None

    for name in template.meta.slots:
        resolve(name)
    if missing:
        raise InvalidInput(f"{template.id} cannot be filled: " + "; ".join(missing))
    return values


def _missing(template: LetterTemplate, name: str, slot: Slot) -> str:
    where = f" (the case has none: {slot.from_})" if slot.from_ else ""
    return f"{name} = {slot.about}{where}; pass {name}=…"


def _path(root: Mapping[str, Any], path: str) -> Any:
    value: Any = root
    for part in path.split("."):
        if value is None:
            return None
        value = value.get(part) if isinstance(value, Mapping) else getattr(value, part, None)
    return value


def _coerce(template: LetterTemplate, name: str, slot: Slot, value: Any, lookup: Lookup) -> Any:
    try:
        match slot.type:
            case "date":
                return value if isinstance(value, date) else date.fromisoformat(str(value))
            case "person":
                return value if isinstance(value, PersonDetails) else lookup(str(value))
            case "flag":
                if not isinstance(value, bool):
                    raise TypeError("give True or False")
                return value
            case "number":
                return int(value)
            case "lines":
                if isinstance(value, str):
                    return [value]
                return [str(v) if not isinstance(v, Mapping) else v for v in value]
            case _:
                return str(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(
            f"{template.id}: slot {name!r} ({slot.about}) must be a {slot.type}: {exc}"
        ) from None
