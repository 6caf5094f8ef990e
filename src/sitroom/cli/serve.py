"""`sitroom serve`: the JSON API and dashboard over a store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sitroom.cli.app import _fail, app, say
from sitroom.errors import SitroomError


def serve_store(
    db: Path, host: str, port: int, token: str | None, allowed_hosts: list[str] | None = None
) -> None:
    import uvicorn

    from sitroom.serve.app import create_app

    try:
        application = create_app(db, token, host=host, allowed_hosts=allowed_hosts or ())
    except SitroomError as exc:
        raise _fail(str(exc)) from None
    say(f"sitroom dashboard: http://{host}:{port}/  (API docs: /docs)")
    uvicorn.run(application, host=host, port=port, log_level="warning")


@app.command("serve")
def serve_command(
    db: Annotated[
        Path | None, typer.Option("--db", help="Store file (default ./sitroom.duckdb).")
    ] = None,
    host: Annotated[
        str, typer.Option(help="Address to bind; 127.0.0.1 keeps it local.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    token: Annotated[
        str | None, typer.Option(help="Require 'Authorization: Bearer TOKEN' on every request.")
    ] = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="Another name the server answers to in the Host header (repeatable); "
            "others get 400 (DNS rebinding guard).",
        ),
    ] = None,
) -> None:
    """Serve the JSON API (OpenAPI docs at /docs) and the dashboard over a store."""
    from sitroom.cli.store import db_path

    serve_store(db_path(db), host, port, token, allowed_host)
