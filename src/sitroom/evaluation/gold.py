"""Read gold-standard records (PLOVER GSR JSON: a list of records with `id`, `text`,
`date`, `event`, `source`, `target`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from sitroom.errors import GoldFileError
from sitroom.records import PLOVER_TYPES

LEGACY_TYPES = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}
LEGACY_CODES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM", "SER": "SRB", "ROM": "ROU", "ZAR": "COD"}
PACKAGED_GOLD = "sitroom_gold.json"


@dataclass(frozen=True)
class GoldActor:
    text: str
    code: str
    sector: str | None


@dataclass(frozen=True)
class GoldWhenWhere:
    """Gold time, place and certainty of an event, where the record annotates them."""

    date: date | None
    date_end: date | None
    precision: str | None
    location_name: str | None
    location_country: str | None
    modality: str
    attribution: str | None  # the speaker's code, for reported speech


@dataclass(frozen=True)
class GoldRecord:
    id: str
    text: str
    date: date | None  # the publication date of the story
    event: str | None  # a PLOVER type, or None for "no event in this sentence"
    source: tuple[GoldActor, ...]
    target: tuple[GoldActor, ...]
    when_where: GoldWhenWhere | None = None


def packaged_gold_path() -> Path:
    return Path(str(resources.files("sitroom.evaluation").joinpath("gold", PACKAGED_GOLD)))


def _actors(value: object) -> tuple[GoldActor, ...]:
    if not isinstance(value, list):
        return ()
    out = []
    for item in value:
        if isinstance(item, dict) and item.get("code"):
            code = str(item["code"]).strip().upper()
            sector = item.get("sector")
            out.append(
                GoldActor(
                    str(item.get("actorText", "")),
                    LEGACY_CODES.get(code, code),
                    str(sector).strip() if sector else None,
                )
            )
    return tuple(out)


def read_gold(path: Path) -> list[GoldRecord]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise GoldFileError(f"{path}: cannot read gold file ({exc.strerror})") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GoldFileError(f"{path}: not a JSON gold file ({exc})") from exc
    if not isinstance(data, list):
        raise GoldFileError(f"{path}: expected a JSON list of gold records")
    records = []
    for n, row in enumerate(data):
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise GoldFileError(f"{path}: record {n} has no text")
        event = row.get("event")
        if event:
            event = LEGACY_TYPES.get(str(event).strip().upper(), str(event).strip().upper())
            if event not in PLOVER_TYPES:
                raise GoldFileError(f"{path}: record {row.get('id', n)} has unknown type {event!r}")
        when = None
        if row.get("date"):
            try:
                when = date.fromisoformat(str(row["date"])[:10])
            except ValueError as exc:
                raise GoldFileError(f"{path}: record {row.get('id', n)} has a bad date") from exc
        records.append(
            GoldRecord(
                id=str(row.get("id", n)),
                text=row["text"].strip(),
                date=when,
                event=event or None,
                source=_actors(row.get("source")),
                target=_actors(row.get("target")),
                when_where=_when_where(row, f"{path}: record {row.get('id', n)}"),
            )
        )
    return records


_MODALITIES = ("asserted", "negated", "hypothetical", "intended", "historical")
_PRECISIONS = ("day", "week", "month", "season", "year")


def _when_where(row: dict, where: str) -> GoldWhenWhere | None:
    """Records that carry a `modality` annotate time, place and certainty (sitroom's own
    extension of the GSR format: eventDate, eventDateEnd, eventDatePrecision,
    locationName, locationCountry, modality, attribution)."""
    modality = row.get("modality")
    if not modality:
        return None
    if modality not in _MODALITIES:
        raise GoldFileError(f"{where} has unknown modality {modality!r}")
    precision = row.get("eventDatePrecision")
    if precision is not None and precision not in _PRECISIONS:
        raise GoldFileError(f"{where} has unknown date precision {precision!r}")
    attribution = row.get("attribution")
    return GoldWhenWhere(
        date=_partial_date(row.get("eventDate"), where),
        date_end=_partial_date(row.get("eventDateEnd"), where),
        precision=precision,
        location_name=row.get("locationName") or None,
        location_country=(row.get("locationCountry") or None),
        modality=modality,
        attribution=(attribution or {}).get("code") if isinstance(attribution, dict) else None,
    )


def _partial_date(value: object, where: str) -> date | None:
    """ "2025-02-26", "2024-09" or "2024" -> the first day of that period."""
    if not value:
        return None
    text = str(value)
    try:
        if len(text) == 4:
            return date(int(text), 1, 1)
        if len(text) == 7:
            return date(int(text[:4]), int(text[5:7]), 1)
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise GoldFileError(f"{where} has a bad event date {text!r}") from exc
