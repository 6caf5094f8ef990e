"""Across documents: the same event reported by several stories shares an
`event_cluster` id. Each story keeps its own events and mentions; the cluster only
links them.

Matching rule (see docs/decisions.md): two events match when they have
- the same PLOVER type and the same modality (negated reports never cluster),
- the same dyad: source and target country/organisation codes (unordered for joint
  events),
- dates on the same day, or one day apart (stories disagree about the day when an
  event runs past midnight or a time zone), compared at the coarser precision when one
  is coarser (a "month" date matches every day of that month),
- compatible places: the same location country, or at least one without a place.

`cluster_key` gives the exact part of the rule (a string any store can index);
`cluster_events` applies the tolerant date part on top of it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from sitroom.extract.when import period_end
from sitroom.records import Event

DAY_TOLERANCE = timedelta(days=1)


def cluster_key(event: Event) -> str:
    """type|modality|source codes|target codes: events that can only match within one
    key. Joint events put both sides in sorted order."""
    source = ",".join(sorted({a.code for a in event.source})) or "-"
    target = ",".join(sorted({a.code for a in event.target})) or "-"
    if event.joint:
        source, target = sorted((source, target))
    return f"{event.event_type}|{event.modality}|{source}|{target}"


def cluster_id(key: str, first_day: date | None) -> str:
    text = f"{key}|{first_day.isoformat() if first_day else '-'}"
    return "c" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:15]


def events_match(a: Event, b: Event) -> bool:
    if a.modality == "negated" or b.modality == "negated":
        return False
    if cluster_key(a) != cluster_key(b):
        return False
    if a.location and b.location and a.location.country != b.location.country:
        return False
    return _dates_match(a, b)


def cluster_events(events: Iterable[Event]) -> dict[str, str]:
    """event id -> cluster id. Events that match (directly or through a chain of
    matches) share a cluster; its id comes from the key and the earliest date."""
    by_key: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        by_key[cluster_key(event)].append(event)
    out: dict[str, str] = {}
    for key, group in by_key.items():
        group.sort(key=lambda e: (e.date or date.max, e.id))
        parent = list(range(len(group)))
        find = _finder(parent)
        for i, a in enumerate(group):
            for j in range(i + 1, len(group)):
                b = group[j]
                if a.date and b.date and b.date - _last_day(a) > DAY_TOLERANCE:
                    break
                if events_match(a, b):
                    parent[find(j)] = find(i)
        roots: dict[int, str] = {}
        for i, event in enumerate(group):
            root = find(i)
            if root not in roots:
                roots[root] = cluster_id(key, group[root].date)
            out[event.id] = roots[root]
    return out


def _finder(parent: list[int]):
    """Union-find root lookup with path halving over `parent`."""

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    return find


def _last_day(event: Event) -> date:
    assert event.date is not None
    return event.date_end or period_end(event.date, event.date_precision or "day")


def _dates_match(a: Event, b: Event) -> bool:
    if a.date is None or b.date is None:
        return a.date is None and b.date is None
    return a.date - DAY_TOLERANCE <= _last_day(b) and b.date - DAY_TOLERANCE <= _last_day(a)
