"""Reading a pack file from TOML: resolve what it extends, validate it, take its digest.

Validation lives on the models (`model.PackFile`); this module finds a variant's parent, merges
the two (`extends.merge`), and turns pydantic's findings into sentences that name the file, the
entry and the fix. The digest is SHA-256 over the canonical JSON bytes of the resolved document
with the SHA-256 of each declared letter's template folded in (`_content_digest`), so comments and
layout do not change it and any change of content does, a letter's wording included.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources.abc import Traversable
from os import PathLike
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from pmledger.calendar import TimeUnit
from pmledger.canonical import canonical_bytes, sha256_hex
from pmledger.events.actors import Role
from pmledger.events.meeting_acts import MeetingPurpose
from pmledger.events.sanction_acts import WarningKind
from pmledger.events.support_acts import Outcome, PlanKind
from pmledger.policies.judgement import RuleKind, Severity
from pmledger.policies.ladder import Ladder
from pmledger.policies.packfile.catalogue import shipped_file, shipped_files, shipped_root
from pmledger.policies.packfile.errors import PackFileError
from pmledger.policies.packfile.extends import merge
from pmledger.policies.packfile.letter_files import LetterFile, letter_files
from pmledger.policies.packfile.model import PackFile


@dataclass(frozen=True)
class LoadedPack:
    """A resolved pack file, its content digest and where it was read from."""

    file: PackFile
    digest: str
    origin: str
    document: dict[str, Any]
    """The resolved document the digest is taken over (a variant merged over its parent)."""
    letters: Mapping[str, LetterFile] = field(default_factory=dict)
    """Each declared letter's template file (`letter_files`)."""


def load_pack_file(path: str | PathLike[str] | Traversable) -> LoadedPack:
    """Read, resolve and validate one pack file; raises `PackFileError` naming every problem."""
    return _load(path, chain=())


def loads_pack_file(text: str, *, origin: str = "<string>") -> LoadedPack:
    """A pack from TOML text; ``origin`` is what error messages call it."""
    return _resolve(_parse(text, origin), origin, near=None, chain=(), folder=None)


@cache
def shipped_pack(ref: str) -> LoadedPack:
    """The shipped pack ``id@version`` (read once per process)."""
    found = shipped_file(ref)
    if found is None:
        raise PackFileError(
            [f"pmledger ships no pack {ref}; `pmledger pack list` shows those it ships"],
            origin=ref,
        )
    return load_pack_file(found)


def shipped_packs() -> list[LoadedPack]:
    return [load_pack_file(found) for found in shipped_files()]


def _load(path: str | PathLike[str] | Traversable, chain: tuple[str, ...]) -> LoadedPack:
    source = path if isinstance(path, Traversable) else Path(path)
    origin = str(source)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PackFileError(
            [f"cannot be read ({error}); check the path and that it is a UTF-8 text file"],
            origin=origin,
        ) from error
    near = source if isinstance(source, Path) else None
    document = _parse(text, origin)
    # A shipped file is <root>/<id>/<version>.toml, wherever the root is installed.
    folder = near.parent if near is not None else shipped_root() / str(document.get("id"))
    return _resolve(document, origin, near=near, chain=chain, folder=folder)


def _parse(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PackFileError(
            [f"is not valid TOML ({error}); fix the syntax there"], origin=origin
        ) from None


def _resolve(
    document: dict[str, Any],
    origin: str,
    *,
    near: Path | None,
    chain: tuple[str, ...],
    folder: Traversable | None,
) -> LoadedPack:
    ref = f"{document.get('id')}@{document.get('version')}"
    own_letters = document.get("letters")
    inherited: Mapping[str, LetterFile] = {}
    parent_ref = document.get("extends")
    if parent_ref is not None:
        if not isinstance(parent_ref, str) or "@" not in parent_ref:
            raise PackFileError(
                [f'extends = {parent_ref!r}: write extends = "<pack id>@<version>"'], origin=origin
            )
        if parent_ref in (*chain, ref):
            cycle = " → ".join((*chain, ref, parent_ref))
            raise PackFileError(
                [
                    f"extends makes a cycle ({cycle}); a pack must extend one that does "
                    "not extend it"
                ],
                origin=origin,
            )
        parent = _find_parent(parent_ref, near, (*chain, ref), origin)
        problems, document = merge(parent.document, document)
        if problems:
            raise PackFileError(problems, origin=origin)
        inherited = parent.letters
    try:  # what the digest is taken over must be canonical JSON, which has no decimals
        canonical_bytes(document)
    except TypeError:
        raise PackFileError(
            ['holds a decimal number; write whole numbers, or a string such as "1.5%"'],
            origin=origin,
        ) from None
    try:
        pack = PackFile.model_validate(document)
    except ValidationError as error:
        problems = [line for detail in error.errors() for line in _explain(detail, document)]
        raise PackFileError(problems, origin=origin) from None
    own = own_letters if isinstance(own_letters, dict) else {}
    problems, letters = letter_files(pack, own, folder, inherited)
    if problems:
        raise PackFileError(problems, origin=origin)
    return LoadedPack(pack, _content_digest(document, letters), origin, document, letters)


_TEMPLATES_KEY = "letter_templates"
"""The key the templates' digests are folded in under: a pack file cannot have it (unknown
top-level keys are refused), so no file's own content can stand in for them."""


def _content_digest(document: Mapping[str, Any], letters: Mapping[str, LetterFile]) -> str:
    """What every event judged by the pack records and `verify` holds it to: the resolved
    document and, keyed by letter id, the SHA-256 of each declared template's bytes. A template
    is the letter's text, so one changed in place would change what a version sends without a
    new version; folded in here, it changes the digest, and a ledger judged before the edit
    fails verify naming the pack. (A template not beside a copy of a shipped file is null: that
    copy names no letter text, and rendering from it names the missing file.)"""
    templates = {
        name: sha256_hex(letter.path.read_bytes()) if letter.path.is_file() else None
        for name, letter in letters.items()
    }
    return sha256_hex(canonical_bytes({**document, _TEMPLATES_KEY: templates}))


def _find_parent(ref: str, near: Path | None, chain: tuple[str, ...], origin: str) -> LoadedPack:
    """A shipped pack first, so a stray local file cannot stand in for a model procedure; then
    a file beside the variant (``<id>@<version>.toml`` or ``<id>/<version>.toml``)."""
    shipped = shipped_file(ref)
    if shipped is not None:
        return _load(shipped, chain)
    if near is not None:
        pack_id, _, version = ref.partition("@")
        for candidate in (near.parent / f"{ref}.toml", near.parent / pack_id / f"{version}.toml"):
            if candidate.is_file():
                return _load(candidate, chain)
    newer = _superseding(ref)
    if newer is not None:
        raise PackFileError(
            [
                f"extends = {ref!r}: that version is superseded by {newer}; extend {newer}, give "
                "this file a new version, and list this file's earlier content under "
                "[[supersedes]] (version, digest from `pmledger pack list`, why) so records "
                "judged under it still verify"
            ],
            origin=origin,
        )
    raise PackFileError(
        [
            f"extends = {ref!r}: no such pack; use one `pmledger pack list` shows, or put the "
            f"parent beside this file as {ref}.toml"
        ],
        origin=origin,
    )


def _superseding(ref: str) -> str | None:
    """The shipped version that lists ``ref`` as superseded, if one does."""
    pack_id, _, version = ref.partition("@")
    for loaded in shipped_packs():
        if loaded.file.id == pack_id and any(o.version == version for o in loaded.file.supersedes):
            return loaded.file.ref
    return None


_ALLOWED: dict[str, str] = {
    "unit": ", ".join(unit.value for unit in TimeUnit),
    "roles": ", ".join(role.value for role in Role),
    "stages": ", ".join(stage.value for stage in Ladder),
    "from": ", ".join(stage.value for stage in Ladder),
    "to": ", ".join(stage.value for stage in Ladder),
    "judges": ", ".join(kind.value for kind in RuleKind),
    "severity": ", ".join(severity.value for severity in Severity),
    "warnings": ", ".join(kind.value for kind in WarningKind),
    "warning_kind": ", ".join(kind.value for kind in WarningKind),
    "decided": ", ".join(outcome.value for outcome in Outcome),
    "decides": ", ".join(outcome.value for outcome in Outcome),
    "plan_kind": ", ".join(kind.value for kind in PlanKind),
    "plans": ", ".join(kind.value for kind in PlanKind),
    "purpose": ", ".join(purpose.value for purpose in MeetingPurpose),
}
_KEY_LABEL = {"warnings": "kind of warning", "stages": "place on the ladder"}
"""What a table's key names, for a key that is not one of the values it may take."""
_SECTION_LABEL = {
    "stages": "stage",
    "time_limits": "time limit",
    "limits": "limit",
    "warnings": "warning",
    "authority": "authority for",
    "who": "who acts",
    "pay": "pay table",
    "required": "required contents of",
    "letters": "letter",
    "forms": "form",
    "switched_off": "switched-off rule",
}


def _explain(detail: ErrorDetails, document: dict[str, Any]) -> list[str]:
    loc = detail["loc"]
    where, field = _locate(loc, document)
    kind = detail["type"]
    if kind == "value_error":
        message = str(detail.get("ctx", {}).get("error", detail["msg"]))
        return [f"{where}{line}" for line in message.splitlines()]
    if kind == "missing":
        return [f"{where}missing {field}; add it (see packs/README.md for what it holds)"]
    if kind == "extra_forbidden":
        return [f"{where}unknown key '{loc[-1]}'; check its spelling (packs/README.md lists them)"]
    key = next((str(part) for part in reversed(loc) if str(part) in _ALLOWED), None)
    if kind in ("enum", "literal_error") and "[key]" in loc and key is not None:
        what = _KEY_LABEL.get(key, f"{key} entry")
        return [f"{where}{detail['input']!r} is not a {what}; use one of: {_ALLOWED[key]}"]
    if kind in ("enum", "literal_error") and key is not None:
        return [f"{where}{field} {detail['input']!r} is not known; use one of: {_ALLOWED[key]}"]
    if kind.startswith("int"):
        return [f"{where}{field} = {detail['input']!r}: must be a whole number"]
    return [f"{where}{field} = {detail['input']!r} is not accepted: {detail['msg']}"]


_NOT_PLACES = frozenset({"[key]", "condition", "words"})
"""Parts of pydantic's location that name no place in the file: a table's key, and the form of
a transition's `when` (a condition as data, or words)."""


def _locate(loc: tuple[int | str, ...], document: dict[str, Any]) -> tuple[str, str]:
    """Name a place the way the file's author sees it: 'rule 3 (ip-x): severity',
    "time limit 'appeal-lodged': unit"."""
    parts = [str(part) for part in loc if part not in _NOT_PLACES]
    if not parts:
        return "", "pack"
    section = parts[0]
    if section == "rules" and len(loc) > 1 and isinstance(loc[1], int):
        rules = document.get("rules")
        raw = rules[loc[1]] if isinstance(rules, list) and loc[1] < len(rules) else None
        rule_id = raw.get("id") if isinstance(raw, dict) else None
        label = f"rule {loc[1] + 1}" + (f" ({rule_id})" if isinstance(rule_id, str) else "")
        return f"{label}: ", ".".join(parts[2:]) or "rule"
    if section == "transitions" and len(loc) > 1 and isinstance(loc[1], int):
        return f"transition {loc[1] + 1}: ", ".".join(parts[2:]) or "transition"
    if section in _SECTION_LABEL and len(parts) > 1:
        return f"{_SECTION_LABEL[section]} '{parts[1]}': ", ".".join(parts[2:]) or parts[1]
    return "", ".".join(parts)
