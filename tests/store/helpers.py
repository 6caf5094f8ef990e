"""Hand-made events for store and analysis tests (no model needed)."""

from __future__ import annotations

from datetime import date

from sitroom.records import Actor, Document, Event, Location, Mention, Trigger
from sitroom.store.database import StoredDocument

TYPES = {
    "CONSULT": ("04", 1, 1.0),
    "AGREE": ("03", 1, 4.0),
    "COOPERATE": ("06", 2, 6.0),
    "ACCUSE": ("11", 3, -2.0),
    "ASSAULT": ("19", 4, -10.0),
}


def actor(code: str, kind: str = "state", name: str | None = None) -> Actor:
    return Actor(text=name or code, start=0, end=3, code=code, kind=kind, name=name)


def event(
    doc: str,
    n: int,
    ptype: str,
    src: str,
    tgt: str,
    day: date,
    modality: str = "asserted",
    place: tuple[str, str] | None = None,
    sentence: str | None = None,
    tgt_kind: str = "state",
) -> Event:
    cameo, quad, gold = TYPES[ptype]
    text = sentence or f"{src} and {tgt}: {ptype.lower()} number {n}."
    trigger = Trigger(text="x", start=n * 100, end=n * 100 + 1)
    return Event(
        id=f"{doc}-{n}",
        doc_id=doc,
        sentence_index=n,
        sentence=text,
        event_type=ptype,
        cameo=cameo,
        quad_class=quad,
        goldstein=gold,
        source=[actor(src)],
        target=[actor(tgt, tgt_kind)],
        trigger=trigger,
        date=day,
        date_precision="day",
        date_basis="relative",
        location=Location(name=place[0], country=place[1], precision="city") if place else None,
        modality=modality,
        confidence=0.6,
        mentions=[Mention(sentence_index=n, sentence=text, trigger=trigger)],
    )


def stored(doc: str, events: list[Event], pub: date, text: str | None = None) -> StoredDocument:
    body = text or " ".join(e.sentence for e in events) or "nothing happened"
    return StoredDocument(Document(id=doc, text=body, date=pub, title=doc), events)
