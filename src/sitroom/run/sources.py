"""Web sources -> Documents: article URLs and RSS/Atom feeds, fetched safely, with every
outcome recorded in the store's `source_log` (fetched, seen before, failed, cut).

Feed entries whose URL is already stored are not fetched again; an entry's date stands in
for a page without one. Each failure becomes an InputError in the stream (and a log row);
it never stops the other sources.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from sitroom.errors import InputError
from sitroom.ingest.feeds import FeedEntry, looks_like_feed, parse_feed
from sitroom.ingest.fetch import FEED_TYPES, HTML_TYPES, Fetcher, FetchError
from sitroom.ingest.pages import extract_page, url_doc_id
from sitroom.records import Document
from sitroom.store.database import EventStore


@dataclass
class SourceCounts:
    pages: int = 0
    feeds: int = 0
    seen: int = 0
    failed: int = 0
    cut: int = 0


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def read_feed_list(path: str) -> list[str] | InputError:
    """One URL per line; blank lines and # comments ignored."""
    try:
        with open(path, encoding="utf-8") as fh:
            lines = [line.strip() for line in fh]
    except OSError as exc:
        return InputError(path, f"cannot read feed list: {exc.strerror}")
    except UnicodeDecodeError:
        return InputError(path, "feed list is not UTF-8 text")
    urls = [line for line in lines if line and not line.startswith("#")]
    bad = [u for u in urls if not is_url(u)]
    if bad:
        return InputError(path, f"not an http(s) URL: {bad[0]!r}")
    return urls


class WebSource:
    def __init__(
        self,
        store: EventStore,
        fetcher: Fetcher,
        max_chars: int = 1_000_000,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.max_chars = max_chars
        self.should_stop = should_stop
        self.counts = SourceCounts()

    def documents(self, urls: Iterable[str]) -> Iterator[Document | InputError]:
        """Documents from each URL: a feed's new entries, or the page itself."""
        for url in urls:
            if self.should_stop():
                return
            try:
                fetched = self.fetcher.get(url, accept=(*HTML_TYPES, *FEED_TYPES))
            except FetchError as exc:
                yield self._failed(url, "fetch", exc.reason, exc.status)
                continue
            if looks_like_feed(fetched.content_type, fetched.body):
                yield from self.feed_documents(url, fetched.body, fetched.url)
            else:
                yield from self._page(url, fetched.body, fetched.url, None)

    def feed_documents(
        self, url: str, body: bytes, final_url: str
    ) -> Iterator[Document | InputError]:
        self.counts.feeds += 1
        parsed = parse_feed(body, final_url)
        for reason in parsed.broken:
            yield self._failed(url, "feed", reason)
        if not parsed.entries and not parsed.broken:
            self.store.log_source(url, "feed", "empty", "feed has no entries")
        known = self.store.known_urls([e.url for e in parsed.entries])
        for entry in parsed.entries:
            if self.should_stop():
                return
            if entry.url in known:
                self.counts.seen += 1
                continue
            yield from self._entry(entry)
        self.store.log_source(url, "feed", "ok", f"{len(parsed.entries)} entries")

    def _entry(self, entry: FeedEntry) -> Iterator[Document | InputError]:
        try:
            fetched = self.fetcher.get(entry.url, accept=HTML_TYPES)
        except FetchError as exc:
            yield self._failed(entry.url, "page", exc.reason, exc.status)
            return
        yield from self._page(entry.url, fetched.body, entry.url, entry)

    def _page(
        self, url: str, body: bytes, final_url: str, entry: FeedEntry | None
    ) -> Iterator[Document | InputError]:
        try:
            page = extract_page(
                body,
                url,
                url,
                url_doc_id(url),
                entry.published if entry else None,
                self.max_chars,
            )
        except InputError as exc:
            yield self._failed(url, "page", exc.problem)
            return
        document = page.document
        if entry is not None and entry.title and not document.title:
            document = document.model_copy(update={"title": entry.title})
        self.counts.pages += 1
        if page.cut:
            self.counts.cut += 1
            self.store.log_source(
                url, "page", "cut", f"text cut to {self.max_chars:,} characters", None, document.id
            )
        else:
            self.store.log_source(url, "page", "fetched", None, None, document.id)
        yield document

    def _failed(self, url: str, kind: str, reason: str, status: int | None = None) -> InputError:
        self.counts.failed += 1
        self.store.log_source(url, kind, "failed", reason, status)
        return InputError(url, reason)
