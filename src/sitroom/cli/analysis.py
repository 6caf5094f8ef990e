"""Analysis commands: dyad series, country profile, bloc alignment, changes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.table import Table

from sitroom.cli.app import _fail, _parse_date, app, console
from sitroom.cli.store import MinConfidenceOption, PreciseOption, min_confidence
from sitroom.errors import SitroomError

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Store file (default ./sitroom.duckdb or $SITROOM_DB)."),
]


@contextmanager
def _analyst(db: Path | None, threshold: float | None = None) -> Iterator:
    from sitroom.analysis import Analyst
    from sitroom.cli.store import db_path

    try:
        analyst = Analyst.open(db_path(db), min_confidence=threshold)
    except SitroomError as exc:
        raise _fail(str(exc)) from None
    try:
        yield analyst
    except SitroomError as exc:
        raise _fail(str(exc), 2) from None
    finally:
        analyst.close()


def print_frame(frame: pd.DataFrame, title: str, limit: int = 60) -> None:
    out = console()
    if frame.empty:
        out.print(f"{title}: no events")
        return
    table = Table(title=title)
    for col in frame.columns:
        table.add_column(str(col), justify="right" if frame[col].dtype.kind in "if" else "left")
    for row in frame.head(limit).itertuples(index=False):
        table.add_row(*[_cell(v) for v in row])
    out.print(table)


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "-"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


@app.command("dyad")
def dyad_command(
    a: Annotated[str, typer.Argument(help="Country or organisation code (or a known name).")],
    b: Annotated[str, typer.Argument(help="The other side.")],
    freq: Annotated[str, typer.Option(help="day, week, month, quarter or year.")] = "month",
    directed: Annotated[bool, typer.Option(help="Only events from A to B.")] = False,
    count: Annotated[str, typer.Option(help="clusters, events or mentions.")] = "clusters",
    since: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    db: DbOption = None,
    min_confidence_: MinConfidenceOption = None,
    precise: PreciseOption = False,
) -> None:
    """How two countries or blocs get on: events by type and QuadClass, mean Goldstein."""
    with _analyst(db, min_confidence(min_confidence_, precise)) as analyst:
        frame = analyst.dyad_series(
            a, b, freq, directed, count, _parse_date(since), _parse_date(until)
        )
    arrow = "->" if directed else "<->"
    print_frame(frame, f"{a.upper()} {arrow} {b.upper()} by {freq} ({count})")


@app.command("profile")
def profile_command(
    country: Annotated[str, typer.Argument(help="Country code, e.g. MYS.")],
    since: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    db: DbOption = None,
    min_confidence_: MinConfidenceOption = None,
    precise: PreciseOption = False,
) -> None:
    """A country's top partners, event mix, cooperation/conflict balance and trend."""
    with _analyst(db, min_confidence(min_confidence_, precise)) as analyst:
        profile = analyst.country_profile(country, _parse_date(since), _parse_date(until))
    print_frame(profile.partners, f"{profile.country}: top partners")
    print_frame(profile.event_mix, f"{profile.country}: event mix")
    balance = pd.DataFrame([profile.balance])
    print_frame(balance, f"{profile.country}: cooperation and conflict")
    print_frame(profile.trend, f"{profile.country}: by month")


@app.command("alignment")
def alignment_command(
    country: Annotated[str, typer.Argument(help="Country code, e.g. MYS.")],
    bloc: Annotated[list[str] | None, typer.Option(help="Blocs (default: all known).")] = None,
    window: Annotated[int, typer.Option(help="Rolling window in days.")] = 90,
    since: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    db: DbOption = None,
    min_confidence_: MinConfidenceOption = None,
    precise: PreciseOption = False,
) -> None:
    """Which blocs a country is moving towards: the alignment index per bloc over time."""
    with _analyst(db, min_confidence(min_confidence_, precise)) as analyst:
        frame = analyst.bloc_alignment(
            country,
            [b.upper() for b in bloc] if bloc else None,
            window,
            start=_parse_date(since),
            end=_parse_date(until),
        )
    if frame.empty:
        print_frame(frame, country)
        return
    wide = frame.pivot_table(index="period", columns="bloc", values="alignment").round(3)
    active = [c for c in wide.columns if frame[frame.bloc == c]["events"].sum() > 0]
    title = f"{country.upper()}: alignment by bloc ({window}-day window)"
    print_frame(wide[active].reset_index(), title)
    rows = []
    for b in active:
        values = wide[b].dropna()
        rows.append(
            {
                "bloc": b,
                "latest": round(float(values.iloc[-1]), 3),
                "first": round(float(values.iloc[0]), 3),
                "change": round(float(values.iloc[-1] - values.iloc[0]), 3),
            }
        )
    summary = pd.DataFrame(rows).sort_values("change", ascending=False)
    print_frame(summary, f"{country.upper()}: moving towards (first and latest window with data)")
