"""What differs between two procedure versions: a school's variant and its model, or 2025.1 and
2026.1 of one pack.

An HR adviser reviewing a school's policy, or a tribunal asking why one case was judged
differently from another, needs the changes entry by entry (a notice period, the words of a
stage, who may decide, a rule switched off and why), not a text diff of two TOML files whose
layout differs. Both sides are compared resolved, so a variant is compared with everything it
inherits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pmledger.policies.packfile.model import PackFile, RuleEntry, TransitionEntry


@dataclass(frozen=True)
class Difference:
    """One value that differs; ``None`` on a side means the entry is absent there."""

    section: str
    entry: str
    field: str
    before: str | None
    after: str | None


_LABELS = {
    "stages": "stage",
    "time_limits": "time limit",
    "limits": "limit",
    "warnings": "warning",
    "authority": "authority",
    "who": "who acts",
    "pay": "pay table",
    "required": "required",
    "letters": "letter",
    "forms": "form",
}


def differences(before: PackFile, after: PackFile) -> list[Difference]:
    """Every value that differs between two resolved pack files, section by section."""
    found = [
        Difference("pack", "", name, _text(getattr(before, name)), _text(getattr(after, name)))
        for name in ("id", "version", "title", "extends", "python")
        if getattr(before, name) != getattr(after, name)
    ]
    found += _entries("pack", {"source": _fields(before.source)}, {"source": _fields(after.source)})
    for section, label in _LABELS.items():
        found += _entries(label, _section(before, section), _section(after, section))
    found += _moves(before, after)
    found += _entries("rule", _rules(before), _rules(after))
    found += _entries(
        "switched off",
        {rule: {"reason": reason} for rule, reason in before.switched_off.items()},
        {rule: {"reason": reason} for rule, reason in after.switched_off.items()},
    )
    return found


def _section(pack: PackFile, section: str) -> dict[str, dict[str, Any]]:
    entries: Mapping[Any, Any] = getattr(pack, section)
    if section == "required":
        return {
            f"{record}: {key}": _fields(value)
            for record, keys in entries.items()
            for key, value in keys.items()
        }
    if section == "time_limits":
        return {
            name: {"limit": value.words, "meaning": value.meaning, "source": value.source}
            for name, value in entries.items()
        }
    return {str(name): _fields(value) for name, value in entries.items()}


def _rules(pack: PackFile) -> dict[str, dict[str, Any]]:
    """Rules by id; a rule judged in parts (one id, several entries) is told apart by its
    kind and named check."""
    counts: dict[str, int] = {}
    for rule in pack.rules:
        counts[rule.id] = counts.get(rule.id, 0) + 1
    return {
        rule.id if counts[rule.id] == 1 else f"{rule.id} ({_part(rule)})": _fields(rule)
        for rule in pack.rules
    }


def _part(rule: RuleEntry) -> str:
    check = rule.params.get("check")
    return f"{rule.kind} {check}" if check else rule.kind


def _moves(before: PackFile, after: PackFile) -> list[Difference]:
    """Moves of the stage machine only one side has (their order is the machine's too)."""
    old = [_move(t) for t in before.transitions]
    new = [_move(t) for t in after.transitions]
    if old == new:
        return []
    gone = [Difference("move", move, "", move, None) for move in old if move not in new]
    added = [Difference("move", move, "", None, move) for move in new if move not in old]
    if gone or added:
        return gone + added
    return [Difference("move", "order", "", " | ".join(old), " | ".join(new))]


def _move(transition: TransitionEntry) -> str:
    to = f" → {transition.to.value}" if transition.to else ""
    when = f" when {transition.when_words}" if transition.when else ""
    stages = ", ".join(sorted(stage.value for stage in transition.from_))
    return f"{transition.act} from {stages}{to}{when}"


def _entries(
    label: str, before: Mapping[str, Mapping[str, Any]], after: Mapping[str, Mapping[str, Any]]
) -> list[Difference]:
    found: list[Difference] = []
    for name in _ordered(before, after):
        old, new = before.get(name), after.get(name)
        if old is None or new is None:
            found.append(Difference(label, name, "", _summary(old), _summary(new)))
            continue
        found += [
            Difference(label, name, field, _text(old.get(field)), _text(new.get(field)))
            for field in _ordered(old, new)
            if old.get(field) != new.get(field)
        ]
    return found


def _ordered(*mappings: Mapping[str, Any]) -> Iterable[str]:
    """Keys in the order the first side gives them, then the second side's new ones."""
    return dict.fromkeys(key for mapping in mappings for key in mapping)


def _fields(entry: Any) -> dict[str, Any]:
    dumped: dict[str, Any] = entry.model_dump(mode="json", by_alias=True)
    return dumped


def _summary(fields: Mapping[str, Any] | None) -> str | None:
    """An entry only one side has, in a few words: its limit, words, title or summary."""
    if fields is None:
        return None
    for key in ("limit", "words", "title", "summary", "reason", "meaning", "months", "value"):
        if key in fields:
            return _text(fields[key])
    return "present"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "(none)"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_text(item)}" for key, item in value.items())
    return str(value)
