"""Timing, memory, store and report plumbing shared by every benchmark module.

A benchmark compares *our* operation with one or more baselines measured in the same process
and the same run, so the reported figure is a ratio that holds across machines, not a wall
time that only holds on one. Each contender is prepared (untimed: fresh store, seeded data),
then its body is timed; rounds interleave contenders so drift on a shared machine hits all of
them alike. Rates are medians over rounds; a ratio is the median of the per-round ratios.
Peak Python memory (tracemalloc) and a cProfile, when asked for, come from extra untimed
passes so they never distort the timings.
"""

from __future__ import annotations

import contextlib
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import psycopg
from rich.console import Console
from rich.table import Table

Body = Callable[[], int]
"""The timed part of a contender: does the work and returns how many operations it did."""

Prepare = Callable[[], contextlib.AbstractContextManager[Body]]
"""Untimed set-up of one trial (fresh store, seeded data); yields the body, then cleans up."""

T = TypeVar("T")

BACKENDS = ("sqlite", "postgres")
DEFAULT_PG_DSN = "postgresql://postgres@127.0.0.1:5432/test"


# stores -------------------------------------------------------------------------------------


class Stores:
    """Fresh, empty ledger addresses on one backend: a new SQLite file or PostgreSQL schema;
    and fresh copies of a ledger built once (`copy_of`), dropped when the stores close."""

    def __init__(self, backend: str, workdir: Path, pg_dsn: str) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r}")
        self.backend = backend
        self.workdir = workdir
        self.pg_dsn = pg_dsn
        self._built: dict[str, tuple[str, Any]] = {}
        self._templates = contextlib.ExitStack()

    def __enter__(self) -> Stores:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove the ledgers `copy_of` built (its copies are removed as each block ends)."""
        self._built.clear()
        self._templates.close()

    @contextlib.contextmanager
    def fresh(self, label: str) -> Iterator[str]:
        """An address nothing has written to yet, removed again when the block ends."""
        suffix = uuid.uuid4().hex[:10]
        if self.backend == "sqlite":
            path = self.workdir / f"{label}-{suffix}.sqlite"
            try:
                yield str(path)
            finally:
                for leftover in self.workdir.glob(f"{path.name}*"):
                    leftover.unlink(missing_ok=True)
            return
        schema = f"bench_{label.replace('-', '_')}_{suffix}"
        with psycopg.connect(self.pg_dsn, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield f"{self.pg_dsn}?schema={schema}"
        finally:
            with psycopg.connect(self.pg_dsn, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')

    @contextlib.contextmanager
    def copy_of(
        self, label: str, build: Callable[[str], T], open_empty: Callable[[str], None]
    ) -> Iterator[tuple[str, T]]:
        """A fresh copy of the ledger `build(address)` writes (and closes), and what `build`
        returned: built at the first call for `label` and kept until the stores close, so
        benchmarks that time different things on the same workload build it once per backend
        per run. `build` must be the same for every call with one label.

        SQLite copies the file (the backup API: every table, page for page). PostgreSQL has
        no cheap schema copy (a database made from a template took ~16 s to drop on this
        machine), so `open_empty(address)` makes the ledger's tables in the fresh schema and
        every table's rows are copied over with `INSERT … SELECT`, in the same order, the log's
        sequence set past them, and the tables vacuumed as `workload.settle` does.
        """
        if label not in self._built:
            template = self._templates.enter_context(self.fresh(f"{label}-template"))
            self._built[label] = (template, build(template))
        template, built = self._built[label]
        with self.fresh(label) as target:
            if self.backend == "sqlite":
                with (
                    contextlib.closing(sqlite3.connect(template)) as source,
                    contextlib.closing(sqlite3.connect(target)) as copy,
                ):
                    source.backup(copy)
            else:
                open_empty(target)
                _copy_schema(self.pg_dsn, _schema_of(template), _schema_of(target))
            yield target, built


@contextlib.contextmanager
def scratch(backend: str, label: str, pg_dsn: str = DEFAULT_PG_DSN) -> Iterator[str]:
    """One fresh address (`Stores.fresh`) in a temporary folder, for a script that measures
    on a single ledger: the file or schema and the folder are removed when the block ends,
    also on an error."""
    with (
        tempfile.TemporaryDirectory() as workdir,
        Stores(backend, Path(workdir), pg_dsn).fresh(label) as address,
    ):
        yield address


def _schema_of(target: str) -> str:
    return target.rsplit("?schema=", 1)[1]


def _copy_schema(dsn: str, source: str, copy: str) -> None:
    """Every table of `source` into `copy` (made LIKE it where `copy` lacks it) in place of
    what `copy` held, rows in their stored order, then each sequence of `copy` set past the
    rows copied."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename",
                (source,),
            )
        ]
        with conn.transaction():
            for table in tables:
                conn.execute(
                    f'CREATE TABLE IF NOT EXISTS "{copy}"."{table}" '
                    f'(LIKE "{source}"."{table}" INCLUDING ALL)'
                )
                conn.execute(f'DELETE FROM "{copy}"."{table}"')  # what opening it wrote
                conn.execute(f'INSERT INTO "{copy}"."{table}" SELECT * FROM "{source}"."{table}"')
            for column, table, sequence in conn.execute(
                "SELECT a.attname, t.relname, pg_get_serial_sequence(format('%%I.%%I', n.nspname,"
                " t.relname), a.attname) FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid"
                " JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = %s AND "
                "t.relkind = 'r' AND a.attnum > 0 AND pg_get_serial_sequence(format('%%I.%%I', "
                "n.nspname, t.relname), a.attname) IS NOT NULL",
                (copy,),
            ).fetchall():
                conn.execute(
                    f'SELECT setval(%s, COALESCE((SELECT MAX("{column}") FROM '
                    f'"{copy}"."{table}"), 0) + 1, false)',
                    (sequence,),
                )
        for table in tables:
            conn.execute(f'VACUUM (ANALYZE) "{copy}"."{table}"')


def postgres_problem(dsn: str) -> str | None:
    """Why PostgreSQL cannot be used, or None when a server answers."""
    try:
        with psycopg.connect(dsn, connect_timeout=3, autocommit=True):
            return None
    except psycopg.OperationalError as exc:
        return str(exc).strip()


# measuring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    ops: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.ops / self.seconds if self.seconds > 0 else float("inf")


def time_body(body: Body) -> Sample:
    """Time `body` as a host process runs it: its set-up's garbage collected, then the heap
    alive frozen (`pmledger.start_up`: the CLI and the web host freeze theirs after start-up),
    so no full collection inside the body traverses the modules' objects. Ours and every
    baseline alike."""
    gc.collect()
    gc.freeze()  # what pmledger.start_up.freeze_start_up_heap does (an older src has none)
    start = time.perf_counter()
    ops = body()
    return Sample(ops, time.perf_counter() - start)


def traced_peak(body: Body) -> int:
    """Peak bytes allocated by Python while `body` runs (tracemalloc; slows the body down)."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        body()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def maxrss_bytes() -> int:
    """The process's resident-set high-water mark so far (Linux reports KiB, macOS bytes)."""
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage if sys.platform == "darwin" else usage * 1024


@dataclass(frozen=True)
class Contender:
    label: str
    prepare: Prepare


@dataclass(frozen=True)
class Baseline:
    contender: Contender
    target: float | None = None
    """The ratio ours/baseline we aim for, when there is one."""


@dataclass
class Comparison:
    baseline: str
    baseline_rate: float
    baseline_samples: list[float]
    ratio: float
    """Median over rounds of ours/baseline measured in the same round (paired, so a busy
    moment on a shared machine slows both sides of one ratio rather than skewing it)."""
    round_ratios: list[float]
    target: float | None
    met: bool | None


@dataclass
class Result:
    benchmark: str
    backend: str
    ours: str
    unit: str
    rate: float
    samples: list[float]
    comparisons: list[Comparison]
    params: dict[str, Any]
    peak_tracemalloc_bytes: int | None = None
    maxrss_before_bytes: int = 0
    maxrss_after_bytes: int = 0
    seconds: float = 0.0
    """Wall time of the whole comparison: every round's set-up and body, the memory pass."""
    memory_pass_seconds: float | None = None
    """Wall time of the tracemalloc pass alone (None when skipped): what it adds to a run."""
    notes: list[str] = field(default_factory=list)


@dataclass
class Context:
    """What a benchmark module gets: the mode, the stores for one backend and the knobs."""

    quick: bool
    rounds: int
    stores: Stores
    trace_memory: bool = True
    """Run the untimed tracemalloc pass of ours. `run.py` leaves it out of quick runs (unless
    `--memory`): their sizes sit below the bounds a peak is meant to show (the views hold up
    to 20,000 events of folds, a quick rebuild has 10,052), and the passes were 15 % of the
    quick suite's wall time."""
    profile_dir: Path | None = None
    console: Console = field(
        default_factory=lambda: Console(stderr=True, width=None if sys.stderr.isatty() else 150)
    )

    @property
    def backend(self) -> str:
        return self.stores.backend

    def size(self, *, quick: int, full: int) -> int:
        return quick if self.quick else full

    def log(self, message: str) -> None:
        self.console.log(f"[dim]{self.backend}[/] {message}")

    def compare(
        self,
        benchmark: str,
        ours: Contender,
        baselines: Sequence[Baseline],
        *,
        params: dict[str, Any],
        unit: str = "events/s",
        notes: Sequence[str] = (),
        target_backends: Sequence[str] = BACKENDS,
        rounds: int | None = None,
        trace_memory: bool = True,
    ) -> Result:
        """Time ours and every baseline for `rounds` interleaved rounds; medians are reported.

        Targets are attached only on `target_backends` (the brief sets them for SQLite);
        `rounds` lowers the round count for benchmarks whose single round is long;
        `trace_memory=False` skips the tracemalloc pass for this one (where it would take
        longer than all the timed rounds together, e.g. laying out a PDF).
        """
        rounds = rounds or self.rounds
        started = time.perf_counter()
        rss_before = maxrss_bytes()
        contenders = [ours, *(b.contender for b in baselines)]
        rates: dict[str, list[float]] = {c.label: [] for c in contenders}
        for round_no in range(rounds):
            order = contenders if round_no % 2 == 0 else [ours, *reversed(contenders[1:])]
            for contender in order:
                with contender.prepare() as body:
                    sample = time_body(body)
                rates[contender.label].append(sample.rate)
                self.log(
                    f"{benchmark} round {round_no + 1}/{rounds} {contender.label}: "
                    f"{sample.ops} ops in {sample.seconds:.3f}s = {sample.rate:,.0f}/s"
                )
        peak = memory_seconds = None
        if self.trace_memory and trace_memory:
            traced_from = time.perf_counter()
            with ours.prepare() as body:
                peak = traced_peak(body)
            memory_seconds = time.perf_counter() - traced_from
            self.log(f"{benchmark} memory pass: {memory_seconds:.2f}s")
        if self.profile_dir is not None:
            self._profile(benchmark, ours)
        ours_rate = statistics.median(rates[ours.label])
        comparisons = []
        for baseline in baselines:
            label = baseline.contender.label
            base_rate = statistics.median(rates[label])
            paired = [o / b for o, b in zip(rates[ours.label], rates[label], strict=True) if b]
            ratio = statistics.median(paired) if paired else float("nan")
            target = baseline.target if self.backend in target_backends else None
            comparisons.append(
                Comparison(
                    baseline=label,
                    baseline_rate=base_rate,
                    baseline_samples=rates[label],
                    ratio=ratio,
                    round_ratios=paired,
                    target=target,
                    met=None if target is None else ratio >= target,
                )
            )
        return Result(
            benchmark=benchmark,
            backend=self.backend,
            ours=ours.label,
            unit=unit,
            rate=ours_rate,
            samples=rates[ours.label],
            comparisons=comparisons,
            params=params,
            peak_tracemalloc_bytes=peak,
            maxrss_before_bytes=rss_before,
            maxrss_after_bytes=maxrss_bytes(),
            seconds=time.perf_counter() - started,
            memory_pass_seconds=memory_seconds,
            notes=list(notes),
        )

    def _profile(self, benchmark: str, ours: Contender) -> None:
        assert self.profile_dir is not None
        self.profile_dir.mkdir(parents=True, exist_ok=True)
        stem = self.profile_dir / f"{benchmark}-{self.backend}"
        profiler = cProfile.Profile()
        with ours.prepare() as body:
            profiler.enable()
            body()
            profiler.disable()
        profiler.dump_stats(f"{stem}.prof")
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text).strip_dirs()
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(40)
        Path(f"{stem}.txt").write_text(text.getvalue())
        self.log(f"profile of {benchmark} written to {stem}.prof and {stem}.txt")


# reports ------------------------------------------------------------------------------------


def machine_info(postgres_dsn: str | None) -> dict[str, Any]:
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_model": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "python": sys.version.split()[0],
        "python_implementation": platform.python_implementation(),
        "sqlite": sqlite3.sqlite_version,
        "tmp_dir": tempfile.gettempdir(),
        "load_average_before_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "packages": {
            name: _version(name)
            for name in (
                "eventsourcing",
                "cryptography",
                "pydantic",
                "pydantic-core",
                "orjson",
                "psycopg",
            )
        },
    }
    # 'python' is the ctypes wrapper; 'binary' and 'c' are compiled (far cheaper per query).
    info["psycopg_impl"] = psycopg.pq.__impl__
    with contextlib.suppress(Exception):
        from cryptography.hazmat.backends.openssl.backend import backend

        info["openssl"] = backend.openssl_version_text()
    if postgres_dsn is not None:
        with psycopg.connect(postgres_dsn, autocommit=True) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            sync = conn.execute("SHOW synchronous_commit").fetchone()
        url = urlparse(postgres_dsn)
        info["postgres"] = {
            "server_version": row[0] if row else None,
            "synchronous_commit": sync[0] if sync else None,
            "host": f"{url.hostname}:{url.port or 5432}",
        }
    return info


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _rate(value: float) -> str:
    return f"{value:,.0f}"


def _mib(value: int | None) -> str:
    return "—" if value is None else f"{value / 2**20:,.1f}"


def render_table(results: Sequence[Result], console: Console, title: str) -> None:
    table = Table(title=title, show_lines=False)
    table.add_column("benchmark")
    table.add_column("backend")
    table.add_column("ours /s", justify="right")
    table.add_column("baseline")
    table.add_column("baseline /s", justify="right")
    table.add_column("ratio", justify="right")
    table.add_column("target", justify="right")
    table.add_column("peak MiB", justify="right")
    for result in results:
        rows: list[Comparison | None] = [*result.comparisons] or [None]
        for index, comparison in enumerate(rows):
            first = index == 0
            if comparison is None:
                base, base_rate, ratio, target = "—", "—", "—", "—"
            else:
                base = comparison.baseline
                base_rate = _rate(comparison.baseline_rate)
                ratio = f"{comparison.ratio:.2f}"
                if comparison.target is None:
                    target = "—"
                else:
                    mark = "[green]met[/]" if comparison.met else "[red]MISSED[/]"
                    target = f"≥ {comparison.target:.2f} {mark}"
            table.add_row(
                result.benchmark if first else "",
                result.backend if first else "",
                _rate(result.rate) if first else "",
                base,
                base_rate,
                ratio,
                target,
                _mib(result.peak_tracemalloc_bytes) if first else "",
                end_section=index == len(rows) - 1,
            )
    console.print(table)


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")


def result_json(result: Result) -> dict[str, Any]:
    data = asdict(result)
    data["peak_tracemalloc_mib"] = (
        None
        if result.peak_tracemalloc_bytes is None
        else round(result.peak_tracemalloc_bytes / 2**20, 2)
    )
    data["maxrss_after_mib"] = round(result.maxrss_after_bytes / 2**20, 1)
    return data


@dataclass(frozen=True)
class Benchmark:
    """One entry in the suite; a module lists its benchmarks in a module-level BENCHMARKS."""

    name: str
    description: str
    run: Callable[[Context], list[Result]]
    backends: tuple[str, ...] = BACKENDS
    diagnostic: bool = False
    """No ratio target of its own (it explains another figure, or records memory), so
    `--quick`, which must stay under two minutes, runs it only when `--only` names it."""


def temporary_workdir() -> contextlib.AbstractContextManager[str]:
    return tempfile.TemporaryDirectory(prefix="pmledger-bench-")
