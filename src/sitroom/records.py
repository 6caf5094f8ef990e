"""Typed records passed between stages: Document -> Event (with Actor, Trigger, Location).

Every stage boundary uses one of these models and nothing else, so a runner (local
processes today, Ray later) only ever ships these between workers.
"""

from __future__ import annotations

import re
from datetime import date as Date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

PloverType = Literal[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
]
PLOVER_TYPES: tuple[str, ...] = PloverType.__args__  # type: ignore[attr-defined]

ActorKind = Literal["state", "igo", "ngo", "person", "company", "group"]
Modality = Literal["asserted", "negated", "hypothetical", "intended", "historical"]
DatePrecision = Literal["day", "week", "month", "season", "year"]
DateBasis = Literal["explicit", "relative", "publication", "inferred"]
_SURROGATE = re.compile("[\ud800-\udfff]")


class Document(BaseModel):
    """One input text. `date` is the publication date when known."""

    model_config = ConfigDict(frozen=True)

    id: str
    text: str
    date: Date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    language: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_lone_surrogates(cls, data: Any) -> Any:
        # A lone surrogate ("\ud800" in JSON, an undecodable file name) cannot be encoded
        # as UTF-8, so no later stage (the store, a worker, a terminal) could take it: each
        # becomes U+FFFD, one character for one, so offsets into the text stay right.
        if isinstance(data, dict):
            return {
                k: _SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for k, v in data.items()
            }
        return data

    @field_validator("url")
    @classmethod
    def _web_url_only(cls, value: str | None) -> str | None:
        """Only an http(s) address is kept as a URL (pages render it as a link); any other
        scheme (javascript:, data:, file:, ...) or a bare string is dropped to None."""
        if value is None:
            return None
        value = value.strip()
        scheme, sep, rest = value.partition(":")
        if not sep or scheme.lower() not in ("http", "https") or not rest.startswith("//"):
            return None
        return value


class Actor(BaseModel):
    """Who acts or is acted upon, resolved to a code.

    `code` is an ISO 3166-1 alpha-3 code for states and for everything that belongs to a
    state (its officials, forces, companies, groups); an organisation's short code (UN,
    NATO, SCO, ...) for organisations and their officials; IMG for transnational armed
    groups.
    """

    text: str = Field(description="The span of the document that names the actor.")
    start: int = Field(description="Character offset of the span in the document.")
    end: int
    code: str
    kind: ActorKind
    sector: str | None = Field(default=None, description="PLOVER-style sector code.")
    name: str | None = Field(
        default=None, description="Canonical name of a person, org or company."
    )
    role: str | None = Field(default=None, description="Title of a person.")
    country: str | None = Field(default=None, description="Country (or organisation) served.")


class Trigger(BaseModel):
    text: str
    start: int = Field(description="Character offset in the document.")
    end: int


class Location(BaseModel):
    name: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    precision: Literal["city", "region", "country", "sea", "place"] | None = None


class Mention(BaseModel):
    """One place in the document that reports the event."""

    sentence_index: int
    sentence: str
    trigger: Trigger


class Event(BaseModel):
    """One coded event, with the sentence it came from."""

    id: str
    doc_id: str
    sentence_index: int
    sentence: str
    event_type: PloverType
    mode: str | None = None
    context: list[str] = Field(default_factory=list)
    cameo: str = Field(description="CAMEO code, at least the two-digit root.")
    quad_class: int = Field(ge=1, le=4)
    goldstein: float = Field(ge=-10, le=10)
    source: list[Actor]
    target: list[Actor]
    joint: bool = Field(
        default=False, description="True when coordinated parties act together on each other."
    )
    trigger: Trigger
    date: Date | None = Field(
        default=None, description="When it happened (first day of a week, month, season...)."
    )
    date_end: Date | None = Field(default=None, description="Last day, for a date range.")
    date_precision: DatePrecision | None = None
    date_text: str | None = Field(default=None, description="The time expression used.")
    date_basis: DateBasis | None = Field(
        default=None,
        description="explicit (a calendar date), relative (resolved against the publication "
        "date), publication (no time expression: the publication date), inferred (the year "
        "was inferred for an undated document).",
    )
    location: Location | None = None
    modality: Modality = "asserted"
    attribution: Actor | None = Field(default=None, description="Who says so, for reported speech.")
    confidence: float = Field(ge=0, le=1)
    mentions: list[Mention] = Field(
        default_factory=list,
        description="Every mention of this event in the document (the first is this record's).",
    )


class Observation(BaseModel):
    """A membership fact read from text ("Kuala Lumpur has applied to join the BRICS"),
    kept apart from the curated membership table and shown beside it."""

    id: str
    org: str
    country: str
    status: str
    date: Date | None = None
    event_id: str
    doc_id: str
    evidence: str = Field(description="The sentence the observation was read from.")
