"""Run the coder over many documents with local worker processes (both cores by default).

Each worker loads the model and knowledge once, then codes chunks of documents; results
come back in input order. A Ray runner will follow the same shape.
"""

from __future__ import annotations

import dataclasses
import multiprocessing as mp
import signal
from collections.abc import Iterable, Iterator
from itertools import chain, islice

from sitroom.errors import InputError
from sitroom.extract.coder import Coder, CodeResult
from sitroom.records import Document
from sitroom.settings import Settings
from sitroom.store.filters import check_confidence

_worker_coder: Coder | None = None  # one per worker process, set by _init_worker


def _init_worker(settings: Settings) -> None:
    global _worker_coder
    # Ctrl-C reaches the whole process group: the parent decides when to stop, and it
    # still needs its workers to finish the documents in flight.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_coder = Coder(settings)


def _code_chunk(documents: list[Document]) -> list[CodeResult]:
    assert _worker_coder is not None
    return _code_guarded(_worker_coder, documents)


def _code_guarded(coder: Coder, documents: list[Document]) -> list[CodeResult]:
    """The chunk's results; if coding it fails unexpectedly, each document is coded alone
    and the one that fails becomes an error record, so no document stops a run."""
    try:
        return list(coder.code_many(documents))
    except Exception as exc:
        if len(documents) == 1:
            return [_failed(documents[0], exc)]
    results = []
    for document in documents:
        try:
            results.extend(coder.code_many([document]))
        except Exception as exc:
            results.append(_failed(document, exc))
    return results


def _failed(document: Document, exc: Exception) -> CodeResult:
    problem = f"coding failed: {type(exc).__name__}: {exc}"[:300]
    return CodeResult(document, [], InputError(document.id, problem))


def _chunks(documents: Iterable[Document], max_chars: int) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    size = 0
    for doc in documents:
        chunk.append(doc)
        size += len(doc.text)
        if size >= max_chars:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def code_documents(
    documents: Iterable[Document],
    processes: int | None = None,
    settings: Settings | None = None,
    chunk_chars: int = 60_000,
    min_confidence: float | None = None,
) -> Iterator[CodeResult]:
    """Code documents, in order, with `processes` workers (default: the settings' value).
    With `min_confidence`, each result keeps only its events with confidence >= it."""
    threshold = check_confidence(min_confidence)
    results = _code_documents(documents, processes, settings, chunk_chars)
    if threshold is None:
        yield from results
        return
    for result in results:
        kept = [e for e in result.events if e.confidence >= threshold]
        yield dataclasses.replace(result, events=kept)


def _code_documents(
    documents: Iterable[Document],
    processes: int | None,
    settings: Settings | None,
    chunk_chars: int,
) -> Iterator[CodeResult]:
    settings = settings or Settings()
    processes = processes or settings.processes
    chunks = _chunks(documents, chunk_chars)
    first = list(islice(chunks, 2))
    if processes <= 1 or len(first) <= 1:
        # One chunk of work (a single short document, say) is coded here: starting
        # workers would cost more than the work.
        coder = Coder(settings)
        for chunk in chain(first, chunks):
            yield from _code_guarded(coder, chunk)
        return
    # spawn, not fork: a forked copy of a process that already holds the model and its
    # threads can deadlock; each worker loads the model itself instead.
    ctx = mp.get_context("spawn")
    chunks = chain(first, chunks)
    with ctx.Pool(processes, initializer=_init_worker, initargs=(settings,)) as pool:
        # Keep a bounded number of chunks in flight so memory stays flat on long inputs.
        pending = [pool.apply_async(_code_chunk, (c,)) for c in islice(chunks, processes * 2)]
        while pending:
            results = pending.pop(0).get()
            nxt = next(chunks, None)
            if nxt is not None:
                pending.append(pool.apply_async(_code_chunk, (nxt,)))
            yield from results
