"""Document ids are paths relative to the input root (jan/report.txt): the API serves them."""

from datetime import date

from fastapi.testclient import TestClient

from sitroom.knowledge.base import load_knowledge
from sitroom.serve.app import create_app
from sitroom.store.database import EventStore
from tests.store.helpers import event, stored

DAY = date(2025, 2, 26)


def test_a_document_whose_id_holds_slashes_is_served(tmp_path):
    db = tmp_path / "ids.duckdb"
    with EventStore(db) as store:
        store.write(
            [
                stored(doc, [event(doc, 1, "CONSULT", "RUS", "MYS", DAY)], DAY)
                for doc in ("jan/report.txt", "feb/report.txt")
            ],
            load_knowledge().igo_codes,
        )
    app = create_app(db)
    try:
        with TestClient(app, base_url="http://127.0.0.1") as client:
            for doc in ("jan/report.txt", "feb/report.txt"):
                for path in (doc, doc.replace("/", "%2F")):
                    response = client.get(f"/api/documents/{path}")
                    assert response.status_code == 200, (path, response.text)
                    assert response.json()["doc_id"] == doc
            missing = client.get("/api/documents/mar/report.txt")
            assert missing.status_code == 404
            assert missing.json()["error"]["parameter"] == "doc_id"
    finally:
        app.state.reader.close()
