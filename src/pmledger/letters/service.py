"""`Ledger.letters(actor)`: render a procedure's letter from the case, preview it, record it.

Rendering reads the case as the actor (their right to read it is checked and logged, like any
read), fills the template's slots from the case, the directory and the school's calendar, and
returns the letter as PDF and DOCX bytes with their digests; nothing is recorded. Recording
signs a `LetterSent` naming the document sent by its SHA-256 (the generated PDF, the DOCX, or
an edited copy of either), with the confirmations the generated letter's filled slots state;
an invitation records its `MeetingInvited` in the same transaction.

The letter as sent is stored in the ledger (sealed under the case's key for the letter's
retention category) in the same transaction: the signed digest is what proves that the stored
copy, or any other, is the letter as sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from pmledger.commands import EmployeeRef, RecordAct
from pmledger.errors import AccessDenied, BatchRejected, InvalidInput
from pmledger.events.actors import Actor
from pmledger.events.case_acts import CaseOpened
from pmledger.events.documents import DOCX, PDF
from pmledger.events.meeting_acts import Delivery, LetterSent, MeetingInvited
from pmledger.export.presentation import long_day
from pmledger.letters.case_facts import case_facts
from pmledger.letters.document import Invitation, LetterDocument, RenderedLetter
from pmledger.letters.docx import render_docx
from pmledger.letters.filling import fill_slots
from pmledger.letters.frame import frame
from pmledger.letters.markup import blocks, render_text
from pmledger.letters.pdf import render_pdf
from pmledger.letters.template import LetterTemplate, declared_template, pack_templates
from pmledger.policies.registry import pack_for
from pmledger.projections.people import People, PersonDetails

if TYPE_CHECKING:
    from pmledger.ledger.facade import Ledger, Receipt

FIELD_KEYS: Mapping[str, tuple[str, ...]] = {
    "states_right_of_appeal": ("right_of_appeal",),
    "states_dismissal_possible": ("dismissal_possible",),
    "states_right_to_companion": ("right_to_companion", "right_to_companion_stated"),
    "draft_plan_enclosed": ("draft_plan_enclosed",),
}
"""Event fields that say what a letter states, and the contents keys that set them."""


class Letters:
    def __init__(self, ledger: Ledger, actor: Actor) -> None:
        self._ledger = ledger
        self.actor = actor

    def templates(self, employee: EmployeeRef, today: date) -> list[LetterTemplate]:
        """The letters and forms the case's procedure names (needs the right to read it)."""
        case = self._ledger.reader(self.actor, today).case(employee)
        return [t for _, t in sorted(pack_templates(pack_for(case.pack)).items())]

    def render(
        self,
        employee: EmployeeRef,
        template_id: str,
        as_of: date,
        *,
        template: LetterTemplate | None = None,
        **inputs: Any,
    ) -> RenderedLetter:
        """The letter dated `as_of`, filled from the case as it stood that day and from
        `inputs` (a slot's value given here wins over the case's); nothing is recorded.

        `template` renders a school's own edit of the template the case's pack file declares
        (same id and pack)."""
        reader = self._ledger.reader(self.actor, as_of)
        events = reader.records(employee)
        people = reader.people(employee)
        opened = cast(CaseOpened, events[0].act)
        declared = declared_template(pack_for(events[-1].pack), template_id)
        chosen = template or declared
        if (chosen.pack, chosen.id) != (declared.pack, declared.id):
            raise InvalidInput(
                f"template {chosen.id} of {chosen.pack} is not {template_id} of {declared.pack}"
            )
        standard = {
            "letter_date": as_of,
            "reference": str(
                inputs.pop("reference", None)
                or f"{employee.employee_ref}-{template_id}-{as_of.isoformat()}"
            ),
            "employee": people[opened.employee_person_id],
            "sender": self._sender(reader, people),
            "school_name": str(inputs.pop("school_name", None) or _words(opened.school)),
            "organisation_name": str(
                inputs.pop("organisation_name", None) or _words(opened.organisation)
            ),
            "case": case_facts(events, people, as_of),
        }
        calendar = self._ledger.calendars.for_case(opened)
        slots = fill_slots(chosen, inputs, standard, calendar, people.__getitem__)
        text, confirmed = render_text(chosen.body, slots, chosen.origin)
        laid_out = frame(
            chosen,
            blocks(text),
            employee=slots["employee"],
            sender=slots["sender"],
            letter_date=as_of,
            reference=slots["reference"],
            school_name=slots["school_name"],
            organisation_name=slots["organisation_name"],
        )
        name = slots["reference"]
        return RenderedLetter(
            template=chosen,
            employee=employee,
            reference=name,
            letter_date=as_of,
            slots=slots,
            confirmations=tuple(k for k in chosen.meta.contents if k in confirmed),
            text=text,
            pdf=LetterDocument(render_pdf(laid_out), PDF, f"{name}.pdf"),
            docx=LetterDocument(render_docx(laid_out), DOCX, f"{name}.docx"),
            about_id=str(slots[chosen.meta.about]) if chosen.meta.about else None,
            invitation=_invitation(chosen, slots),
            notes=tuple(_notes(chosen, slots)),
        )

    def record(
        self,
        letter: RenderedLetter,
        *,
        delivery: Delivery = Delivery.EMAIL,
        occurred_on: date | None = None,
        sent: LetterDocument | None = None,
        confirms: Iterable[str] | None = None,
        summary: str | None = None,
        deviation_reason: str | None = None,
        expected_version: int | None = None,
    ) -> list[Receipt]:
        """Sign the letter as sent: `sent` is the document that went (default: the generated
        PDF; the DOCX, or an edited copy of either, supplied by the user). The record keeps
        the confirmations of the template the letter was generated from, even for an edited
        copy, unless `confirms` says what the copy as sent states instead: an edit is the
        sender's, and so is saying that it changed what the letter states."""
        document = sent or letter.pdf
        document.check_type()
        generated = letter.docx if document.media_type == DOCX else letter.pdf
        stated = tuple(letter.confirmations if confirms is None else confirms)
        fields = {name: any(k in stated for k in keys) for name, keys in FIELD_KEYS.items()}
        template = letter.template
        acts: list[Any] = []
        if letter.invitation is not None:
            invitation = letter.invitation
            acts.append(
                MeetingInvited(
                    meeting_id=invitation.meeting_id,
                    purpose=invitation.purpose,
                    scheduled_for=invitation.scheduled_for,
                    venue=invitation.venue,
                    delivery=delivery,
                    papers_due_on=invitation.papers_due_on,
                    states_dismissal_possible=fields["states_dismissal_possible"],
                    states_right_to_companion=fields["states_right_to_companion"],
                    draft_plan_enclosed=fields["draft_plan_enclosed"],
                    letter=template.id,
                    confirms=stated,
                )
            )
        acts.append(
            LetterSent(
                letter_id=letter.reference,
                template=template.id,
                about_id=letter.about_id,
                delivery=delivery,
                states_right_of_appeal=fields["states_right_of_appeal"],
                states_dismissal_possible=fields["states_dismissal_possible"],
                summary=summary if summary is not None else template.meta.title,
                confirms=stated,
                document=document.ref(generated),
            )
        )
        on = occurred_on or letter.letter_date
        commands = [
            RecordAct(
                employee=letter.employee,
                act=act,
                occurred_on=on,
                actor=self.actor,
                deviation_reason=deviation_reason,
                expected_version=expected_version if i == 0 else None,
            )
            for i, act in enumerate(acts)
        ]
        try:
            return self._ledger.record_batch(commands, documents=[document.attachment()])
        except BatchRejected as rejected:
            raise rejected.cause from None

    def _sender(self, reader: Any, people: People) -> PersonDetails:
        if people[self.actor.person_id].known:
            return people[self.actor.person_id]
        try:
            return cast(PersonDetails, reader.person(self.actor.person_id))
        except AccessDenied:  # pragma: no cover - a person may always read their own entry
            return PersonDetails(self.actor.person_id)


def _invitation(template: LetterTemplate, slots: Mapping[str, Any]) -> Invitation | None:
    purpose = template.meta.invites
    if purpose is None:
        return None
    return Invitation(
        meeting_id=str(slots["meeting_id"]),
        purpose=purpose,
        scheduled_for=slots["meeting_date"],
        venue=slots.get("venue"),
        papers_due_on=slots.get("papers_due"),
    )


def _notes(template: LetterTemplate, slots: Mapping[str, Any]) -> Iterable[str]:
    for check in template.meta.checks:
        when, limit = slots.get(check.date), slots.get(check.on_or_before)
        if isinstance(when, date) and isinstance(limit, date) and when > limit:
            yield f"{check.says}: {long_day(when)} is after {long_day(limit)}"


def _words(identifier: str) -> str:
    """'oakfield-primary' -> 'Oakfield Primary', for a letterhead nobody gave."""
    return " ".join(part.capitalize() for part in identifier.replace("_", "-").split("-"))
