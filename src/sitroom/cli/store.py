"""`sitroom ingest` and `sitroom export`: the DuckDB store from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sitroom.cli.app import EXIT_SKIPPED, _fail, _parse_date, app, err, progress
from sitroom.errors import SitroomError
from sitroom.settings import Settings

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Store file (default ./sitroom.duckdb or $SITROOM_DB)."),
]


def db_path(db: Path | None) -> Path:
    return db or Settings().db


@app.command("ingest")
def ingest_command(
    inputs: Annotated[
        list[str],
        typer.Argument(help="Files (.txt, .jsonl), folders of them, or - for JSONL on stdin."),
    ],
    db: DbOption = None,
    date_: Annotated[
        str | None,
        typer.Option("--date", help="Publication date (YYYY-MM-DD) for documents without one."),
    ] = None,
    processes: Annotated[int | None, typer.Option("--processes", "-p")] = None,
    batch: Annotated[
        int, typer.Option(help="Documents per transaction: a crash loses at most one batch.")
    ] = 200,
) -> None:
    """Code documents and store them; documents already stored unchanged are skipped."""
    from sitroom.ingest.files import read_inputs
    from sitroom.run.ingest import ingest
    from sitroom.store.database import EventStore

    settings = Settings()
    default_date = _parse_date(date_)
    path = db_path(db)
    try:
        with EventStore(path) as store, progress("ingesting") as bar:
            task = bar.add_task("ingest", total=None, note="")

            def show(report) -> None:
                note = f"{report.events} events, {len(report.problems)} failed"
                bar.update(task, completed=report.stored + report.unchanged, note=note)
                if not err.is_terminal:  # logs and tests: one line per committed batch
                    line = f"stored {report.stored}, unchanged {report.unchanged}, {note}"
                    err.print(line, soft_wrap=True)

            report = ingest(
                store,
                read_inputs(inputs, default_date, settings.max_document_chars),
                settings=settings,
                processes=processes,
                batch_documents=max(1, batch),
                on_progress=show,
            )
            totals = store.counts()
    except SitroomError as exc:
        raise _fail(str(exc)) from None
    for problem in report.problems:
        err.print(f"[yellow]skipped:[/yellow] {problem}", soft_wrap=True)
    err.print(
        f"{path}: {report.stored} documents stored ({report.replaced} replaced), "
        f"{report.unchanged} unchanged, {report.events} events added, "
        f"{len(report.problems)} skipped; store holds {totals['documents']} documents, "
        f"{totals['events']} events in {totals['clusters']} clusters",
        soft_wrap=True,
    )
    if report.problems:
        raise typer.Exit(EXIT_SKIPPED)


def _filter(
    actor: list[str] | None,
    dyad: str | None,
    types: list[str] | None,
    quad: list[int] | None,
    since: str | None,
    until: str | None,
    location: list[str] | None,
    modality: list[str] | None,
    text: str | None,
):
    from sitroom.store.filters import EventFilter

    pair = None
    if dyad:
        parts = [p.strip() for p in dyad.split(",")]
        if len(parts) != 2 or not all(parts):
            raise _fail(f"--dyad {dyad!r} must be two codes separated by a comma: MYS,RUS", 2)
        pair = (parts[0], parts[1])
    flt = EventFilter(
        actors=actor or [],
        dyad=pair,
        types=[t.upper() for t in types or []],
        quad_classes=quad or [],
        since=_parse_date(since),
        until=_parse_date(until),
        location_countries=location or [],
        modalities=modality or [],
        text=text,
    )
    try:
        return flt.check()
    except SitroomError as exc:
        raise _fail(str(exc), 2) from None


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
) -> None:
    """Export stored events (Parquet partitioned by month, CSV, JSONL, GDELT-style CSV)."""
    from sitroom.store.database import EventStore
    from sitroom.store.export import FORMATS, export_events

    if fmt not in FORMATS:
        raise _fail(f"--format {fmt!r} is not one of {', '.join(FORMATS)}", 2)
    flt = _filter(actor, dyad, type_, quad, since, until, location, modality, text)
    try:
        with EventStore(db_path(db), read_only=True) as store:
            rows = export_events(store.con, fmt, output, flt)
    except SitroomError as exc:
        raise _fail(str(exc)) from None
    err.print(f"{rows} events written to {output} ({fmt})", soft_wrap=True)
