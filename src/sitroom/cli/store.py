"""`sitroom ingest` and `sitroom export`: the DuckDB store from the command line."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import timedelta
from itertools import chain
from pathlib import Path
from typing import Annotated

import typer

from sitroom.cli.app import EXIT_SKIPPED, _fail, _parse_date, app, err, progress, say, skipped
from sitroom.errors import InputError, SitroomError
from sitroom.extract.thresholds import PRECISE_THRESHOLD
from sitroom.settings import Settings

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Store file (default ./sitroom.duckdb or $SITROOM_DB)."),
]


AllowPrivateOption = Annotated[
    bool, typer.Option(help="Allow fetching from private, loopback and link-local addresses.")
]
TimeoutOption = Annotated[
    float, typer.Option(help="Seconds allowed per fetch in all: connect, redirects, body.")
]
MaxBytesOption = Annotated[int, typer.Option(help="Largest page or feed fetched, in bytes.")]
MaxFeedEntriesOption = Annotated[
    int, typer.Option(help="New entries fetched per feed per read; the rest wait for the next.")
]
ProcessesOption = Annotated[
    int | None, typer.Option("--processes", "-p", help="Worker processes for coding.")
]
# The high-precision setting: readers keep only events at or above the threshold; `code`
# and `ingest` write only those (KeepConfidenceOption). `--precise` is the documented one.
MinConfidenceOption = Annotated[
    float | None,
    typer.Option("--min-confidence", help="Only events with confidence at least this (0 to 1)."),
]
KeepConfidenceOption = Annotated[
    float | None,
    typer.Option(
        "--min-confidence",
        help="Keep only the events with confidence at least this (0 to 1); the rest are "
        "not written.",
    ),
]
PreciseOption = Annotated[
    bool,
    typer.Option(
        "--precise",
        help=f"The documented high-precision setting: --min-confidence {PRECISE_THRESHOLD} "
        "(docs/model.md).",
    ),
]


def min_confidence(value: float | None, precise: bool) -> float | None:
    """The threshold from `--min-confidence` and `--precise`, or a usage error."""
    from sitroom.store.filters import check_confidence

    if precise and value is not None:
        raise _fail("--precise and --min-confidence are alternatives: give one of them", 2)
    if precise:
        return PRECISE_THRESHOLD
    try:
        return check_confidence(value, "--min-confidence")
    except SitroomError as exc:
        raise _fail(str(exc), 2) from None


def db_path(db: Path | None) -> Path:
    return db or Settings().db


@app.command("ingest")
def ingest_command(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files (.txt .md .html .jsonl .csv), folders, - for JSONL on stdin, "
            "article URLs or RSS/Atom feed URLs."
        ),
    ] = None,
    db: DbOption = None,
    feeds: Annotated[
        Path | None, typer.Option("--feeds", help="File of feed or page URLs, one per line.")
    ] = None,
    date_: Annotated[
        str | None,
        typer.Option("--date", help="Publication date (YYYY-MM-DD) for documents without one."),
    ] = None,
    processes: ProcessesOption = None,
    batch: Annotated[
        int, typer.Option(help="Documents per transaction: a crash loses at most one batch.")
    ] = 200,
    allow_private: AllowPrivateOption = False,
    timeout: TimeoutOption = 15.0,
    max_bytes: MaxBytesOption = 5_000_000,
    max_feed_entries: MaxFeedEntriesOption = 200,
    text_column: Annotated[str, typer.Option(help="CSV column holding the text.")] = "text",
    date_column: Annotated[str, typer.Option(help="CSV column holding the date.")] = "date",
    id_column: Annotated[str, typer.Option(help="CSV column holding the id.")] = "id",
    min_confidence_: KeepConfidenceOption = None,
    precise: PreciseOption = False,
) -> None:
    """Code documents and store them; documents already stored unchanged are skipped."""
    from sitroom.ingest.fetch import Fetcher
    from sitroom.ingest.files import CsvColumns, read_inputs
    from sitroom.run.sources import WebSource, is_url, log_skips, read_feed_list
    from sitroom.store.sharing import open_for_writing

    settings = Settings()
    default_date = _parse_date(date_)
    threshold = min_confidence(min_confidence_, precise)
    inputs = inputs or []
    urls = [i for i in inputs if is_url(i)]
    paths = [i for i in inputs if not is_url(i)]
    if feeds is not None:
        listed = read_feed_list(str(feeds))
        if isinstance(listed, InputError):
            raise _fail(str(listed), 2)
        urls += listed
    if not urls and not paths:
        raise _fail("nothing to ingest: give files, folders, URLs or --feeds FILE", 2)
    columns = CsvColumns(text_column, date_column, id_column)
    path = db_path(db)
    try:
        with (
            open_for_writing(path) as store,
            Fetcher(timeout=timeout, max_bytes=max_bytes, allow_private=allow_private) as fetcher,
        ):
            web = WebSource(
                store, fetcher, settings.max_document_chars, max_feed_entries=max_feed_entries
            )
            items = chain(
                log_skips(
                    store,
                    read_inputs(
                        paths, default_date, settings.max_document_chars, csv_columns=columns
                    ),
                )
                if paths
                else (),
                web.documents(urls),
            )
            report = _run_ingest(
                store,
                items,
                settings,
                processes,
                batch,
                log_rows=web.pending_rows,
                min_confidence=threshold,
            )
            totals = store.counts()
    except SitroomError as exc:
        raise _fail(str(exc)) from None
    _summarise(path, report, totals, web.counts if urls else None)
    if report.problems:
        raise typer.Exit(EXIT_SKIPPED)


def _run_ingest(
    store,
    items,
    settings,
    processes,
    batch,
    should_stop=lambda: False,
    log_rows=None,
    min_confidence=None,
):
    from sitroom.run.ingest import ingest

    with progress("ingesting") as bar:
        task = bar.add_task("ingest", total=None, note="")

        def show(report) -> None:
            note = f"{report.events} events, {len(report.problems)} failed or skipped"
            bar.update(task, completed=report.stored + report.unchanged, note=note)
            if not err.is_terminal:  # logs and tests: one line per committed batch
                line = f"stored {report.stored}, unchanged {report.unchanged}, {note}"
                err.print(line, soft_wrap=True)

        return ingest(
            store,
            items,
            settings=settings,
            processes=processes,
            batch_documents=max(1, batch),
            on_progress=show,
            should_stop=should_stop,
            log_rows=log_rows,
            min_confidence=min_confidence,
        )


def _summarise(path, report, totals, web) -> None:
    for problem in report.problems:
        skipped(problem)
    line = (
        f"{path}: {report.stored} documents stored ({report.replaced} replaced), "
        f"{report.unchanged} unchanged, {report.events} events added, "
        f"{len(report.problems)} skipped or failed"
    )
    if report.not_english:
        line += f" ({report.not_english} not in English)"
    if web is not None:
        line += (
            f"; web: {web.feeds} feeds, {web.pages} pages fetched, {web.seen} entries seen "
            f"before, {web.failed} failures, {web.cut} cut to length"
        )
    line += (
        f"; store holds {totals['documents']} documents, "
        f"{totals['events']} events in {totals['clusters']} clusters"
    )
    say(line)


@app.command("export")
def export_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="File, or folder for parquet.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="parquet (by month), csv, jsonl or gdelt.")
    ] = "parquet",
    db: DbOption = None,
    actor: Annotated[list[str] | None, typer.Option(help="Code on either side.")] = None,
    dyad: Annotated[str | None, typer.Option(help="Two codes, either direction: MYS,RUS")] = None,
    type_: Annotated[list[str] | None, typer.Option("--type", help="PLOVER type.")] = None,
    quad: Annotated[list[int] | None, typer.Option(help="QuadClass 1-4.")] = None,
    since: Annotated[str | None, typer.Option(help="First event date, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Last event date, YYYY-MM-DD.")] = None,
    location: Annotated[list[str] | None, typer.Option(help="Location country code.")] = None,
    modality: Annotated[list[str] | None, typer.Option(help="asserted, negated, ...")] = None,
    text: Annotated[str | None, typer.Option(help="Words in the sentence.")] = None,
    min_confidence_: MinConfidenceOption = None,
    precise: PreciseOption = False,
) -> None:
    """Export stored events (Parquet partitioned by month, CSV, JSONL, GDELT-style CSV)."""
    from sitroom.store.database import EventStore
    from sitroom.store.export import FORMATS, export_events

    if fmt not in FORMATS:
        raise _fail(f"--format {fmt!r} is not one of {', '.join(FORMATS)}", 2)
    from sitroom.store.filters import EventFilter

    threshold = min_confidence(min_confidence_, precise)
    try:
        flt = EventFilter.build(
            actor,
            dyad,
            type_,
            quad,
            _parse_date(since),
            _parse_date(until),
            location,
            modality,
            text,
            threshold,
        )
    except SitroomError as exc:
        raise _fail(str(exc), 2) from None
    try:
        with EventStore(db_path(db), read_only=True) as store:
            rows = export_events(store.con, fmt, output, flt)
    except SitroomError as exc:
        raise _fail(str(exc)) from None
    say(f"{rows} events written to {output} ({fmt})")


@app.command("watch")
def watch_command(
    feeds: Annotated[Path, typer.Option("--feeds", help="File of feed URLs, one per line.")],
    every: Annotated[str, typer.Option(help="Polling interval: 30s, 15m, 2h, 1d.")] = "15m",
    db: DbOption = None,
    rounds: Annotated[
        int | None, typer.Option(help="Stop after this many polling rounds (default: never).")
    ] = None,
    processes: ProcessesOption = None,
    allow_private: AllowPrivateOption = False,
    timeout: TimeoutOption = 15.0,
    max_bytes: MaxBytesOption = 5_000_000,
    max_feed_entries: MaxFeedEntriesOption = 200,
) -> None:
    """Poll feeds continuously, ingesting new entries; Ctrl-C or SIGTERM stops cleanly."""
    import signal

    listed, interval = feeds_and_interval(feeds, every)
    stop = threading.Event()

    def request_stop(signum, frame) -> None:
        if not stop.is_set():
            err.print("stopping after the current document; coded work is kept", soft_wrap=True)
        stop.set()

    previous = {s: signal.signal(s, request_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    path = db_path(db)
    options = WatchOptions(processes, allow_private, timeout, max_bytes, max_feed_entries)
    try:
        watch_feeds(path, listed, interval, options, stop, rounds)
    except SitroomError as exc:
        raise _fail(str(exc)) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    say(f"watch stopped; store {path} is consistent")


def feeds_and_interval(feeds: Path, every: str) -> tuple[list[str], timedelta]:
    """The feed list and polling interval of `watch` and `serve --watch`, or a usage error."""
    from sitroom.run.sources import read_feed_list
    from sitroom.run.watch import parse_interval

    try:
        interval = parse_interval(every)
    except ValueError as exc:
        raise _fail(f"--every: {exc}", 2) from None
    listed = read_feed_list(str(feeds))
    if isinstance(listed, InputError):
        raise _fail(str(listed), 2)
    return listed, interval


@dataclass(frozen=True)
class WatchOptions:
    """How a watcher fetches and codes (the options `watch` and `serve --watch` share)."""

    processes: int | None = None
    allow_private: bool = False
    timeout: float = 15.0
    max_bytes: int = 5_000_000
    max_feed_entries: int = 200


def watch_feeds(
    path: Path,
    feeds: list[str],
    interval: timedelta,
    options: WatchOptions,
    stop: threading.Event,
    rounds: int | None = None,
) -> None:
    """Poll `feeds` into the store at `path` until `stop` is set (or `rounds` are done),
    printing one line per round. Writes go through `open_for_writing`, so a server that
    holds the store (this process's own, under `serve --watch`) steps aside for them."""
    from sitroom.ingest.fetch import Fetcher
    from sitroom.run.watch import Watcher
    from sitroom.store.sharing import open_for_writing

    settings = Settings()
    with (
        open_for_writing(path, windows=True) as store,
        Fetcher(
            timeout=options.timeout,
            max_bytes=options.max_bytes,
            allow_private=options.allow_private,
        ) as fetcher,
    ):

        def run_ingest(items, should_stop, log_rows=None):
            return _run_ingest(
                store, items, settings, options.processes, 200, should_stop, log_rows
            )

        watcher = Watcher(
            store,
            fetcher,
            feeds,
            interval,
            run_ingest,
            stop,
            settings.max_document_chars,
            options.max_feed_entries,
        )

        def report(r) -> None:
            if r.store_error:
                say(f"round {r.number}: store unavailable, retrying next round ({r.store_error})")
            say(
                f"round {r.number}: {r.polled} feeds polled, {r.stored} new documents, "
                f"{r.events} events, {r.failed} failures, {r.backing_off} feeds backing off"
            )

        watcher.run(rounds, report)
