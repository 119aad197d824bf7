"""Issue 17 §3: forms are typed records whose boxes are sealed. Every box of every form part
(each a member of one union, told apart by `part`) is personal content, and the walk that seals
it reaches the boxes of whichever part a statement holds, not only the union's first member."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from pydantic import BaseModel

from pmledger.events.form_contents import FormContents, ObjectiveAssessment, ObjectiveProgress
from pmledger.events.personal import personal_strings, rewrite_personal
from pmledger.events.record_acts import StatementKind, StatementRecorded

PARTS: tuple[type[Any], ...] = get_args(get_args(FormContents)[0])


def _filled(cls: type[BaseModel]) -> dict[str, Any]:
    """Every text box of `cls` filled with its own name; objectives with one row each."""
    data: dict[str, Any] = {}
    for name, field in cls.model_fields.items():
        if name == "part":
            continue
        if name == "objectives":
            row = "ObjectiveProgress" in repr(field.annotation)
            data[name] = (
                [{"objective_id": "t1", **{b: f"{name}.{b}" for b in ObjectiveProgress.BOXES}}]
                if row
                else [{"objective_id": "t1", "summary": "objectives.summary"}]
            )
        else:
            data[name] = name
    return data


@pytest.mark.parametrize("cls", PARTS, ids=lambda c: c.__name__)
def test_every_box_of_every_form_part_is_sealed(cls: type[Any]) -> None:
    contents = cls.model_validate(_filled(cls))
    kind = StatementKind(cls.SIGNER) if cls.SIGNER else StatementKind.PLANNING_REVIEW
    statement = StatementRecorded(
        statement_kind=kind, form=cls.FORM, text="the statement", contents=contents
    )
    boxes = [v for k, v in _filled(cls).items() if k != "objectives"]
    found = personal_strings(statement)
    assert set(boxes) <= set(found), sorted(set(boxes) - set(found))
    assert any(text.startswith("objectives.") for text in found) == (
        "objectives" in cls.model_fields
    )
    sealed = rewrite_personal(statement, lambda text: f"sealed:v1:x:{len(text)}")
    assert sealed.contents is not None
    assert type(sealed.contents) is cls
    assert not set(boxes) & set(map(str, sealed.contents.model_dump().values()))
    assert "objectives." not in str(sealed.contents.model_dump())


def test_a_form_part_belongs_to_its_form_and_signer() -> None:
    """A part of another form, or the other signer's part, is outside the act's schema."""
    review = {"part": "ss-app4-review", "progress": "On track"}
    with pytest.raises(ValueError, match="belong to form ss-app4, not ss-app3"):
        StatementRecorded.model_validate(
            {"statement_kind": "planning_review", "form": "ss-app3", "text": "…",
             "contents": review}
        )  # fmt: skip
    with pytest.raises(ValueError, match="give statement_kind 'reviewer'"):
        StatementRecorded.model_validate(
            {"statement_kind": "employee", "form": "refocus-app-d", "text": "…",
             "contents": {"part": "refocus-app-d-reviewer"}}
        )  # fmt: skip
    assert ObjectiveAssessment(objective_id="o1", summary="Met").summary == "Met"
