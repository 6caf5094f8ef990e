"""The watcher's round never dies of one feed (real store, fetcher and local server; the
ingest step is a stand-in so the test needs no model)."""

from datetime import timedelta

from sitroom.ingest.fetch import Fetcher
from sitroom.run.ingest import IngestReport
from sitroom.run.watch import Watcher
from sitroom.store.database import EventStore
from tests.ingest.web_server import LocalSite


def test_an_unexpected_error_in_one_feed_is_recorded_and_the_round_goes_on(tmp_path):
    seen: list[int] = []

    def run_ingest(items, should_stop, log_rows=None):
        documents = list(items)
        seen.append(len(documents))
        if len(seen) == 1:
            raise RuntimeError("disk on fire")
        return IngestReport(stored=len(documents))

    with LocalSite() as site, EventStore(tmp_path / "w.duckdb") as store:
        site.feed_numbers = [0, 1, 2]
        feeds = [
            f"{site.base}/feed.xml",
            f"{site.base}/to-data",
            f"http://u:pw@127.0.0.1:{site.base.rsplit(':', 1)[1]}/feed.xml?again",
        ]
        with Fetcher(timeout=3.0, allowed_hosts=frozenset({"127.0.0.1"})) as fetcher:
            watcher = Watcher(store, fetcher, feeds, timedelta(minutes=1), run_ingest)
            report = watcher.poll(1)
        state = dict(store.con.execute("SELECT url, failures FROM feeds").fetchall())
        reasons = store.con.execute(
            "SELECT source, reason FROM source_log WHERE status = 'failed' ORDER BY source"
        ).fetchall()
    assert report.polled == 3 and report.failed == 2 and report.stored == 3
    assert seen == [3, 3]
    assert state[f"{site.base}/feed.xml"] == 1
    assert state[f"{site.base}/to-data"] == 1
    assert state[f"{site.base}/feed.xml?again"] == 0  # credentials never stored
    assert reasons == [
        (f"{site.base}/feed.xml", "unexpected error (RuntimeError: disk on fire)"),
        (
            f"{site.base}/to-data",
            "redirect to 'data:text/html,<h1>hi</h1>': scheme 'data' refused; only http and https",
        ),
    ]


def test_a_store_that_cannot_be_opened_ends_the_round_without_charging_any_feed(tmp_path):
    from sitroom.errors import StoreError

    calls: list[int] = []

    def run_ingest(items, should_stop, log_rows=None):
        list(items)
        calls.append(1)
        if len(calls) == 1:  # the first write window finds the store held elsewhere
            raise StoreError("store.duckdb: the store is in use by process 1234")
        return IngestReport(stored=3)

    with LocalSite() as site, EventStore(tmp_path / "w.duckdb") as store:
        site.feed_numbers = [0, 1, 2]
        feeds = [f"{site.base}/feed.xml", f"{site.base}/feed.xml?second"]
        with Fetcher(timeout=3.0, allowed_hosts=frozenset({"127.0.0.1"})) as fetcher:
            watcher = Watcher(store, fetcher, feeds, timedelta(minutes=1), run_ingest)
            first = watcher.poll(1)
            state_after_first = store.con.execute("SELECT count(*) FROM feeds").fetchone()[0]
            second = watcher.poll(2)
        failures = dict(store.con.execute("SELECT url, failures FROM feeds").fetchall())
    assert first.store_error is not None and "in use" in first.store_error
    assert first.failed == 0 and state_after_first == 0  # no feed charged, no back-off
    assert second.store_error is None and second.stored == 6  # the next round goes on
    assert set(failures.values()) == {0}
