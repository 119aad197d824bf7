"""A school's variant over the pack it extends: what it may change, and how the two merge.

A variant changes data, never logic: words, time limits, limits, warnings, who may act (and
who records each act), letters and forms, required contents, pay tables, and it may switch a
rule off with a reason. It cannot add rules or moves of the stage machine, nor change what a
stage decides or monitors (they are the model procedure's logic in this version), nor point at
other Python. A changed entry is merged over the parent's, so
``time_limits.first-formal-notice = { amount = 10 }`` keeps the parent's unit and meaning; a
time limit or limit the parent lacks is refused, since no rule would read it.
"""

from __future__ import annotations

from typing import Any

_OWN = ("id", "version", "title", "extends", "source")
"""What a variant must state for itself: it is a procedure of its own."""
_OWN_OPTIONAL = ("supersedes",)
"""What a variant may state for itself and never inherits: the earlier contents of its own
id it replaces (its parent's are the parent's)."""
_MERGED = (
    "stages",
    "time_limits",
    "limits",
    "warnings",
    "authority",
    "who",
    "pay",
    "required",
    "letters",
    "forms",
    "switched_off",
)
_ONLY_EXISTING = ("time_limits", "limits", "stages")
_STAGE_FIELDS = frozenset({"words", "source"})
"""What a variant may change of a stage: how the procedure names it, and where."""
_NOT_IN_VARIANT = {
    "python": "a variant uses the Python of the pack it extends; remove python",
    "rules": "a variant cannot add or redefine rules yet; switch one off with "
    '[switched_off] rule-id = "reason", or change the limits it reads',
    "transitions": "a variant cannot change the stage machine yet; remove transitions",
}


def merge(parent: dict[str, Any], child: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """The variant's document merged over its parent's, and any problems with the variant."""
    problems = [f"{key}: {advice}" for key, advice in _NOT_IN_VARIANT.items() if key in child]
    problems += [
        f"missing {key}; a variant states its own {key}" for key in _OWN if key not in child
    ]
    keys = {*_OWN, *_OWN_OPTIONAL, *_MERGED, *_NOT_IN_VARIANT}
    unknown = sorted(set(child) - keys)
    problems += [f"unknown key '{key}'; check its spelling" for key in unknown]
    merged = {key: value for key, value in parent.items() if key not in (*_OWN, *_OWN_OPTIONAL)}
    merged.update({key: child[key] for key in (*_OWN, *_OWN_OPTIONAL) if key in child})
    for section in _MERGED:
        changes = child.get(section)
        if changes is None:
            continue
        if not isinstance(changes, dict):
            problems.append(f"{section}: must be a table of entries")
            continue
        base = dict(parent.get(section, {}))
        for name, change in changes.items():
            if section in _ONLY_EXISTING and name not in base:
                known = ", ".join(sorted(base)) or "none"
                problems.append(
                    f"{section}.{name}: the pack it extends has no such entry, so no rule "
                    f"would read it; check the name (known: {known})"
                )
            elif section == "stages" and isinstance(change, dict) and set(change) - _STAGE_FIELDS:
                fixed = ", ".join(sorted(set(change) - _STAGE_FIELDS))
                problems.append(
                    f"stages.{name}: {fixed}: a variant changes a stage's words and source only; "
                    "what a stage decides and monitors is the model procedure's"
                )
            elif isinstance(change, dict) and isinstance(base.get(name), dict):
                base[name] = {**base[name], **change}
            else:
                base[name] = change
        merged[section] = base
    return problems, merged
