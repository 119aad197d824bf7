"""Classroom observation (§4.3, §9.5): the terms agreed beforehand, the reviewee's agreement to
the App 5 plan, and what starts the feedback clocks.

The reviewee signs App 5 as a StatementRecorded(form='ss-app5') of their own naming the
ObservationPlanned record in `about_version`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Literal

from pmledger.events.actors import Role
from pmledger.events.meeting_acts import ObservationHeld, ObservationPlanned
from pmledger.events.record_acts import StatementRecorded
from pmledger.policies.case_file import CaseFile, Mark
from pmledger.policies.named_checks import NamedChecks
from pmledger.policies.rule import ActContext
from pmledger.policies.rules.due_after import Anchor

from .settings import Form, Settings


def terms_missing(ctx: ActContext) -> str | None:
    """001 §4.3: the arrangements "will" include the amount, purpose, aspects, duration, timing
    and observer; the event requires all but the amount and the aspects."""
    act = ctx.act
    if not isinstance(act, ObservationPlanned):
        return None
    missing = [
        name
        for name, present in (("amount", act.amount), ("aspects to assess", act.aspects))
        if not present
    ]
    if missing:
        return f"observation {act.observation_id} is planned without its {' and '.join(missing)}"
    return None


def _feedback(medium: Literal["verbal", "written"]) -> Callable[[CaseFile], Iterator[Anchor]]:
    def anchors(file: CaseFile) -> Iterator[Anchor]:
        for observation in file.observations.values():
            if observation.held is None:
                continue
            yield Anchor(
                mark=observation.held,
                description=f"{medium} feedback on observation {observation.observation_id}",
                done=observation.verbal if medium == "verbal" else observation.written,
            )

    return anchors


def reviewee_agreement(file: CaseFile, plan: Mark) -> Mark | None:
    """The reviewee's signature on the App 5 plan recorded at `plan`."""
    return next(
        (
            r.mark
            for r in file.recorded("statement_recorded")
            if isinstance(r.act, StatementRecorded)
            and r.act.form == Form.APP5_OBSERVATION.value
            and r.act.about_version == plan.version
            and r.actor.role is Role.EMPLOYEE
        ),
        None,
    )


def held_before_agreed(ctx: ActContext) -> str | None:
    """001 §9.5: App 5 is "completed by the reviewer with agreement from the reviewee ... to
    ensure that adequate notice is given": the observation itself is the act that breaks it
    when the reviewee's signature is not yet recorded."""
    act = ctx.act
    if not isinstance(act, ObservationHeld):
        return None
    observation = ctx.file.observations.get(act.observation_id)
    if observation is None or observation.planned is None:
        return None
    if reviewee_agreement(ctx.file, observation.planned) is None:
        return (
            f"observation {act.observation_id} was held before the reviewee agreed the App 5 plan"
        )
    return None


def register(checks: NamedChecks, settings: Settings) -> None:
    """This module's named checks; the App 5 agreement only where the school uses App 5."""
    app5 = Form.APP5_OBSERVATION in settings.forms_in_use
    checks.problem("held-before-app5-agreed", "001 §9.5")(
        held_before_agreed if app5 else lambda ctx: None
    )
    checks.problem("observation-terms-missing", "001 §4.3")(terms_missing)
    checks.clocks("verbal-feedback", "001 §4.3")(_feedback("verbal"))
    checks.clocks("written-record", "001 §4.3")(_feedback("written"))
