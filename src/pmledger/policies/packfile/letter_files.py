"""Where each letter a pack file declares has its template: a file beside the pack file.

A pack file declares its letters (`[letters.<id>] template = "letters/<id>.j2"`), each template
named relative to the file that declares it, so a school's variant names a template beside its
own file to send its own wording, and inherits the rest from the pack it extends, read beside
that pack's file. Resolved when the file is loaded; a variant's own template that is not there
is refused then, naming the file and the letter, not when someone first tries to send it. (A
shipped pack's templates ship beside it; a copy of its file read elsewhere, to check or compare
it, is not refused for leaving them behind: rendering from it names the missing file.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from typing import Any

from pmledger.policies.packfile.model import PackFile


@dataclass(frozen=True)
class LetterFile:
    """A declared letter's template, and the pack whose file declared it (the template's own
    front matter names that pack)."""

    path: Traversable
    pack: str
    template: str
    """As the file wrote it, relative to the file (``letters/ip-dismissal.j2``)."""


def letter_files(
    pack: PackFile,
    own: Mapping[str, Any],
    folder: Traversable | None,
    inherited: Mapping[str, LetterFile],
) -> tuple[list[str], dict[str, LetterFile]]:
    """Each letter's template: those this file names (``own``, its own ``[letters]`` table)
    beside it in ``folder``, the others as the pack it extends resolved them; and the problems,
    each naming the letter and what to do."""
    problems: list[str] = []
    found: dict[str, LetterFile] = {}
    for name, letter in pack.letters.items():
        template = letter.template
        names_own = isinstance(own.get(name), dict) and "template" in own[name]
        if template is None:
            continue
        if not names_own and name in inherited:
            found[name] = inherited[name]
            continue
        if folder is None:
            problems.append(
                f"letter '{name}': template = {template!r} is read beside the pack file, and "
                "this pack was not read from a file; load it from its file"
            )
            continue
        path = folder.joinpath(*template.split("/"))
        if pack.extends is not None and not path.is_file():
            problems.append(
                f"letter '{name}': template = {template!r} is not a file beside this pack file; "
                "put the template there or correct the path"
            )
            continue
        found[name] = LetterFile(path=path, pack=pack.id, template=template)
    return problems, found
