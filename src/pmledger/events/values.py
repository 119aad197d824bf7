"""Constrained value types shared by acts and commands.

Limits are generous for real records but finite, so hostile input (megabyte names, control
characters) is refused with a field-level error instead of being signed into the ledger.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"[\n\r\t]")


def _no_control_characters(value: str) -> str:
    bad = _CONTROL.search(value)
    if bad:
        msg = f"contains control character {bad.group()!r}; remove it"
        raise ValueError(msg)
    return value


def _single_line(value: str) -> str:
    if _LINE_BREAKS.search(value):
        msg = "must be a single line without tabs or line breaks"
        raise ValueError(msg)
    return value


_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f]")
"""Either of the above: what a clean single line has none of."""


def _one_line(value: str) -> str:
    """`_no_control_characters` then `_single_line`, with their messages, in one call and
    one search for the clean line every stored identifier and name is: each event's
    validation (every load, every row of `verify`) meets several of them, and two Python
    validators each cost a call and a search."""
    if _CONTROL_OR_BREAK.search(value) is None:
        return value
    return _single_line(_no_control_characters(value))


Identifier = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
    AfterValidator(_one_line),
]
"""A reference such as a staff number, a person id or a meeting id."""

Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(_one_line),
]
"""A short human label: a person's name, a venue, an area of concern."""

Text = Annotated[
    str,
    StringConstraints(max_length=100_000),
    AfterValidator(_no_control_characters),
]
"""Free text: minutes, statements, reasons. Personal content."""


class PersonalMarker:
    """Marks a string field as personal content: sealed per case and retention category.

    The mark lives on the type, so which fields are personal is said once, where the field is
    declared, and every layer (sealing, redaction, disposal) reads it from there.
    """

    def __repr__(self) -> str:
        return "PERSONAL"


PERSONAL = PersonalMarker()
SEALED_PREFIX = "sealed:v1:"
"""Stored form of sealed personal content: 'sealed:v1:<category>:<nonce>:<ciphertext>'."""


def _sealed_passes(value: object, handler: ValidatorFunctionWrapHandler) -> object:
    """Sealed tokens are ciphertext: the plaintext was checked before it was sealed."""
    if isinstance(value, str) and value.startswith(SEALED_PREFIX):
        return value
    return handler(value)


PersonalText = Annotated[Text, WrapValidator(_sealed_passes), PERSONAL]
"""Free text about a person (minutes, statements, reasons): sealed at rest."""

PersonalName = Annotated[Name, WrapValidator(_sealed_passes), PERSONAL]
"""A short personal label (an area of concern, a companion's name): sealed at rest."""

Reason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=10_000),
    AfterValidator(_no_control_characters),
]
"""A stated reason, e.g. for a deviation the procedure allows only exceptionally."""

PersonalReason = Annotated[Reason, WrapValidator(_sealed_passes), PERSONAL]
"""A reason that says something about the person (why a plan was revised): sealed at rest."""


Confirmations = Annotated[tuple[Identifier, ...], Field(max_length=50)]
"""Named attestations a record makes, e.g. ('overview_given', 'policy_copy_enclosed').

Each pack documents the confirmation keys its rules look for, so procedure-specific duties
("the employee was given a copy of the policy") are recorded without a new field per school.
"""


class FrozenModel(BaseModel):
    """Immutable and strict: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid")
