"""Whole-store summaries the server keeps per opened store (overview, changes) are fresh
after an ingest writes through a window: the reopen forgets them."""

from datetime import date, timedelta

from fastapi.testclient import TestClient

from sitroom.knowledge.base import load_knowledge
from sitroom.serve.app import create_app
from sitroom.store.database import EventStore
from sitroom.store.sharing import SharedStore, open_for_writing
from tests.store.helpers import event, stored

DAY = date(2025, 3, 3)


def _docs(prefix: str, first: date, days: int, ptype: str, a: str, b: str):
    out = []
    for n in range(days):
        doc = f"{prefix}-{n}"
        day = first + timedelta(days=n)
        out.append(stored(doc, [event(doc, 1, ptype, a, b, day)], day))
    return out


def test_overview_and_changes_follow_a_write_into_the_served_store(tmp_path):
    db = tmp_path / "fresh.duckdb"
    orgs = load_knowledge().igo_codes
    with EventStore(db) as store:  # a quiet baseline between MYS and RUS
        store.write(_docs("base", DAY - timedelta(days=60), 50, "CONSULT", "MYS", "RUS"), orgs)
    app = create_app(db)
    try:
        with TestClient(app, base_url="http://127.0.0.1") as client:
            before = client.get("/api/overview").json()
            changes_before = client.get("/api/changes").json()["rows"]
            with open_for_writing(db) as writer:
                assert isinstance(writer, SharedStore)  # the app holds the store
                writer.write(_docs("burst", DAY, 6, "ASSAULT", "RUS", "UKR"), orgs)
            after = client.get("/api/overview").json()
            changes_after = client.get("/api/changes").json()["rows"]
    finally:
        app.state.reader.close()
    assert after["counts"]["documents"] == before["counts"]["documents"] + 6
    assert after["counts"]["events"] == before["counts"]["events"] + 6
    assert after["newest_events"][0]["doc_id"].startswith("burst-")
    pairs_before = {(r["side_a"], r["side_b"]) for r in changes_before}
    pairs_after = {(r["side_a"], r["side_b"]) for r in changes_after}
    assert ("RUS", "UKR") not in pairs_before
    assert ("RUS", "UKR") in pairs_after  # the burst is a change once it is stored
