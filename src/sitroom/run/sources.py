"""Web sources -> Documents: article URLs and RSS/Atom feeds, fetched safely, with every
outcome recorded in the store's `source_log` (fetched, unchanged, seen before, failed,
cut, capped).

Feed entries whose URL is already stored are not fetched again, and at most
`max_feed_entries` new entries of one feed are fetched per read (the rest are recorded
and wait for the next read); an entry's date stands in for a page without one. Each
failure becomes an InputError in the stream (and a log row); it never stops the other
sources. The row saying a page was fetched is not written here: it waits in
`pending_rows` (by document id) and `ingest` commits it with the document's batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from sitroom.errors import InputError
from sitroom.ingest.feeds import FeedEntry, looks_like_feed, parse_feed
from sitroom.ingest.fetch import FEED_TYPES, HTML_TYPES, Fetcher, FetchError, public_url
from sitroom.ingest.pages import extract_page, url_doc_id
from sitroom.records import Document
from sitroom.store.database import EventStore, SourceLogRow

MAX_FEED_ENTRIES = 200


@dataclass
class SourceCounts:
    pages: int = 0
    feeds: int = 0
    seen: int = 0
    failed: int = 0
    cut: int = 0
    left: int = 0  # feed entries beyond the per-feed limit, not fetched this time


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


def log_skips(
    store: EventStore, items: Iterable[Document | InputError]
) -> Iterator[Document | InputError]:
    """Pass `items` (from the file readers) through, recording each InputError in
    source_log (kind "file", status "skipped")."""
    for item in items:
        if isinstance(item, InputError):
            where = item.source if item.line is None else f"{item.source}:{item.line}"
            store.log_source(where, "file", "skipped", item.problem)
        yield item


class WebSource:
    def __init__(
        self,
        store: EventStore,
        fetcher: Fetcher,
        max_chars: int = 1_000_000,
        should_stop: Callable[[], bool] = lambda: False,
        max_feed_entries: int = MAX_FEED_ENTRIES,
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.max_chars = max_chars
        self.should_stop = should_stop
        self.max_feed_entries = max(0, max_feed_entries)
        self.counts = SourceCounts()
        # doc id -> the rows about that document, for `ingest` to commit with its batch.
        self.pending_rows: dict[str, list[SourceLogRow]] = {}

    def documents(self, urls: Iterable[str]) -> Iterator[Document | InputError]:
        """Documents from each URL: a feed's new entries, or the page itself."""
        for url in urls:
            if self.should_stop():
                return
            try:
                yield from self._source(url)
            except Exception as exc:  # one source never stops the others
                yield self._failed(url, "fetch", f"unexpected error ({type(exc).__name__}: {exc})")

    def _source(self, url: str) -> Iterator[Document | InputError]:
        try:
            fetched = self.fetcher.get(url, accept=(*HTML_TYPES, *FEED_TYPES))
        except FetchError as exc:
            yield self._failed(url, "fetch", exc.reason, exc.status)
            return
        if looks_like_feed(fetched.content_type, fetched.body):
            yield from self.feed_documents(url, fetched.body, fetched.url, fetched.status)
        else:
            yield from self._page(url, fetched.body, None, fetched.status)

    def feed_documents(
        self, url: str, body: bytes, final_url: str, status: int | None = None
    ) -> Iterator[Document | InputError]:
        self.counts.feeds += 1
        parsed = parse_feed(body, final_url)
        for reason in parsed.broken:
            yield self._failed(url, "feed", reason)
        if not parsed.entries and not parsed.broken:
            self.store.log_source(public_url(url), "feed", "empty", "feed has no entries", status)
        entries = list({public_url(e.url): e for e in parsed.entries}.items())
        known = self.store.known_urls([u for u, _ in entries])
        new = [entry for u, entry in entries if u not in known]
        self.counts.seen += len(entries) - len(new)
        take = new[: self.max_feed_entries]
        left = len(new) - len(take)
        self.store.log_source(
            public_url(url), "feed", "ok", f"{len(parsed.entries)} entries", status
        )
        if left:
            self.counts.left += left
            self.store.log_source(
                public_url(url),
                "feed",
                "capped",
                f"{left:,} new entries beyond the {self.max_feed_entries:,}-entry limit "
                "not fetched (--max-feed-entries); they are read next time",
                status,
            )
        for entry in take:
            if self.should_stop():
                return
            yield from self._entry(entry)

    def _entry(self, entry: FeedEntry) -> Iterator[Document | InputError]:
        try:
            fetched = self.fetcher.get(entry.url, accept=HTML_TYPES)
        except FetchError as exc:
            yield self._failed(entry.url, "page", exc.reason, exc.status)
            return
        yield from self._page(entry.url, fetched.body, entry, fetched.status)

    def _page(
        self, url: str, body: bytes, entry: FeedEntry | None, status: int | None
    ) -> Iterator[Document | InputError]:
        url = public_url(url)
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
            yield self._failed(url, "page", exc.problem, status)
            return
        except Exception as exc:  # one page never ends its feed or the run
            yield self._failed(url, "page", f"unexpected error ({type(exc).__name__})", status)
            return
        document = page.document
        if entry is not None and entry.title and not document.title:
            document = document.model_copy(update={"title": entry.title})
        self.counts.pages += 1
        if page.cut:
            self.counts.cut += 1
            row = SourceLogRow(
                url,
                "page",
                "cut",
                f"text cut to {self.max_chars:,} characters",
                status,
                document.id,
            )
        else:
            row = SourceLogRow(url, "page", "fetched", None, status, document.id)
        self.pending_rows.setdefault(document.id, []).append(row)
        yield document

    def _failed(self, url: str, kind: str, reason: str, status: int | None = None) -> InputError:
        url = public_url(url)
        self.counts.failed += 1
        self.store.log_source(url, kind, "failed", reason, status)
        return InputError(url, reason)
