"""The app's read access to a store: one read-only DuckDB connection, a cursor per request.

A DuckDB cursor is its own connection to the same database, so requests holding different
cursors run their queries at the same time (DuckDB releases the GIL while a query runs).
Nothing may keep a cursor, or the connection, beyond one request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from sitroom.errors import StoreError
from sitroom.serve.errors import ApiError
from sitroom.store.database import EventStore
from sitroom.store.sharing import OPEN_WAIT_SECONDS, Holder

log = logging.getLogger(__name__)

BUSY_SECONDS = 30.0  # how long a request waits while an ingest writes


class StoreReader:
    """The app's read access to a store: one read-only DuckDB connection, a cursor per
    request.

    The reader registers as a holder of the store (sitroom.store.sharing): when
    `sitroom ingest` or a watcher writes, `release()` lets the requests in flight finish
    and closes the connection, new requests wait in `cursor()`, and `resume()` reopens
    the store, so they see what was written."""

    def __init__(self, path: Path, share: bool = True) -> None:
        self.path = Path(path)
        # Opens read-only and checks the schema version (a StoreError says what is wrong).
        self._store: EventStore | None = EventStore(self.path, read_only=True, wait=10)
        self._cond = threading.Condition()
        self._active = 0
        self._releasing = False
        self._holder = Holder(self.path, self.release, self.resume) if share else None

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The shared connection (for inspection only; queries go through `cursor()`)."""
        with self._cond:
            return self._open().con

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A fresh cursor for one request, closed afterwards."""
        with self._cond:
            ready = self._cond.wait_for(lambda: not self._releasing, timeout=BUSY_SECONDS)
            if not ready:
                raise ApiError(
                    503, "store_busy", "the store is being written to; retry in a moment"
                )
            cur = self._open().con.cursor()
            self._active += 1
        try:
            yield cur
        finally:
            cur.close()
            with self._cond:
                self._active -= 1
                self._cond.notify_all()

    def _open(self) -> EventStore:
        """The open store (reopened here if a resume could not); call holding `_cond`."""
        if self._store is None:
            try:
                self._store = EventStore(self.path, read_only=True, wait=5)
            except StoreError as exc:
                raise ApiError(503, "store_unavailable", str(exc)) from None
        return self._store

    def release(self) -> None:
        """Close the store for a writer, once the requests in flight are done."""
        with self._cond:
            self._releasing = True
            self._cond.wait_for(lambda: self._active == 0)
            if self._store is not None:
                self._store.close()
                self._store = None

    def resume(self) -> None:
        """Reopen the store after a writer's window; waiting requests go on."""
        store = None
        try:
            store = EventStore(self.path, read_only=True, wait=OPEN_WAIT_SECONDS)
        except StoreError:
            log.exception("reopening the store failed; the next request retries")
        with self._cond:
            self._store = store
            self._releasing = False
            self._cond.notify_all()

    def close(self) -> None:
        if self._holder is not None:
            self._holder.close()
        with self._cond:
            if self._store is not None:
                self._store.close()
                self._store = None
