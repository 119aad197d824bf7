"""Warnings and their live windows on any date (12 months / two years, calendar months)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pmledger.events.sanction_acts import WarningKind
from pmledger.policies.case_file import CaseFile
from pmledger.policies.pack import PolicyPack


class WarningStatus(StrEnum):
    LIVE = "live"
    EXPIRED = "expired"
    RESCINDED = "rescinded"
    NOT_YET_ISSUED = "not_yet_issued"


@dataclass(frozen=True)
class WarningView:
    warning_id: str
    kind: WarningKind
    issued_on: date
    expires_on: date
    """First day the warning is no longer live: live while issued_on <= day < expires_on."""
    status: WarningStatus
    reduced_from: WarningKind | None
    version: int


def warning_views(file: CaseFile, pack: PolicyPack, as_of: date) -> list[WarningView]:
    views = []
    for warning in file.warnings.values():
        kind = warning.current_kind
        expires = warning.expires_on(pack.warning_months)
        if warning.rescinded is not None and warning.rescinded.on <= as_of:
            status = WarningStatus.RESCINDED
        elif as_of < warning.issued.on:
            status = WarningStatus.NOT_YET_ISSUED
        elif as_of < expires:
            status = WarningStatus.LIVE
        else:
            status = WarningStatus.EXPIRED
        views.append(
            WarningView(
                warning_id=warning.warning_id,
                kind=kind,
                issued_on=warning.issued.on,
                expires_on=expires,
                status=status,
                reduced_from=warning.kind if warning.reduced_to else None,
                version=warning.issued.version,
            )
        )
    return views
