"""A pack's Python rules and stage machine joined to its pack file, checked against each other.

The file lists every rule and every move of the stage machine; while both are still Python
(phase 1), assembling a pack refuses a rule or a move the file does not list, or one it lists
that the Python lacks, so the readable file cannot drift from what actually judges. Rules the
file switches off (a school's variant, with its reason) are left out here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from pmledger.events.sanction_acts import WarningKind
from pmledger.policies.access import DEFAULT_ACCESS, AccessTable
from pmledger.policies.case_file import CaseFile
from pmledger.policies.pack import PolicyPack, ReviewPoint, Transition
from pmledger.policies.packfile.binding import loaded_for
from pmledger.policies.packfile.errors import PackFileError
from pmledger.policies.packfile.model import PackFile
from pmledger.policies.rule import Rule
from pmledger.policies.who_acts import ActRoles


def assemble(
    package: str | None,
    *,
    transitions: tuple[Transition, ...],
    rules: Iterable[Rule],
    access: AccessTable = DEFAULT_ACCESS,
    warning_months: Mapping[WarningKind, int] | None = None,
    chosen_by_settings: bool = False,
    act_roles: ActRoles | None = None,
    review_point: Callable[[CaseFile], ReviewPoint | None] | None = None,
) -> PolicyPack:
    """The pack of ``package`` (its ``__package__``), as its bound pack file describes it.

    ``rules`` keep the order the pack gives them (which rule speaks first); ``warning_months``
    overrides the file's where a pack's settings choose them; ``chosen_by_settings`` says the
    pack's settings may leave out rules the file lists (the file lists every rule any settings
    can give).
    """
    loaded = loaded_for(package)
    data = loaded.file
    built = tuple(rules)
    problems = [
        *_rule_problems(data, built, package or "", every_listed=not chosen_by_settings),
        *_move_problems(data, transitions),
    ]
    if problems:
        raise PackFileError(problems, origin=loaded.origin)
    kept = [rule for rule in built if rule.ref.id not in data.switched_off]
    return PolicyPack(
        id=data.id,
        version=data.version,
        title=data.title,
        source=data.source.seed,
        stage_words=data.stage_words(),
        transitions=transitions,
        rules=tuple(kept),
        warning_months=data.warning_months() if warning_months is None else warning_months,
        access=access,
        digest=loaded.digest,
        act_roles=act_roles or {},
        review_point=review_point,
    )


def python_name(rule: Rule, package: str) -> str:
    """The rule's class as the file names it: ``.module.Class`` for a class of the pack's own
    package (whichever name it was executed under), else ``module.Class`` under
    ``pmledger.policies``."""
    module = type(rule).__module__
    if module.startswith(f"{package}."):
        return f"{module[len(package) :]}.{type(rule).__qualname__}"
    return f"{module.removeprefix('pmledger.policies.')}.{type(rule).__qualname__}"


def _rule_problems(
    data: PackFile, rules: tuple[Rule, ...], package: str, *, every_listed: bool
) -> list[str]:
    listed = Counter((entry.id, entry.python) for entry in data.rules)
    judged = Counter((rule.ref.id, python_name(rule, package)) for rule in rules)
    problems = [
        f"rule {rule_id}: judged by the pack's Python ({name}) but not listed; add a [[rules]] "
        "entry for it"
        for rule_id, name in (judged - listed)
    ]
    problems += [
        f"rule {rule_id}: listed with python = {name!r}, but the pack's Python has no such rule; "
        "remove the entry or fix its id or class"
        for rule_id, name in (listed - judged)
        if every_listed
    ]
    return problems


def _move_problems(data: PackFile, transitions: tuple[Transition, ...]) -> list[str]:
    python = [(t.act, t.from_stages, t.to, t.when is not None) for t in transitions]
    listed = [(t.act, frozenset(t.from_), t.to, t.when is not None) for t in data.transitions]
    if python == listed:
        return []
    for index, (have, want) in enumerate(zip(listed, python, strict=False)):
        if have != want:
            return [
                f"transition {index + 1}: lists {have[0]} from {sorted(have[1])} to {have[2]}, "
                f"but the stage machine has {want[0]} from {sorted(want[1])} to {want[2]} "
                f"({'with' if want[3] else 'without'} a condition) there; list the machine's "
                "moves in its order"
            ]
    return [f"transitions: the file lists {len(listed)} moves, the stage machine has {len(python)}"]
