"""Classroom observation (§4.3, §9.5): the terms agreed beforehand, the reviewee's agreement to
the App 5 plan, and the feedback deadlines.

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
from pmledger.policies.judgement import Severity
from pmledger.policies.packfile.binding import pack_data
from pmledger.policies.rule import ActContext, Rule
from pmledger.policies.rules.due_after import Anchor, DueAfter

from .settings import Form, Settings

DATA = pack_data(__package__)
"""This procedure's data, from its pack file."""


class ObservationTerms(Rule):
    """001 §4.3: the arrangements "will" include the amount, purpose, aspects, duration, timing
    and observer; the event requires all but the amount and the aspects."""

    severity = Severity.MINOR

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, ObservationPlanned):
            return
        missing = [
            name
            for name, present in (("amount", act.amount), ("aspects to assess", act.aspects))
            if not present
        ]
        if missing:
            ctx.breach(
                self,
                f"observation {act.observation_id} is planned without its {' and '.join(missing)}",
            )


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


class AgreedBeforehand(Rule):
    """001 §9.5: App 5 is "completed by the reviewer with agreement from the reviewee ... to
    ensure that adequate notice is given": the observation itself is the act that breaks it
    when the reviewee's signature is not yet recorded."""

    severity = Severity.MINOR

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, ObservationHeld):
            return
        observation = ctx.file.observations.get(act.observation_id)
        if observation is None or observation.planned is None:
            return
        if reviewee_agreement(ctx.file, observation.planned) is None:
            ctx.breach(
                self,
                f"observation {act.observation_id} was held before the reviewee agreed the "
                "App 5 plan",
            )


def rules(settings: Settings) -> tuple[Rule, ...]:
    agreed: tuple[Rule, ...] = ()
    if Form.APP5_OBSERVATION in settings.forms_in_use:
        agreed = (
            AgreedBeforehand(
                "ss-observation-form-agreed",
                "001 §9.5",
                "The App 5 plan is agreed by the reviewee (their App 5 statement) before the "
                "observation.",
            ),
        )
    return (
        *agreed,
        ObservationTerms(
            "ss-observation-terms",
            "001 §4.3, §9.3",
            "Observation terms: amount, purpose, aspects, duration, timing and observer.",
        ),
        DueAfter(
            "ss-obs-verbal-feedback",
            "001 §4.3",
            "Verbal feedback no later than the end of the next school day.",
            limit=DATA.time_limit("obs-verbal-feedback"),
            anchors=_feedback("verbal"),
        ),
        DueAfter(
            "ss-obs-written-record",
            "001 §4.3",
            "The written record reaches the reviewee within 5 working days of the observation.",
            limit=DATA.time_limit("obs-written-record"),
            anchors=_feedback("written"),
        ),
    )
