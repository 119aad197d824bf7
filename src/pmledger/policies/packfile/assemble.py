"""A pack built from its pack file: its rules, and its stage machine checked against the file.

A converted pack's rules are data: each entry of the file is built into a rule of its kind
(`policies.rule_kinds`) with the pack's named checks (`policies.named_checks`); a check name
the pack's Python lacks is refused here, naming the file and the rule. A pack not yet
converted passes its Python rules, and assembling refuses a rule the file does not list, or
one it lists that the Python lacks, so the readable file cannot drift from what judges. The
stage machine is still Python, checked move by move against the file. Rules the file switches
off (a school's variant, with its reason) are left out here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from pmledger.events.sanction_acts import WarningKind
from pmledger.policies.access import DEFAULT_ACCESS, AccessTable
from pmledger.policies.case_file import CaseFile
from pmledger.policies.judgement import RuleKind
from pmledger.policies.named_checks import NamedChecks
from pmledger.policies.pack import PolicyPack, ReviewPoint, Transition
from pmledger.policies.packfile.binding import loaded_for
from pmledger.policies.packfile.errors import PackFileError
from pmledger.policies.packfile.model import PackFile
from pmledger.policies.rule import Rule
from pmledger.policies.rule_kinds import RULE_KINDS, Build, check_name_problems
from pmledger.policies.who_acts import ActRoles


def assemble(
    package: str | None,
    *,
    transitions: tuple[Transition, ...],
    rules: Iterable[Rule] = (),
    checks: NamedChecks | None = None,
    access: AccessTable = DEFAULT_ACCESS,
    warning_months: Mapping[WarningKind, int] | None = None,
    chosen_by_settings: bool = False,
    act_roles: ActRoles | None = None,
    review_point: Callable[[CaseFile], ReviewPoint | None] | None = None,
) -> PolicyPack:
    """The pack of ``package`` (its ``__package__``), as its bound pack file describes it.

    A converted pack gives its ``checks`` and its rules are built from the file, in the file's
    order with hard rules first (an act that will be refused is never first asked for a
    reason); a pack not yet converted gives ``rules``, kept in its order; ``warning_months``
    overrides the file's where a pack's settings choose them; ``chosen_by_settings`` says the
    pack's settings may leave out rules the file lists (the file lists every rule any settings
    can give).
    """
    loaded = loaded_for(package)
    data = loaded.file
    if checks is not None:
        problems, built = rules_from_data(data, checks)
    else:
        built = tuple(rules)
        problems = _rule_problems(data, built, package or "", every_listed=not chosen_by_settings)
    problems += _move_problems(data, transitions)
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
        supersedes=data.supersedes,
        letters=loaded.letters,
    )


def rules_from_data(data: PackFile, checks: NamedChecks) -> tuple[list[str], tuple[Rule, ...]]:
    """Every rule entry built as its kind, or what is wrong with the entries."""
    problems = [
        f"rule {index + 1} ({entry.id}): {problem}"
        for index, entry in enumerate(data.rules)
        for problem in (
            ['kind = "python": this pack\'s rules are data; declare it as a rule kind']
            if entry.kind == "python"
            else check_name_problems(entry.kind, entry.params, checks)
        )
    ]
    if problems:
        return problems, ()
    built: dict[int, Rule] = {}
    by_id: dict[str, list[Rule]] = {}
    order = sorted(
        range(len(data.rules)), key=lambda index: RULE_KINDS[data.rules[index].kind].refers_to_rules
    )
    for index in order:
        entry = data.rules[index]
        rule = RULE_KINDS[entry.kind].build(
            Build(
                rule_id=entry.id,
                source=entry.source,
                summary=entry.summary,
                judges=entry.judges,
                severity=entry.severity,
                params=entry.params,
                pack=data,
                checks=checks,
                rules_by_id=by_id,
            )
        )
        rule.kind = entry.judges
        rule.severity = entry.severity
        built[index] = rule
        by_id.setdefault(entry.id, []).append(rule)
    in_file = [built[index] for index in range(len(data.rules))]
    return [], tuple(sorted(in_file, key=lambda rule: rule.kind is not RuleKind.HARD))


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
    listed = Counter((entry.id, entry.python or "") for entry in data.rules)
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
