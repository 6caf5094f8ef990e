"""Print an EvalReport as Rich tables."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from sitroom.evaluation.score import NONE, EvalReport
from sitroom.records import PLOVER_TYPES


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

    labels = [t for t in PLOVER_TYPES if any(k for k in report.confusion if t in k)] + [NONE]
    conf = Table(title="confusion (rows gold, columns predicted)")
    conf.add_column("gold")
    for lab in labels:
        conf.add_column(lab[:4], justify="right")
    for g in labels:
        conf.add_row(g, *[str(report.confusion.get((g, p), "")) for p in labels])
    out.print(conf)
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
