"""Curated, dated memberships of states in blocs and organisations.

Rows live in `knowledge/data/memberships/*.json`: org, country, status, start, end, and
a source note. A period covers start <= day < end (end null: still true). A suspension
is its own row inside a member period; on such a day the country's status is
"suspended". Dates given as "YYYY" or "YYYY-MM" start on the first day of that period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

from sitroom.errors import KnowledgeError
from sitroom.knowledge.base import read_data

STATUSES = (
    "member",
    "observer",
    "dialogue_partner",
    "partner_country",
    "applicant",
    "candidate",
    "suspended",
    "former",
)
# Which status describes a country on a day when several rows cover it.
_PRIORITY = {s: n for n, s in enumerate(["suspended", *[s for s in STATUSES if s != "suspended"]])}


@dataclass(frozen=True)
class Membership:
    org: str
    country: str
    status: str
    start: date | None
    end: date | None
    source: str

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


def _partial(value: str | None, where: str) -> date | None:
    if not value:
        return None
    try:
        if len(value) == 4:
            return date(int(value), 1, 1)
        if len(value) == 7:
            return date(int(value[:4]), int(value[5:7]), 1)
        return date.fromisoformat(value)
    except ValueError as exc:
        raise KnowledgeError(f"{where}: bad date {value!r}") from exc


class MembershipTable:
    def __init__(self, rows: list[Membership]) -> None:
        self.rows = rows
        self.by_org: dict[str, list[Membership]] = {}
        self.by_country: dict[str, list[Membership]] = {}
        for row in rows:
            self.by_org.setdefault(row.org, []).append(row)
            self.by_country.setdefault(row.country, []).append(row)

    @property
    def orgs(self) -> list[str]:
        return sorted(self.by_org)

    def statuses_on(self, org: str, day: date) -> dict[str, Membership]:
        """country -> the row that gives its status in `org` on `day`."""
        out: dict[str, Membership] = {}
        for row in self.by_org.get(org, []):
            if not row.covers(day):
                continue
            held = out.get(row.country)
            if held is None or _PRIORITY[row.status] < _PRIORITY[held.status]:
                out[row.country] = row
        return out

    def members(self, org: str, day: date, status: str = "member") -> list[str]:
        return sorted(c for c, row in self.statuses_on(org, day).items() if row.status == status)

    def history(self, country: str) -> list[Membership]:
        rows = self.by_country.get(country, [])
        return sorted(rows, key=lambda r: (r.org, r.start or date.min))


def build_memberships() -> MembershipTable:
    folder = resources.files("sitroom.knowledge").joinpath("data", "memberships")
    rows: list[Membership] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".json"):
            continue
        data = read_data(f"memberships/{entry.name}")
        for n, raw in enumerate(data["rows"]):
            where = f"memberships/{entry.name} row {n}"
            if raw.get("status") not in STATUSES:
                raise KnowledgeError(f"{where}: unknown status {raw.get('status')!r}")
            rows.append(
                Membership(
                    org=raw["org"],
                    country=raw["country"],
                    status=raw["status"],
                    start=_partial(raw.get("start"), where),
                    end=_partial(raw.get("end"), where),
                    source=raw.get("source", ""),
                )
            )
    return MembershipTable(rows)


@lru_cache(maxsize=1)
def load_memberships() -> MembershipTable:
    return build_memberships()
