"""Serialise events as JSON Lines, a JSON array, or flat CSV (one row per event)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO

from sitroom.records import Actor, Event

FORMATS = ("jsonl", "json", "csv")
CSV_COLUMNS = [
    "id",
    "doc_id",
    "sentence_index",
    "date",
    "date_precision",
    "event_type",
    "mode",
    "context",
    "cameo",
    "quad_class",
    "goldstein",
    "source_code",
    "source_sector",
    "source_kind",
    "source_name",
    "source_text",
    "target_code",
    "target_sector",
    "target_kind",
    "target_name",
    "target_text",
    "joint",
    "trigger",
    "trigger_start",
    "trigger_end",
    "modality",
    "confidence",
    "sentence",
]


def _join(actors: list[Actor], field: str) -> str:
    return ";".join(str(getattr(a, field) or "") for a in actors)


def csv_row(event: Event) -> dict[str, object]:
    row: dict[str, object] = {
        "id": event.id,
        "doc_id": event.doc_id,
        "sentence_index": event.sentence_index,
        "date": event.date.isoformat() if event.date else "",
        "date_precision": event.date_precision or "",
        "event_type": event.event_type,
        "mode": event.mode or "",
        "context": ";".join(event.context),
        "cameo": event.cameo,
        "quad_class": event.quad_class,
        "goldstein": event.goldstein,
        "joint": event.joint,
        "trigger": event.trigger.text,
        "trigger_start": event.trigger.start,
        "trigger_end": event.trigger.end,
        "modality": event.modality,
        "confidence": event.confidence,
        "sentence": event.sentence,
    }
    for side, actors in (("source", event.source), ("target", event.target)):
        row[f"{side}_code"] = _join(actors, "code")
        row[f"{side}_sector"] = _join(actors, "sector")
        row[f"{side}_kind"] = _join(actors, "kind")
        row[f"{side}_name"] = _join(actors, "name")
        row[f"{side}_text"] = _join(actors, "text")
    return row


class EventWriter:
    """Streams events to a text handle in one of FORMATS."""

    def __init__(self, out: IO[str], fmt: str) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.out = out
        self.fmt = fmt
        self.count = 0
        self._csv: csv.DictWriter | None = None
        if fmt == "csv":
            self._csv = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
            self._csv.writeheader()
        elif fmt == "json":
            out.write("[")

    def write(self, events: Iterable[Event]) -> None:
        for event in events:
            if self._csv is not None:
                self._csv.writerow(csv_row(event))
            elif self.fmt == "json":
                self.out.write(("," if self.count else "") + "\n" + event.model_dump_json())
            else:
                self.out.write(event.model_dump_json() + "\n")
            self.count += 1

    def close(self) -> None:
        if self.fmt == "json":
            self.out.write("\n]\n" if self.count else "]\n")
        self.out.flush()


def events_to_json(events: Iterable[Event]) -> str:
    return json.dumps([e.model_dump(mode="json") for e in events], ensure_ascii=False, indent=2)
