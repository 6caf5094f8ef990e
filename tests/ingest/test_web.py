"""Web pages and feeds against a local server in the test process (real httpx,
trafilatura, feedparser, DuckDB and model)."""

import os
import signal
import subprocess
import sys
import time
from datetime import date

import duckdb
import pytest

from sitroom.ingest.fetch import Fetcher, FetchError
from sitroom.run.ingest import ingest
from sitroom.run.sources import WebSource
from sitroom.store.database import EventStore
from tests.ingest.web_server import LocalSite, article_date

pytestmark = pytest.mark.model


@pytest.fixture
def site():
    with LocalSite() as running:
        yield running


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "sitroom", *args], capture_output=True, text=True, timeout=600
    )


def _query(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_feed_is_ingested_with_dates_then_only_new_entries(site, tmp_path):
    db = tmp_path / "web.duckdb"
    feed = f"{site.base}/feed.xml"
    first = cli("ingest", feed, "--db", str(db), "--allow-private", "-p", "1")
    assert first.returncode == 0, first.stderr
    rows = _query(db, "SELECT url, pub_date, language FROM documents ORDER BY url")
    assert len(rows) == 20
    for url, pub, language in rows:
        n = int(url.rsplit("/", 1)[1])
        # Even pages carry their own date, odd ones take the feed entry's date.
        assert pub == article_date(n) and language == "en"
    events = _query(db, "SELECT count(*) FROM events")[0][0]
    assert events >= 20
    again = cli("ingest", feed, "--db", str(db), "--allow-private", "-p", "1")
    assert again.returncode == 0, again.stderr
    assert "0 documents stored" in again.stderr and "20 entries seen before" in again.stderr
    assert _query(db, "SELECT count(*) FROM events")[0][0] == events
    site.feed_numbers.append(20)
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# the test wire\n{feed}\n", "utf-8")
    poll = cli(
        "watch",
        "--feeds",
        str(feeds),
        "--rounds",
        "1",
        "--every",
        "1s",
        "--db",
        str(db),
        "--allow-private",
        "-p",
        "1",
    )
    assert poll.returncode == 0, poll.stderr
    assert "1 new documents" in poll.stderr
    assert _query(db, "SELECT count(*) FROM documents")[0][0] == 21


def test_every_bad_source_is_recorded_and_nothing_else_is_lost(site, tmp_path):
    db = tmp_path / "bad.duckdb"
    urls = [
        f"{site.base}/missing",
        f"{site.base}/slow",
        f"{site.base}/loop",
        f"{site.base}/to-private",
        f"{site.base}/huge",
        f"{site.base}/report.pdf",
        f"{site.base}/broken-feed.xml",
        f"{site.base}/french",
        f"{site.base}/article/3",
    ]
    # The local server is allowed by name; everything else keeps the private-address guard.
    fetcher = Fetcher(timeout=1.0, max_bytes=1_000_000, allowed_hosts=frozenset({"127.0.0.1"}))
    with EventStore(db) as store, fetcher:
        web = WebSource(store, fetcher)
        report = ingest(store, web.documents(urls), processes=1, log_rows=web.pending_rows)
        stored = store.con.execute("SELECT url FROM documents ORDER BY url").fetchall()
        log = store.con.execute("SELECT source, status, reason FROM source_log").fetchall()
    # The good article and the broken feed's one good entry are stored.
    assert [u for (u,) in stored] == [f"{site.base}/article/0", f"{site.base}/article/3"]
    reasons = {source.rsplit("/", 1)[1]: reason for source, status, reason in log if status != "ok"}
    assert reasons["missing"] == "HTTP 404"
    assert reasons["slow"].startswith("timed out")
    assert "more than 5 redirects" in reasons["loop"]
    assert "non-public address 10.255.255.1" in reasons["to-private"]
    assert "larger than the 1,000,000-byte cap" in reasons["huge"]
    assert "application/pdf" in reasons["report.pdf"]
    assert "language 'fr'" in reasons["french"]
    broken = [r for s, st, r in log if s.endswith("broken-feed.xml") and st == "failed"]
    assert sorted(broken) == [
        "entry 2 has no link",
        "entry 3 link 'javascript:alert(1)' is not http(s)",
    ]
    assert len(report.problems) == 9 and report.stored == 2


def test_private_address_guard_without_allow_private(site, tmp_path):
    db = tmp_path / "guard.duckdb"
    proc = cli("ingest", f"{site.base}/article/1", "--db", str(db), "-p", "1")
    assert proc.returncode == 3
    assert "non-public address 127.0.0.1" in proc.stderr and "Traceback" not in proc.stderr
    assert _query(db, "SELECT count(*) FROM documents")[0][0] == 0
    with pytest.raises(FetchError, match="scheme 'file' refused"):
        Fetcher().check_url("file:///etc/passwd")
    with pytest.raises(FetchError, match=r"non-public address 169\.254\.169\.254"):
        Fetcher().check_url("http://169.254.169.254/latest/meta-data")


def test_watch_stops_cleanly_on_sigterm(site, tmp_path):
    db = tmp_path / "watch.duckdb"
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{site.base}/feed.xml\n{site.base}/missing\n", "utf-8")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sitroom",
            "watch",
            "--feeds",
            str(feeds),
            "--every",
            "1s",
            "--db",
            str(db),
            "--allow-private",
            "-p",
            "1",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 300
    for line in proc.stderr:
        if line.startswith("round 1:"):
            assert "1 failures" in line
            break
        assert time.monotonic() < deadline
    os.kill(proc.pid, signal.SIGTERM)
    rest = proc.stderr.read()
    assert proc.wait(timeout=120) == 0, rest
    assert "watch stopped" in rest
    assert _query(db, "SELECT count(*) FROM documents")[0][0] == 20
    # The failing source backs off: its next attempt is later than a plain interval.
    state = _query(db, "SELECT failures FROM feeds WHERE url LIKE '%missing'")
    assert state and state[0][0] >= 1
    assert date.today()  # the store opened read-only after the watcher let go of it


def test_hostile_urls_among_good_pages_through_the_cli(site, tmp_path):
    db = tmp_path / "hostile.duckdb"
    port = site.base.rsplit(":", 1)[1]
    secret_page = f"http://reader:s3cret@127.0.0.1:{port}/article/2"
    proc = cli(
        "ingest",
        f"{site.base}/article/1",
        f"{site.base}/to-javascript",
        f"{site.base}/to-bad-port",
        "http://[::1/",
        "http://h:99999/",
        secret_page,
        str(tmp_path / "no-such-file.txt"),
        "--db",
        str(db),
        "--allow-private",
        "-p",
        "1",
    )
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr and "s3cret" not in proc.stderr
    skipped = [line for line in proc.stderr.splitlines() if line.startswith("skipped:")]
    assert len(skipped) == 5, proc.stderr
    assert any("to-javascript: redirect to 'javascript:alert(1)'" in line for line in skipped)
    assert any("h:99999/: invalid URL" in line for line in skipped)
    stored = _query(db, "SELECT url FROM documents ORDER BY url")
    assert stored == [(f"{site.base}/article/1",), (f"{site.base}/article/2",)]
    log = _query(db, "SELECT source, kind, status, http_status FROM source_log")
    assert "s3cret" not in repr(log)
    fetched = sorted((s, st, h) for s, k, st, h in log if st == "fetched")
    assert fetched == [(u, "fetched", 200) for (u,) in stored]
    assert [(k, st) for s, k, st, h in log if s.endswith("no-such-file.txt")] == [
        ("file", "skipped")
    ]
    # The same page again: stored before, logged as unchanged rather than fetched.
    again = cli("ingest", f"{site.base}/article/1", "--db", str(db), "--allow-private", "-p", "1")
    assert again.returncode == 0, again.stderr
    rows = _query(db, f"SELECT status FROM source_log WHERE source = '{site.base}/article/1'")
    assert sorted(r for (r,) in rows) == ["fetched", "unchanged"]


def test_watch_round_survives_a_javascript_redirect_and_backs_off(site, tmp_path):
    db = tmp_path / "watch-hostile.duckdb"
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{site.base}/to-javascript\n{site.base}/feed.xml\n", "utf-8")
    site.feed_numbers = [0, 1]
    args = ["--feeds", str(feeds), "--rounds", "1", "--every", "1m", "--db", str(db)]
    proc = cli("watch", *args, "--allow-private", "-p", "1")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "round 1: 2 feeds polled, 2 new documents" in proc.stderr
    state = _query(db, "SELECT url, failures, next_attempt > now() FROM feeds ORDER BY url")
    assert state == [
        (f"{site.base}/feed.xml", 0, True),
        (f"{site.base}/to-javascript", 1, True),
    ]
    reason = _query(db, "SELECT reason FROM source_log WHERE source LIKE '%to-javascript'")
    assert reason == [
        ("redirect to 'javascript:alert(1)': scheme 'javascript' refused; only http and https",)
    ]
