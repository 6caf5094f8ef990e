"""Code documents into the store: skip what is stored already, code the rest on worker
processes, write them in atomic batches.

Killing an ingest loses at most the batch in flight; running it again skips every
document already committed and codes only the rest, so the store ends as after one clean
run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from sitroom.errors import InputError
from sitroom.extract.coder import CodeResult
from sitroom.ingest.language import is_english
from sitroom.knowledge.base import load_knowledge
from sitroom.records import Document
from sitroom.run.local import code_documents
from sitroom.settings import Settings
from sitroom.store.database import EventStore, SourceLogRow, StoredDocument, content_hash


@dataclass
class IngestReport:
    seen: int = 0
    unchanged: int = 0
    stored: int = 0
    replaced: int = 0
    events: int = 0
    not_english: int = 0
    problems: list[InputError] = field(default_factory=list)


def ingest(
    store: EventStore,
    items: Iterable[Document | InputError],
    settings: Settings | None = None,
    processes: int | None = None,
    batch_documents: int = 200,
    on_progress: Callable[[IngestReport], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    english_only: bool = True,
    log_rows: dict[str, list[SourceLogRow]] | None = None,
    min_confidence: float | None = None,
) -> IngestReport:
    """Code and store documents; errors are collected per document, never fatal.
    Documents in another language are skipped with a reason (recorded in the store).
    When `should_stop()` turns true, no new document is started; what was coded is
    stored before returning.

    `log_rows` (doc id -> source_log rows, filled by the source as it yields documents,
    e.g. `WebSource.pending_rows`): a document's rows commit with its batch; one found
    unchanged, not in English or failing to code gets a row saying so instead.

    `min_confidence`: only events with confidence >= it are stored (the document and its
    sentences are stored whole). A document is coded when its content is new or changed,
    so a later run with another threshold leaves unchanged documents as they were."""
    settings = settings or Settings()
    org_codes = load_knowledge().igo_codes
    report = IngestReport()
    rows_by_doc = log_rows if log_rows is not None else {}

    def settle(doc_id: str, status: str, reason: str) -> None:
        """Write a document's pending rows now, with the outcome that replaced them."""
        for row in rows_by_doc.pop(doc_id, []):
            store.log_source(row.source, row.kind, status, reason, row.http_status, doc_id)

    def to_code() -> Iterator[Document]:
        for chunk in _chunks(_until(items, should_stop), 50):
            docs = []
            for item in chunk:
                if isinstance(item, InputError):
                    report.problems.append(item)
                    continue
                docs.append(item)
            report.seen += len(docs)
            known = store.stored_hashes([d.id for d in docs])
            for doc in docs:
                if known.get(doc.id) == content_hash(doc):
                    report.unchanged += 1
                    settle(doc.id, "unchanged", "stored before with the same content")
                    continue
                if english_only:
                    english, language = is_english(doc.text)
                    if not english:
                        report.not_english += 1
                        reason = f"language {language!r}, not English: skipped"
                        report.problems.append(InputError(doc.url or doc.source or doc.id, reason))
                        if doc.id in rows_by_doc:
                            settle(doc.id, "skipped", reason)
                            continue
                        store.log_source(
                            doc.url or doc.source or doc.id,
                            "document",
                            "skipped",
                            reason,
                            doc_id=doc.id,
                        )
                        continue
                    doc = doc.model_copy(update={"language": "en"})
                yield doc
            if on_progress:
                on_progress(report)

    pending: list[StoredDocument] = []

    def flush() -> None:
        rows = [row for item in pending for row in rows_by_doc.pop(item.document.id, [])]
        summary = store.write(pending, org_codes, log_rows=rows)
        report.stored += summary.documents
        report.replaced += summary.replaced
        report.events += summary.events
        pending.clear()
        if on_progress:
            on_progress(report)

    results: Iterator[CodeResult] = code_documents(
        to_code(), processes=processes, settings=settings, min_confidence=min_confidence
    )
    for result in results:
        if result.error is not None:
            report.problems.append(result.error)
            settle(result.document.id, "failed", result.error.problem)
            continue
        pending.append(StoredDocument(result.document, result.events))
        if len(pending) >= batch_documents:
            flush()
    if pending:
        flush()
    return report


def _until(items: Iterable, should_stop: Callable[[], bool]) -> Iterator:
    for item in items:
        if should_stop():
            return
        yield item


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk
