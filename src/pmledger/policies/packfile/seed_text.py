"""The words of a procedure a rule cites: its sections found in the procedure's text.

A rule's ``source`` names sections (``004 §7.1, §9.1``); the procedure's text numbers its
headings the same way (``7.1 Invitation to meeting:``, ``- 7.2 The manager …``). Reading the
rule beside the words it encodes is how an adviser reviews it, so `pmledger pack explain`
prints them when the text is at hand. Best effort: a section the text does not number (an
appendix, a statute) is simply not found.
"""

from __future__ import annotations

import re

_SECTION = re.compile(r"§\s*(\d+(?:\.\d+)*)")
_HEADING = re.compile(r"^[\s\-•*#]*(\d+(?:\.\d+)*)\.?\s+\S")
_CONTENTS_LINE = re.compile(r"\s\d+\s*$")
"""A table of contents' line ends with its page number; its heading is not the section."""


def cited_sections(source: str) -> list[str]:
    """The numbered sections a rule's source cites, in order (``§7.1, §9.1`` → 7.1, 9.1)."""
    return list(dict.fromkeys(_SECTION.findall(source)))


def section_text(text: str, section: str, *, most_lines: int = 30) -> str | None:
    """The text of ``section`` (its heading to the next heading outside it), at most
    ``most_lines`` non-blank lines; None when the text has no such heading."""
    lines = text.splitlines()
    wanted = {section, f"{section}.0"} if "." not in section else {section}
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if (m := _HEADING.match(line)) and m[1] in wanted and not _CONTENTS_LINE.search(line)
        ),
        None,
    )
    if start is None:
        return None
    own = _HEADING.match(lines[start])
    assert own is not None

    def inside(number: str) -> bool:
        return number in (own[1], section) or number.startswith(f"{section}.")

    taken: list[str] = [lines[start].strip()]
    for line in lines[start + 1 :]:
        heading = _HEADING.match(line)
        if heading and not inside(heading[1]):
            break
        if line.strip():
            taken.append(line.strip())
        if len(taken) == most_lines:
            taken.append("…")
            break
    return "\n".join(taken)
