"""Issue 10, the API: every parameter declared and applied, one JSON error shape for every
failure (500 included), the Host and token checks, the security headers, a reader that
gives each request its own cursor. Real app, real DuckDB, FastAPI's test client."""

from __future__ import annotations

import json
import threading
from datetime import date

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sitroom.cli import app as cli
from sitroom.records import Document
from sitroom.serve.app import create_app
from sitroom.serve.guard import CSP, HostPolicy
from sitroom.serve.reader import StoreReader

pytestmark = pytest.mark.model
LOCAL = "http://127.0.0.1"


@pytest.fixture(scope="module")
def client(sample_store):
    with TestClient(create_app(sample_store), base_url=LOCAL) as c:
        yield c


def _error(response, status, parameter=None):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"status", "code", "message", "parameter"}
    assert error["status"] == status
    if parameter:
        assert error["parameter"] == parameter and parameter in error["message"]
    return error


def _ids(client, params) -> set[str]:
    ids, page = set(), 1
    while True:
        body = client.get("/api/events", params={**params, "page_size": 200, "page": page})
        assert body.status_code == 200, body.text
        items = body.json()["items"]
        ids |= {e["event_id"] for e in items}
        if len(items) < 200:
            return ids
        page += 1


# ------------------------------------------------------------- the examples
def test_quad_and_modality_filters_apply(client):
    everything = client.get("/api/events", params={"page_size": 200}).json()
    quad1 = client.get("/api/events", params={"quad": 1, "page_size": 200})
    assert quad1.status_code == 200
    items = quad1.json()["items"]
    assert items and all(e["quad_class"] == 1 for e in items)
    # Totals, not page lengths: the sample store holds more than a page of each.
    assert quad1.json()["total"] < everything["total"]
    negated = client.get("/api/events", params={"modality": "negated", "page_size": 200})
    assert negated.status_code == 200
    assert all(e["modality"] == "negated" for e in negated.json()["items"])
    assert negated.json()["total"] < client.get("/api/events").json()["total"]
    _error(client.get("/api/events", params={"quad": 5}), 422, "quad")
    _error(client.get("/api/events", params={"modality": "rumoured"}), 422, "modality")


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/api/changes", {"end": "0001-01-01"}, "end"),
        ("/api/changes", {"end": "9999-12-31", "period": "month"}, "end"),
        ("/api/events", {"since": "0001-01-01"}, "since"),
        ("/api/dyads/MYS/RUS/series", {"until": "9999-12-31"}, "until"),
        ("/api/dyads/MYS/RUS/series", {"freq": "fortnight"}, "freq"),
        ("/api/dyads/MYS/RUS/series", {"since": "2025-02-01", "until": "2025-01-01"}, "since"),
        ("/api/countries/MYS/profile", {"since": "0001-01-01"}, "since"),
        ("/api/changes", {"period": "decade"}, "period"),
        ("/api/kb/members/SCO", {"on": "0001-01-01"}, "on"),
        ("/api/events", {"actor": [f"A{i:02d}" for i in range(21)]}, "actor"),
        ("/api/countries/MYS/alignment", {"bloc": ["SCO"] * 21}, "bloc"),
        ("/api/events", {"min_confidence": 1.5}, "min_confidence"),
        ("/api/dyads/MYS/RUS/series", {"min_confidence": -0.1}, "min_confidence"),
        ("/api/countries/MYS/profile", {"min_confidence": "high"}, "min_confidence"),
        ("/api/countries/MYS/alignment", {"min_confidence": 2}, "min_confidence"),
        ("/api/changes", {"min_confidence": "nan"}, "min_confidence"),
        ("/api/overview", {"min_confidence": 1.01}, "min_confidence"),
    ],
)
def test_out_of_range_values_are_422_naming_the_parameter(client, path, params, parameter):
    _error(client.get(path, params=params), 422, parameter)


def test_twenty_actors_are_still_accepted(client):
    codes = ["MYS", *[f"X{i:02d}" for i in range(19)]]
    assert client.get("/api/events", params={"actor": codes}).status_code == 200


def test_text_filter_treats_percent_and_underscore_literally(client, sample_store):
    everything = client.get("/api/events").json()["total"]
    for wildcard in ("%", "_"):
        body = client.get("/api/events", params={"q": wildcard, "page_size": 200}).json()
        assert body["total"] < everything
        assert all(wildcard in e["sentence"] for e in body["items"])
    assert client.get("/api/actors", params={"q": "%"}).json() == []


def test_an_unexpected_failure_is_a_json_500_with_the_headers(sample_store, caplog):
    app = create_app(sample_store)

    @app.get("/api/boom")
    def boom() -> dict:
        raise RuntimeError("secret internals")

    with TestClient(app, base_url=LOCAL) as c:
        response = c.get("/api/boom")
    error = _error(response, 500)
    assert error["code"] == "internal_error" and "secret" not in response.text
    assert response.headers["content-security-policy"] == CSP
    assert "secret internals" in caplog.text  # the traceback goes to the server log


# ------------------------------------------------------- every parameter is applied
# A value for every query parameter of every GET route that changes the answer against
# the same request without it. A parameter added without a probe here fails the test.
PROBES = {
    ("/api/events", "actor"): {"actor": "MYS"},
    ("/api/events", "dyad"): {"dyad": "MYS,RUS"},
    ("/api/events", "type"): {"type": "CONSULT"},
    ("/api/events", "quad"): {"quad": 4},
    ("/api/events", "since"): {"since": "2025-03-01"},
    ("/api/events", "until"): {"until": "2025-03-01"},
    ("/api/events", "location"): {"location": "MYS"},
    ("/api/events", "modality"): {"modality": "negated"},
    ("/api/events", "q"): {"q": "Kuala Lumpur"},
    ("/api/events", "page"): {"page": 2},
    ("/api/events", "page_size"): {"page_size": 3},
    ("/api/events", "sort"): {"sort": "goldstein"},
    ("/api/actors", "q"): {"q": "RUS"},
    ("/api/actors", "limit"): {"limit": 2},
    ("/api/dyads/{a}/{b}/series", "freq"): {"freq": "week"},
    ("/api/dyads/{a}/{b}/series", "directed"): {"directed": True},
    ("/api/dyads/{a}/{b}/series", "count"): {"count": "mentions"},
    ("/api/dyads/{a}/{b}/series", "since"): {"since": "2025-03-01"},
    ("/api/dyads/{a}/{b}/series", "until"): {"until": "2025-03-01"},
    ("/api/countries/{code}/profile", "since"): {"since": "2025-03-01"},
    ("/api/countries/{code}/profile", "until"): {"until": "2025-03-01"},
    ("/api/countries/{code}/alignment", "bloc"): {"bloc": "SCO"},
    ("/api/countries/{code}/alignment", "window"): {"window": 30},
    ("/api/changes", "period"): {"period": "month"},
    ("/api/changes", "end"): {"end": "2025-03-01"},
    ("/api/changes", "top"): {"top": 1},
    ("/api/kb/members/{org}", "on"): {"on": "2000-01-01"},
    # The high-precision setting: 0.99 leaves (nearly) nothing of the sample store.
    ("/api/events", "min_confidence"): {"min_confidence": 0.99},
    ("/api/dyads/{a}/{b}/series", "min_confidence"): {"min_confidence": 0.99},
    ("/api/countries/{code}/profile", "min_confidence"): {"min_confidence": 0.99},
    ("/api/countries/{code}/alignment", "min_confidence"): {"min_confidence": 0.99},
    ("/api/changes", "min_confidence"): {"min_confidence": 0.99},
    ("/api/overview", "min_confidence"): {"min_confidence": 0.99},
}
PATH_VALUES = {"a": "MYS", "b": "RUS", "code": "MYS", "org": "SCO"}


def test_openapi_has_no_get_bodies_and_every_parameter_changes_the_answer(client):
    spec = client.get("/openapi.json").json()
    declared = set()
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            assert method == "get", f"{method} {path}"
            assert "requestBody" not in op, f"GET {path} reads a request body"
            for p in op.get("parameters", []):
                if p["in"] == "query":
                    declared.add((path, p["name"]))
    assert declared == set(PROBES)
    for (path, _name), params in PROBES.items():
        url = path.format(**PATH_VALUES)
        plain = client.get(url)
        probed = client.get(url, params=params)
        assert plain.status_code == probed.status_code == 200, (url, params, probed.text)
        assert plain.json() != probed.json(), f"{url} ignores {params}"


@pytest.mark.parametrize(
    "params",
    [
        {"actor": "MYS"},
        {"actor": ["MYS", "PHL"]},
        {"dyad": "MYS,RUS"},
        {"type": "CONSULT"},
        {"quad": [3, 4]},
        {"since": "2025-03-01", "until": "2025-06-30"},
        {"location": "MYS"},
        {"modality": ["negated", "hypothetical"]},
        {"q": "Kuala Lumpur"},
        {"actor": "MYS", "quad": 1, "modality": "asserted"},
        {"min_confidence": 0.3},
        {"actor": "MYS", "min_confidence": 0.3},
    ],
)
def test_each_filter_matches_the_cli_export(client, sample_store, tmp_path, params):
    options = {"actor": "--actor", "dyad": "--dyad", "type": "--type", "quad": "--quad"}
    options |= {"since": "--since", "until": "--until", "location": "--location"}
    options |= {"modality": "--modality", "q": "--text", "min_confidence": "--min-confidence"}
    args = ["export", "-f", "jsonl", "-o", str(tmp_path / "out.jsonl"), "--db", str(sample_store)]
    for key, value in params.items():
        for v in value if isinstance(value, list) else [value]:
            args += [options[key], str(v)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "out.jsonl").read_text().splitlines()
    exported = {json.loads(line)["event_id"] for line in lines if line.strip()}
    assert exported, "the filter should match something in the sample store"
    assert _ids(client, params) == exported


# --------------------------------------------------------------- hosts and tokens
def test_host_header_must_name_the_server(sample_store):
    app = create_app(sample_store, allowed_hosts=["sitroom.example"])
    with TestClient(app, base_url="http://attacker.example") as c:
        error = _error(c.get("/api/overview"), 400)
        assert error["code"] == "bad_host"
        assert c.get("/").status_code == 400  # the pages too
        assert c.get("/", headers={"host": "localhost:8000"}).status_code == 200
        assert c.get("/", headers={"host": "[::1]:8000"}).status_code == 200
        assert c.get("/", headers={"host": "Sitroom.Example."}).status_code == 200
        assert c.get("/", headers={"host": "10.0.0.5"}).status_code == 400


def test_host_policy_for_each_binding():
    loop = HostPolicy("127.0.0.1")
    assert loop.allows("127.0.0.1:8000") and loop.allows("localhost") and loop.allows("[::1]")
    assert not loop.allows("evil.example") and not loop.allows("") and not loop.allows(None)
    assert not loop.allows("127.0.0.1.evil.example")
    lan = HostPolicy("192.168.1.20", ["dash.lan"])
    assert lan.allows("192.168.1.20:80") and lan.allows("dash.lan")
    assert not lan.allows("localhost") and not lan.allows("192.168.1.21")
    anywhere = HostPolicy("0.0.0.0", ["dash.lan"])
    assert anywhere.allows("192.168.1.21:8000") and anywhere.allows("[fe80::1]")
    assert anywhere.allows("localhost") and anywhere.allows("dash.lan")
    assert not anywhere.allows("rebind.attacker.example")


def test_token_scheme_is_case_insensitive(sample_store):
    with TestClient(create_app(sample_store, token="s3cret"), base_url=LOCAL) as c:
        for scheme in ("Bearer", "bearer", "BEARER"):
            headers = {"Authorization": f"{scheme} s3cret"}
            assert c.get("/api/overview", headers=headers).status_code == 200
        for header in ("Basic s3cret", "Bearer s3cre", "Bearer", "s3cret", "Bearer s3cret2"):
            response = c.get("/api/overview", headers={"Authorization": header})
            assert _error(response, 401)["code"] == "unauthorized"
            assert response.headers["www-authenticate"] == "Bearer"


# ---------------------------------------------------------------------- headers
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/events", 200),
        ("/docs", 200),
        ("/static/app.js", 200),
        ("/openapi.json", 200),
        ("/api/events", 200),
        ("/api/events/nope", 404),
        ("/api/events?quad=9", 422),
        ("/nowhere", 404),
    ],
)
def test_security_headers_on_every_response(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    headers = response.headers
    assert headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "frame-ancestors 'none'" in CSP
    assert "unsafe-inline" not in CSP
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"


def test_docs_page_is_served_by_the_app(client):
    page = client.get("/docs").text
    assert "/static/docs.js" in page and "http" not in page.lower().replace("http-equiv", "")
    assert "<script>" not in page  # no inline script (the CSP would block it)


# ------------------------------------------------------------- stored links
@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("javascript:alert(document.domain)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox", None),
        ("file:///etc/passwd", None),
        ("//evil.example/x", None),
        ("not a url", None),
        ("https://example.org/a?b=c", "https://example.org/a?b=c"),
        ("HTTP://Example.org/", "HTTP://Example.org/"),
    ],
)
def test_only_web_urls_are_kept_on_documents(url, kept):
    assert Document(id="d", text="t", url=url).url == kept


# ------------------------------------------------------------- cursor per request
def test_a_request_holding_a_cursor_does_not_block_another(sample_store):
    reader = StoreReader(sample_store)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with reader.cursor() as con:
            con.execute("SELECT count(*) FROM events").fetchall()
            held.set()
            release.wait(10)

    worker = threading.Thread(target=hold)
    worker.start()
    try:
        assert held.wait(10)
        answered = []

        def ask() -> None:
            with reader.cursor() as con:
                answered.append(con.execute("SELECT count(*) FROM events").fetchall()[0][0])

        other = threading.Thread(target=ask)
        other.start()
        other.join(5)
        assert answered and answered[0] > 0, "a second request waited for the first"
    finally:
        release.set()
        worker.join()
        reader.close()


def test_parallel_requests_all_answer(client):
    paths = ["/api/events?actor=MYS", "/api/dyads/MYS/RUS/series", "/api/overview"] * 6
    results: list[int] = []

    def get(path: str) -> None:
        results.append(client.get(path).status_code)

    threads = [threading.Thread(target=get, args=(p,)) for p in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == [200] * len(paths)


def test_dates_far_in_the_past_fail_cleanly_in_the_analyst(sample_store):
    from sitroom.analysis import Analyst
    from sitroom.errors import SitroomError

    with Analyst.open(sample_store) as analyst, pytest.raises(SitroomError, match="range"):
        analyst.changes("week", date(1, 1, 3))


def test_whole_store_summaries_are_memoised_until_the_store_reopens(sample_store):
    reader = StoreReader(sample_store, share=False)
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        with reader.cursor() as con:
            return con.execute("SELECT count(*) FROM events").fetchall()[0][0]

    try:
        first = reader.memo("events", compute)
        assert reader.memo("events", compute) == first and len(calls) == 1
        reader.release()  # what an ingest's write window does
        reader.resume()
        assert reader.memo("events", compute) == first and len(calls) == 2
    finally:
        reader.close()
