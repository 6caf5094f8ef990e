"""The JSON API over the sample store (FastAPI's test client: real app, real DuckDB)."""

import pytest
from fastapi.testclient import TestClient

from sitroom.serve.app import create_app

pytestmark = pytest.mark.model
LOCAL = "http://127.0.0.1"  # the Host the app answers to when bound to loopback


@pytest.fixture(scope="module")
def client(sample_store):
    with TestClient(create_app(sample_store), base_url=LOCAL) as c:
        yield c


@pytest.fixture(scope="module")
def locked(sample_store):
    with TestClient(create_app(sample_store, token="s3cret"), base_url=LOCAL) as c:
        yield c


def test_events_filter_paginate_and_sort(client):
    everything = client.get("/api/events", params={"page_size": 5}).json()
    assert everything["total"] > 100 and len(everything["items"]) == 5
    mys = client.get("/api/events", params={"actor": "MYS", "page_size": 200}).json()
    assert 0 < mys["total"] < everything["total"]
    assert all("MYS" in e["source_codes"] + e["target_codes"] for e in mys["items"])
    dates = [e["date"] for e in mys["items"] if e["date"]]
    assert dates == sorted(dates, reverse=True)
    page2 = client.get("/api/events", params={"page": 2, "page_size": 5}).json()
    assert {e["event_id"] for e in page2["items"]}.isdisjoint(
        e["event_id"] for e in everything["items"]
    )
    text = client.get("/api/events", params={"q": "Kuala Lumpur"}).json()
    assert text["total"] > 0 and all("kuala lumpur" in e["sentence"].lower() for e in text["items"])


def test_one_event_with_evidence_and_its_document(client):
    # Every actor named in the event's sentence is shown there as a span of its side; a side
    # known only from an earlier sentence (the learned coder's context actors) has none.
    items = client.get("/api/events", params={"actor": "MYS", "page_size": 20}).json()["items"]
    sides_shown = set()
    for item in items:
        event = client.get(f"/api/events/{item['event_id']}").json()
        spans = event["spans"]
        for span in spans:
            assert event["sentence"][span["start"] : span["end"]] == span["text"]
        (trigger,) = [s for s in spans if s["kind"] == "trigger"]
        offset = event["trigger_start"] - trigger["start"]
        shown = {(s["kind"], s["start"] + offset, s["end"] + offset) for s in spans}
        for actor in event["actors"]:
            if actor["side"] not in ("source", "target"):
                continue
            if offset <= actor["start_char"] < offset + len(event["sentence"]):
                assert (actor["side"], actor["start_char"], actor["end_char"]) in shown, actor
        sides_shown |= {s["kind"] for s in spans}
        doc = client.get(f"/api/documents/{event['doc_id']}").json()
        assert event["sentence"] in doc["text"]
        assert doc["text"][offset : offset + len(event["sentence"])] == event["sentence"]
    assert {"trigger", "source", "target"} <= sides_shown


def test_analysis_and_knowledge_endpoints(client):
    series = client.get("/api/dyads/MYS/RUS/series").json()
    assert series["rows"] and all(r["events"] >= 1 for r in series["rows"])
    profile = client.get("/api/countries/MYS/profile").json()
    assert profile["partners"][0]["partner"] == "RUS"
    alignment = client.get("/api/countries/MYS/alignment", params={"bloc": ["SCO", "BRICS"]}).json()
    assert {r["bloc"] for r in alignment["rows"]} == {"SCO", "BRICS"}
    assert client.get("/api/changes").json()["rows"]
    sco = client.get("/api/kb/members/SCO", params={"on": "2025-02-26"}).json()
    assert sum(m["status"] == "member" for m in sco["members"]) == 10
    assert client.get("/api/actors", params={"q": "MYS"}).json()[0]["code"] == "MYS"
    assert client.get("/api/overview").json()["top_dyads"]


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/api/events", {"type": "HUG"}, "type"),
        ("/api/events", {"page_size": 1000}, "page_size"),
        ("/api/events", {"since": "yesterday"}, "since"),
        ("/api/events", {"sort": "random"}, "sort"),
        ("/api/events", {"dyad": "MYS"}, "dyad"),
    ],
)
def test_bad_parameters_get_one_error_shape(client, path, params, parameter):
    response = client.get(path, params=params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "bad_parameter" and error["parameter"] == parameter
    assert parameter in error["message"]


def test_missing_things_and_tokens(client, locked):
    missing = client.get("/api/events/nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.get("/api/dyads/MYS/Atlantis/series").status_code == 400
    assert locked.get("/api/overview").status_code == 401
    wrong = locked.get("/api/events", headers={"Authorization": "Bearer wrong"})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "unauthorized"
    assert locked.get("/").status_code == 200  # the page shell holds no data
    ok = locked.get("/api/overview", headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200
    assert client.get("/docs").status_code == 200 and client.get("/openapi.json").status_code == 200


def test_store_is_opened_read_only(sample_store):
    app = create_app(sample_store)
    with app.state.reader.cursor() as con, pytest.raises(Exception, match="read-only"):
        con.execute("DELETE FROM events")
