"""Event filters shared by exports, queries and the API: one dataclass, turned into a
parameterised WHERE clause over the `events` table (alias `e`).

`min_confidence` keeps only events whose `confidence` is at least that value (the
high-precision setting; `--precise` takes sitroom.extract.thresholds.PRECISE_THRESHOLD).
The analyses read `event_dyads`, which holds no confidence: `dyads_relation` gives them
the same events through a semi-join on `events`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from sitroom.errors import SitroomError
from sitroom.records import PLOVER_TYPES

MODALITIES = ("asserted", "negated", "hypothetical", "intended", "historical")
MAX_ACTORS = 20  # codes in one `actors` filter; more are refused, never dropped


class FilterError(SitroomError):
    """A filter value that cannot be used; `parameter` names the filter."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


@dataclass
class EventFilter:
    actors: list[str] = field(default_factory=list)  # code on either side
    dyad: tuple[str, str] | None = None  # codes, either direction
    types: list[str] = field(default_factory=list)
    quad_classes: list[int] = field(default_factory=list)
    since: date | None = None
    until: date | None = None
    location_countries: list[str] = field(default_factory=list)
    modalities: list[str] = field(default_factory=list)
    text: str | None = None  # words in the sentence (case-insensitive)
    doc_id: str | None = None
    min_confidence: float | None = None  # keep events with confidence >= this (0..1)

    @classmethod
    def build(
        cls,
        actors: list[str] | None = None,
        dyad: str | None = None,
        types: list[str] | None = None,
        quad_classes: list[int] | None = None,
        since: date | None = None,
        until: date | None = None,
        location_countries: list[str] | None = None,
        modalities: list[str] | None = None,
        text: str | None = None,
        min_confidence: float | None = None,
    ) -> EventFilter:
        """A checked filter from user input (the CLI's options, the API's parameters);
        `dyad` is written "MYS,RUS"."""
        pair = None
        if dyad:
            parts = [p.strip() for p in dyad.split(",")]
            if len(parts) != 2 or not all(parts):
                raise FilterError(
                    "dyad", f"dyad {dyad!r} must be two codes separated by a comma: MYS,RUS"
                )
            pair = (parts[0], parts[1])
        return cls(
            actors=actors or [],
            dyad=pair,
            types=[t.upper() for t in types or []],
            quad_classes=quad_classes or [],
            since=since,
            until=until,
            location_countries=location_countries or [],
            modalities=modalities or [],
            text=text,
            min_confidence=min_confidence,
        ).check()

    def check(self) -> EventFilter:
        if len(self.actors) > MAX_ACTORS:
            raise FilterError(
                "actor", f"actor: {len(self.actors)} codes given, at most {MAX_ACTORS} allowed"
            )
        for t in self.types:
            if t not in PLOVER_TYPES:
                raise FilterError("type", f"type {t!r} is not a PLOVER type")
        for q in self.quad_classes:
            if q not in (1, 2, 3, 4):
                raise FilterError("quad", f"quad class {q!r} is not 1, 2, 3 or 4")
        for m in self.modalities:
            if m not in MODALITIES:
                raise FilterError(
                    "modality", f"modality {m!r} is not one of {', '.join(MODALITIES)}"
                )
        if self.since and self.until and self.since > self.until:
            raise FilterError("since", f"since {self.since} is after until {self.until}")
        self.min_confidence = check_confidence(self.min_confidence)
        return self

    def where(self) -> tuple[str, list]:
        """SQL condition on `events e` and its parameters (never string-built values)."""
        self.check()
        parts: list[str] = []
        params: list = []
        if self.actors:
            # One list_contains per code: much faster in DuckDB than list_has_any with a
            # list parameter or a semi-join through event_dyads.
            ors = []
            for code in (a.upper() for a in self.actors):
                ors.append("list_contains(e.source_codes, ?) OR list_contains(e.target_codes, ?)")
                params += [code, code]
            parts.append("(" + " OR ".join(ors) + ")")
        if self.dyad:
            a, b = (x.upper() for x in self.dyad)
            parts.append(
                "((list_contains(e.source_codes, ?) AND list_contains(e.target_codes, ?)) OR "
                "(list_contains(e.source_codes, ?) AND list_contains(e.target_codes, ?)))"
            )
            params += [a, b, b, a]
        # Value lists as list_contains(list, column): DuckDB keeps these as plain filters
        # on the scan (an IN over unnest() became a semi-join, 6x slower on 1M events).
        if self.types:
            parts.append("list_contains(?::VARCHAR[], e.event_type)")
            params.append(list(self.types))
        if self.quad_classes:
            parts.append("list_contains(?::INTEGER[], e.quad_class)")
            params.append(list(self.quad_classes))
        if self.since:
            parts.append("e.date >= ?")
            params.append(self.since)
        if self.until:
            parts.append("e.date <= ?")
            params.append(self.until)
        if self.location_countries:
            parts.append("list_contains(?::VARCHAR[], e.location_country)")
            params.append([c.upper() for c in self.location_countries])
        if self.modalities:
            parts.append("list_contains(?::VARCHAR[], e.modality)")
            params.append(list(self.modalities))
        if self.text:
            parts.append(
                "EXISTS (SELECT 1 FROM sentences s WHERE s.doc_id = e.doc_id "
                "AND s.sentence_index = e.sentence_index AND s.text ILIKE ? ESCAPE '\\')"
            )
            params.append(f"%{like_escape(self.text)}%")
        if self.doc_id:
            parts.append("e.doc_id = ?")
            params.append(self.doc_id)
        if self.min_confidence is not None:
            parts.append("e.confidence >= ?")
            params.append(self.min_confidence)
        return (" AND ".join(parts) or "TRUE"), params


def like_escape(text: str) -> str:
    """`text` as a literal inside a LIKE pattern with ESCAPE '\\': the escape character,
    `%` and `_` match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def check_confidence(value: object, name: str = "min_confidence") -> float | None:
    """`value` as a confidence threshold (None stays None), or a FilterError naming `name`
    when it is not a number from 0 to 1."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FilterError(name, f"{name} {value!r} is not a number from 0 to 1")
    number = float(value)
    if math.isnan(number) or not 0.0 <= number <= 1.0:
        raise FilterError(name, f"{name} {value!r} must be between 0 and 1")
    return number


def dyads_relation(min_confidence: float | None) -> str:
    """SQL for the `event_dyads` rows of events with confidence >= `min_confidence` (the
    table itself when None), for the analyses' FROM clauses. The threshold is checked and
    written as a float literal: the analyses' queries mix positional and named
    parameters, so it cannot travel as one parameter for all of them."""
    threshold = check_confidence(min_confidence)
    if threshold is None:
        return "event_dyads"
    return (
        "(SELECT * FROM event_dyads WHERE event_id IN "
        f"(SELECT event_id FROM events WHERE confidence >= {threshold!r}::DOUBLE))"
    )
