"""`sitroom eval`: accuracy against gold records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from sitroom.cli.app import _fail, app, console
from sitroom.errors import SitroomError


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
    out = console()
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
