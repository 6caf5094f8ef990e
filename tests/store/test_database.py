"""The DuckDB store: idempotent writes, replacement, clusters, migrations, bad files."""

import hashlib
from datetime import date

import duckdb
import pytest

from sitroom.errors import StoreError
from sitroom.store.database import EventStore
from sitroom.store.schema import MIGRATIONS, SCHEMA_VERSION, schema_version
from tests.store.helpers import event, stored

IGOS = frozenset({"BRICS", "SCO", "ASEAN"})
D = date(2025, 2, 26)


def _rows(store, sql):
    return store.con.execute(sql).fetchall()


def test_same_documents_twice_add_nothing(tmp_path):
    batch = [stored("a", [event("a", 0, "CONSULT", "RUS", "MYS", D)], D)]
    with EventStore(tmp_path / "s.duckdb") as store:
        first = store.write(batch, IGOS)
        second = store.write(batch, IGOS)
        assert (first.documents, first.events) == (1, 1)
        assert (second.documents, second.events) == (0, 0)
        assert store.counts()["events"] == 1 and store.counts()["documents"] == 1


def test_changed_document_replaces_its_old_events(tmp_path):
    old = stored("a", [event("a", 0, "CONSULT", "RUS", "MYS", D)], D, "old text")
    new = stored("a", [event("a", 1, "ASSAULT", "RUS", "UKR", D)], D, "new text")
    with EventStore(tmp_path / "s.duckdb") as store:
        store.write([old], IGOS)
        summary = store.write([new], IGOS)
        assert summary.replaced == 1
        assert _rows(store, "SELECT event_type FROM events") == [("ASSAULT",)]
        assert _rows(store, "SELECT count(*) FROM event_dyads") == [(1,)]
        assert _rows(store, "SELECT text FROM documents") == [("new text",)]


def test_same_event_in_two_stories_shares_a_cluster(tmp_path):
    a = stored("a", [event("a", 0, "CONSULT", "RUS", "MYS", D)], D)
    b = stored("b", [event("b", 0, "CONSULT", "RUS", "MYS", date(2025, 2, 27))], D)
    c = stored("c", [event("c", 0, "CONSULT", "RUS", "MYS", date(2025, 3, 20))], D)
    with EventStore(tmp_path / "s.duckdb") as store:
        store.write([a], IGOS)
        store.write([b, c], IGOS)  # a later batch joins the earlier story's cluster
        clusters = dict(_rows(store, "SELECT doc_id, event_cluster FROM events"))
        assert clusters["a"] == clusters["b"] != clusters["c"]
        dyad_clusters = dict(_rows(store, "SELECT event_id, event_cluster FROM event_dyads"))
        assert dyad_clusters["a-0"] == clusters["a"]
        assert store.counts()["clusters"] == 2


def test_membership_requests_become_observations(tmp_path):
    ev = event(
        "a",
        0,
        "CONSULT",
        "MYS",
        "BRICS",
        D,
        sentence="Kuala Lumpur has applied to join the BRICS.",
        tgt_kind="igo",
    ).model_copy(update={"event_type": "REQUEST"})
    with EventStore(tmp_path / "s.duckdb") as store:
        store.write([stored("a", [ev], D)], IGOS)
        rows = _rows(store, "SELECT org, country, status, evidence FROM observations")
    assert rows == [("BRICS", "MYS", "applicant", "Kuala Lumpur has applied to join the BRICS.")]


def test_old_schema_is_migrated_and_keeps_its_data(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    for statement in MIGRATIONS[1]:
        con.execute(statement)
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.execute(
        "INSERT INTO documents VALUES ('d', 'h', NULL, NULL, NULL, NULL, NULL, 'text', now())"
    )
    con.close()
    with EventStore(path) as store:
        assert schema_version(store.con) == SCHEMA_VERSION
        assert _rows(store, "SELECT doc_id FROM documents") == [("d",)]
        assert _rows(store, "SELECT count(*) FROM observations") == [(0,)]


def test_bad_files_give_clear_errors_and_stay_untouched(tmp_path):
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match=r"junk\.duckdb"):
        EventStore(junk)
    assert junk.read_bytes().startswith(b"this is not")
    with pytest.raises(StoreError, match="no such store"):
        EventStore(tmp_path / "missing.duckdb", read_only=True)
    foreign = tmp_path / "foreign.duckdb"
    con = duckdb.connect(str(foreign))
    con.execute("CREATE TABLE mine (x INT)")
    con.close()
    with pytest.raises(StoreError, match="no sitroom meta table"):
        EventStore(foreign)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.duckdb"
    with EventStore(path) as store:
        store.con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer than this sitroom"):
        EventStore(path)


def _number(text: str) -> int:
    """What schema version 5 stores for a string id (the first 64 bits of its MD5)."""
    return int(hashlib.md5(text.encode()).hexdigest()[:16], 16)


def test_cluster_numbers_follow_a_cluster_merge(tmp_path):
    # The later story is stored first; the earlier one, written next, becomes the
    # cluster's first event, so the stored event's cluster id (and number) change.
    late = stored("b", [event("b", 0, "CONSULT", "RUS", "MYS", date(2025, 2, 27))], D)
    early = stored("a", [event("a", 0, "CONSULT", "RUS", "MYS", D)], D)
    with EventStore(tmp_path / "s.duckdb") as store:
        store.write([late], IGOS)
        before = _rows(store, "SELECT event_cluster FROM events WHERE doc_id = 'b'")[0][0]
        store.write([early], IGOS)
        rows = _rows(
            store,
            "SELECT event_id, event_cluster, cluster_no, event_no FROM event_dyads "
            "ORDER BY event_id",
        )
    (a_id, a_cluster, a_no, a_event), (b_id, b_cluster, b_no, b_event) = rows
    assert b_cluster != before and a_cluster == b_cluster  # the merge rewrote b's cluster
    assert a_no == b_no == _number(a_cluster)
    assert (a_event, b_event) == (_number(a_id), _number(b_id))
