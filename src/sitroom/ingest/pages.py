"""HTML -> Document: main text with trafilatura, publication date with htmldate, title
from the page's metadata, language with py3langid.

trafilatura's own metadata pass (authors, categories, tags) costs more than the text
extraction itself and sitroom uses none of it, so the date and title are read directly."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date

from sitroom.errors import InputError
from sitroom.ingest.language import detect_language
from sitroom.records import Document

# trafilatura logs every page it finds thin; the caller reports problems itself.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class PageText:
    document: Document
    cut: bool  # the text was longer than the limit and was cut


def url_doc_id(url: str) -> str:
    """Document id of a web page: stable for its URL."""
    return "web-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def extract_page(
    html: str | bytes,
    url: str | None,
    source: str,
    doc_id: str | None = None,
    fallback_date: date | None = None,
    max_chars: int = 1_000_000,
) -> PageText:
    """Raise InputError (naming `source`) when the page holds no article text."""
    import htmldate
    import trafilatura
    from trafilatura.utils import load_html

    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    tree = load_html(html)
    if tree is None:
        raise InputError(source, "cannot parse the page as HTML")
    # Date and title first: text extraction prunes the tree it is given.
    when = _as_date(_safe(htmldate.find_date, tree)) or fallback_date
    title = _title(tree)
    text = ""
    for fast in (True, False):  # the fast path first; the full one if it finds nothing
        try:
            found = trafilatura.bare_extraction(
                load_html(html) if not fast else tree,
                url=url,
                fast=fast,
                include_comments=False,
                include_tables=False,
            )
        except Exception:  # trafilatura raises assorted parser errors on broken HTML
            found = None
        text = (found.text or "").strip() if found is not None else ""
        if text:
            break
    if not text:
        raise InputError(source, "no article text found in the page")
    cut = len(text) > max_chars
    if cut:
        text = text[:max_chars]
    language, _ = detect_language(text)
    document = Document(
        id=doc_id or (url_doc_id(url) if url else source),
        text=text,
        date=when,
        title=title,
        url=url,
        source=source,
        language=language,
    )
    return PageText(document, cut)


def _safe(func, tree):
    try:
        return func(tree, extensive_search=False, original_date=True)
    except Exception:
        return None


def _title(tree) -> str | None:
    """og:title, else <title>, else the first <h1>."""
    for xpath in ('//meta[@property="og:title"]/@content', "//title/text()", "//h1//text()"):
        values = [v.strip() for v in tree.xpath(xpath) if v and v.strip()]
        if values:
            return values[0][:500]
    return None


def _as_date(value: object) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
