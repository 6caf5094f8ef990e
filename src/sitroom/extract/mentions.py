"""Several mentions of one event in one document become one event listing its mentions.

Two events are the same event when they have the same PLOVER type, the same source
countries and compatible targets, the same modality, dates that agree and places that
agree. A mention with no time expression of its own (date basis "publication") or no
place agrees with any date or place; named people on both sides must overlap.
"""

from __future__ import annotations

from sitroom.records import Event, Mention


def merge_mentions(events: list[Event]) -> list[Event]:
    """Events in document order -> events with `mentions`, later mentions folded into
    the earliest event they repeat."""
    merged: list[Event] = []
    for event in events:
        mention = Mention(
            sentence_index=event.sentence_index, sentence=event.sentence, trigger=event.trigger
        )
        host = _best_host(merged, event)
        if host is None:
            merged.append(event.model_copy(update={"mentions": [mention]}))
            continue
        index = merged.index(host)
        merged[index] = _fold(host, event, mention)
    return merged


def same_event(a: Event, b: Event) -> bool:
    if a.event_type != b.event_type or a.modality != b.modality or a.modality == "negated":
        return False
    if _codes(a.source) != _codes(b.source) or not _codes(a.source):
        return False
    ta, tb = _codes(a.target), _codes(b.target)
    if ta and tb and ta != tb:
        return False
    if not _people_agree(a, b):
        return False
    if not _dates_agree(a, b):
        return False
    return _places_agree(a, b)


def _best_host(merged: list[Event], event: Event) -> Event | None:
    matches = [m for m in merged if same_event(m, event)]
    if not matches:
        return None
    # Prefer a host that shares named people, then the nearest earlier one.
    return max(matches, key=lambda m: (bool(_people(m) & _people(event)), m.sentence_index))


def _fold(host: Event, event: Event, mention: Mention) -> Event:
    update: dict[str, object] = {"mentions": [*host.mentions, mention]}
    if not host.target and event.target:
        update["target"] = event.target
    if host.location is None and event.location is not None:
        update["location"] = event.location
    if host.date_basis in (None, "publication") and event.date_basis not in (None, "publication"):
        for key in ("date", "date_end", "date_precision", "date_text", "date_basis"):
            update[key] = getattr(event, key)
    if host.attribution is None and event.attribution is not None:
        update["attribution"] = event.attribution
    update["confidence"] = max(host.confidence, event.confidence)
    return host.model_copy(update=update)


def _codes(actors: list) -> frozenset[str]:
    return frozenset(a.code for a in actors)


def _people(event: Event) -> set[str]:
    return {a.name for a in event.source if a.kind == "person" and a.name}


def _people_agree(a: Event, b: Event) -> bool:
    pa, pb = _people(a), _people(b)
    return not pa or not pb or bool(pa & pb)


def _dates_agree(a: Event, b: Event) -> bool:
    if "publication" in (a.date_basis, b.date_basis) or a.date is None or b.date is None:
        return True
    a_end = a.date_end or a.date
    b_end = b.date_end or b.date
    if a.date_precision == "day" and b.date_precision == "day":
        return a.date <= b_end and b.date <= a_end
    return a.date == b.date or (a.date <= b_end and b.date <= a_end)


def _places_agree(a: Event, b: Event) -> bool:
    if a.location is None or b.location is None:
        return True
    return a.location.country == b.location.country
