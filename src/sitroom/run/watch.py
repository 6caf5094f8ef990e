"""Poll feeds on a schedule: fetch each due feed, ingest its new entries, back off from
feeds that fail (the interval doubles per consecutive failure, at most a day), and stop
cleanly when asked, after storing what was already coded.

A round never dies of one feed: a fetch failure, or any unexpected error while reading a
feed, is recorded (source_log and the feed's back-off) and the round goes on."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sitroom.errors import StoreError
from sitroom.ingest.fetch import FEED_TYPES, HTML_TYPES, Fetcher, FetchError, public_url
from sitroom.run.ingest import IngestReport
from sitroom.run.sources import MAX_FEED_ENTRIES, WebSource
from sitroom.store.database import EventStore

MAX_BACKOFF = timedelta(days=1)


@dataclass
class RoundReport:
    number: int
    polled: int = 0
    failed: int = 0
    backing_off: int = 0
    stored: int = 0
    events: int = 0
    store_error: str | None = None  # the round ended early: the store could not be opened


def next_attempt(now: datetime, every: timedelta, failures: int) -> datetime:
    """When to try a feed again: `every` after a success, doubling per failure."""
    wait = every * (2 ** min(failures, 16)) if failures else every
    return now + min(wait, max(MAX_BACKOFF, every))


class Watcher:
    def __init__(
        self,
        store: EventStore,
        fetcher: Fetcher,
        feeds: list[str],
        every: timedelta,
        run_ingest: Callable[..., IngestReport],
        stop: threading.Event | None = None,
        max_chars: int = 1_000_000,
        max_feed_entries: int = MAX_FEED_ENTRIES,
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.feeds = feeds
        self.every = every
        self.run_ingest = run_ingest
        self.stop = stop or threading.Event()
        self.max_chars = max_chars
        self.max_feed_entries = max_feed_entries

    def poll(self, number: int) -> RoundReport:
        """One round over the feeds that are due. A store that cannot be opened (a long
        write or read elsewhere holds it) ends the round without charging any feed; the
        next round tries again."""
        report = RoundReport(number)
        try:
            self._poll_due(report)
        except StoreError as exc:
            report.store_error = str(exc)
        return report

    def _poll_due(self, report: RoundReport) -> None:
        for url in self.feeds:
            if self.stop.is_set():
                break
            now = _now()
            failures, due = self.store.feed_state(public_url(url))
            if due is not None and due > now:
                report.backing_off += failures > 0
                continue
            report.polled += 1
            try:
                self._poll_feed(url, report)
            except FetchError as exc:
                self._record_failure(url, now, failures, exc.reason, exc.status, report)
                continue
            except StoreError:
                raise  # the store's problem, not the feed's
            except Exception as exc:  # one feed never ends the round or the watcher
                reason = f"unexpected error ({type(exc).__name__}: {exc})"
                self._record_failure(url, now, failures, reason, None, report)
                continue
            self.store.set_feed_state(public_url(url), 0, next_attempt(now, self.every, 0), None)

    def _poll_feed(self, url: str, report: RoundReport) -> None:
        fetched = self.fetcher.get(url, accept=(*FEED_TYPES, *HTML_TYPES))
        web = WebSource(
            self.store, self.fetcher, self.max_chars, self.stop.is_set, self.max_feed_entries
        )
        result = self.run_ingest(
            web.feed_documents(url, fetched.body, fetched.url, fetched.status),
            should_stop=self.stop.is_set,
            log_rows=web.pending_rows,
        )
        report.stored += result.stored
        report.events += result.events
        report.failed += web.counts.failed

    def _record_failure(
        self,
        url: str,
        now: datetime,
        failures: int,
        reason: str,
        status: int | None,
        report: RoundReport,
    ) -> None:
        report.failed += 1
        self.store.log_source(public_url(url), "feed", "failed", reason, status)
        self.store.set_feed_state(
            public_url(url), failures + 1, next_attempt(now, self.every, failures + 1), reason
        )

    def run(self, rounds: int | None, on_round: Callable[[RoundReport], None]) -> None:
        number = 0
        while not self.stop.is_set():
            number += 1
            on_round(self.poll(number))
            if rounds is not None and number >= rounds:
                return
            self.stop.wait(self.every.total_seconds())


def parse_interval(text: str) -> timedelta:
    """ "15m", "30s", "2h", "1d" -> timedelta."""
    units = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
    text = text.strip().lower()
    if len(text) < 2 or text[-1] not in units:
        raise ValueError(f"interval {text!r}: use a number and s, m, h or d (15m)")
    try:
        value = float(text[:-1])
    except ValueError:
        raise ValueError(f"interval {text!r}: use a number and s, m, h or d (15m)") from None
    if value <= 0:
        raise ValueError(f"interval {text!r} must be positive")
    return timedelta(**{units[text[-1]]: value})


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
