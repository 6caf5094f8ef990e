"""`sitroom serve`: the JSON API and dashboard over a store."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from sitroom.cli.app import _fail, app, say
from sitroom.cli.store import (
    AllowPrivateOption,
    ProcessesOption,
    WatchOptions,
    db_path,
    feeds_and_interval,
    watch_feeds,
)
from sitroom.errors import SitroomError


def serve_store(
    db: Path,
    host: str,
    port: int,
    token: str | None,
    allowed_hosts: list[str] | None = None,
    watch: tuple[list[str], timedelta, WatchOptions] | None = None,
) -> None:
    """Serve the store; with `watch` (feeds, interval, options) also poll those feeds
    into it from a thread of this process, writing in windows the server steps aside for."""
    import threading

    import uvicorn

    from sitroom.serve.app import create_app

    try:
        application = create_app(db, token, host=host, allowed_hosts=allowed_hosts or ())
    except SitroomError as exc:
        raise _fail(str(exc)) from None
    stop = threading.Event()
    watcher = None
    if watch is not None:
        feeds, interval, options = watch

        def poll() -> None:
            try:
                watch_feeds(db, feeds, interval, options, stop)
            except SitroomError as exc:
                say(f"watch stopped: {exc}")

        watcher = threading.Thread(target=poll, name="sitroom-watch", daemon=True)
        watcher.start()
    say(f"sitroom dashboard: http://{host}:{port}/  (API docs: /docs)")
    try:
        uvicorn.run(application, host=host, port=port, log_level="warning")
    finally:
        stop.set()
        if watcher is not None:
            say("stopping the watcher after the current document; coded work is kept")
            watcher.join()
        application.state.reader.close()


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
    watch: Annotated[
        Path | None,
        typer.Option(
            "--watch",
            help="File of feed URLs to poll into the served store while serving "
            "(as `sitroom watch`; default fetch limits).",
        ),
    ] = None,
    every: Annotated[str, typer.Option(help="With --watch: polling interval (15m).")] = "15m",
    allow_private: AllowPrivateOption = False,
    processes: ProcessesOption = None,
) -> None:
    """Serve the JSON API (OpenAPI docs at /docs) and the dashboard over a store; with
    --watch, also poll feeds into it. `sitroom ingest --db` can write to it meanwhile."""
    watching = None
    if watch is not None:
        listed, interval = feeds_and_interval(watch, every)
        watching = (listed, interval, WatchOptions(processes, allow_private))
    serve_store(db_path(db), host, port, token, allowed_host, watching)
