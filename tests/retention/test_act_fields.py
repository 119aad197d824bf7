"""`act_field` reads an act's field from the model's `__dict__` (getattr with a default costs
≈ 7 µs for a name the act lacks). That answers as getattr would only while no act has one of
these names as anything but a field (a property, a class attribute): this holds it so."""

from __future__ import annotations

import pytest

from pmledger.events.signed_event import CASE_ACTS, ActBase
from pmledger.retention.categories import act_field

READ_BY_RETENTION = ("meeting_id", "purpose", "warning_id", "cycle_id", "appeal_id", "hold_id")
"""The names the fold's category (`category_of`) and the disposal triggers read."""


@pytest.mark.parametrize("act_class", CASE_ACTS, ids=lambda cls: cls.__name__)
def test_retention_reads_act_fields_only_as_fields(act_class: type[ActBase]) -> None:
    for name in READ_BY_RETENTION:
        if name not in act_class.model_fields:
            assert not hasattr(act_class, name), f"{act_class.__name__}.{name} is not a field"


def test_act_field_answers_as_getattr() -> None:
    held = next(cls for cls in CASE_ACTS if "meeting_id" in cls.model_fields)
    act = held.model_construct(meeting_id="m-1")
    assert act_field(act, "meeting_id") == getattr(act, "meeting_id", None) == "m-1"
    assert act_field(act, "hold_id", "") == getattr(act, "hold_id", "") == ""
