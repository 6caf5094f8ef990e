"""The Python API: `sitroom.code(text)` for one text, `sitroom.code_many(docs)` for many."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache

from sitroom.extract.coder import Coder, CodeResult
from sitroom.records import Document, Event
from sitroom.settings import Settings


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


@cache
def _default_coder() -> Coder:
    """The coder built from default settings, kept with the loaded model it wraps."""
    return Coder()


def code(
    text: str,
    date: date | str | None = None,
    doc_id: str = "text",
    settings: Settings | None = None,
) -> list[Event]:
    """Code one text; `date` is its publication date (ISO string or date)."""
    document = Document(id=doc_id, text=text, date=_as_date(date))
    coder = Coder(settings) if settings is not None else _default_coder()
    return coder.code(document)


def code_many(
    documents: Iterable[Document | dict | str],
    processes: int | None = None,
    settings: Settings | None = None,
) -> Iterator[CodeResult]:
    """Code many documents on several cores; yields one CodeResult per document, in order.

    Items may be Documents, dicts with the JSONL fields (`id`, `text`, `date`, ...), or
    plain strings (ids are then their position).
    """
    from sitroom.run.local import code_documents

    def as_documents() -> Iterator[Document]:
        for n, item in enumerate(documents):
            if isinstance(item, Document):
                yield item
            elif isinstance(item, str):
                yield Document(id=str(n), text=item)
            else:
                yield Document.model_validate(item)

    yield from code_documents(as_documents(), processes=processes, settings=settings)
