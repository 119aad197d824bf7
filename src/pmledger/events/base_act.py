"""The common base of every act a case can record."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from pmledger.events.documents import MAX_ATTACHMENTS, DocumentRef
from pmledger.events.values import FrozenModel


class ActBase(FrozenModel):
    """An act's own fields, without who/when/which-procedure metadata.

    `schema_version` is the version of the act's shape; a stored act of an older version is
    upcast on reading, never rewritten, so its signature keeps verifying. Personal content
    is marked on each field's type (PersonalText, PersonalName, PersonalReason).

    `attachments` are the documents the act carries (minutes, a plan, evidence, an e-mail),
    each named by its digest; the ledger keeps their bytes (see `Ledger.record(documents=)`).
    """

    schema_version: ClassVar[int] = 1

    attachments: tuple[DocumentRef, ...] = Field(default=(), max_length=MAX_ATTACHMENTS)
