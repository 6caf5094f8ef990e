"""The Typer app and what every command shares: the consoles, one-line failures and skips.

Every console here prints text literally: file names, titles, URLs, sentences and error
texts come from users, so no console interprets rich markup ("[/red]"), emoji codes or
highlighting, and every message line has its control characters escaped (`printable`).
"""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from sitroom.errors import printable

HELP = "sitroom: international news in, sourced who-did-what-to-whom events out."

app = typer.Typer(help=HELP, no_args_is_help=True, pretty_exceptions_enable=False)


def console(stderr: bool = False) -> Console:
    """A console that prints strings as they are (no markup, emoji or highlighting)."""
    return Console(stderr=stderr, markup=False, emoji=False, highlight=False)


err = console(stderr=True)

EXIT_SKIPPED = 3  # some inputs could not be coded; the rest were


@app.callback(help=HELP)
def _check_settings() -> None:
    # Settings come from SITROOM_* variables: a bad value is a usage error, not a traceback.
    from pydantic import ValidationError

    from sitroom.settings import Settings

    try:
        Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"SITROOM_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()
        )
        raise _fail(f"bad setting: {problems}", 2) from None


def say(message: str) -> None:
    """One line on stderr, printed literally."""
    err.print(printable(message), soft_wrap=True)


def labelled(label: str, style: str, message: str) -> None:
    """`label: message` on stderr, the label styled, the message printed literally."""
    err.print(Text.assemble((label, style), " ", printable(message)), soft_wrap=True)


def skipped(problem: object) -> None:
    """The one line that reports an input skipped (an InputError or any message)."""
    labelled("skipped:", "yellow", str(problem))


def _fail(message: str, code: int = 1) -> typer.Exit:
    labelled("error:", "red", message)
    return typer.Exit(code)


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(f"--date {value!r} is not a date; use YYYY-MM-DD", 2) from None


def progress(label: str) -> Progress:
    """A progress bar on stderr for long work (hidden when stderr is not a terminal)."""
    return Progress(
        TextColumn(label, markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[note]}", markup=False),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
