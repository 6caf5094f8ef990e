"""Across documents: the same event reported by several stories shares an
`event_cluster` id. Each story keeps its own events and mentions; the cluster only
links them.

Matching rule (docs/decisions.md, decision 15): two events match when they have
- the same PLOVER type and the same modality (negated reports never cluster),
- the same dyad: source and target country/organisation codes (unordered for joint
  events),
- dates on the same day, or one day apart (stories disagree about the day when an
  event runs past midnight or a time zone), compared at the coarser precision when one
  is coarser (a "month" date matches every day of that month),
- compatible places: the same location country, or at least one without a place,
- different documents (within one document the mention rule has already decided).

`cluster_key` gives the exact part of the rule (a string any store can index);
`cluster_events` applies the tolerant date part on top of it, joining each report to a
cluster by matching the cluster's first event. Both take `Event`
records or `ClusterItem`s (what a store keeps per event).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sitroom.extract.when import period_end
from sitroom.records import Event

DAY_TOLERANCE = timedelta(days=1)


@dataclass(frozen=True)
class ClusterItem:
    """The fields of an event the cluster rule reads."""

    id: str
    event_type: str
    modality: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    joint: bool
    date: date | None
    date_end: date | None
    date_precision: str | None
    location_country: str | None
    doc_id: str = ""
    key: str | None = None  # the cluster key when already known (a store keeps it)

    @classmethod
    def of(cls, event: Event) -> ClusterItem:
        return cls(
            event.id,
            event.event_type,
            event.modality,
            tuple(a.code for a in event.source),
            tuple(a.code for a in event.target),
            event.joint,
            event.date,
            event.date_end,
            event.date_precision,
            event.location.country if event.location else None,
            event.doc_id,
        )

    @property
    def last_day(self) -> date:
        assert self.date is not None
        return self.date_end or period_end(self.date, self.date_precision or "day")  # type: ignore[arg-type]


def _item(event: Event | ClusterItem) -> ClusterItem:
    return event if isinstance(event, ClusterItem) else ClusterItem.of(event)


def cluster_key(event: Event | ClusterItem) -> str:
    """type|modality|source codes|target codes: events can only match within one key.
    Joint events put both sides in sorted order."""
    item = _item(event)
    if item.key is not None:
        return item.key
    return make_key(item.event_type, item.modality, item.sources, item.targets, item.joint)


def make_key(
    event_type: str, modality: str, sources: Sequence[str], targets: Sequence[str], joint: bool
) -> str:
    source = ",".join(sorted(set(sources))) or "-"
    target = ",".join(sorted(set(targets))) or "-"
    if joint:
        source, target = sorted((source, target))
    return f"{event_type}|{modality}|{source}|{target}"


def cluster_id(key: str, first_day: date | None, first_event: str) -> str:
    """From the key, the earliest date and the earliest event of the cluster, so that
    two clusters with the same key and day (two separate attacks in one story) differ."""
    text = f"{key}|{first_day.isoformat() if first_day else '-'}|{first_event}"
    return "c" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:15]


def events_match(a: Event | ClusterItem, b: Event | ClusterItem) -> bool:
    """Reports of one event in different documents (a document's own events were already
    merged or kept apart by the mention rule, so they never match each other here)."""
    a, b = _item(a), _item(b)
    return cluster_key(a) == cluster_key(b) and _same_key_match(a, b)


def _same_key_match(a: ClusterItem, b: ClusterItem) -> bool:
    """The rule for two items already known to share a cluster key."""
    if a.doc_id and a.doc_id == b.doc_id:
        return False
    if a.modality == "negated" or b.modality == "negated":
        return False
    if a.location_country and b.location_country and a.location_country != b.location_country:
        return False
    if a.date is None or b.date is None:
        return a.date is None and b.date is None
    return a.date - DAY_TOLERANCE <= b.last_day and b.date - DAY_TOLERANCE <= a.last_day


def cluster_events(events: Iterable[Event | ClusterItem]) -> dict[str, str]:
    """event id -> cluster id. Events are taken in date order; each joins the first open
    cluster whose first event it matches (and that holds nothing from its own document),
    or starts a new one. Matching the first event, not any member, keeps a cluster to the
    days around one event: daily talks between two capitals do not chain into one
    months-long "event". Ids come from the key and the first event, so they do not depend
    on the order events arrive in."""
    by_key: dict[str, list[ClusterItem]] = defaultdict(list)
    for event in events:
        item = _item(event)
        by_key[cluster_key(item)].append(item)
    out: dict[str, str] = {}
    for key, group in by_key.items():
        if len(group) == 1:  # most keys in a batch: nothing to match
            only = group[0]
            out[only.id] = cluster_id(key, only.date, only.id)
            continue
        group.sort(key=lambda e: (e.date or date.max, e.id))
        open_clusters: list[tuple[ClusterItem, set[str], str]] = []  # (first, docs, id)
        for item in group:
            if item.date is not None:
                open_clusters = [
                    c
                    for c in open_clusters
                    if c[0].date is None or c[0].last_day >= item.date - DAY_TOLERANCE
                ]
            home = next(
                (
                    c
                    for c in open_clusters
                    if item.doc_id not in c[1] and _same_key_match(c[0], item)
                ),
                None,
            )
            if home is None:
                home = (item, set(), cluster_id(key, item.date, item.id))
                open_clusters.append(home)
            home[1].add(item.doc_id)
            out[item.id] = home[2]
    return out
