"""Writing to a store that a running `sitroom serve` keeps open.

DuckDB lets one process write a file, or any number read it, never both. A process that
keeps a store open for reading (the API server) therefore registers as a *holder*: it
listens on a Unix socket named after the store. A writer (`sitroom ingest`, `watch`, or
the server's own watcher) asks every holder to step aside, writes in a short window, and
lets them reopen the store:

    writer                      holder (sitroom serve)
    connect, "release\\n"   ->   waits for requests in flight, closes its connection
                           <-   "released\\n"            (new requests wait)
    opens, writes, closes
    "resume\\n" (or dies)   ->   reopens the store; waiting requests go on
                           <-   "resumed\\n"

The window is the socket connection: a writer that is killed closes it, and the holder
reopens at once. Sockets live in a private folder (mode 0700, this user's):
`$XDG_RUNTIME_DIR/sitroom`, else `sitroom-<uid>` in the temporary directory; each is named
by a hash of the store's absolute path, the holder's pid and a random part (two servers
in one process each get their own). A socket nobody answers on is a dead holder's and is
removed. Where no private folder can be had, sharing is off (a warning; writers then need
the file to themselves).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
import socket
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sitroom.errors import StoreError
from sitroom.store.database import EventStore, StoredDocument, WriteSummary

log = logging.getLogger(__name__)

ANSWER_SECONDS = 60.0  # how long a holder may take to finish its requests and close
OPEN_WAIT_SECONDS = 30.0  # how long a writer waits for other readers' locks to go
WINDOW_RETRY_PAUSES = (2.0, 10.0)  # a window that failed is tried again after these


def _socket_dir() -> Path | None:
    """The private folder of holder sockets: `$XDG_RUNTIME_DIR/sitroom` when the session
    has one, else `sitroom-<uid>` in the temporary directory. None (sharing off, with a
    warning) when it cannot be made or is not this user's alone: another user who made
    the folder first must not be able to stop writes or listen in."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = Path(runtime) / "sitroom" if runtime else None
    folder = base or Path(tempfile.gettempdir()) / f"sitroom-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.lstat()
    except OSError as exc:
        log.warning("store sharing is off: cannot use %s (%s)", folder, exc)
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        log.warning("store sharing is off: %s is not a private folder of this user", folder)
        return None
    return folder


def _store_key(path: Path) -> str:
    return hashlib.sha1(str(Path(path).resolve()).encode("utf-8")).hexdigest()[:20]


def holder_sockets(path: Path) -> list[Path]:
    """The sockets of processes registered as holding `path` open."""
    folder = _socket_dir()
    return sorted(folder.glob(f"{_store_key(path)}-*.sock")) if folder else []


class Holder:
    """Registers this process as holding the store at `path` open for reading.

    `release()` must close every connection to the store (after the requests in flight)
    and `resume()` reopen it; both are called from the holder's own listening thread,
    one window at a time."""

    def __init__(self, path: Path, release: Callable[[], None], resume: Callable[[], None]) -> None:
        self._release = release
        self._resume = resume
        self._closed = threading.Event()
        self.socket_path: Path | None = None
        self._listener: socket.socket | None = None
        folder = _socket_dir()
        if folder is None:
            return
        name = f"{_store_key(path)}-{os.getpid()}-{secrets.token_hex(4)}.sock"
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(str(folder / name))
            os.chmod(folder / name, 0o600)
            listener.listen(8)
        except OSError as exc:  # e.g. a socket path longer than the system allows
            listener.close()
            log.warning("store sharing is off: cannot listen on %s (%s)", folder / name, exc)
            return
        self.socket_path = folder / name
        self._listener = listener
        self._thread = threading.Thread(target=self._serve, name="sitroom-holder", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._closed.set()
        if self._listener is None or self.socket_path is None:
            return
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()
        self._thread.join(timeout=5)

    def _serve(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with conn:
                try:
                    self._window(conn)
                except Exception:  # one bad client never stops the holder
                    log.exception("store window failed")

    def _window(self, conn: socket.socket) -> None:
        # The file object must close with the socket: an open one keeps the connection up.
        with conn.makefile("rb") as reader:
            if reader.readline().strip() != b"release":
                return
            try:
                self._release()
                conn.sendall(b"released\n")
                reader.readline()  # "resume", or end of file when the writer went away
            except OSError:
                pass
            finally:
                self._resume()  # also when the release failed half way
            with contextlib.suppress(OSError):
                conn.sendall(b"resumed\n")


@contextlib.contextmanager
def holders_stepped_aside(path: Path) -> Iterator[None]:
    """While inside, no registered holder keeps `path` open."""
    conns: list[socket.socket] = []
    try:
        for sock_path in holder_sockets(path):
            conn = _ask_release(sock_path)
            if conn is not None:
                conns.append(conn)
        yield
    finally:
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.sendall(b"resume\n")
                conn.settimeout(ANSWER_SECONDS)
                conn.recv(16)
            conn.close()


def _ask_release(sock_path: Path) -> socket.socket | None:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.settimeout(ANSWER_SECONDS)
    try:
        conn.connect(str(sock_path))
    except (ConnectionRefusedError, FileNotFoundError):
        conn.close()
        with contextlib.suppress(FileNotFoundError):
            sock_path.unlink()  # its process is gone
        return None
    try:
        conn.sendall(b"release\n")
        with conn.makefile("rb") as reader:
            answer = reader.readline()
    except OSError as exc:
        conn.close()
        raise StoreError(
            f"{sock_path.name}: a server holding the store did not answer ({exc})"
        ) from None
    if answer.strip() != b"released":
        conn.close()
        raise StoreError(f"{sock_path.name}: a server holding the store refused to step aside")
    return conn


def open_for_writing(path: Path, windows: bool = False) -> EventStore | SharedStore:
    """The store for an ingest or watcher: the file itself when no server holds it, else
    a SharedStore that writes in short windows while the servers step aside. `windows`
    asks for windows in any case (a long-running watcher: a server may start later)."""
    if windows or holder_sockets(path):
        return SharedStore(path)
    return EventStore(path, wait=OPEN_WAIT_SECONDS)


class SharedStore:
    """The writing side of an EventStore, for a store that servers hold open: each call
    runs in its own window. Log rows wait for the next window (or `close`)."""

    read_only = False

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._logs: list[tuple[tuple, dict]] = []
        with self._window():  # fail now, not at the first write, if it cannot be opened
            pass

    @contextlib.contextmanager
    def _window(self) -> Iterator[EventStore]:
        with holders_stepped_aside(self.path):
            store = EventStore(self.path, wait=OPEN_WAIT_SECONDS)
            try:
                for args, kwargs in self._logs:
                    store.log_source(*args, **kwargs)
                self._logs.clear()
                yield store
            finally:
                store.close()

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Run one store method in a window; a store that cannot be had (a long read or
        write elsewhere) is tried again after a pause, twice, before the error stands."""
        for pause in (*WINDOW_RETRY_PAUSES, None):
            try:
                with self._window() as store:
                    return getattr(store, name)(*args, **kwargs)
            except StoreError:
                if pause is None:
                    raise
                time.sleep(pause)
        raise AssertionError("unreachable")

    def stored_hashes(self, doc_ids: Sequence[str]) -> dict[str, str]:
        return self._call("stored_hashes", doc_ids) if doc_ids else {}

    def known_urls(self, urls: Sequence[str]) -> set[str]:
        return self._call("known_urls", urls) if urls else set()

    def feed_state(self, url: str) -> tuple[int, datetime | None]:
        return self._call("feed_state", url)

    def set_feed_state(self, *args: Any, **kwargs: Any) -> None:
        self._call("set_feed_state", *args, **kwargs)

    def counts(self) -> dict[str, int]:
        return self._call("counts")

    def write(self, batch: Sequence[StoredDocument], *args: Any, **kwargs: Any) -> WriteSummary:
        return self._call("write", list(batch), *args, **kwargs)

    def log_source(self, *args: Any, **kwargs: Any) -> None:
        self._logs.append((args, kwargs))

    def close(self) -> None:
        if self._logs:
            with self._window():
                pass

    def __enter__(self) -> SharedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
