"""A store holding the bundled sample corpus, and the app served over it (real server)."""

from __future__ import annotations

import socket
import threading
import time
from importlib import resources

import pytest
import uvicorn

from sitroom.ingest.files import read_inputs
from sitroom.run.ingest import ingest
from sitroom.serve.app import create_app
from sitroom.store.database import EventStore


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "samples.duckdb"
    corpus = resources.files("sitroom.samples").joinpath("articles.jsonl")
    with EventStore(path) as store:
        ingest(store, read_inputs([str(corpus)]), processes=2)
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(app):
    """Run `app` with uvicorn on a free loopback port in a thread; yields its base URL."""
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(sample_store):
    yield from serve(create_app(sample_store))
