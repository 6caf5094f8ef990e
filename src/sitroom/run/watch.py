"""Poll feeds on a schedule: fetch each due feed, ingest its new entries, back off from
feeds that fail (the interval doubles per consecutive failure, at most a day), and stop
cleanly when asked, after storing what was already coded."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sitroom.ingest.fetch import FEED_TYPES, HTML_TYPES, Fetcher, FetchError
from sitroom.run.ingest import IngestReport
from sitroom.run.sources import WebSource
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
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.feeds = feeds
        self.every = every
        self.run_ingest = run_ingest
        self.stop = stop or threading.Event()
        self.max_chars = max_chars

    def poll(self, number: int) -> RoundReport:
        report = RoundReport(number)
        for url in self.feeds:
            if self.stop.is_set():
                break
            now = _now()
            failures, due = self.store.feed_state(url)
            if due is not None and due > now:
                report.backing_off += failures > 0
                continue
            report.polled += 1
            try:
                fetched = self.fetcher.get(url, accept=(*FEED_TYPES, *HTML_TYPES))
            except FetchError as exc:
                report.failed += 1
                self.store.log_source(url, "feed", "failed", exc.reason, exc.status)
                self.store.set_feed_state(
                    url, failures + 1, next_attempt(now, self.every, failures + 1), exc.reason
                )
                continue
            web = WebSource(self.store, self.fetcher, self.max_chars, self.stop.is_set)
            result = self.run_ingest(
                web.feed_documents(url, fetched.body, fetched.url), should_stop=self.stop.is_set
            )
            report.stored += result.stored
            report.events += result.events
            report.failed += web.counts.failed
            self.store.set_feed_state(url, 0, next_attempt(now, self.every, 0), None)
        return report

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
