"""Letters and forms from the procedures' model letters, filled from the case.

`Ledger.letters(actor).render(employee, template_id, as_of, **inputs)` gives a
`RenderedLetter` (PDF and DOCX bytes, their SHA-256, the filled slots and what the letter
states); `.record(letter, delivery=…)` signs it as sent. Templates live beside their packs
(`packs/<pack>/letters/*.j2`, as its pack file declares them); see `pmledger.letters.template`
for the format.
"""

from pmledger.letters.document import Invitation, LetterDocument, RenderedLetter
from pmledger.letters.service import Letters
from pmledger.letters.template import (
    LetterTemplate,
    parse_template,
    shipped_templates,
    template_for,
    templates_of,
)

__all__ = [
    "Invitation",
    "LetterDocument",
    "LetterTemplate",
    "Letters",
    "RenderedLetter",
    "parse_template",
    "shipped_templates",
    "template_for",
    "templates_of",
]
