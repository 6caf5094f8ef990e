"""Load the curated data files into lookup tables used by the tagger and the resolver."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from sitroom.errors import KnowledgeError

# Which table wins when two tables name the same surface string.
_PRIORITY = {"state": 0, "seat": 1, "capital": 2, "adj": 3, "org": 4, "company": 5, "person": 6}
# spaCy entity label given to each kind of knowledge-base mention.
ENT_LABELS = {
    "state": "GPE",
    "capital": "GPE",
    "seat": "ORG",
    "adj": "NORP",
    "org": "ORG",
    "company": "ORG",
    "person": "PERSON",
}


@dataclass(frozen=True)
class KBEntry:
    """What one surface string means: a kind, a key into its table, and a sector."""

    kind: str  # state | adj | capital | seat | org | company | person
    key: str  # country code, organisation id, company name or official name
    sector: str | None = None

    @property
    def kb_id(self) -> str:
        return f"{self.kind}|{self.key}|{self.sector or ''}"

    @classmethod
    def from_kb_id(cls, kb_id: str) -> KBEntry:
        kind, key, sector = kb_id.split("|")
        return cls(kind, key, sector or None)


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    capital: str | None


@dataclass(frozen=True)
class Organisation:
    id: str
    code: str
    name: str
    kind: str
    sector: str | None
    country: str | None


@dataclass(frozen=True)
class Company:
    name: str
    country: str
    industry: str


@dataclass(frozen=True)
class OfficeTerm:
    name: str
    country: str
    role: str
    office: str
    sector: str
    start: date
    end: date | None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def distance(self, day: date) -> int:
        if self.covers(day):
            return 0
        if day < self.start:
            return (self.start - day).days
        assert self.end is not None
        return (day - self.end).days


@dataclass(frozen=True)
class GuardedAlias:
    """A short or ambiguous name ("IS", "RSF") that means `entry` only with a cue word
    nearby: within `window` tokens either side, or anywhere in the document (None)."""

    alias: str
    entry: KBEntry
    near: frozenset[str]
    window: int | None


@dataclass
class KnowledgeBase:
    countries: dict[str, Country] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    companies: dict[str, Company] = field(default_factory=dict)
    terms: dict[str, list[OfficeTerm]] = field(default_factory=dict)  # by official name
    surfaces: dict[str, KBEntry] = field(default_factory=dict)
    role_sectors: dict[str, str] = field(default_factory=dict)
    sector_overrides: dict[str, str] = field(default_factory=dict)
    titles: frozenset[str] = frozenset()
    not_mil_before_general: frozenset[str] = frozenset()
    org_codes: frozenset[str] = frozenset()
    igo_codes: frozenset[str] = frozenset()  # intergovernmental organisations only
    alias_people: dict[str, set[str]] = field(default_factory=dict)
    guarded: dict[str, list[GuardedAlias]] = field(default_factory=dict)  # by alias, in order
    group_descriptors: frozenset[str] = frozenset()  # "Islamist" in "the Islamist Hamas"
    group_words: dict[str, str] = field(default_factory=dict)  # "brigade" -> REB

    def lookup(self, text: str) -> KBEntry | None:
        return self.surfaces.get(text) or self.surfaces.get(_strip_the(text))

    def term_for(self, name: str, on: date | None) -> OfficeTerm | None:
        """The office a person held on a date; the nearest term when none covers it.

        `name` may be an `alias:` key shared by several people; the one in office on the
        date (or nearest to it) wins.
        """
        if name.startswith("alias:"):
            people = self.alias_people.get(name[6:], set())
            terms = [t for person in sorted(people) for t in self.terms[person]]
        else:
            terms = self.terms.get(name)
        if not terms:
            return None
        if on is None:
            current = [t for t in terms if t.end is None]
            return max(current or terms, key=lambda t: t.start)
        # Prefer a covering term, then the nearest; among covering terms, heads first.
        rank = {"head_of_state": 0, "head_of_government": 1, "igo_head": 1}
        return min(
            terms, key=lambda t: (t.distance(on), rank.get(t.office, 2), -t.start.toordinal())
        )

    def role_sector(self, lemma: str) -> str | None:
        return self.role_sectors.get(lemma)


def _strip_the(text: str) -> str:
    return text[4:] if text[:4] in ("the ", "The ") else text


def _read(name: str) -> Any:
    try:
        raw = resources.files("sitroom.knowledge").joinpath("data", name).read_text("utf-8")
        return json.loads(raw)
    except (OSError, json.JSONDecodeError) as exc:
        raise KnowledgeError(f"knowledge file {name}: {exc}; reinstall sitroom") from exc


def read_data(name: str) -> Any:
    """Read one JSON data file shipped in sitroom/knowledge/data."""
    return _read(name)


class _SurfaceTable:
    def __init__(self) -> None:
        self.table: dict[str, KBEntry] = {}

    def add(self, text: str, entry: KBEntry) -> None:
        text = text.strip()
        if not text:
            return
        for form in {text, _strip_the(text)}:
            old = self.table.get(form)
            if old is None or _PRIORITY[entry.kind] < _PRIORITY[old.kind]:
                self.table[form] = entry


def _parse_date(value: str | None, where: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise KnowledgeError(f"officials.json: bad date {value!r} for {where}") from exc


def build_knowledge() -> KnowledgeBase:
    kb = KnowledgeBase()
    surfaces = _SurfaceTable()
    for row in _read("countries.json"):
        code = row["code"]
        kb.countries[code] = Country(code, row["name"], row.get("capital"))
        for name in [row["name"], *row["names"], *row.get("former_names", [])]:
            surfaces.add(name, KBEntry("state", code))
        for adj in row["adjectives"]:
            surfaces.add(adj, KBEntry("adj", code))
        if row.get("capital"):
            surfaces.add(row["capital"], KBEntry("capital", code, "GOV"))
        for seat in row.get("seats", []):
            surfaces.add(seat["name"], KBEntry("seat", code, seat["sector"]))
    for row in _read("organisations.json"):
        org = Organisation(
            row["id"], row["code"], row["name"], row["kind"], row.get("sector"), row.get("country")
        )
        kb.organisations[org.id] = org
        for alias in [row["name"], *row["aliases"]]:
            surfaces.add(alias, KBEntry("org", org.id, org.sector))
    for row in _read("companies.json"):
        company = Company(row["name"], row["country"], row.get("industry", ""))
        kb.companies[company.name] = company
        for alias in [row["name"], *row["aliases"]]:
            surfaces.add(alias, KBEntry("company", company.name, "BUS"))
    for row in _read("officials.json"):
        term = OfficeTerm(
            name=row["name"],
            country=row["country"],
            role=row["role"],
            office=row["office"],
            sector=row.get("sector") or "GOV",
            start=_parse_date(row["start"], row["name"]) or date.min,
            end=_parse_date(row.get("end"), row["name"]),
        )
        kb.terms.setdefault(term.name, []).append(term)
        for alias in [row["name"], *row.get("aliases", [])]:
            kb.alias_people.setdefault(alias, set()).add(term.name)
    for alias, names in kb.alias_people.items():
        # An alias two people share ("Sharif", "Lee") is settled by date when resolved.
        key = next(iter(names)) if len(names) == 1 else f"alias:{alias}"
        surfaces.add(alias, KBEntry("person", key, None))
    roles = _read("roles.json")
    for sector, words in roles["sectors"].items():
        for word in words:
            kb.role_sectors.setdefault(word, sector)
    for sector, words in roles["overrides"].items():
        for word in words:
            kb.sector_overrides.setdefault(word, sector)
    kb.titles = frozenset(roles["titles"])
    kb.not_mil_before_general = frozenset(roles["not_mil_before_general"])
    kb.group_descriptors = frozenset(roles.get("group_descriptors", []))
    for sector, words in roles.get("group_words", {}).items():
        for word in words:
            kb.group_words.setdefault(word, sector)
    kb.guarded = _guarded_aliases(kb)
    kb.org_codes = frozenset(o.code for o in kb.organisations.values())
    kb.igo_codes = frozenset(o.code for o in kb.organisations.values() if o.kind == "igo")
    kb.surfaces = surfaces.table
    return kb


def _guarded_aliases(kb: KnowledgeBase) -> dict[str, list[GuardedAlias]]:
    out: dict[str, list[GuardedAlias]] = {}
    for row in _read("guarded_aliases.json")["aliases"]:
        alias = row.get("alias")
        if row.get("org") is not None:
            org = kb.organisations.get(row["org"])
            if org is None:
                raise KnowledgeError(
                    f"guarded_aliases.json: {alias!r} names unknown org {row['org']!r}"
                )
            entry = KBEntry("org", org.id, org.sector)
        elif row.get("seat") in kb.countries:
            entry = KBEntry("seat", row["seat"], row.get("sector") or "GOV")
        else:
            raise KnowledgeError(f"guarded_aliases.json: {alias!r} needs an org or a known seat")
        near = frozenset(w.lower() for w in row.get("near", []))
        window = row.get("window")
        if (
            not alias
            or not near
            or (window is not None and (not isinstance(window, int) or window < 1))
        ):
            raise KnowledgeError(f"guarded_aliases.json: {alias!r} needs cue words and a window")
        out.setdefault(alias, []).append(GuardedAlias(alias, entry, near, window))
    return out


@cache
def load_knowledge() -> KnowledgeBase:
    """The knowledge base, read once per process (like the spaCy model cache)."""
    return build_knowledge()
