"""The app's read access to a store: one read-only DuckDB connection, a cursor per request.

A DuckDB cursor is its own connection to the same database, so requests holding different
cursors run their queries at the same time (DuckDB releases the GIL while a query runs).
Nothing may keep a cursor, or the connection, beyond one request.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from sitroom.errors import StoreError
from sitroom.serve.errors import ApiError
from sitroom.store.database import EventStore
from sitroom.store.sharing import OPEN_WAIT_SECONDS, Holder

log = logging.getLogger(__name__)

BUSY_SECONDS = 30.0  # how long a request waits while an ingest writes
RELEASE_WAIT_SECONDS = 50.0  # how long a writer's window waits for requests in flight
T = TypeVar("T")


def _reading(store: EventStore) -> EventStore:
    """A freshly opened store set up for serving: concurrent requests are the parallelism,
    so each query gets a quarter of the cores (1 on a 2-core machine, where two DuckDB
    threads per query made every query slower under load)."""
    store.con.execute(f"SET threads = {max(1, (os.cpu_count() or 1) // 4)}")
    return store


class StoreReader:
    """The app's read access to a store: one read-only DuckDB connection, a cursor per
    request.

    The reader registers as a holder of the store (sitroom.store.sharing): when
    `sitroom ingest` or a watcher writes, `release()` lets the requests in flight finish
    and closes the connection, new requests wait in `cursor()`, and `resume()` reopens
    the store, so they see what was written."""

    def __init__(self, path: Path, share: bool = True) -> None:
        self.path = Path(path)
        self._store: EventStore | None = None
        self._memo: dict[Hashable, Any] = {}
        self._memo_of: EventStore | None = None
        self._cond = threading.Condition()
        self._active = 0
        self._releasing = False
        # Registered before the first open, so a writer that starts meanwhile asks this
        # reader to step aside instead of taking the file for itself.
        self._holder = Holder(self.path, self.release, self.resume) if share else None
        try:
            with self._cond:
                self._cond.wait_for(lambda: not self._releasing, timeout=BUSY_SECONDS)
                # Read-only, schema version checked (a StoreError says what is wrong).
                self._store = _reading(EventStore(self.path, read_only=True, wait=10))
                self._memo_of = self._store
        except BaseException:
            if self._holder is not None:
                self._holder.close()
            raise

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

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` once per opened store: for whole-store summaries (counts, the
        busiest dyads) that change only when the store does; a reopen forgets them."""
        with self._cond:
            if self._memo_of is not self._store:
                self._memo, self._memo_of = {}, self._store
            memo, owner = self._memo, self._memo_of
            if key in memo:
                return memo[key]
        value = compute()
        with self._cond:
            if self._memo_of is owner:
                memo[key] = value
        return value

    def _open(self) -> EventStore:
        """The open store (reopened here if a resume could not); call holding `_cond`."""
        if self._store is None:
            try:
                self._store = _reading(EventStore(self.path, read_only=True, wait=5))
            except StoreError as exc:
                raise ApiError(503, "store_unavailable", str(exc)) from None
        return self._store

    def release(self) -> None:
        """Close the store for a writer, once the requests in flight are done."""
        with self._cond:
            self._releasing = True
            if not self._cond.wait_for(lambda: self._active == 0, timeout=RELEASE_WAIT_SECONDS):
                log.warning("closing the store under %d slow request(s) for a writer", self._active)
            if self._store is not None:
                self._store.close()
                self._store = None

    def resume(self) -> None:
        """Reopen the store after a writer's window; waiting requests go on."""
        store = None
        try:
            store = _reading(EventStore(self.path, read_only=True, wait=OPEN_WAIT_SECONDS))
        except Exception:  # never leave requests waiting on a reader that stays closed
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
