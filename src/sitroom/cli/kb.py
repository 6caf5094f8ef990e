"""`sitroom kb ...`: the curated membership table, with what the text says beside it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sitroom.cli.app import _fail, _parse_date, app, console
from sitroom.errors import SitroomError

kb_app = typer.Typer(help="Who belongs to which bloc, when (curated, dated, sourced).")
app.add_typer(kb_app, name="kb")


@kb_app.command("members")
def members_command(
    org: Annotated[str, typer.Argument(help="Organisation code: SCO, BRICS, ASEAN, ...")],
    on: Annotated[
        str | None, typer.Option("--on", help="Date, YYYY-MM-DD (default today).")
    ] = None,
    all_statuses: Annotated[
        bool, typer.Option("--all", help="Also observers, partners, applicants, suspended.")
    ] = False,
) -> None:
    """Members of an organisation on a date."""
    from sitroom.knowledge.memberships import load_memberships

    table = load_memberships()
    code = org.upper()
    if code not in table.by_org:
        raise _fail(f"no membership data for {org!r}; known: {', '.join(table.orgs)}", 2)
    day = _parse_date(on) or date.today()
    rows = table.statuses_on(code, day)
    shown = {c: r for c, r in rows.items() if all_statuses or r.status == "member"}
    out = console()
    grid = Table(
        title=f"{code} on {day}: {sum(r.status == 'member' for r in rows.values())} members"
    )
    for col in ("country", "status", "since", "source"):
        grid.add_column(col)
    for country, row in sorted(shown.items(), key=lambda kv: (kv[1].status, kv[0])):
        grid.add_row(country, row.status, str(row.start or ""), row.source)
    out.print(grid)


@kb_app.command("country")
def country_command(
    country: Annotated[str, typer.Argument(help="Country code, e.g. MYS.")],
    db: Annotated[
        Path | None, typer.Option("--db", help="Store whose text observations to show beside.")
    ] = None,
) -> None:
    """Every membership and status of a country over time, with text observations."""
    from sitroom.cli.store import db_path
    from sitroom.knowledge.memberships import load_memberships
    from sitroom.store.database import EventStore

    code = country.upper()
    history = load_memberships().history(code)
    if not history:
        raise _fail(f"no membership data for {country!r}", 2)
    observed: dict[str, list[tuple]] = {}
    path = db_path(db)
    if path.exists():
        try:
            with EventStore(path, read_only=True) as store:
                for org, status, day, sentence, doc in store.con.execute(
                    """SELECT org, status, date, evidence, doc_id FROM observations
                       WHERE country = ? ORDER BY date""",
                    [code],
                ).fetchall():
                    observed.setdefault(org, []).append((status, day, sentence, doc))
        except SitroomError as exc:
            raise _fail(str(exc)) from None
    out = console()
    grid = Table(title=f"{code}: memberships over time (curated) and what the text says")
    for col in ("org", "status", "from", "until", "source", "text says"):
        grid.add_column(col, overflow="fold")
    last_row_of_org = {row.org: row for row in history}
    for row in history:
        says = ""
        if row is last_row_of_org[row.org] and row.org in observed:
            says = "\n".join(
                f"{status} ({day}, {doc}): {sentence}"
                for status, day, sentence, doc in observed.pop(row.org)
            )
        grid.add_row(
            row.org, row.status, str(row.start or ""), str(row.end or ""), row.source, says
        )
    for org, items in observed.items():  # observations on organisations with no curated row
        says = "\n".join(f"{s} ({d}, {doc}): {t}" for s, d, t, doc in items)
        grid.add_row(org, "-", "", "", "no curated row", says)
    out.print(grid)
