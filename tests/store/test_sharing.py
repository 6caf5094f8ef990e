"""Writing to a store that another process holds open for reading (sitroom serve)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from sitroom.errors import StoreError
from sitroom.knowledge.base import load_knowledge
from sitroom.store.database import EventStore
from sitroom.store.sharing import (
    Holder,
    SharedStore,
    holder_sockets,
    holders_stepped_aside,
    open_for_writing,
)
from tests.store.helpers import event, stored

DAY = date(2025, 2, 26)


def _seed(path: Path, doc: str = "first") -> None:
    with EventStore(path) as store:
        store.write(
            [stored(doc, [event(doc, 1, "CONSULT", "RUS", "MYS", DAY)], DAY)],
            load_knowledge().igo_codes,
        )


class ReadingHolder:
    """What a server does: keep a read-only connection, give it up when asked."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store: EventStore | None = EventStore(path, read_only=True)
        self.windows = 0
        self.holder = Holder(path, self.release, self.resume)

    def release(self) -> None:
        assert self.store is not None
        self.store.close()
        self.store = None
        self.windows += 1

    def resume(self) -> None:
        self.store = EventStore(self.path, read_only=True, wait=10)

    def documents(self) -> int:
        assert self.store is not None
        return self.store.con.execute("SELECT count(*) FROM documents").fetchone()[0]

    def close(self) -> None:
        self.holder.close()
        if self.store is not None:
            self.store.close()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "shared.duckdb"
    _seed(path)
    return path


def test_a_writer_stores_while_a_holder_keeps_the_store_open(db):
    holder = ReadingHolder(db)
    try:
        with open_for_writing(db) as store:
            assert isinstance(store, SharedStore)
            assert store.stored_hashes(["first"]).keys() == {"first"}
            summary = store.write(
                [stored("second", [event("second", 1, "AGREE", "MYS", "RUS", DAY)], DAY)],
                load_knowledge().igo_codes,
            )
            store.log_source("file.txt", "file", "skipped", "empty")
            assert summary.documents == 1
        assert holder.windows >= 2
        assert holder.documents() == 2  # the holder sees the new document after resuming
        count = holder.store.con.execute("SELECT count(*) FROM source_log").fetchone()[0]
        assert count == 1  # log rows waited for a window and were written
    finally:
        holder.close()
    assert holder_sockets(db) == []


def test_without_holders_the_file_is_opened_directly(db):
    with open_for_writing(db) as store:
        assert isinstance(store, EventStore)


def test_a_dead_holders_socket_is_removed(db):
    import sitroom.store.sharing as sharing

    # A socket file nobody listens on, as a killed server leaves behind.
    sock = sharing._socket_dir() / f"{sharing._store_key(db)}-999998.sock"
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(sock))
    dead.close()
    assert holder_sockets(db) == [sock]
    with open_for_writing(db) as store:
        assert store.counts()["documents"] == 1
    assert not sock.exists()


def test_a_killed_writer_lets_the_holder_reopen_at_once(db):
    holder = ReadingHolder(db)
    script = (
        "import socket, sys, time\n"
        "c = socket.socket(socket.AF_UNIX); c.connect(sys.argv[1])\n"
        "c.sendall(b'release\\n'); print(c.makefile('rb').readline().decode().strip(), "
        "flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(holder.holder.socket_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "released"
        assert holder.store is None  # stepped aside for the writer
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        deadline = time.monotonic() + 10
        while holder.store is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert holder.store is not None
        assert holder.documents() == 1
    finally:
        proc.kill()
        holder.close()


def test_a_holder_that_never_answers_is_an_error_not_a_hang(db, monkeypatch):
    import sitroom.store.sharing as sharing

    monkeypatch.setattr(sharing, "ANSWER_SECONDS", 0.5)
    path = sharing._socket_dir() / f"{sharing._store_key(db)}-999999.sock"
    mute = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    mute.bind(str(path))
    mute.listen(1)  # accepts connections, never answers
    try:
        with pytest.raises(StoreError, match="did not answer"), holders_stepped_aside(db):
            pass
    finally:
        mute.close()
        path.unlink()


def _hold_lock(db: Path, seconds: float) -> subprocess.Popen:
    """Another process that opens the store for writing and keeps it for `seconds`."""
    script = (
        "import duckdb, sys, time\n"
        "c = duckdb.connect(sys.argv[1]); print('open', flush=True); "
        "time.sleep(float(sys.argv[2]))\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(db), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "open"
    return proc


def test_a_locked_store_names_the_process_in_one_line(db):
    proc = _hold_lock(db, 60)
    try:
        started = time.monotonic()
        with pytest.raises(StoreError) as caught:
            EventStore(db, wait=0.5)
        assert time.monotonic() - started >= 0.3
        message = str(caught.value)
        assert "\n" not in message
        assert f"in use by process {proc.pid}" in message
    finally:
        proc.kill()
        proc.wait(10)


def test_a_writer_waits_for_a_short_lock_to_go(db):
    """Another writer holding the file for a moment is waited for, not an error."""
    proc = _hold_lock(db, 1.0)
    try:
        with EventStore(db, wait=30) as store:
            assert store.counts()["documents"] == 1
    finally:
        proc.wait(10)


def test_holders_serve_one_window_at_a_time(db):
    holder = ReadingHolder(db)
    order: list[str] = []

    def writer(name: str) -> None:
        with holders_stepped_aside(db):
            order.append(f"{name}+")
            time.sleep(0.3)
            order.append(f"{name}-")

    try:
        threads = [threading.Thread(target=writer, args=(n,)) for n in "ab"]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert len(order) == 4
        assert order[0][0] == order[1][0] and order[2][0] == order[3][0]  # never interleaved
        assert holder.store is not None
    finally:
        holder.close()


def test_socket_folder_is_private(db):
    holder = ReadingHolder(db)
    try:
        folder = holder.holder.socket_path.parent
        assert folder.stat().st_mode & 0o777 == 0o700
        assert holder.holder.socket_path.stat().st_mode & 0o077 == 0
        assert f"-{os.getpid()}-" in os.path.basename(holder.holder.socket_path)
    finally:
        holder.close()


def test_two_holders_in_one_process_both_step_aside(db):
    first, second = ReadingHolder(db), ReadingHolder(db)
    try:
        assert first.holder.socket_path != second.holder.socket_path
        with open_for_writing(db) as store:
            store.write(
                [stored("second", [event("second", 1, "AGREE", "MYS", "RUS", DAY)], DAY)],
                load_knowledge().igo_codes,
            )
        assert first.documents() == second.documents() == 2
        first.close()  # closing one leaves the other registered
        assert holder_sockets(db) == [second.holder.socket_path]
    finally:
        first.close()
        second.close()


def test_a_release_that_fails_still_resumes_the_holder(db):
    holder = ReadingHolder(db)
    calls = {"n": 0}
    original = holder.release

    def flaky_release() -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("release failed half way")
        original()

    holder.holder._release = flaky_release
    try:
        with pytest.raises(StoreError), holders_stepped_aside(db):
            pass
        assert holder.store is not None  # resumed: requests are not left waiting
        assert holder.documents() == 1
        with open_for_writing(db) as store:  # the next window works
            assert store.counts()["documents"] == 1
    finally:
        holder.close()


def test_a_shared_folder_turns_sharing_off_instead_of_failing(db, tmp_path, monkeypatch):
    runtime = tmp_path / "runtime"
    (runtime / "sitroom").mkdir(parents=True)
    (runtime / "sitroom").chmod(0o777)  # as if another user had made it first
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    holder = ReadingHolder(db)
    try:
        assert holder.holder.socket_path is None  # not registered where others can listen
        assert holder_sockets(db) == []
    finally:
        holder.close()
    with open_for_writing(db) as store:  # writers still work on a store nobody holds
        assert isinstance(store, EventStore)


def test_a_watcher_writes_in_windows_so_a_server_can_start_later(db):
    with open_for_writing(db, windows=True) as store:
        assert isinstance(store, SharedStore)
        holder = ReadingHolder(db)  # a server started while the watcher runs
        try:
            store.write(
                [stored("later", [event("later", 1, "AGREE", "MYS", "RUS", DAY)], DAY)],
                load_knowledge().igo_codes,
            )
            assert holder.documents() == 2
        finally:
            holder.close()
