"""A dashboard open on a store while `sitroom ingest` and `sitroom watch` write to it: real
processes, real model, the server's API shows new documents without a restart."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.ingest.web_server import LocalSite

pytestmark = pytest.mark.model

FIRST = (
    '{"id": "first", "date": "2025-02-27", "text": "Russia\'s Security Council Secretary '
    'Sergei Shoigu held talks with Malaysian officials in Kuala Lumpur on Wednesday."}\n'
)
SECOND = (
    "Malaysia and Russia agreed on Thursday to expand military cooperation, the Malaysian "
    "defence ministry said in Kuala Lumpur.\n"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sitroom(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sitroom", *args], capture_output=True, text=True, timeout=timeout
    )


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def _serve(db: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitroom", "serve", "--db", str(db), "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited: {proc.stdout.read()}")
        try:
            _get(f"{base}/api/overview")
            return proc, base
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("serve did not start")


def _stop(proc: subprocess.Popen) -> str:
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out


def test_ingest_into_a_served_store_shows_up_without_a_restart(tmp_path):
    db = tmp_path / "live.duckdb"
    first = tmp_path / "first.jsonl"
    first.write_text(FIRST, encoding="utf-8")
    assert _sitroom("ingest", str(first), "--db", str(db)).returncode == 0
    server, base = _serve(db)
    try:
        assert _get(f"{base}/api/overview")["counts"]["documents"] == 1
        second = tmp_path / "second.txt"
        second.write_text(SECOND, encoding="utf-8")
        done = _sitroom("ingest", str(second), "--db", str(db), "--date", "2025-03-01")
        assert done.returncode == 0, done.stderr
        assert "1 documents stored" in done.stderr
        overview = _get(f"{base}/api/overview")
        assert overview["counts"]["documents"] == 2
        ids = {e["doc_id"] for e in _get(f"{base}/api/events?page_size=200")["items"]}
        assert len(ids) == 2
        # A reader command on the same store still works beside the server.
        dyad = _sitroom("dyad", "MYS", "RUS", "--db", str(db))
        assert dyad.returncode == 0, dyad.stderr
    finally:
        log = _stop(server)
    assert "Traceback" not in log


def test_serve_watch_ingests_feeds_into_the_store_it_serves(tmp_path):
    db = tmp_path / "watched.duckdb"
    first = tmp_path / "first.jsonl"
    first.write_text(FIRST, encoding="utf-8")
    assert _sitroom("ingest", str(first), "--db", str(db)).returncode == 0
    with LocalSite() as web:
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(web.base + "/feed.xml" + "\n", encoding="utf-8")
        server, base = _serve(
            db, "--watch", str(feeds), "--every", "1h", "--allow-private", "--processes", "1"
        )
        try:
            deadline = time.monotonic() + 300
            documents = 1
            while time.monotonic() < deadline and documents < 3:
                time.sleep(1)
                documents = _get(f"{base}/api/overview")["counts"]["documents"]
            assert documents >= 3  # the feed's pages arrived while the API kept serving
        finally:
            log = _stop(server)
    assert "Traceback" not in log
