"""Letter and form templates: one file per letter, beside the pack file that declares it.

A pack file lists the letters and forms of its procedure (`[letters.<id>]`, with the template
file relative to the pack file, `packs/<id>/letters/<id>.j2` for a shipped pack); a school's
variant names a file beside its own pack file to send its own wording of one letter and
inherits the others. Templates are found through those declarations only.

A template file is TOML front matter between `+++` lines, then the letter's body in Jinja2:

    +++
    id = "ip-first-formal-confirmation"      # LetterSent.template: what the pack's rules read
    pack = "improving-performance"
    title = "Outcome of the first formal meeting"
    source = "004 §7.3"                      # where the procedure asks for this letter
    about = "meeting_id"                     # the slot naming what LetterSent.about_id points at

    [slots.meeting_date]                     # every value the body uses, and where it comes from
    from = "case.meetings.first_formal.held_on"
    type = "date"
    about = "the day the first formal meeting was held"

    [contents]                               # what the procedure says the letter must state:
    right_of_appeal = "the right of appeal"  # each a `confirm` block in the body
    +++
    {% confirm "right_of_appeal" %}You may appeal … by {{ appeal_by | day }}.{% endconfirm %}

The `contents` keys are the `confirms` keys the pack's rules check. A key is confirmed by a
letter exactly when the body's `{% confirm %}` block for it was rendered, so what the signed
record says the letter states is what the letter says, never a box someone ticked.
Templates are data: a school edits the wording (keeping the blocks it must), and `lint`
says what a template lacks.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pmledger.calendar import TimeUnit
from pmledger.errors import InvalidInput
from pmledger.events.meeting_acts import MeetingPurpose
from pmledger.policies.pack import PolicyPack
from pmledger.policies.packfile import shipped_packs
from pmledger.policies.packfile.letter_files import LetterFile
from pmledger.policies.registry import current_pack

SlotType = Literal["date", "text", "lines", "person", "flag", "number"]
Layout = Literal["letter", "memo", "form"]
FRONT_MATTER = re.compile(r"\A\+\+\+\n(?P<meta>.*?)\n\+\+\+\n(?P<body>.*)\Z", re.DOTALL)
_CONFIRM = re.compile(r"""\{%-?\s*confirm\s+["']([a-z0-9_]+)["']""")
_Strict = ConfigDict(frozen=True, extra="forbid")


class Slot(BaseModel):
    """One value the body uses. Filled, in this order, from what the caller passes, from the
    case (`from`, a path into the case's facts), from a date `before`/`after` another slot by
    `amount` `unit` on the school's calendar, or from `default`."""

    model_config = _Strict

    type: SlotType = "text"
    about: str
    from_: str | None = Field(default=None, alias="from")
    before: str | None = None
    after: str | None = None
    amount: int | None = Field(default=None, ge=0)
    unit: TimeUnit | None = None
    default: str | bool | int | list[str] | None = None
    required: bool = True

    @model_validator(mode="after")
    def _one_way_to_compute(self) -> Slot:
        relative = self.before or self.after
        if self.before and self.after:
            raise ValueError("give before= or after=, not both")
        if relative and (self.amount is None or self.unit is None or self.type != "date"):
            raise ValueError("a date counted from another slot needs type='date', amount, unit")
        return self


class Check(BaseModel):
    """A date the letter must respect (e.g. sent on or before the latest day notice allows):
    rendering says so in `RenderedLetter.notes`; recording it anyway leaves the finding to the
    pack."""

    model_config = _Strict

    date: str
    on_or_before: str
    says: str


class TemplateMeta(BaseModel):
    model_config = _Strict

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    pack: str
    title: str
    source: str
    layout: Layout = "letter"
    landscape: bool = False
    """For a form whose grid is wider than a portrait page (003 §6's support plan)."""
    subject: str | None = None
    """The bold line under the greeting of a letter (the procedure and what it is about)."""
    about: str | None = None
    """The slot holding the id LetterSent.about_id names (a meeting, plan, appeal…)."""
    invites: MeetingPurpose | None = None
    """An invitation: recording it records the MeetingInvited too, with slots meeting_id,
    meeting_date, venue and (if declared) papers_due."""
    enclosures: tuple[str, ...] = ()
    slots: dict[str, Slot] = Field(default_factory=dict)
    contents: dict[str, str] = Field(default_factory=dict)
    checks: tuple[Check, ...] = ()


@dataclass(frozen=True)
class LetterTemplate:
    meta: TemplateMeta
    body: str
    origin: str
    text: str
    """The file as written: what a school copies to make its own edit."""

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def pack(self) -> str:
        return self.meta.pack

    def lint(self) -> list[str]:
        """What is wrong with the template as data (empty when it is sound)."""
        problems: list[str] = []
        confirmed = set(_CONFIRM.findall(self.body))
        for key in self.meta.contents:
            if key not in confirmed:
                problems.append(f"content {key!r} has no {{% confirm {key!r} %}} block")
        for key in sorted(confirmed - set(self.meta.contents)):
            problems.append(f"confirm block {key!r} is not listed under [contents]")
        names = set(self.meta.slots)
        for name, slot in self.meta.slots.items():
            for other in (slot.before, slot.after):
                if other and other not in names | STANDARD_SLOTS:
                    problems.append(f"slot {name!r} counts from unknown slot {other!r}")
        if self.meta.about and self.meta.about not in names:
            problems.append(f"about = {self.meta.about!r} is not a slot")
        if self.meta.invites:
            for needed in ("meeting_id", "meeting_date"):
                if needed not in names:
                    problems.append(f"an invitation needs slot {needed!r}")
        for check in self.meta.checks:
            for name in (check.date, check.on_or_before):
                if name not in names | STANDARD_SLOTS:
                    problems.append(f"check names unknown slot {name!r}")
        return problems


STANDARD_SLOTS = frozenset(
    {"letter_date", "reference", "employee", "sender", "school_name", "organisation_name", "case"}
)
"""Slots every template has without declaring them (see `pmledger.letters.filling`)."""


def parse_template(text: str, origin: str = "<string>") -> LetterTemplate:
    """A template from its file's text; InvalidInput naming the file and the fix otherwise."""
    found = FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if found is None:
        raise InvalidInput(
            f"{origin}: a letter template starts with TOML front matter between '+++' lines"
        )
    try:
        meta = TemplateMeta.model_validate(tomllib.loads(found["meta"]))
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{origin}: front matter is not valid TOML ({exc})") from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'front matter'}: {e['msg']}"
            for e in exc.errors(include_url=False)
        )
        raise InvalidInput(f"{origin}: {problems}") from None
    return LetterTemplate(meta, found["body"], origin, text)


_PARSED: dict[tuple[str, str, str], Mapping[str, LetterTemplate]] = {}
"""Each pack version's templates, read once (by id, version and content digest)."""


def pack_templates(pack: PolicyPack) -> Mapping[str, LetterTemplate]:
    """The templates of the letters `pack`'s file declares, by letter id."""
    key = (pack.id, pack.version, pack.digest)
    if key not in _PARSED:
        _PARSED[key] = _read(pack.letters)
    return _PARSED[key]


def _read(letters: Mapping[str, LetterFile]) -> dict[str, LetterTemplate]:
    """Each declared template, checked to be the letter it is declared as, of the pack whose
    file declares it."""
    found: dict[str, LetterTemplate] = {}
    for name, letter in sorted(letters.items()):
        try:
            text = letter.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(
                f"{letter.pack}'s pack file declares letter {name!r} with template = "
                f"{letter.template!r}, which cannot be read ({exc}); put the template beside "
                "the pack file"
            ) from None
        template = parse_template(text, str(letter.path))
        if (template.id, template.pack) != (name, letter.pack):
            raise InvalidInput(
                f"{template.origin} is template {template.id!r} of pack {template.pack!r}, but "
                f"{letter.pack}'s pack file declares it as letter {name!r}; make the front "
                f"matter say id = {name!r} and pack = {letter.pack!r}"
            )
        found[name] = template
    return found


@cache
def shipped_templates() -> Mapping[tuple[str, str], LetterTemplate]:
    """Every template shipped with pmledger, by (pack id, template id): the letters each
    shipped pack file declares (its newest version's)."""
    found: dict[tuple[str, str], LetterTemplate] = {}
    for loaded in shipped_packs():
        for name, template in _read(loaded.letters).items():
            found[(loaded.file.id, name)] = template
    return found


def template_for(pack_id: str, template_id: str) -> LetterTemplate:
    """A letter of the current version of `pack_id` (a shipped pack or a registered variant)."""
    return declared_template(current_pack(pack_id), template_id)


def declared_template(pack: PolicyPack, template_id: str) -> LetterTemplate:
    """A letter `pack`'s file declares, or InvalidInput listing the ones it does."""
    templates = pack_templates(pack)
    template = templates.get(template_id)
    if template is None:
        known = ", ".join(sorted(templates)) or "none"
        raise InvalidInput(
            f"{pack.id} has no letter template {template_id!r}; its templates: {known}"
        )
    return template


def templates_of(pack_id: str) -> list[LetterTemplate]:
    """The letters of the current version of `pack_id`, in id order."""
    return [t for _, t in sorted(pack_templates(current_pack(pack_id)).items())]
