"""`sitroom code`: text in, event files out."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sitroom.cli.app import EXIT_SKIPPED, _fail, _parse_date, app, err, say, skipped
from sitroom.cli.store import KeepConfidenceOption, PreciseOption, min_confidence
from sitroom.errors import InputError, SitroomError
from sitroom.settings import Settings


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
    min_confidence_: KeepConfidenceOption = None,
    precise: PreciseOption = False,
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
    threshold = min_confidence(min_confidence_, precise)
    problems: list[InputError] = []

    def documents() -> Iterator[Document]:
        exclude = [output] if output else []
        for item in read_inputs(inputs, default_date, settings.max_document_chars, exclude=exclude):
            if isinstance(item, InputError):
                problems.append(item)
                skipped(item)
                continue
            yield item

    handle = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    writer = EventWriter(handle, fmt)
    done = 0
    try:
        with Progress(
            TextColumn("coding", markup=False),
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
            results = code_documents(
                documents(), processes=processes, settings=settings, min_confidence=threshold
            )
            for result in results:
                if result.error is not None:
                    problems.append(result.error)
                    skipped(result.error)
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
    say(summary)
    if problems:
        raise typer.Exit(EXIT_SKIPPED)
