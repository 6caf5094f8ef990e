"""The app's read access to a store: one read-only DuckDB connection, a cursor per request.

A DuckDB cursor is its own connection to the same database, so requests holding different
cursors run their queries at the same time (DuckDB releases the GIL while a query runs).
Nothing may keep a cursor, or the connection, beyond one request.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from sitroom.store.database import EventStore


class StoreReader:
    """The app's read access to a store: one read-only DuckDB connection, a cursor per
    request."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        # Opens read-only and checks the schema version (a StoreError says what is wrong).
        self._store = EventStore(self.path, read_only=True)
        self._lock = threading.Lock()  # guards taking a cursor, never a query

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The shared connection (for inspection only; queries go through `cursor()`)."""
        return self._store.con

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A fresh cursor for one request, closed afterwards."""
        with self._lock:
            cur = self._store.con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def close(self) -> None:
        with self._lock:
            self._store.close()
