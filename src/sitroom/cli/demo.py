"""`sitroom demo`: the bundled sample corpus, end to end, into a fresh DuckDB file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sitroom.cli.app import _fail, app, progress, say
from sitroom.errors import SitroomError


@app.command("demo")
def demo_command(
    db: Annotated[Path, typer.Option("--db", help="Demo store to (re)create.")] = Path(
        "sitroom-demo.duckdb"
    ),
    processes: Annotated[int | None, typer.Option("--processes", "-p")] = None,
    serve: Annotated[
        bool, typer.Option(help="Start the dashboard on the demo store afterwards.")
    ] = True,
    port: Annotated[int, typer.Option(help="Dashboard port.")] = 8000,
) -> None:
    """Ingest the bundled sample corpus into a fresh store, summarise it, open the dashboard."""
    from importlib import resources

    from sitroom.analysis import Analyst
    from sitroom.cli.analysis import print_frame
    from sitroom.ingest.files import read_inputs
    from sitroom.run.ingest import ingest
    from sitroom.store.database import EventStore

    corpus = resources.files("sitroom.samples").joinpath("articles.jsonl")
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    try:
        with EventStore(db) as store, progress("ingesting sample corpus") as bar:
            task = bar.add_task("demo", total=None, note="")
            report = ingest(
                store,
                read_inputs([str(corpus)]),
                processes=processes,
                on_progress=lambda r: bar.update(
                    task, completed=r.stored, note=f"{r.events} events"
                ),
            )
        with Analyst.open(db) as analyst:
            totals = analyst.store.counts()
            top = analyst.con.execute(
                """SELECT source_code AS source, target_code AS target,
                          count(DISTINCT coalesce(event_cluster, event_id)) AS events,
                          round(avg(goldstein), 2) AS goldstein_mean
                   FROM event_dyads
                   WHERE target_code <> '---' AND source_code <> target_code
                     AND modality IN ('asserted', 'historical')
                   GROUP BY 1, 2 ORDER BY events DESC, 1, 2 LIMIT 10"""
            ).df()
            types = analyst.con.execute(
                """SELECT event_type, count(*) AS events FROM events
                   GROUP BY 1 ORDER BY 2 DESC, 1"""
            ).df()
            alignment = analyst.bloc_alignment("MYS", ["ASEAN", "BRICS", "SCO"])
    except SitroomError as exc:
        raise _fail(str(exc)) from None
    say(
        f"{report.stored} sample articles, {totals['events']} events "
        f"({totals['clusters']} clusters) stored in {db}"
    )
    print_frame(types, f"{report.stored} sample articles: events by type")
    print_frame(top, "most active dyads (source -> target)")
    wide = alignment.pivot_table(index="period", columns="bloc", values="alignment").tail(6)
    print_frame(wide.round(3).reset_index(), "Malaysia: bloc alignment, 90-day windows")
    say(
        f"Explore it: sitroom dyad MYS RUS --db {db}; sitroom alignment MYS --db {db}; "
        f"sitroom export -f gdelt -o events.csv --db {db}"
    )
    if serve:
        from sitroom.cli.serve import serve_store

        serve_store(db, "127.0.0.1", port, None)
