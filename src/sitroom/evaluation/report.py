"""Print an EvalReport as Rich tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rich import box
from rich.console import Console
from rich.table import Table

from sitroom.evaluation.score import NONE, EvalReport
from sitroom.evaluation.story_score import DEFAULT_THRESHOLDS, StoryReport
from sitroom.records import PLOVER_TYPES

# Two letters per type, so a 17 x 17 confusion matrix fits an 80-column terminal.
ABBREVIATIONS: dict[str, str] = {
    "AGREE": "AG",
    "CONSULT": "CN",
    "SUPPORT": "SU",
    "CONCEDE": "CC",
    "COOPERATE": "CO",
    "AID": "AI",
    "RETREAT": "RT",
    "REQUEST": "RQ",
    "ACCUSE": "AC",
    "REJECT": "RJ",
    "THREATEN": "TH",
    "PROTEST": "PR",
    "SANCTION": "SA",
    "MOBILIZE": "MO",
    "COERCE": "CE",
    "ASSAULT": "AS",
    NONE: "--",
}


def print_report(report: EvalReport, out: Console, show_misses: bool = False) -> None:
    total = report.total
    head = Table(
        title=f"{report.name}: {report.sentences} sentences, {report.gold_events} gold events"
    )
    head.add_column("measure")
    head.add_column("value", justify="right")
    for label, value in [
        ("event-type precision", total.precision),
        ("event-type recall", total.recall),
        ("event-type F1", total.f1),
        ("source accuracy (type-matched)", report.source_accuracy),
        ("target accuracy (type-matched)", report.target_accuracy),
        ("full match (type+source+target)", report.full_match_rate),
        ("sector accuracy", report.rate(report.sector_right, report.sector_checked)),
    ]:
        head.add_row(label, f"{value:.3f}")
    if report.when_checked:
        for label, value in [
            ("date accuracy", report.date_accuracy),
            ("location country accuracy", report.location_accuracy),
            ("modality accuracy", report.modality_accuracy),
            ("attribution accuracy", report.attribution_accuracy),
        ]:
            head.add_row(f"{label} ({report.when_checked} events)", f"{value:.3f}")
    head.add_row(
        "no-event sentences left quiet", f"{report.empty_sentences_quiet}/{report.empty_sentences}"
    )
    head.add_row("predicted events", str(report.predicted_events))
    out.print(head)

    types = Table(title="per type")
    for col in ("type", "P", "R", "F1", "tp", "fp", "fn"):
        types.add_column(col, justify="right" if col != "type" else "left")
    for t in PLOVER_TYPES:
        c = report.per_type[t]
        types.add_row(
            t,
            f"{c.precision:.2f}",
            f"{c.recall:.2f}",
            f"{c.f1:.2f}",
            str(c.tp),
            str(c.fp),
            str(c.fn),
        )
    out.print(types)

    print_confusion(report.confusion, out)
    reliability = Table(title="reliability: share of predicted events fully right, by confidence")
    for col in ("confidence", "events", "mean confidence", "share right"):
        reliability.add_column(col, justify="right")
    for low, high, n, mean, right in report.reliability():
        shown = (f"{mean:.3f}", f"{right:.3f}") if n else ("-", "-")
        reliability.add_row(f"{low:.1f}-{high:.2f}", str(n), *shown)
    out.print(reliability)
    if show_misses:
        for line in report.misses:
            out.print(line)


def print_confusion(confusion: Counter, out: Console, top: int = 10) -> None:
    """The confusion matrix (rows gold, columns predicted; NONE for misses and false alarms)
    with two-letter type names and a legend, then the most frequent confusions by name.
    Types that never occur are left out; when even that matrix is wider than the console,
    only the list is printed."""
    labels = [t for t in PLOVER_TYPES if any(t in k for k in confusion)] + [NONE]
    widths = [max(2, *(len(str(confusion.get((g, p), ""))) for g in labels)) for p in labels]
    needed = 2 + sum(w + 1 for w in widths)
    if len(labels) > 1 and needed <= out.width:
        table = Table(
            title="confusion (rows gold, columns predicted)",
            box=box.SIMPLE_HEAD,
            padding=(0, 0),
            pad_edge=False,
            collapse_padding=True,
            show_edge=False,
        )
        table.add_column("", no_wrap=True)
        for label, width in zip(labels, widths, strict=True):
            table.add_column(ABBREVIATIONS[label], justify="right", min_width=width + 1)
        for g in labels:
            table.add_row(ABBREVIATIONS[g], *[str(confusion.get((g, p), "")) for p in labels])
        out.print(table)
        pairs = [f"{ABBREVIATIONS[t]} {t}" for t in labels if t != NONE]
        for line in _wrap([*pairs, "-- no event (a miss or a false alarm)"], out.width):
            out.print(line)
    pairs = sorted(
        ((n, g, p) for (g, p), n in confusion.items() if g != p and n),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    if not pairs:
        return
    listed = Table(title="most frequent confusions", box=box.SIMPLE_HEAD)
    for col in ("gold", "predicted", "events"):
        listed.add_column(col, justify="right" if col == "events" else "left")
    for n, g, p in pairs[:top]:
        listed.add_row("(no event)" if g == NONE else g, "(no event)" if p == NONE else p, str(n))
    out.print(listed)


def _wrap(items: list[str], width: int, lead: str = "legend: ") -> list[str]:
    """`items` joined by ", " into lines of at most `width` characters, never breaking
    inside an item."""
    lines: list[str] = []
    line = lead
    for n, item in enumerate(items):
        piece = item + ("," if n < len(items) - 1 else "")
        if len(line) + len(piece) + 1 > width and line.strip():
            lines.append(line.rstrip())
            line = " " * len(lead)
        line += piece + " "
    lines.append(line.rstrip())
    return lines


def story_figures_line(report: StoryReport) -> str:
    """One line with the headline figures, for logs and tests."""
    f = report.figures
    return (
        f"figures: type R {f.type_recall:.3f} P {f.type_precision:.3f} | "
        f"full R {f.full_recall:.3f} P {f.full_precision:.3f} | "
        f"gold {report.gold_events} predicted {report.predicted_events}"
    )


def print_story_report(
    report: StoryReport,
    out: Console,
    show_misses: bool = False,
    thresholds: Iterable[float] | None = None,
) -> None:
    """The figures of `sitroom eval --stories`: headline, per type, confusion, and the
    precision/recall table at `thresholds` when given."""
    f = report.figures
    head = Table(
        title=f"{report.name}: {report.stories} stories, {report.sentences} sentences",
        box=box.SIMPLE_HEAD,
    )
    head.add_column("measure")
    head.add_column("recall", justify="right")
    head.add_column("precision", justify="right")
    head.add_column("F1", justify="right")
    head.add_row(
        "event type", f"{f.type_recall:.3f}", f"{f.type_precision:.3f}", f"{f.type_f1:.3f}"
    )
    head.add_row(
        "full (type and both sides)",
        f"{f.full_recall:.3f}",
        f"{f.full_precision:.3f}",
        f"{f.full_f1:.3f}",
    )
    out.print(head)
    more = Table(box=box.SIMPLE_HEAD, show_header=False)
    more.add_column("measure")
    more.add_column("value", justify="right")
    more.add_row("events: gold / predicted", f"{report.gold_events} / {report.predicted_events}")
    more.add_row(
        "no-event sentences left quiet",
        f"{report.quiet_sentences}/{report.empty_sentences} ({report.quiet_share:.3f})",
    )
    more.add_row(
        f"modality accuracy ({report.modality_checked} type-matched)",
        f"{report.modality_accuracy:.3f}",
    )
    more.add_row(
        f"date accuracy ({report.date_checked} dated, type-matched)",
        f"{report.date_accuracy:.3f}",
    )
    if report.ignored_predictions:
        more.add_row(
            "predictions outside annotated sentences (ignored)", str(report.ignored_predictions)
        )
    out.print(more)
    out.print(story_figures_line(report))

    types = Table(title="per type (type level)", box=box.SIMPLE_HEAD)
    for col in ("type", "gold", "found", "R", "predicted", "right", "P", "F1"):
        types.add_column(col, justify="left" if col == "type" else "right")
    for t in PLOVER_TYPES:
        c = report.per_type[t]
        types.add_row(
            t,
            str(c.gold),
            str(c.found),
            f"{c.recall:.2f}",
            str(c.predicted),
            str(c.right),
            f"{c.precision:.2f}",
            f"{c.f1:.2f}",
        )
    out.print(types)
    print_confusion(report.confusion, out)

    if thresholds is not None:
        thresholds = list(thresholds) or list(DEFAULT_THRESHOLDS)
        table = Table(title="precision and recall by minimum confidence", box=box.SIMPLE_HEAD)
        for col in ("min conf", "predicted", "type R", "type P", "full R", "full P", "full F1"):
            table.add_column(col, justify="right")
        for t, row in zip(thresholds, report.pr_table(thresholds), strict=True):
            table.add_row(
                f"{t:.2f}",
                str(row.predicted),
                f"{row.type_recall:.3f}",
                f"{row.type_precision:.3f}",
                f"{row.full_recall:.3f}",
                f"{row.full_precision:.3f}",
                f"{row.full_f1:.3f}",
            )
        out.print(table)
    for line in report.uncoded:
        out.print(f"not coded: {line}")
    if show_misses:
        for line in report.misses:
            out.print(line)
