"""The `sitroom` command line: thin commands over the library."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sitroom.errors import InputError, SitroomError
from sitroom.settings import Settings

app = typer.Typer(
    help="sitroom: international news in, sourced who-did-what-to-whom events out.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False)

EXIT_SKIPPED = 3  # some inputs could not be coded; the rest were


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", markup=True, soft_wrap=True)
    return typer.Exit(code)


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(f"--date {value!r} is not a date; use YYYY-MM-DD", 2) from None


@app.command("code")
def code_command(
    inputs: Annotated[
        list[str],
        typer.Argument(help="Files (.txt, .jsonl), folders of them, or - for JSONL on stdin."),
    ],
    date_: Annotated[
        str | None,
        typer.Option("--date", help="Publication date (YYYY-MM-DD) for documents without one."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, json or csv.")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write events here instead of stdout.")
    ] = None,
    processes: Annotated[
        int | None, typer.Option("--processes", "-p", help="Worker processes (default 2).")
    ] = None,
) -> None:
    """Code news text into events (JSON Lines on stdout by default)."""
    from sitroom.ingest.files import read_inputs
    from sitroom.records import Document
    from sitroom.run.local import code_documents
    from sitroom.store.event_files import FORMATS, EventWriter

    if fmt not in FORMATS:
        raise _fail(f"--format {fmt!r} is not one of {', '.join(FORMATS)}", 2)
    settings = Settings()
    default_date = _parse_date(date_)
    problems: list[InputError] = []

    def documents() -> Iterator[Document]:
        for item in read_inputs(inputs, default_date, settings.max_document_chars):
            if isinstance(item, InputError):
                problems.append(item)
                err.print(f"[yellow]skipped:[/yellow] {item}", soft_wrap=True)
                continue
            yield item

    handle = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    writer = EventWriter(handle, fmt)
    done = 0
    try:
        with Progress(
            TextColumn("coding"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("documents"),
            TextColumn("{task.fields[events]} events"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        ) as progress:
            task = progress.add_task("code", total=None, events=0)
            for result in code_documents(documents(), processes=processes, settings=settings):
                if result.error is not None:
                    problems.append(result.error)
                    err.print(f"[yellow]skipped:[/yellow] {result.error}", soft_wrap=True)
                    continue
                writer.write(result.events)
                done += 1
                progress.update(task, advance=1, events=writer.count)
        writer.close()
    except SitroomError as exc:
        raise _fail(str(exc)) from None
    finally:
        if output:
            handle.close()
    summary = f"{done} documents coded, {writer.count} events"
    if problems:
        summary += f", {len(problems)} skipped"
    err.print(summary)
    if problems:
        raise typer.Exit(EXIT_SKIPPED)


@app.command("eval")
def eval_command(
    gold: Annotated[
        list[Path] | None,
        typer.Argument(help="Gold files in PLOVER GSR JSON (default: the project's own set)."),
    ] = None,
    min_f1: Annotated[
        float | None, typer.Option(help="Exit 1 if event-type F1 falls below this floor.")
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the figures as JSON here.")
    ] = None,
    show_misses: Annotated[bool, typer.Option(help="List every miss.")] = False,
    processes: Annotated[int | None, typer.Option("--processes", "-p")] = None,
) -> None:
    """Measure accuracy against gold records: per-type P/R/F1, actors, confusion."""
    from sitroom.evaluation.gold import packaged_gold_path
    from sitroom.evaluation.report import print_report
    from sitroom.evaluation.runner import evaluate

    paths = gold or [packaged_gold_path()]
    out = Console(highlight=False)
    results = []
    try:
        for path in paths:
            report = evaluate(path, processes=processes)
            print_report(report, out, show_misses=show_misses)
            results.append(report)
    except SitroomError as exc:
        raise _fail(str(exc)) from None
    if json_out:
        json_out.write_text(json.dumps([r.as_dict() for r in results], indent=2), "utf-8")
    if min_f1 is not None:
        for report in results:
            if report.total.f1 < min_f1:
                raise _fail(f"{report.name}: event-type F1 {report.total.f1:.3f} is below {min_f1}")


@app.command("demo")
def demo_command(
    processes: Annotated[int | None, typer.Option("--processes", "-p")] = None,
) -> None:
    """Code the bundled sample corpus and print a summary of what was found."""
    from collections import Counter
    from importlib import resources

    from rich.table import Table

    from sitroom.ingest.files import read_inputs
    from sitroom.records import Document
    from sitroom.run.local import code_documents

    corpus = resources.files("sitroom.samples").joinpath("articles.jsonl")
    documents = [d for d in read_inputs([str(corpus)]) if isinstance(d, Document)]
    out = Console(highlight=False)
    events = []
    with Progress(
        TextColumn("coding sample corpus"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:
        task = progress.add_task("demo", total=len(documents))
        for result in code_documents(documents, processes=processes):
            events.extend(result.events)
            progress.update(task, advance=1)
    types = Counter(e.event_type for e in events)
    dyads = Counter(
        (e.source[0].code, e.target[0].code)
        for e in events
        if e.source and e.target and not e.joint
    )
    table = Table(title=f"{len(documents)} sample articles, {len(events)} events")
    table.add_column("event type")
    table.add_column("events", justify="right")
    for name, n in types.most_common():
        table.add_row(name, str(n))
    out.print(table)
    top = Table(title="most active dyads (source -> target)")
    top.add_column("dyad")
    top.add_column("events", justify="right")
    for (a, b), n in dyads.most_common(10):
        top.add_row(f"{a} -> {b}", str(n))
    out.print(top)
    for e in events[:5]:
        src = ", ".join(f"{a.code} ({a.name or a.text})" for a in e.source)
        tgt = ", ".join(f"{a.code} ({a.name or a.text})" for a in e.target) or "-"
        out.print(f"[bold]{e.event_type}[/bold] {src} -> {tgt}: {e.sentence}")


def main() -> None:  # pragma: no cover - console entry
    app()
