"""The high-precision setting in the store (issue 11): `min_confidence` keeps only events
whose confidence is at least the threshold, on every read path: event filters and
exports, the API's queries, and the analyses. Hand-made events, real DuckDB, no model."""

from __future__ import annotations

import json
import math
from datetime import date

import pytest
from fastapi.testclient import TestClient

from sitroom.analysis import Analyst
from sitroom.extract.thresholds import PRECISE_THRESHOLD
from sitroom.serve import queries
from sitroom.serve.app import create_app
from sitroom.store.database import EventStore
from sitroom.store.export import export_events
from sitroom.store.filters import EventFilter, FilterError, check_confidence, dyads_relation
from tests.store.helpers import event, stored

DAY = date(2025, 3, 5)
# doc id -> (type, confidence): three different events (three clusters) of one dyad.
EVENTS = {"low": ("CONSULT", 0.3), "mid": ("AGREE", 0.6), "high": ("COOPERATE", 0.9)}


def _documents():
    docs = []
    for name, (ptype, confidence) in EVENTS.items():
        ev = event(name, 0, ptype, "MYS", "RUS", DAY).model_copy(update={"confidence": confidence})
        docs.append(stored(name, [ev], DAY))
    return docs


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("minconf") / "s.duckdb"
    with EventStore(path) as store:
        store.write(_documents(), frozenset({"BRICS", "ASEAN", "SCO"}))
    return path


@pytest.fixture(scope="module")
def con(store_path):
    with EventStore(store_path, read_only=True) as store:
        yield store.con


def _kept(con, flt: EventFilter) -> list[str]:
    where, params = flt.where()
    return [
        r[0]
        for r in con.execute(
            f"SELECT doc_id FROM events e WHERE {where} ORDER BY 1", params
        ).fetchall()
    ]


# ------------------------------------------------------------------- the filter
@pytest.mark.parametrize(
    ("threshold", "kept"),
    [
        (None, ["high", "low", "mid"]),
        (0.0, ["high", "low", "mid"]),
        (0.5, ["high", "mid"]),  # the example: 0.3 / 0.6 / 0.9 at 0.5 keeps two
        (0.6, ["high", "mid"]),  # at or above: the threshold itself is kept
        (0.9, ["high"]),
        (0.95, []),
    ],
)
def test_filter_keeps_events_at_or_above_the_threshold(con, threshold, kept):
    assert _kept(con, EventFilter(min_confidence=threshold)) == kept
    assert _kept(con, EventFilter.build(min_confidence=threshold)) == kept


def test_threshold_combines_with_the_other_filters(con):
    flt = EventFilter.build(actors=["RUS"], types=["AGREE", "CONSULT"], min_confidence=0.5)
    assert _kept(con, flt) == ["mid"]
    assert _kept(con, EventFilter.build(types=["CONSULT"], min_confidence=0.5)) == []
    assert _kept(con, EventFilter.build(actors=["CHN"], min_confidence=0.5)) == []


@pytest.mark.parametrize("bad", [1.5, -0.1, math.nan, math.inf, "0.5", True])
def test_a_bad_threshold_is_one_error_naming_the_option(bad):
    with pytest.raises(FilterError) as caught:
        EventFilter.build(min_confidence=bad)
    assert caught.value.parameter == "min_confidence"
    assert str(caught.value).startswith("min_confidence ")
    assert "\n" not in str(caught.value)
    with pytest.raises(FilterError, match=r"^--min-confidence "):
        check_confidence(bad, "--min-confidence")
    with pytest.raises(FilterError):
        dyads_relation(bad)  # never written into SQL unchecked


def test_the_precise_preset_is_a_valid_threshold():
    assert check_confidence(PRECISE_THRESHOLD) == PRECISE_THRESHOLD
    assert 0 < PRECISE_THRESHOLD < 1


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "gdelt", "parquet"])
def test_exports_keep_only_confident_events(con, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    assert export_events(con, fmt, out, EventFilter.build(min_confidence=0.5)) == 2
    assert export_events(con, fmt, tmp_path / f"all.{fmt}", EventFilter()) == 3
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text().splitlines()]
        assert sorted(r["confidence"] for r in rows) == [0.6, 0.9]


# ------------------------------------------------------------- the API's queries
def test_overview_queries_count_only_confident_events(con):
    everything = queries.counts(con)
    confident = queries.counts(con, 0.5)
    assert everything["events"] == everything["clusters"] == 3
    assert confident["events"] == confident["clusters"] == confident["event_mentions"] == 2
    for whole in ("documents", "actors", "observations"):
        assert confident[whole] == everything[whole]
    assert list(confident) == list(everything)
    assert [r["doc_id"] for r in queries.newest_events(con, 10, 0.5)] == ["high", "mid"]
    assert queries.top_dyads(con, 10)[0]["events"] == 3
    assert queries.top_dyads(con, 10, 0.5)[0]["events"] == 2
    assert queries.top_dyads(con, 10, 0.95) == []


# --------------------------------------------------------------------- analyses
def test_analyses_count_only_confident_events(store_path):
    with Analyst.open(store_path) as every, Analyst.open(store_path, 0.5) as sure:
        assert every.dyad_series("MYS", "RUS")["events"].tolist() == [3]
        assert sure.dyad_series("MYS", "RUS")["events"].tolist() == [2]
        assert every.country_profile("MYS").partners["events"].tolist() == [3]
        assert sure.country_profile("MYS").partners["events"].tolist() == [2]
        assert every.bloc_alignment("MYS", ["BRICS"])["events"].max() == 3
        assert sure.bloc_alignment("MYS", ["BRICS"])["events"].max() == 2
        assert every.changes("week", min_events=1)["events"].tolist() == [3]
        assert sure.changes("week", min_events=1)["events"].tolist() == [2]
        # `using` binds a threshold per cursor; without one the analyst's own holds.
        cursor = every.con.cursor()
        assert every.using(cursor, 0.9).dyad_series("MYS", "RUS")["events"].tolist() == [1]
        assert sure.using(cursor).dyad_series("MYS", "RUS")["events"].tolist() == [2]
        assert every.using(cursor).dyad_series("MYS", "RUS")["events"].tolist() == [3]


def test_analyst_refuses_a_bad_threshold(store_path):
    with pytest.raises(FilterError, match="min_confidence"):
        Analyst.open(store_path, 2.0)


# ---------------------------------------------------------------------------- API
@pytest.fixture(scope="module")
def client(store_path):
    with TestClient(create_app(store_path), base_url="http://127.0.0.1") as c:
        yield c


ANALYSIS_PATHS = [
    "/api/events",
    "/api/dyads/MYS/RUS/series",
    "/api/countries/MYS/profile",
    "/api/countries/MYS/alignment",
    "/api/changes",
    "/api/overview",
]


def test_api_keeps_only_confident_events(client):
    assert client.get("/api/events").json()["total"] == 3
    body = client.get("/api/events", params={"min_confidence": 0.5}).json()
    assert body["total"] == 2 and sorted(e["confidence"] for e in body["items"]) == [0.6, 0.9]
    assert client.get("/api/events", params={"min_confidence": 0.9}).json()["total"] == 1
    series = client.get("/api/dyads/MYS/RUS/series", params={"min_confidence": 0.5}).json()
    assert [r["events"] for r in series["rows"]] == [2]
    profile = client.get("/api/countries/MYS/profile", params={"min_confidence": 0.5}).json()
    assert [p["events"] for p in profile["partners"]] == [2]
    overview = client.get("/api/overview", params={"min_confidence": 0.5}).json()
    assert overview["counts"]["events"] == 2 and overview["top_dyads"][0]["events"] == 2
    # The whole-store overview is memoised; a thresholded one never replaces it.
    assert client.get("/api/overview").json()["counts"]["events"] == 3
    assert (
        client.get("/api/overview", params={"min_confidence": 0.9}).json()["counts"]["events"] == 1
    )


@pytest.mark.parametrize("path", ANALYSIS_PATHS)
@pytest.mark.parametrize("bad", ["1.5", "-0.1", "high", "nan"])
def test_api_threshold_out_of_range_is_422_naming_it(client, path, bad):
    response = client.get(path, params={"min_confidence": bad})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "bad_parameter" and error["parameter"] == "min_confidence"
    assert "min_confidence" in error["message"]
