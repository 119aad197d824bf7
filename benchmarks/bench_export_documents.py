"""Export of a case carrying N ten-page PDF documents, vs merging the same PDFs with pypdf.

One 2,000-event case (bench_export's `record_case`) gets N extra records, each carrying one
ten-page PDF of its own (N = 10, 50, 200; quick: a 300-event case with N = 5). Both sides run
in a fresh subprocess each round, so each one's peak resident memory (`ru_maxrss` of the child,
reported in the notes) is its own: export_case (bundle.pdf with every document inserted as
pages, bundle.zip with every document streamed in) against the baseline, pypdf alone appending
the same N PDFs into one file and writing it. The ratio is documents per second, ours over the
baseline's; the peak memory, not the ratio, is what must stay flat as N grows.

    python benchmarks/run.py --only export-documents --backend sqlite
    python benchmarks/bench_export_documents.py export DB OUT KEYS  # one child run (JSON)
"""

from __future__ import annotations

import contextlib
import io
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from bench_export import AS_OF, OPENED_ON, record_case
from harness import Baseline, Benchmark, Body, Contender, Context, Result
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from workload import HR, employee_ref

from pmledger.events.documents import PDF
from pmledger.events.record_acts import HrAdviceObtained
from pmledger.integrity.keystore import EncryptedFileKeyStore, KeyStore
from pmledger.ledger.attachments import Attachment
from pmledger.ledger.facade import Ledger

FULL = (2000, (10, 50, 200))
QUICK = (300, (5,))
PAGES = 10
PASSPHRASE = b"benchmark only"


def keys_in(folder: Path) -> KeyStore:
    """The cast's keys on disk, so the child process that exports can sign its reads."""
    return EncryptedFileKeyStore(folder, PASSPHRASE)


def ten_pages(number: int) -> bytes:
    """A ten-page A4 PDF with its own text on every page (so every digest differs)."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    for page in range(1, PAGES + 1):
        for line in range(40):
            canvas.drawString(
                60, 780 - line * 18, f"Document {number}, page {page}, line {line}: evidence"
            )
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def add_documents(target: str, count: int, folder: Path, keys: KeyStore) -> None:
    """`count` records, one day apart after the case's acts, each carrying one document;
    the PDFs are also written to `folder` for the baseline."""
    ref = employee_ref(0)
    with Ledger.open(target, keystore=keys) as ledger:
        for number in range(count):
            data = ten_pages(number)
            (folder / f"{number:04}.pdf").write_bytes(data)
            attachment = Attachment(data, PDF, f"evidence-{number}.pdf")
            ledger.record(
                ref,
                HrAdviceObtained(topic="evidence", provider="HR", attachments=(attachment.ref(),)),
                occurred_on=OPENED_ON + timedelta(days=2000 + number),
                actor=HR,
                documents=[attachment],
            )


def child(argv: list[str]) -> int:
    """One measured run in this (fresh) process: prints seconds and peak RSS as JSON."""
    started = time.perf_counter()
    if argv[0] == "export":
        from pmledger.export.exporter import export_case

        with Ledger.open(argv[1], keystore=keys_in(Path(argv[3]))) as ledger:
            result = export_case(ledger.reader(HR, AS_OF), employee_ref(0), Path(argv[2]), AS_OF)
        pages = result.pages
    else:
        from pypdf import PdfWriter

        writer = PdfWriter()
        for path in sorted(Path(argv[1]).glob("*.pdf")):
            writer.append(str(path))
        with Path(argv[2]).open("wb") as out:
            writer.write(out)
        pages = len(writer.pages)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (
        1 if sys.platform == "darwin" else 1024
    )
    print(json.dumps({"seconds": seconds, "maxrss": peak, "pages": pages}))
    return 0


def _spawn(args: list[str], peaks: list[int]) -> None:
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, check=True, text=True
    )
    peaks.append(json.loads(done.stdout.strip().splitlines()[-1])["maxrss"])


def contender(
    label: str, args: list[str], count: int, peaks: list[int], workdir: Path, keys_folder: Path
) -> Contender:
    @contextlib.contextmanager
    def prepare() -> Iterator[Body]:
        out = Path(tempfile.mkdtemp(dir=workdir, prefix="out-"))
        try:

            def body() -> int:
                if args[0] == "export":
                    _spawn([*args, str(out), str(keys_folder)], peaks)
                else:
                    _spawn([*args, str(out / "merged.pdf")], peaks)
                return count

            yield body
        finally:
            shutil.rmtree(out, ignore_errors=True)

    return Contender(label, prepare)


def run(ctx: Context) -> list[Result]:
    events, counts = QUICK if ctx.quick else FULL
    results = []
    with ctx.stores.fresh(f"export-documents-{events}") as base:
        ctx.log(f"recording a case of {events} events …")
        keys_folder = ctx.stores.workdir / f"keys-{events}"
        keys = keys_in(keys_folder)
        record_case(base, events, keys)
        for count in counts:
            folder = Path(tempfile.mkdtemp(dir=ctx.stores.workdir, prefix=f"docs-{count}-"))
            target = str(folder / "ledger.sqlite")
            shutil.copy(base, target)
            pdfs = folder / "pdfs"
            pdfs.mkdir()
            ctx.log(f"attaching {count} ten-page PDFs …")
            add_documents(target, count, pdfs, keys)
            ours_peaks: list[int] = []
            base_peaks: list[int] = []
            result = ctx.compare(
                f"export-documents[{count}]",
                contender("export_case, subprocess", ["export", target], count, ours_peaks,
                          folder, keys_folder),
                [Baseline(contender("pypdf merge alone, subprocess", ["merge", str(pdfs)],
                                    count, base_peaks, folder, keys_folder))],
                params={"events": events + count, "documents": count, "pages_each": PAGES},
                unit="documents/s",
                rounds=min(ctx.rounds, 2),
                trace_memory=False,
            )  # fmt: skip
            result.notes.append(
                f"peak RSS of the child: export {max(ours_peaks) / 2**20:.0f} MiB, "
                f"pypdf merge {max(base_peaks) / 2**20:.0f} MiB"
            )
            result.params["export_maxrss_mib"] = round(max(ours_peaks) / 2**20, 1)
            result.params["merge_maxrss_mib"] = round(max(base_peaks) / 2**20, 1)
            results.append(result)
            shutil.rmtree(folder, ignore_errors=True)
    return results


BENCHMARKS = [
    Benchmark(
        "export-documents",
        "export_case of a 2,000-event case carrying 10, 50 and 200 ten-page PDFs vs pypdf "
        "merging the same PDFs alone, each in a fresh subprocess (peak RSS in the notes)",
        run,
        backends=("sqlite",),
        diagnostic=True,
    ),
]


if __name__ == "__main__":
    sys.exit(child(sys.argv[1:]))
