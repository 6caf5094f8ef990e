"""`sitroom eval`: accuracy against gold records, or against whole annotated stories
(`--stories FOLDER`, the voa_events format)."""

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
    stories: Annotated[
        Path | None,
        typer.Option(
            "--stories",
            help="Score whole annotated stories instead: a folder with stories.jsonl and "
            "annotations.jsonl (the voa_events format, docs/model.md).",
        ),
    ] = None,
    split: Annotated[
        str | None, typer.Option(help="With --stories: all, train or dev (default all).")
    ] = None,
    min_confidence: Annotated[
        float | None,
        typer.Option(help="With --stories: keep only events with confidence >= this."),
    ] = None,
    pr_table: Annotated[
        bool,
        typer.Option(
            "--pr-table", help="With --stories: precision and recall at thresholds 0.1-0.9."
        ),
    ] = False,
) -> None:
    """Measure accuracy against gold records (per-type P/R/F1, actors, confusion), or with
    --stories against whole annotated stories."""
    from sitroom.evaluation.gold import packaged_gold_path
    from sitroom.evaluation.report import print_report

    if stories is not None:
        if gold:
            raise _fail("give either gold files or --stories, not both", 2)
        _eval_stories(
            stories,
            split or "all",
            min_confidence,
            pr_table,
            json_out,
            show_misses,
            processes,
            min_f1,
        )
        return
    for name, value in (
        ("--split", split),
        ("--min-confidence", min_confidence),
        ("--pr-table", pr_table or None),
    ):
        if value is not None:
            raise _fail(f"{name} needs --stories FOLDER", 2)
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


def _eval_stories(
    folder: Path,
    split: str,
    min_confidence: float | None,
    pr_table: bool,
    json_out: Path | None,
    show_misses: bool,
    processes: int | None,
    min_f1: float | None,
) -> None:
    from sitroom.evaluation.report import print_story_report
    from sitroom.evaluation.splits import SPLITS
    from sitroom.evaluation.story_runner import check_threshold, evaluate_stories
    from sitroom.evaluation.story_score import DEFAULT_THRESHOLDS

    if split not in SPLITS:
        raise _fail(f"--split {split!r} is not a split: choose one of {', '.join(SPLITS)}", 2)
    try:
        threshold = check_threshold(0.0 if min_confidence is None else min_confidence)
    except ValueError as exc:
        raise _fail(f"--{str(exc).replace('_', '-')}", 2) from None
    try:
        report = evaluate_stories(folder, split, processes=processes, min_confidence=threshold)
    except SitroomError as exc:
        raise _fail(str(exc)) from None
    print_story_report(
        report,
        console(),
        show_misses=show_misses,
        thresholds=DEFAULT_THRESHOLDS if pr_table else None,
    )
    if json_out:
        json_out.write_text(json.dumps(report.as_dict(), indent=2), "utf-8")
    if min_f1 is not None and report.figures.type_f1 < min_f1:
        raise _fail(f"{report.name}: event-type F1 {report.figures.type_f1:.3f} is below {min_f1}")
