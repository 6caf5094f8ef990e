"""Export stored events: Parquet partitioned by month, CSV, JSON Lines, and a
GDELT-style flat CSV (one row per event) that GDELT tooling can read.

GDELT-style columns follow the GDELT 2.0 event table names; where sitroom's data differ
the values say so: actor and geo country codes are ISO 3166-1 alpha-3 (GDELT uses
CAMEO country codes and FIPS for geography), EventCode is the CAMEO code of the PLOVER
type and mode, NumMentions counts mentions across the event's cluster, NumArticles the
documents reporting it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from sitroom.errors import StoreError
from sitroom.store.filters import EventFilter

FORMATS = ("parquet", "csv", "jsonl", "gdelt")

_EVENT_COLUMNS = """
    e.event_id, e.event_cluster, e.doc_id, e.sentence_index, s.text AS sentence,
    e.event_type, e.mode, e.context, e.cameo, e.quad_class, e.goldstein, e.joint,
    e.source_codes, e.target_codes, e.trigger_text, e.trigger_start, e.trigger_end,
    e.date, e.date_end, e.date_precision, e.date_text, e.date_basis,
    e.location_name, e.location_country, e.location_admin1, e.location_lat, e.location_lon,
    e.location_geonames_id, e.location_precision, e.modality, e.attribution_code,
    e.confidence, e.n_mentions, d.url, d.title, d.pub_date, d.source AS document_source
"""

_GDELT_COLUMNS = """
    e.event_id AS GLOBALEVENTID,
    CAST(strftime(e.date, '%Y%m%d') AS INTEGER) AS SQLDATE,
    CAST(strftime(e.date, '%Y%m') AS INTEGER) AS MonthYear,
    year(e.date) AS Year,
    e.source_codes[1] AS Actor1Code,
    coalesce(src.name, src.text) AS Actor1Name,
    coalesce(src.country, CASE WHEN src.kind = 'state' THEN src.code END) AS Actor1CountryCode,
    src.sector AS Actor1Type1Code,
    e.target_codes[1] AS Actor2Code,
    coalesce(tgt.name, tgt.text) AS Actor2Name,
    coalesce(tgt.country, CASE WHEN tgt.kind = 'state' THEN tgt.code END) AS Actor2CountryCode,
    tgt.sector AS Actor2Type1Code,
    1 AS IsRootEvent,
    e.cameo AS EventCode,
    left(e.cameo, 3) AS EventBaseCode,
    left(e.cameo, 2) AS EventRootCode,
    e.quad_class AS QuadClass,
    e.goldstein AS GoldsteinScale,
    cl.mentions AS NumMentions,
    cl.documents AS NumSources,
    cl.documents AS NumArticles,
    CASE e.location_precision WHEN 'country' THEN 1 WHEN 'region' THEN 2
         WHEN 'city' THEN 4 WHEN 'place' THEN 4 WHEN 'sea' THEN 5 ELSE 0 END AS ActionGeo_Type,
    e.location_name AS ActionGeo_FullName,
    e.location_country AS ActionGeo_CountryCode,
    e.location_admin1 AS ActionGeo_ADM1Code,
    e.location_lat AS ActionGeo_Lat,
    e.location_lon AS ActionGeo_Long,
    e.location_geonames_id AS ActionGeo_FeatureID,
    CAST(strftime(d.ingested_at, '%Y%m%d%H%M%S') AS BIGINT) AS DATEADDED,
    d.url AS SOURCEURL,
    e.event_type AS PLOVER_Type,
    e.mode AS PLOVER_Mode,
    e.modality AS Modality,
    e.event_cluster AS EventCluster
"""


def export_events(
    con: duckdb.DuckDBPyConnection, fmt: str, out: Path, flt: EventFilter | None = None
) -> int:
    """Write the filtered events to `out` (a folder for Parquet); returns rows written."""
    if fmt not in FORMATS:
        raise StoreError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    where, params = (flt or EventFilter()).where()
    if fmt == "gdelt":
        query = f"""
            WITH cl AS (
                SELECT coalesce(event_cluster, event_id) AS cluster,
                       sum(n_mentions) AS mentions, count(DISTINCT doc_id) AS documents
                FROM events GROUP BY 1
            )
            SELECT {_GDELT_COLUMNS}
            FROM events e
            JOIN documents d ON d.doc_id = e.doc_id
            JOIN cl ON cl.cluster = coalesce(e.event_cluster, e.event_id)
            LEFT JOIN (SELECT ea.event_id, a.code, a.kind, a.name, a.country, ea.sector, ea.text
                       FROM event_actors ea JOIN actors a USING (actor_id)
                       WHERE ea.side = 'source' AND ea.position = 0) src
                   ON src.event_id = e.event_id
            LEFT JOIN (SELECT ea.event_id, a.code, a.kind, a.name, a.country, ea.sector, ea.text
                       FROM event_actors ea JOIN actors a USING (actor_id)
                       WHERE ea.side = 'target' AND ea.position = 0) tgt
                   ON tgt.event_id = e.event_id
            WHERE {where}
            ORDER BY e.date, e.event_id"""
    else:
        query = f"""
            SELECT {_EVENT_COLUMNS}
            FROM events e
            JOIN documents d ON d.doc_id = e.doc_id
            LEFT JOIN sentences s
                   ON s.doc_id = e.doc_id AND s.sentence_index = e.sentence_index
            WHERE {where}
            ORDER BY e.date, e.event_id"""
    rows = con.execute(f"SELECT count(*) FROM ({query})", params).fetchall()[0][0]
    target = str(out).replace("'", "''")
    if fmt == "parquet":
        out.mkdir(parents=True, exist_ok=True)
        copy = (
            f"COPY (SELECT *, coalesce(strftime(date, '%Y-%m'), 'undated') AS month "
            f"FROM ({query})) TO '{target}' "
            "(FORMAT parquet, PARTITION_BY (month), OVERWRITE_OR_IGNORE true)"
        )
    elif fmt == "jsonl":
        copy = f"COPY ({query}) TO '{target}' (FORMAT json)"
    else:
        copy = f"COPY ({query}) TO '{target}' (FORMAT csv, HEADER true)"
    try:
        con.execute(copy, params)
    except duckdb.Error as exc:
        raise StoreError(f"{out}: cannot write the export ({exc})") from exc
    return rows
