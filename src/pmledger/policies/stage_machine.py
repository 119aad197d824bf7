"""The stage machine as data: a pack file's moves, each with its condition, judged by one engine.

A move's condition is a few keys of the act it moves on (`packfile.model.Condition`): the
outcome a decision concludes and what it is about, the kind of plan or warning, the purpose of
a meeting, whether a dismissal was overturned on appeal; or, where no key fits, a named
condition of the pack's Python. Every key given must hold. A procedure's stage machine is
then readable and reviewable in its file, and no pack holds Python for it.
"""

from __future__ import annotations

from pmledger.events.signed_event import Act
from pmledger.policies.case_file import CaseFile
from pmledger.policies.ladder import Ladder
from pmledger.policies.named_checks import NamedChecks
from pmledger.policies.pack import ActPredicate, Transition
from pmledger.policies.packfile.model import Condition, PackFile, Subject, as_subject


def subject_of(file: CaseFile, subject_id: str) -> Subject | None:
    """What a decision is about: the kind of the plan, or the purpose of the meeting, of that id."""
    plan = file.plans.get(subject_id)
    if plan is not None:
        return plan.kind
    meeting = file.meetings.get(subject_id)
    return meeting.purpose if meeting is not None else None


def transitions_from_data(
    data: PackFile, checks: NamedChecks | None
) -> tuple[list[str], tuple[Transition, ...]]:
    """The file's moves with their conditions built, or what is wrong with them."""
    problems: list[str] = []
    moves = []
    for index, entry in enumerate(data.transitions):
        where = f"transition {index + 1} ({entry.act})"
        when: ActPredicate | None = None
        if isinstance(entry.when, str):
            problems.append(
                f"{where}: when = {entry.when!r} is words, but this pack's stage machine is "
                "data; write the condition as keys (packs/README.md: the stage machine)"
            )
        elif entry.when is not None:
            problem, when = _condition(entry.when, checks)
            problems += [f"{where}: {problem}"] if problem is not None else []
        moves.append(Transition(entry.act, frozenset(entry.from_), entry.to, when))
    return problems, tuple(moves)


def _condition(
    when: Condition, checks: NamedChecks | None
) -> tuple[str | None, ActPredicate | None]:
    named: ActPredicate | None = None
    if when.holds is not None:
        found = checks.find("holds", when.holds) if checks is not None else None
        if found is None:
            names = ", ".join(checks.names("holds")) if checks is not None else ""
            return (
                f"when.holds = {when.holds!r} is not a named condition of this pack's Python; "
                f"use one of: {names or '(none)'}",
                None,
            )
        named = found.fn
    fields = tuple(
        (field, getattr(when, key))
        for key, field in Condition.READS.items()
        if key != "subject" and getattr(when, key) is not None
    )
    subject = as_subject(when.subject) if when.subject is not None else None
    overturned = when.overturned

    def holds(file: CaseFile, act: Act) -> bool:
        # Asked for every act, twice: enum members are singletons, so `is` compares them.
        for field, value in fields:
            if getattr(act, field, None) is not value:
                return False
        if subject is not None and subject_of(file, getattr(act, "subject_id", "")) is not subject:
            return False
        # Overturned: after an upheld appeal against dismissal the employee is back at work.
        if overturned and not (file.stage is Ladder.DISMISSED and file.dismissed is None):
            return False
        return named is None or named(file, act)

    return None, holds
