"""RSS and Atom feeds with feedparser: the entries' links, titles and dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str | None
    published: date | None


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    entries: list[FeedEntry]
    broken: list[str]  # one reason per entry that could not be used


def looks_like_feed(content_type: str, body: bytes) -> bool:
    if "rss" in content_type or "atom" in content_type or content_type.endswith("/xml"):
        return True
    head = body[:500].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf" in head)


def parse_feed(body: bytes, base_url: str) -> ParsedFeed:
    import feedparser

    parsed = feedparser.parse(body)
    entries: list[FeedEntry] = []
    broken: list[str] = []
    for n, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link")
        if not link:
            broken.append(f"entry {n} has no link")
            continue
        try:
            url = urljoin(base_url, link)
            scheme = urlsplit(url).scheme
        except ValueError as exc:  # "http://[::1/", a bad port: the entry, not the feed
            broken.append(f"entry {n} link {link[:200]!r} is not a valid URL ({exc})")
            continue
        if scheme not in ("http", "https"):
            broken.append(f"entry {n} link {link!r} is not http(s)")
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = None
        if stamp:
            try:
                published = date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
            except ValueError:
                published = None
        entries.append(FeedEntry(url, entry.get("title"), published))
    if not parsed.entries and parsed.get("bozo"):
        broken.append(f"not a readable feed ({type(parsed.get('bozo_exception')).__name__})")
    return ParsedFeed(parsed.feed.get("title"), entries, broken)
