"""Read-only queries behind the API: event lists, one event with its evidence, documents,
actors. Every value travels as a parameter; page sizes are capped by the caller."""

from __future__ import annotations

from typing import Any

import duckdb

from sitroom.store.filters import EventFilter, check_confidence, dyads_relation, like_escape

COUNT_CAP = 10_000
SORTS = {
    "date": "e.date ASC NULLS LAST, e.event_id",
    "-date": "e.date DESC NULLS LAST, e.event_id",
    "confidence": "e.confidence ASC, e.event_id",
    "-confidence": "e.confidence DESC, e.event_id",
    "goldstein": "e.goldstein ASC, e.event_id",
    "-goldstein": "e.goldstein DESC, e.event_id",
}
_PAGE_COLUMNS = """
    e.event_id, e.doc_id, e.sentence_index, e.event_type, e.mode, e.quad_class, e.goldstein,
    e.source_codes, e.target_codes, e.trigger_text, e.date, e.date_precision, e.date_basis,
    e.location_name, e.location_country, e.location_lat, e.location_lon, e.modality,
    e.confidence, e.n_mentions, e.event_cluster
"""


def _rows(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def list_events(
    con: duckdb.DuckDBPyConnection, flt: EventFilter, offset: int, limit: int, sort: str
) -> tuple[int, list[dict[str, Any]]]:
    where, params = flt.where()
    # The page of events first (a top-N over one table), then its documents and
    # sentences by id (indexed point lookups, schema version 5): joining a million rows
    # before the LIMIT, or scanning every document for the page's, is what made this slow.
    page = _rows(
        con.execute(
            f"SELECT {_PAGE_COLUMNS} FROM events e WHERE {where} "
            f"ORDER BY {SORTS[sort]} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
    )
    doc_ids = sorted({row["doc_id"] for row in page})
    docs = {
        doc_id: (title, url)
        for doc_id, title, url in con.execute(
            "SELECT doc_id, title, url FROM documents WHERE list_contains(?::VARCHAR[], doc_id)",
            [doc_ids],
        ).fetchall()
    }
    sentences = {
        (doc_id, index): text
        for doc_id, index, text in con.execute(
            "SELECT doc_id, sentence_index, text FROM sentences "
            "WHERE list_contains(?::VARCHAR[], doc_id)",
            [doc_ids],
        ).fetchall()
    }
    rows = []
    for row in page:
        if row["doc_id"] in docs:  # an event always has its document; as a join would
            row["sentence"] = sentences.get((row["doc_id"], row["sentence_index"]))
            row["title"], row["url"] = docs[row["doc_id"]]
            rows.append(row)
    # Counting stops at COUNT_CAP matches: the cost of a count is capped like a page.
    total = con.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM events e WHERE {where} LIMIT {COUNT_CAP + 1})",
        params,
    ).fetchall()[0][0]
    return total, rows


def event_detail(con: duckdb.DuckDBPyConnection, event_id: str) -> dict[str, Any] | None:
    # Point lookups by id, each through its index (schema versions 4 and 5).
    rows = _rows(con.execute("SELECT * FROM events WHERE event_id = ?", [event_id]))
    if not rows:
        return None
    event = rows[0]
    docs = con.execute(
        "SELECT title, url, pub_date, source, text FROM documents WHERE doc_id = ?",
        [event["doc_id"]],
    ).fetchall()
    if not docs:  # as the join with documents did: no document, no event
        return None
    # The document's sentences by doc id alone: a second condition in the lookup, or a
    # join, makes DuckDB scan the whole table instead of using the index.
    texts = dict(
        con.execute(
            "SELECT sentence_index, text FROM sentences WHERE doc_id = ?", [event["doc_id"]]
        ).fetchall()
    )
    event["sentence"] = texts.get(event["sentence_index"])
    event["title"], event["url"], event["pub_date"], event["doc_source"], doc_text = docs[0]
    doc_text = doc_text or ""
    sentence = event.get("sentence") or ""
    base = doc_text.find(sentence) if sentence else -1
    actors = _rows(
        con.execute(
            """SELECT ea.side, ea.position, ea.code, ea.text, ea.start_char, ea.end_char,
                      ea.sector, ea.role, a.kind, a.name, a.country
               FROM event_actors ea JOIN actors a USING (actor_id)
               WHERE ea.event_id = ? ORDER BY ea.side, ea.position""",
            [event_id],
        )
    )
    spans = []
    if base >= 0:
        spans.append(
            _span("trigger", event["trigger_start"] - base, event["trigger_end"] - base, sentence)
        )
        for actor in actors:
            if actor["side"] in ("source", "target"):
                spans.append(
                    _span(
                        actor["side"],
                        actor["start_char"] - base,
                        actor["end_char"] - base,
                        sentence,
                    )
                )
    for kind, text in (("date", event.get("date_text")), ("place", event.get("location_name"))):
        if text and sentence.find(text) >= 0:
            start = sentence.find(text)
            spans.append({"kind": kind, "start": start, "end": start + len(text), "text": text})
    event["spans"] = [s for s in spans if s is not None]
    event["actors"] = actors
    # A mention lies in its event's document (the writer stores it so).
    mentions = _rows(
        con.execute(
            """SELECT sentence_index, trigger_text, trigger_start, trigger_end
               FROM event_mentions WHERE event_id = ? ORDER BY sentence_index""",
            [event_id],
        )
    )
    for mention in mentions:
        mention["text"] = texts.get(mention["sentence_index"])
    event["mentions"] = mentions
    event["cluster_size"] = con.execute(
        "SELECT count(*) FROM events WHERE event_cluster = ?", [event["event_cluster"]]
    ).fetchall()[0][0]
    return event


def _span(kind: str, start: int, end: int, sentence: str) -> dict[str, Any] | None:
    if start < 0 or end > len(sentence) or start >= end:
        return None
    return {"kind": kind, "start": start, "end": end, "text": sentence[start:end]}


def document(con: duckdb.DuckDBPyConnection, doc_id: str) -> dict[str, Any] | None:
    rows = _rows(
        con.execute(
            "SELECT doc_id, title, url, pub_date, source, language, text FROM documents "
            "WHERE doc_id = ?",
            [doc_id],
        )
    )
    if not rows:
        return None
    doc = rows[0]
    doc["events"] = _rows(
        con.execute(
            """SELECT event_id, event_type, trigger_start, trigger_end, trigger_text, date
               FROM events WHERE doc_id = ? ORDER BY trigger_start""",
            [doc_id],
        )
    )
    return doc


def actors(con: duckdb.DuckDBPyConnection, q: str | None, limit: int) -> list[dict[str, Any]]:
    return _rows(
        con.execute(
            """SELECT a.code, a.kind, a.name, a.country, count(DISTINCT ea.event_id) AS events
               FROM actors a JOIN event_actors ea USING (actor_id)
               WHERE ? IS NULL OR a.code ILIKE ? ESCAPE '\\' OR a.name ILIKE ? ESCAPE '\\'
               GROUP BY ALL ORDER BY events DESC, a.code LIMIT ?""",
            [q, like_escape(q or ""), f"%{like_escape(q)}%" if q else None, limit],
        )
    )


def counts(con: duckdb.DuckDBPyConnection, min_confidence: float | None = None) -> dict[str, int]:
    """Rows per table and distinct clusters (what EventStore.counts says, on a cursor).
    With `min_confidence`, events, their mentions and clusters count only events with
    confidence >= that value; documents, actors and observations are counted whole."""
    threshold = check_confidence(min_confidence)
    kept = "(?::DOUBLE IS NULL OR confidence >= ?)"
    one = {
        "documents": ("SELECT count(*) FROM documents", []),
        "events": (f"SELECT count(*) FROM events WHERE {kept}", [threshold] * 2),
        "event_mentions": (
            "SELECT count(*) FROM event_mentions WHERE ?::DOUBLE IS NULL OR event_id IN "
            f"(SELECT event_id FROM events WHERE {kept})",
            [threshold] * 3,
        ),
        "actors": ("SELECT count(*) FROM actors", []),
        "observations": ("SELECT count(*) FROM observations", []),
        "clusters": (
            f"SELECT count(DISTINCT event_cluster) FROM events WHERE {kept}",
            [threshold] * 2,
        ),
    }
    return {name: con.execute(sql, params).fetchall()[0][0] for name, (sql, params) in one.items()}


def newest_events(
    con: duckdb.DuckDBPyConnection, limit: int, min_confidence: float | None = None
) -> list[dict[str, Any]]:
    return list_events(con, EventFilter(min_confidence=min_confidence), 0, limit, "-date")[1]


def top_dyads(
    con: duckdb.DuckDBPyConnection, limit: int, min_confidence: float | None = None
) -> list[dict[str, Any]]:
    return _rows(
        con.execute(
            f"""SELECT least(source_code, target_code) AS a,
                      greatest(source_code, target_code) AS b,
                      count(DISTINCT cluster_no) AS events,
                      round(avg(goldstein), 2) AS goldstein_mean
               FROM {dyads_relation(min_confidence)}
               WHERE target_code <> '---' AND source_code <> target_code
                 AND modality IN ('asserted', 'historical')
               GROUP BY 1, 2 ORDER BY events DESC, 1, 2 LIMIT ?""",
            [limit],
        )
    )
