"""From a template and its slots to the letter's blocks: Jinja2, then a small block markup.

The body renders with StrictUndefined (a slot the body uses but nobody filled is an error, not
an empty gap in a letter), and a `{% confirm "key" %}…{% endconfirm %}` block records its key
when it renders non-empty text: that is how a letter's required contents are known.

After Jinja, the text is a sequence of blocks separated by blank lines:

* `## Heading`
* lines starting `- ` : a bulleted list
* lines starting `|` : a table (cells split on `|`); a `|---` line under the first row makes
  it a header row
* `::sign Reviewee | Reviewer` : signature and date lines for the parties named
* `::lines N` : N ruled lines left for handwriting
* anything else: a paragraph; `**bold**` inline.

PDF and DOCX are both drawn from these blocks, so the two formats say the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, UndefinedError, nodes
from jinja2.ext import Extension
from jinja2.parser import Parser

from pmledger.errors import InvalidInput
from pmledger.export.presentation import long_day, weekday

CONFIRMED = "confirmed_contents"
"""The render variable the confirm blocks add their keys to."""


def sentence(text: object) -> str:
    """Free text closed with exactly one full stop, whatever its author ended it with."""
    words = str(text).strip().rstrip(".")
    return f"{words}." if words else ""


def and_list(items: Iterable[object]) -> str:
    """'a, b and c'."""
    words = [str(item) for item in items]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


class ConfirmExtension(Extension):
    """`{% confirm "key" %}text{% endconfirm %}`: the text, as blocks of its own, and `key`
    confirmed if it is not empty (a paragraph a condition left out confirms nothing)."""

    tags = {"confirm"}  # noqa: RUF012 - Jinja's Extension declares it a plain set

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        key = parser.parse_expression()
        body = parser.parse_statements(("name:endconfirm",), drop_needle=True)
        call = self.call_method("_confirm", [key, nodes.Name(CONFIRMED, "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    @staticmethod
    def _confirm(key: str, confirmed: set[str], caller: Callable[[], str]) -> str:
        text: str = caller().strip("\n")
        if not text.strip():
            return ""
        confirmed.add(key)
        return f"\n\n{text}\n\n"


def _environment() -> Environment:
    env = Environment(
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=[ConfirmExtension],
    )
    env.filters.update(day=long_day, weekday=weekday, and_list=and_list, sentence=sentence)
    return env


ENVIRONMENT = _environment()


def render_text(body: str, slots: dict[str, Any], origin: str) -> tuple[str, frozenset[str]]:
    """The body's text and the contents keys it confirmed."""
    confirmed: set[str] = set()
    try:
        template = ENVIRONMENT.from_string(body)
        text = template.render({**slots, CONFIRMED: confirmed})
    except TemplateSyntaxError as exc:
        raise InvalidInput(f"{origin} line {exc.lineno}: {exc.message}") from None
    except UndefinedError as exc:
        raise InvalidInput(
            f"{origin} uses a value no slot fills ({exc.message}); declare it under [slots]"
        ) from None
    return text, frozenset(confirmed)


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class TableBlock:
    rows: tuple[tuple[str, ...], ...]
    header: bool


@dataclass(frozen=True)
class Signatures:
    parties: tuple[str, ...]


@dataclass(frozen=True)
class Lines:
    count: int


Block = Paragraph | Heading | Bullets | TableBlock | Signatures | Lines


def blocks(text: str) -> list[Block]:
    out: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.rstrip() for line in chunk.strip().splitlines() if line.strip()]
        if lines:
            out.append(_block(lines))
    return out


def _block(lines: Sequence[str]) -> Block:
    first = lines[0]
    if first.startswith("## "):
        return Heading(" ".join([first[3:], *lines[1:]]).strip())
    if first.startswith("::sign"):
        return Signatures(tuple(p.strip() for p in first[6:].split("|") if p.strip()))
    if first.startswith("::lines"):
        return Lines(int(first[7:].strip() or "3"))
    if all(line.startswith("- ") for line in lines):
        return Bullets(tuple(line[2:].strip() for line in lines))
    if all(line.startswith("|") for line in lines):
        header = len(lines) > 1 and set(lines[1].replace("|", "").strip()) <= {"-", " "}
        rows = [line for i, line in enumerate(lines) if not (header and i == 1)]
        return TableBlock(
            tuple(
                tuple(cell.strip() for cell in row.strip().strip("|").split("|")) for row in rows
            ),
            header,
        )
    return Paragraph(" ".join(line.strip() for line in lines))


BOLD = re.compile(r"\*\*(.+?)\*\*")


def runs(text: str) -> list[tuple[str, bool]]:
    """A paragraph's text as (text, bold) runs."""
    parts = BOLD.split(text)
    return [(part, i % 2 == 1) for i, part in enumerate(parts) if part]
