"""Verification appendix: the keys, the chain head, the signed checkpoint, and how to check
the bundle oneself.

The checkpoint is printed in full, its cases root and the case's entry under it included, so a
reader holding only the paper can compare it with a head published elsewhere (a receipt, an
email, a notice board) without opening bundle.zip, and see which record that head names as
the case's newest.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table
from reportlab.platypus.flowables import Flowable

from pmledger.export.pdf.context import APPENDIX, BundleContext, esc
from pmledger.export.pdf.document import Heading
from pmledger.export.pdf.styles import grid, para
from pmledger.export.presentation import moment, role_words
from pmledger.integrity.merkle import leaf_hash


def appendix(ctx: BundleContext) -> list[Flowable]:
    s = ctx.styles
    extract = ctx.extract
    head = extract.head
    checkpoint = ctx.checkpoint
    used = {r.event.key_id for r in extract.records} | {checkpoint.key_id}
    facts = [
        ("Case id", str(extract.case_id)),
        ("Records", f"{len(extract.records)} (versions 1 to {head.version})"),
        ("Chain head", f"version {head.version}, digest<br/><font size=7.5>{head.digest}</font>"),
        (
            "Keyring",
            f"{extract.keyring_head[0]} entries ({len(extract.keys)} keys), head digest<br/>"
            f"<font size=7.5>{extract.keyring_head[1]}</font>",
        ),
        (
            "Checkpoint",
            f"signed tree head of size {checkpoint.size} (checkpoint/head.json), root<br/>"
            f"<font size=7.5>{checkpoint.root}</font>",
        ),
        (
            "Cases root",
            "root of the map of every case's newest record at that size, signed with it<br/>"
            f"<font size=7.5>{checkpoint.cases_root}</font>",
        ),
        (
            "Case's entry",
            f"this case's newest record at size {checkpoint.size}: version {head.version}, "
            "leaf hash (SHA-256 of 0x00 and the stored record)<br/>"
            f"<font size=7.5>{leaf_hash(head.row.state).hex()}</font>",
        ),
        (
            "Checkpoint signed",
            f"{moment(checkpoint.at)} by {esc(checkpoint.actor.person_id)} "
            f"({esc(role_words(checkpoint.actor))}) with key "
            f"<font size=7.5>{esc(checkpoint.key_id)}</font>",
        ),
        ("Produced by", f"pmledger {esc(ctx.pmledger_version)}"),
    ]
    facts_table = Table(
        [[para(k, s.cell_bold), para(v, s.cell)] for k, v in facts], colWidths=[30 * mm, 144 * mm]
    )
    facts_table.setStyle(grid(header=False, zebra=False))

    header = ("Key id (fingerprint)", "Person and roles", "Valid", "Public key (Ed25519, hex)")
    rows = [[para(f"<b>{h}</b>", s.cell) for h in header]]
    for key in sorted(extract.keys.values(), key=lambda k: k.valid_from):
        if key.key_id not in used:
            continue
        validity = f"from {moment(key.valid_from)}"
        validity += f"<br/>revoked {moment(key.revoked_at)}" if key.revoked_at else ""
        rows.append(
            [
                para(esc(key.key_id), s.cell_mono),
                para(esc(f"{key.person_id}: {', '.join(r.value for r in key.roles)}"), s.cell),
                para(validity, s.cell),
                para(key.public_key.hex(), s.cell_mono),
            ]
        )
    keys_table = Table(rows, colWidths=[44 * mm, 38 * mm, 36 * mm, 56 * mm], repeatRows=1)
    keys_table.setStyle(grid())
    root = next(iter(extract.keys))  # the keyring's first key, registered by itself
    steps = [
        "Install pmledger (the same version or later) on any machine; no database is needed.",
        "Run <font face='{mono}'>pmledger verify-bundle bundle.zip --pdf bundle.pdf</font>.",
        "It checks the SHA-256 of every file in bundle.zip and of this PDF against "
        "manifest.json; every signature, chain link and key validity of the keyring and of "
        "the case, in the order the ledger recorded them; that the case's records run "
        "unbroken from version 1 to the chain head above; that the checkpoint's signed map "
        "names that head as the case's newest record (and the keyring's last entry as its "
        "newest); and that this PDF's chronology shows exactly those records.",
        "Exit status 0 means every check holds; 1 names the file, record and check that "
        "failed; 2 means the file is not a pmledger bundle.",
        "To compare the checkpoint above with a head published elsewhere (this one, or an "
        "earlier one the ledger kept), save that head as a file and run "
        "<font face='{mono}'>pmledger verify-bundle bundle.zip --head FILE</font>: it checks "
        "that head's signature and that the log this bundle comes from grew from it only by "
        "appending.",
        "These checks show the bundle is what its own keyring signed, and that keyring rests "
        f"on its first key, registered by itself: <font face='{{mono}}'>{esc(root)}</font>. A "
        "bundle made from anyone's own ledger would pass them too. Obtain the organisation's "
        "root key fingerprint from the organisation itself and run <font face='{mono}'>"
        "pmledger verify-bundle bundle.zip --trust FINGERPRINT</font>: it fails unless the "
        "bundle rests on that key.",
    ]
    mono = s.mono.fontName
    return [
        Heading(APPENDIX.title, s.h1, APPENDIX.anchor, APPENDIX.title),
        para(
            "Each record is signed by the person who made it, with an Ed25519 key registered "
            "in the ledger's keyring, and carries the SHA-256 digest of the record before it, "
            "so no record can be changed, removed or reordered without breaking a signature or "
            "a link. The accompanying bundle.zip holds every record and every keyring entry "
            "exactly as stored.",
            s.body,
        ),
        Spacer(1, 3 * mm),
        facts_table,
        para("Keys that signed the records and the checkpoint in this bundle", s.h2),
        keys_table,
        para("How to verify", s.h2),
        *[para(f"{n}. {step.format(mono=mono)}", s.body) for n, step in enumerate(steps, 1)],
        para("Limits", s.h2),
        para(
            "manifest.json is not itself signed: the records and the checkpoint are. The "
            "checkpoint names the case's newest record at its size, so a bundle that leaves out "
            "records made before it fails; the bundle also carries where the case stood at "
            "each earlier checkpoint of the ledger. Whoever holds the ledger's keys could still "
            "sign a new checkpoint over a false list of newest records: check the bundle with "
            "the checkpoint the employee or the school was given earlier (a receipt or a "
            "published head; pmledger verify-bundle --head), which fails if any record made "
            "before that checkpoint is missing, or have the ledger checked with pmledger "
            "verify, which rebuilds the list from the records themselves. Records made after "
            "the newest checkpoint one holds are not covered.",
            s.body,
        ),
    ]
