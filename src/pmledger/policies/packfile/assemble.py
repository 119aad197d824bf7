"""A pack built from its pack file: its rules, its stage machine and who it names for each act.

A pack's rules are data: each entry of the file is built into a rule of its kind
(`policies.rule_kinds`) with the pack's named checks (`policies.named_checks`); a check name
the pack's Python lacks is refused here, naming the file and the rule. The stage machine is
built from the file's moves and conditions (`policies.stage_machine`), or, for a pack whose
conditions are still Python, checked move by move against the file, so the readable file
cannot drift from what judges. Who
the procedure names for each act is the file's `[who]` table for every pack. Rules the file
switches off (a school's variant, with its reason) are left out here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from pmledger.events.actors import Role
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
from pmledger.policies.stage_machine import transitions_from_data
from pmledger.policies.who_acts import WhoActs


def assemble(
    package: str | None,
    *,
    checks: NamedChecks,
    transitions: tuple[Transition, ...] | None = None,
    access: AccessTable = DEFAULT_ACCESS,
    warning_months: Mapping[WarningKind, int] | None = None,
    who_roles: Mapping[str, Iterable[Role]] | None = None,
    review_point: Callable[[CaseFile], ReviewPoint | None] | None = None,
) -> PolicyPack:
    """The pack of ``package`` (its ``__package__``), as its bound pack file describes it.

    The rules are built from the file with the pack's named ``checks``, in the file's order
    with hard rules first (an act that will be refused is never first asked for a reason);
    ``transitions``, for a pack whose stage machine's conditions are still Python (else the
    file's are built); ``warning_months`` overrides the file's where a pack's settings choose
    them, and ``who_roles`` the roles of `[who]` entries, by id.
    """
    loaded = loaded_for(package)
    data = loaded.file
    problems, built = rules_from_data(data, checks)
    if transitions is None:
        moves, transitions = transitions_from_data(data, checks)
        problems += moves
    else:
        problems += _move_problems(data, transitions)
    problems += [
        f"who_roles: {who_id!r} is not a [who] entry of the file; use one of: "
        + ", ".join(data.who)
        for who_id in who_roles or {}
        if who_id not in data.who
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
        act_roles=act_roles(data, who_roles or {}),
        review_point=review_point,
        supersedes=data.supersedes,
        letters=loaded.letters,
    )


def act_roles(data: PackFile, chosen: Mapping[str, Iterable[Role]]) -> dict[str, WhoActs]:
    """Act kind → the file's entry naming who records it (its roles as settings chose them)."""
    table: dict[str, WhoActs] = {}
    for who_id, entry in data.who.items():
        who = WhoActs(
            who_id,
            entry.source,
            entry.words,
            acts=entry.acts,
            roles=chosen.get(who_id, entry.roles),
            severity=entry.severity,
            covered_by=entry.covered_by,
        )
        table.update(dict.fromkeys(entry.acts, who))
    return table


def rules_from_data(data: PackFile, checks: NamedChecks) -> tuple[list[str], tuple[Rule, ...]]:
    """Every rule entry built as its kind, or what is wrong with the entries."""
    problems = [
        f"rule {index + 1} ({entry.id}): {problem}"
        for index, entry in enumerate(data.rules)
        for problem in check_name_problems(entry.kind, entry.params, checks)
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


def _move_problems(data: PackFile, transitions: tuple[Transition, ...]) -> list[str]:
    python = [(t.act, t.from_stages, t.to, t.when is not None) for t in transitions]
    conditions = [
        f"transition {index + 1} ({t.act}): when is a condition as data, but this pack's stage "
        "machine is Python; give the condition in words"
        for index, t in enumerate(data.transitions)
        if t.when is not None and not isinstance(t.when, str)
    ]
    if conditions:
        return conditions
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
