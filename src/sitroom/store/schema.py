"""The DuckDB store's tables, their version, and the migrations between versions.

A file records its schema version in `meta`. Tables carry no PRIMARY KEY constraints:
the writer keeps ids unique itself (a changed document's rows are deleted and rewritten
in one transaction, which DuckDB's eager key checks would refuse). Plain ART indexes serve
the API's point lookups: one event and its cluster (version 4), documents and sentences
by document (version 5); everything else is scanned through DuckDB's min-max zone maps,
which keeps bulk inserts fast (the version 4 indexes cost about 11% of write speed and
100 MB per million events). Opening a file
written by an older sitroom applies the missing migrations in order, in one transaction;
opening a file from a newer sitroom is refused rather than guessed at. docs/store.md
describes every table.
"""

from __future__ import annotations

import duckdb

from sitroom.errors import StoreError

SCHEMA_VERSION = 5

# Version 1: documents, sentences, events, mentions, actors and their links.
_V1 = [
    """CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    """CREATE TABLE documents (
        doc_id VARCHAR NOT NULL,
        content_hash VARCHAR NOT NULL,
        source VARCHAR,
        url VARCHAR,
        title VARCHAR,
        pub_date DATE,
        language VARCHAR,
        text VARCHAR NOT NULL,
        ingested_at TIMESTAMP NOT NULL
    )""",
    """CREATE TABLE sentences (
        doc_id VARCHAR NOT NULL,
        sentence_index INTEGER NOT NULL,
        text VARCHAR NOT NULL
    )""",
    """CREATE TABLE events (
        event_id VARCHAR NOT NULL,
        doc_id VARCHAR NOT NULL,
        sentence_index INTEGER NOT NULL,
        event_type VARCHAR NOT NULL,
        mode VARCHAR,
        context VARCHAR[],
        cameo VARCHAR NOT NULL,
        quad_class TINYINT NOT NULL,
        goldstein DOUBLE NOT NULL,
        joint BOOLEAN NOT NULL,
        trigger_text VARCHAR NOT NULL,
        trigger_start INTEGER NOT NULL,
        trigger_end INTEGER NOT NULL,
        date DATE,
        date_end DATE,
        date_precision VARCHAR,
        date_text VARCHAR,
        date_basis VARCHAR,
        location_name VARCHAR,
        location_country VARCHAR,
        location_admin1 VARCHAR,
        location_lat DOUBLE,
        location_lon DOUBLE,
        location_geonames_id BIGINT,
        location_precision VARCHAR,
        modality VARCHAR NOT NULL,
        confidence DOUBLE NOT NULL,
        source_codes VARCHAR[] NOT NULL,
        target_codes VARCHAR[] NOT NULL,
        attribution_code VARCHAR,
        n_mentions INTEGER NOT NULL,
        cluster_key VARCHAR NOT NULL,
        date_last DATE,
        event_cluster VARCHAR
    )""",
    """CREATE TABLE event_mentions (
        event_id VARCHAR NOT NULL,
        doc_id VARCHAR NOT NULL,
        sentence_index INTEGER NOT NULL,
        trigger_text VARCHAR NOT NULL,
        trigger_start INTEGER NOT NULL,
        trigger_end INTEGER NOT NULL
    )""",
    """CREATE TABLE actors (
        actor_id VARCHAR NOT NULL,
        code VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        name VARCHAR,
        country VARCHAR
    )""",
    """CREATE TABLE event_actors (
        event_id VARCHAR NOT NULL,
        side VARCHAR NOT NULL,
        position INTEGER NOT NULL,
        actor_id VARCHAR NOT NULL,
        code VARCHAR NOT NULL,
        text VARCHAR NOT NULL,
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        sector VARCHAR,
        role VARCHAR
    )""",
    # One row per (event, source code, target code): the fact table analysis scans.
    """CREATE TABLE event_dyads (
        event_id VARCHAR NOT NULL,
        event_cluster VARCHAR,
        source_code VARCHAR NOT NULL,
        target_code VARCHAR NOT NULL,
        date DATE,
        event_type VARCHAR NOT NULL,
        quad_class TINYINT NOT NULL,
        goldstein DOUBLE NOT NULL,
        modality VARCHAR NOT NULL,
        n_mentions INTEGER NOT NULL
    )""",
]

# Version 2: text-derived membership observations.
_V2 = [
    """CREATE TABLE observations (
        observation_id VARCHAR NOT NULL,
        org VARCHAR NOT NULL,
        country VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        date DATE,
        event_id VARCHAR NOT NULL,
        doc_id VARCHAR NOT NULL,
        evidence VARCHAR NOT NULL
    )""",
]

# Version 3: what happened to each source (fetches, skips, cuts) and feed polling state.
_V3 = [
    """CREATE TABLE source_log (
        source VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        reason VARCHAR,
        http_status INTEGER,
        doc_id VARCHAR,
        logged_at TIMESTAMP NOT NULL
    )""",
    """CREATE TABLE feeds (
        url VARCHAR NOT NULL,
        failures INTEGER NOT NULL,
        next_attempt TIMESTAMP,
        last_success TIMESTAMP,
        last_error VARCHAR
    )""",
]

# Version 4: point lookups by event id and by cluster (the API's event page) without a scan
# of every event: 60 -> 25 ms on a million events, for about 100 MB more per million.
_V4 = [
    "CREATE INDEX events_by_id ON events (event_id)",
    "CREATE INDEX events_by_cluster ON events (event_cluster)",
]


def id_number(expr: str) -> str:
    """SQL for a string id as a number: the first 64 bits of its MD5, the same in every
    DuckDB version and in Python (`int(md5(s).hexdigest()[:16], 16)`)."""
    return f"('0x' || md5({expr})[1:16])::UBIGINT"


CLUSTER_NO = id_number("coalesce(event_cluster, event_id)")
EVENT_NO = id_number("event_id")

# Version 5: event_dyads carries its event and cluster ids as numbers as well. Analysis
# counts and deduplicates on them: comparing strings meant decompressing two hash columns
# for nearly every scanned row, which was most of the cost of a country's profile. Two
# different ids share a number with a chance of about 3 in 10^8 among a million ids.
_V5 = [
    "ALTER TABLE event_dyads ADD COLUMN cluster_no UBIGINT",
    "ALTER TABLE event_dyads ADD COLUMN event_no UBIGINT",
    f"UPDATE event_dyads SET cluster_no = {CLUSTER_NO}, event_no = {EVENT_NO}",
    # The API's pages fetch a page's documents and sentences, and one event's document,
    # by id: point lookups instead of scans of every row, for about 23 MB per million
    # events. (Indexing event_actors and event_mentions by event would take another
    # 10 ms off the event page for 160 MB per million events; not done.)
    "CREATE INDEX documents_by_id ON documents (doc_id)",
    "CREATE INDEX sentences_by_doc ON sentences (doc_id)",
]

MIGRATIONS: dict[int, list[str]] = {1: _V1, 2: _V2, 3: _V3, 4: _V4, 5: _V5}


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """0 for an empty database, else the version the file records."""
    tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "meta" not in tables:
        if tables:
            raise StoreError("the database has tables but no sitroom meta table")
        return 0
    # fetchall, not fetchone: DuckDB keeps a partly fetched result open on the connection.
    rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    return int(rows[0][0]) if rows else 0


def migrate(con: duckdb.DuckDBPyConnection, target: int = SCHEMA_VERSION) -> int:
    """Bring the database to `target`; returns the version it had."""
    found = schema_version(con)
    if found > SCHEMA_VERSION:
        raise StoreError(
            f"the database has schema version {found}, newer than this sitroom "
            f"({SCHEMA_VERSION}); upgrade sitroom to open it"
        )
    if found >= target:
        return found
    con.execute("BEGIN TRANSACTION")
    try:
        for version in range(found + 1, target + 1):
            for statement in MIGRATIONS[version]:
                con.execute(statement)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(target)])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return found
