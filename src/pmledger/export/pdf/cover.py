"""Cover: whose case, under which procedure, over which dates, generated as of when."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table
from reportlab.platypus.flowables import Flowable

from pmledger.export.pdf.context import COVER, BundleContext, esc
from pmledger.export.pdf.document import Heading
from pmledger.export.pdf.styles import BAD, GOOD, grid, para
from pmledger.export.presentation import day
from pmledger.projections.case_status import CaseStatus


def cover(ctx: BundleContext) -> list[Flowable]:
    s = ctx.styles
    extract = ctx.extract
    opened = extract.opened
    status = extract.status
    records = extract.records
    procedures = "<br/>".join(
        f"{esc(title)} ({esc(pack_id)}, version {esc(version)})"
        for (pack_id, version), title in extract.packs.items()
    )
    if extract.verified:
        integrity = (
            f'<font color="{GOOD.hexval()}">All {len(records)} records and '
            f"{extract.keyring_head[0]} keyring entries verified</font>: every signature, "
            "chain link and key validity holds."
        )
    else:
        failure = extract.verification.failure
        assert failure is not None
        integrity = f'<font color="{BAD.hexval()}">NOT VERIFIED</font>: {esc(failure.describe())}'
    claim = [
        (label, esc(value))
        for label, value in (
            ("Claim number", ctx.claim.number if ctx.claim else None),
            ("Parties", ctx.claim.parties if ctx.claim else None),
        )
        if value
    ]
    named = extract.verification.organisation
    ledger_of = [("Ledger of", f"{esc(named)} (as its keyring signs)")] if named else []
    root = next(iter(extract.keys))  # the keyring's first key, registered by itself
    ledger_of.append(
        ("Root key", f"{root}: check it is the organisation's (<i>verify-bundle --trust</i>)")
    )
    facts = [
        *claim,
        ("Employee", f"{esc(opened.employee_ref)} (person {esc(opened.employee_person_id)})"),
        ("Organisation", f"{esc(opened.organisation)}, school {esc(opened.school)}"),
        *ledger_of,
        ("Procedure", procedures),
        ("Records", f"{len(records)} records, versions 1 to {extract.head.version}"),
        ("Documents", _documents(ctx)),
        ("Date range", ctx.date_range),
        ("Generated on", day(extract.as_of)),
        ("Produced by", f"pmledger {esc(ctx.pmledger_version)}"),
        ("Case id", f"<font size=8>{extract.case_id}</font>"),
        ("Integrity", integrity),
    ]
    live = status.live_warnings
    glance = [
        ("Stage", f"{esc(status.stage_words)} (since {_since(status)})"),
        *([("Review", esc(status.review.words))] if status.review else []),
        ("Capability procedure", "running" if status.capability_active else "not running"),
        (
            "Appeal",
            "; ".join(f"{esc(a.appeal_id)}: {esc(a.words)}" for a in status.appeals) or "none",
        ),
        (
            "Live warnings",
            ", ".join(f"{esc(w.warning_id)} ({w.kind.value.replace('_', ' ')})" for w in live)
            or "none",
        ),
        (
            "Awaiting signature",
            ", ".join(f"v{a.version}" for a in status.awaiting) or "nothing",
        ),
        ("Findings", str(len(status.compliance))),
    ]
    later = [r.version for r in records if r.after_as_of]
    flowables: list[Flowable] = [
        Spacer(1, 30 * mm),
        Heading("Hearing bundle", s.title, COVER.anchor, COVER.title),
        Spacer(1, 3 * mm),
        para("Performance management and capability records", s.subtitle),
        Spacer(1, 2 * mm),
        para(f"{esc(opened.employee_ref)} — {esc(opened.organisation)}", s.subtitle),
        Spacer(1, 14 * mm),
        _table(ctx, facts),
        Spacer(1, 8 * mm),
        para(f"<b>The case on {day(extract.as_of)}</b>", s.body),
        Spacer(1, 2 * mm),
        _table(ctx, glance),
    ]
    if later:
        flowables += [
            Spacer(1, 4 * mm),
            para(
                f"Records dated after {day(extract.as_of)} (versions "
                f"{', '.join(map(str, later))}) are included in full but not counted in the "
                "stage, warnings and findings above.",
                s.muted,
            ),
        ]
    return flowables


def _documents(ctx: BundleContext) -> str:
    shown = sum(1 for d in ctx.documents if d.pdf is not None)
    if not ctx.documents:
        return "none recorded"
    missing = len(ctx.documents) - shown
    return f"{shown} inserted as pages" + (f", {missing} listed but not shown" if missing else "")


def _since(status: CaseStatus) -> str:
    return day(status.stage_since) if status.stage_since else "the case opened"


def _table(ctx: BundleContext, rows: list[tuple[str, str]]) -> Table:
    s = ctx.styles
    table = Table(
        [[para(label, s.cell_bold), para(value, s.cell)] for label, value in rows],
        colWidths=[38 * mm, 136 * mm],
    )
    table.setStyle(grid(header=False, zebra=False))
    return table
