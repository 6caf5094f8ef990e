"""The embedded DuckDB event store: write coded documents, read them back.

Writes are batched through Arrow and atomic per batch: a batch's documents, events,
mentions, actors, dyads, observations and the re-clustering they cause commit together
or not at all, so a killed ingest leaves the store as it was after the last whole batch.
"""

from __future__ import annotations

import gc
import hashlib
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from operator import attrgetter
from pathlib import Path

import duckdb
import pyarrow as pa

from sitroom.errors import StoreError
from sitroom.extract.clusters import ClusterItem, cluster_events, make_key
from sitroom.extract.observations import membership_observations
from sitroom.extract.when import period_end
from sitroom.records import Actor, Document, Event, Observation
from sitroom.store.schema import CLUSTER_NO, EVENT_NO, id_number, migrate


def content_hash(document: Document) -> str:
    """What identifies a version of a document: its text, date and title."""
    text = f"{document.date}|{document.title or ''}|{document.text}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def actor_id(actor: Actor) -> str:
    return _actor_id(actor.code, actor.kind, actor.name or "")


@lru_cache(maxsize=65536)
def _actor_id(code: str, kind: str, name: str) -> str:
    return hashlib.sha1(f"{code}|{kind}|{name}".encode()).hexdigest()[:16]


@dataclass
class StoredDocument:
    """One coded document ready to store."""

    document: Document
    events: list[Event]


@dataclass(frozen=True)
class SourceLogRow:
    """One `source_log` row written with a batch (see `EventStore.write`)."""

    source: str
    kind: str
    status: str
    reason: str | None = None
    http_status: int | None = None
    doc_id: str | None = None


@dataclass
class WriteSummary:
    documents: int = 0
    replaced: int = 0
    events: int = 0


class EventStore:
    """A sitroom DuckDB file. `read_only` opens it without taking the write lock."""

    def __init__(self, path: str | Path, read_only: bool = False, wait: float = 0.0) -> None:
        """`wait`: seconds to keep trying while another process holds the file's lock."""
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise StoreError(f"{self.path}: no such store; run `sitroom ingest` first")
        self.con = _connect(self.path, read_only, wait)
        try:
            if read_only:
                from sitroom.store.schema import SCHEMA_VERSION, schema_version

                found = schema_version(self.con)
                if found != SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.path}: schema version {found}, expected {SCHEMA_VERSION}; "
                        "open it once for writing (sitroom ingest) to migrate it"
                    )
            else:
                migrate(self.con)
                # Fold the write-ahead log into the file every 256 MB rather than every
                # 16 MB: batch commits stay cheap; closing the store checkpoints anyway.
                self.con.execute("SET checkpoint_threshold = '256MB'")
        except (duckdb.Error, StoreError) as exc:
            self.con.close()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"{self.path}: not a sitroom store ({_first_line(exc)})") from exc
        self.read_only = read_only

    def close(self) -> None:
        self.con.close()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """All or nothing: commit when the block ends, roll back on any exception."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- reading
    def stored_hashes(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """doc id -> content hash, for those of `doc_ids` already stored."""
        if not doc_ids:
            return {}
        table = pa.table({"doc_id": pa.array(list(doc_ids), pa.string())})
        self.con.register("_wanted", table)
        try:
            rows = self.con.execute(
                "SELECT d.doc_id, d.content_hash FROM documents d JOIN _wanted w USING (doc_id)"
            ).fetchall()
        finally:
            self.con.unregister("_wanted")
        return dict(rows)

    def known_urls(self, urls: Sequence[str]) -> set[str]:
        """Those of `urls` already stored as a document's URL."""
        if not urls:
            return set()
        self.con.register("_urls", pa.table({"url": pa.array(list(urls), pa.string())}))
        try:
            rows = self.con.execute(
                "SELECT DISTINCT d.url FROM documents d JOIN _urls u USING (url)"
            ).fetchall()
        finally:
            self.con.unregister("_urls")
        return {r[0] for r in rows}

    def log_source(
        self,
        source: str,
        kind: str,
        status: str,
        reason: str | None = None,
        http_status: int | None = None,
        doc_id: str | None = None,
    ) -> None:
        """Record what happened to one source (a fetch, a skip, a cut); its own commit."""
        if self.read_only:
            return
        self.con.execute(
            "INSERT INTO source_log VALUES (?, ?, ?, ?, ?, ?, ?)",
            [source, kind, status, reason, http_status, doc_id, _now()],
        )

    def _log_rows(self, rows: Sequence[SourceLogRow]) -> None:
        """Write `rows` in one transaction of their own."""
        if not rows:
            return
        with self._transaction():
            self._insert_log_rows(rows)

    def _insert_log_rows(self, rows: Sequence[SourceLogRow]) -> None:
        if rows:
            now = _now()
            self.con.executemany(
                "INSERT INTO source_log VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    [r.source, r.kind, r.status, r.reason, r.http_status, r.doc_id, now]
                    for r in rows
                ],
            )

    def feed_state(self, url: str) -> tuple[int, datetime | None]:
        """(consecutive failures, next attempt) of a polled feed."""
        rows = self.con.execute(
            "SELECT failures, next_attempt FROM feeds WHERE url = ?", [url]
        ).fetchall()
        return (rows[0][0], rows[0][1]) if rows else (0, None)

    def set_feed_state(
        self, url: str, failures: int, next_attempt: datetime, error: str | None
    ) -> None:
        with self._transaction():
            self.con.execute("DELETE FROM feeds WHERE url = ?", [url])
            self.con.execute(
                "INSERT INTO feeds VALUES (?, ?, ?, ?, ?)",
                [url, failures, next_attempt, None if error else _now(), error],
            )

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("documents", "events", "event_mentions", "actors", "observations"):
            out[table] = self.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        out["clusters"] = self.con.execute(
            "SELECT count(DISTINCT event_cluster) FROM events"
        ).fetchall()[0][0]
        return out

    # ----------------------------------------------------------------- writing
    def write(
        self,
        batch: Iterable[StoredDocument],
        org_codes: frozenset[str],
        log_rows: Sequence[SourceLogRow] = (),
    ) -> WriteSummary:
        """Store coded documents in one transaction. A document already stored with the
        same content is skipped; one whose content changed replaces its old rows.
        `log_rows` (what happened to these documents' sources) commit in the same
        transaction, so a "fetched" row never outlives a batch that was lost."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        items = list({item.document.id: item for item in batch}.values())
        summary = WriteSummary()
        if not items:
            self._log_rows(log_rows)
            return summary
        hashes = {item.document.id: content_hash(item.document) for item in items}
        stored = self.stored_hashes(list(hashes))
        fresh = [item for item in items if stored.get(item.document.id) != hashes[item.document.id]]
        replaced = [item.document.id for item in fresh if item.document.id in stored]
        if not fresh:
            self._log_rows(log_rows)
            return summary
        # Building a batch makes millions of small objects; the cyclic garbage collector
        # would rescan all of them again and again (half the write time), so it waits.
        gc_was_on = gc.isenabled()
        gc.disable()
        try:
            self._write(fresh, hashes, org_codes, replaced, log_rows)
        finally:
            if gc_was_on:
                gc.enable()
        summary.documents = len(fresh)
        summary.replaced = len(replaced)
        summary.events = sum(len(item.events) for item in fresh)
        return summary

    def _write(
        self,
        fresh: list[StoredDocument],
        hashes: dict[str, str],
        org_codes: frozenset[str],
        replaced: list[str],
        log_rows: Sequence[SourceLogRow] = (),
    ) -> None:
        rows = _Rows(fresh, hashes, org_codes)
        with self._transaction():
            if replaced:
                self._delete_documents(replaced)
            changed = self._assign_clusters(rows)
            rows.insert(self.con)
            self._update_clusters(changed)
            self._insert_log_rows(log_rows)

    def _delete_documents(self, doc_ids: list[str]) -> None:
        self.con.register("_gone", pa.table({"doc_id": pa.array(doc_ids, pa.string())}))
        try:
            old_events = "SELECT event_id FROM events WHERE doc_id IN (SELECT doc_id FROM _gone)"
            for table in ("event_actors", "event_dyads", "event_mentions"):
                self.con.execute(f"DELETE FROM {table} WHERE event_id IN ({old_events})")
            for table in ("observations", "events", "sentences", "documents"):
                self.con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM _gone)")
        finally:
            self.con.unregister("_gone")

    def _assign_clusters(self, rows: _Rows) -> dict[str, str]:
        """Cluster the batch's events with the stored events they can match: same key
        and dates within a day, plus every event already in a cluster with those (a new
        report can join two clusters). Sets the new events' clusters on `rows` and
        returns the stored events whose cluster id changes. Clusters the batch cannot
        reach keep their ids."""
        if not rows.events:
            return {}
        new = pa.table(
            {
                "cluster_key": pa.array(rows.keys, pa.string()),
                "date": pa.array([e.date for e in rows.events], pa.date32()),
                "date_last": pa.array(rows.last_days, pa.date32()),
            }
        )
        self.con.register("_new", new)
        try:
            stored = self.con.execute(
                """WITH span AS (
                       SELECT min(date) - 1 AS lo, max(date_last) + 1 AS hi FROM _new
                   ),
                   candidates AS (
                       -- the batch's date span first: min-max zone maps skip the rest
                       SELECT o.* FROM events o, span
                       WHERE o.date IS NULL OR (o.date <= span.hi AND o.date_last >= span.lo)
                   ),
                   near AS (
                       SELECT DISTINCT o.event_id, o.event_cluster FROM candidates o JOIN _new n
                         ON o.cluster_key = n.cluster_key
                        AND ((o.date IS NULL AND n.date IS NULL)
                             OR (o.date <= n.date_last + 1 AND o.date_last >= n.date - 1))
                   )
                   SELECT event_id, event_type, modality, source_codes, target_codes, joint,
                          date, date_end, date_precision, location_country, doc_id,
                          event_cluster, cluster_key
                   FROM events o, span
                   -- members of the reached clusters lie within days of their first
                   -- event, so the search stays within 90 days of the batch
                   WHERE (o.date IS NULL
                          OR (o.date <= span.hi + 90 AND o.date_last >= span.lo - 90))
                     AND (event_id IN (SELECT event_id FROM near)
                          OR event_cluster IN (SELECT event_cluster FROM near))"""
            ).fetchall()
        finally:
            self.con.unregister("_new")
        items = [ClusterItem(*r[:3], tuple(r[3]), tuple(r[4]), *r[5:11], key=r[12]) for r in stored]
        items += rows.cluster_items
        clusters = cluster_events(items)
        rows.clusters = [clusters[e.id] for e in rows.events]
        return {r[0]: clusters[r[0]] for r in stored if clusters[r[0]] != r[11]}

    def _update_clusters(self, changed: dict[str, str]) -> None:
        if not changed:
            return
        table = pa.table(
            {
                "event_id": pa.array(list(changed), pa.string()),
                "cluster": pa.array(list(changed.values()), pa.string()),
            }
        )
        self.con.register("_clusters", table)
        try:
            self.con.execute(
                """UPDATE events SET event_cluster = c.cluster FROM _clusters c
                   WHERE events.event_id = c.event_id"""
            )
            # cluster_no follows event_cluster (schema version 5)
            self.con.execute(
                f"""UPDATE event_dyads SET event_cluster = c.cluster,
                           cluster_no = {id_number("coalesce(c.cluster, c.event_id)")}
                    FROM _clusters c WHERE event_dyads.event_id = c.event_id"""
            )
        finally:
            self.con.unregister("_clusters")


class _Rows:
    """One batch as Arrow-ready rows, built in a single pass over the events: the event
    objects are scattered in memory, so visiting each once (not once per column or per
    table) is what makes writing fast."""

    def __init__(
        self, items: list[StoredDocument], hashes: dict[str, str], org_codes: frozenset[str]
    ) -> None:
        self.items = items
        self.hashes = hashes
        self.events: list[Event] = []
        self.event_rows: list[tuple] = []
        self.cluster_items: list[ClusterItem] = []
        self.keys: list[str] = []
        self.last_days: list = []
        self.mention_rows: list[tuple] = []
        self.sentences: dict[tuple[str, int], str] = {}
        self.link_rows: list[tuple] = []
        self.actors: dict[str, Actor] = {}
        self.dyad_rows: list[tuple] = []  # (event index, source, target, ...)
        self.observations: list[Observation] = []
        for item in items:
            for ev in item.events:
                self._add(ev, org_codes)
        self.clusters: list[str | None] = [None] * len(self.events)
        self.now = datetime.now(UTC).replace(tzinfo=None)

    def _add(self, ev: Event, org_codes: frozenset[str]) -> None:
        index = len(self.events)
        self.events.append(ev)
        row = _event_row(ev)
        self.event_rows.append(row)
        sources, targets = row[-4], row[-3]
        loc = ev.location
        key = make_key(ev.event_type, ev.modality, sources, targets, ev.joint)
        self.cluster_items.append(
            ClusterItem(
                ev.id,
                ev.event_type,
                ev.modality,
                tuple(sources),
                tuple(targets),
                ev.joint,
                ev.date,
                ev.date_end,
                ev.date_precision,
                loc.country if loc else None,
                ev.doc_id,
                key,
            )
        )
        self.keys.append(key)
        self.last_days.append(_last_day(ev))
        n_mentions = row[-1]
        self.sentences.setdefault((ev.doc_id, ev.sentence_index), ev.sentence)
        for m in ev.mentions or ():
            t = m.trigger
            self.mention_rows.append((ev.id, ev.doc_id, m.sentence_index, t.text, t.start, t.end))
            self.sentences.setdefault((ev.doc_id, m.sentence_index), m.sentence)
        for side, actors in (
            ("source", ev.source),
            ("target", ev.target),
            ("attribution", (ev.attribution,) if ev.attribution else ()),
        ):
            for pos, a in enumerate(actors):
                aid = actor_id(a)
                self.actors.setdefault(aid, a)
                self.link_rows.append(
                    (ev.id, side, pos, aid, a.code, a.text, a.start, a.end, a.sector, a.role)
                )
        tail = (ev.date, ev.event_type, ev.quad_class, ev.goldstein, ev.modality, n_mentions)
        if len(sources) == 1 and len(targets) == 1 and not ev.joint:
            self.dyad_rows.append((index, sources[0], targets[0], *tail))
        else:
            for src in sorted(set(sources)) or ["---"]:
                for tgt in sorted(set(targets)) or ["---"]:
                    if not (src == tgt and ev.joint):
                        self.dyad_rows.append((index, src, tgt, *tail))
        if ev.event_type == "REQUEST":
            self.observations.extend(membership_observations(ev, org_codes))

    def tables(self) -> dict[str, pa.Table]:
        docs = [item.document for item in self.items]
        out: dict[str, dict[str, object]] = {
            "documents": {
                "doc_id": _col(docs, "id"),
                "content_hash": [self.hashes[d.id] for d in docs],
                "source": _col(docs, "source"),
                "url": _col(docs, "url"),
                "title": _col(docs, "title"),
                "pub_date": pa.array(_col(docs, "date"), pa.date32()),
                "language": _col(docs, "language"),
                "text": _col(docs, "text"),
                "ingested_at": [self.now] * len(docs),
            },
            "events": _columns(self.event_rows, _EVENT_FIELDS, _EVENT_TYPES)
            | {
                "cluster_key": self.keys,
                "date_last": pa.array(self.last_days, pa.date32()),
                "event_cluster": pa.array(self.clusters, pa.string()),
            },
            "event_mentions": _columns(
                self.mention_rows,
                [
                    "event_id",
                    "doc_id",
                    "sentence_index",
                    "trigger_text",
                    "trigger_start",
                    "trigger_end",
                ],
            ),
            "sentences": {
                "doc_id": [k[0] for k in self.sentences],
                "sentence_index": [k[1] for k in self.sentences],
                "text": list(self.sentences.values()),
            },
            "event_actors": _columns(
                self.link_rows,
                [
                    "event_id",
                    "side",
                    "position",
                    "actor_id",
                    "code",
                    "text",
                    "start_char",
                    "end_char",
                    "sector",
                    "role",
                ],
            ),
            "actors": {
                "actor_id": list(self.actors),
                "code": _col(list(self.actors.values()), "code"),
                "kind": _col(list(self.actors.values()), "kind"),
                "name": _col(list(self.actors.values()), "name"),
                "country": _col(list(self.actors.values()), "country"),
            },
        }
        ids = [e.id for e in self.events]
        dyads = [(ids[r[0]], self.clusters[r[0]], *r[1:]) for r in self.dyad_rows]
        out["event_dyads"] = _columns(
            dyads,
            [
                "event_id",
                "event_cluster",
                "source_code",
                "target_code",
                "date",
                "event_type",
                "quad_class",
                "goldstein",
                "modality",
                "n_mentions",
            ],
            {"date": pa.date32(), "event_cluster": pa.string()},
        )
        obs = self.observations
        out["observations"] = {
            "observation_id": _col(obs, "id"),
            "org": _col(obs, "org"),
            "country": _col(obs, "country"),
            "status": _col(obs, "status"),
            "date": pa.array(_col(obs, "date"), pa.date32()),
            "event_id": _col(obs, "event_id"),
            "doc_id": _col(obs, "doc_id"),
            "evidence": _col(obs, "evidence"),
        }
        return {name: pa.table(columns) for name, columns in out.items()}

    def insert(self, con: duckdb.DuckDBPyConnection) -> None:
        """Insert every table of the batch (actors only where new)."""
        for name, table in self.tables().items():
            if table.num_rows == 0:
                continue
            if name == "actors":
                con.register("_new_actors", table)
                try:
                    con.execute(
                        """INSERT INTO actors SELECT n.* FROM _new_actors n
                           WHERE n.actor_id NOT IN (SELECT actor_id FROM actors)"""
                    )
                finally:
                    con.unregister("_new_actors")
                continue
            _insert(con, name, table)


def _last_day(ev: Event):
    if ev.date is None:
        return None
    return ev.date_end or period_end(ev.date, ev.date_precision or "day")


_EVENT_FIELDS = [
    "event_id",
    "doc_id",
    "sentence_index",
    "event_type",
    "mode",
    "context",
    "cameo",
    "quad_class",
    "goldstein",
    "joint",
    "trigger_text",
    "trigger_start",
    "trigger_end",
    "date",
    "date_end",
    "date_precision",
    "date_text",
    "date_basis",
    "location_name",
    "location_country",
    "location_admin1",
    "location_lat",
    "location_lon",
    "location_geonames_id",
    "location_precision",
    "modality",
    "confidence",
    "source_codes",
    "target_codes",
    "attribution_code",
    "n_mentions",
]
_EVENT_TYPES = {
    "context": pa.list_(pa.string()),
    "date": pa.date32(),
    "date_end": pa.date32(),
    "location_lat": pa.float64(),
    "location_lon": pa.float64(),
    "location_geonames_id": pa.int64(),
    "source_codes": pa.list_(pa.string()),
    "target_codes": pa.list_(pa.string()),
}
_NO_PLACE = (None,) * 7


def _event_row(e: Event) -> tuple:
    loc = e.location
    t = e.trigger
    place = (
        (loc.name, loc.country, loc.admin1, loc.lat, loc.lon, loc.geonames_id, loc.precision)
        if loc
        else _NO_PLACE
    )
    return (
        e.id,
        e.doc_id,
        e.sentence_index,
        e.event_type,
        e.mode,
        e.context,
        e.cameo,
        e.quad_class,
        e.goldstein,
        e.joint,
        t.text,
        t.start,
        t.end,
        e.date,
        e.date_end,
        e.date_precision,
        e.date_text,
        e.date_basis,
        *place,
        e.modality,
        e.confidence,
        [a.code for a in e.source],
        [a.code for a in e.target],
        e.attribution.code if e.attribution else None,
        max(1, len(e.mentions)),
    )


def _columns(
    rows: list[tuple], names: list[str], types: dict[str, pa.DataType] | None = None
) -> dict[str, object]:
    """Rows -> named columns (typed where the type cannot be inferred from values)."""
    types = types or {}
    columns = list(zip(*rows, strict=True)) or [()] * len(names)
    return {
        name: pa.array(list(values), types[name]) if name in types else list(values)
        for name, values in zip(names, columns, strict=True)
    }


def _col(objects: list, attribute: str) -> list:
    """One attribute of every object (attrgetter over map is the fastest way in CPython)."""
    return list(map(attrgetter(attribute), objects))


# Columns the store derives from a batch's own (event_dyads' ids as numbers).
_DERIVED = {"event_dyads": {"cluster_no": CLUSTER_NO, "event_no": EVENT_NO}}


def _insert(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    derived = _DERIVED.get(table, {})
    names = ", ".join([*data.column_names, *derived])
    values = ", ".join([*data.column_names, *derived.values()])
    con.register("_batch", data)
    try:
        con.execute(f"INSERT INTO {table} ({names}) SELECT {values} FROM _batch")
    finally:
        con.unregister("_batch")


def _connect(path: Path, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying for `wait` seconds while another process holds its lock."""
    deadline = time.monotonic() + wait
    pause = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            message = _first_line(exc)
            locked = "lock" in message.lower()
            if locked and time.monotonic() + pause < deadline:
                time.sleep(pause)
                pause = min(pause * 2, 0.5)
                continue
            if locked:
                holder = re.search(r"PID (\d+)", message)
                who = f"process {holder.group(1)}" if holder else "another process"
                raise StoreError(
                    f"{path}: the store is in use by {who}"
                    + (f" (waited {wait:g} s)" if wait else "")
                    + "; let it finish, or stop it (`sitroom ingest` and `watch` can write "
                    "while `sitroom serve` has the store open: docs/store.md)"
                ) from exc
            raise StoreError(f"{path}: cannot open the store ({message})") from exc


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
