"""A side of a dyad: a country code, an organisation (standing for itself and, on each
date, for its members), or a named actor. Resolved into a small table of codes with the
dates they count, which queries join against."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pyarrow as pa

from sitroom.errors import SitroomError
from sitroom.knowledge.base import KnowledgeBase
from sitroom.knowledge.memberships import MembershipTable


@dataclass(frozen=True)
class Side:
    label: str
    codes: tuple[tuple[str, date | None, date | None], ...]  # (code, from, until)

    def table(self) -> pa.Table:
        return pa.table(
            {
                "code": pa.array([c for c, _, _ in self.codes], pa.string()),
                "valid_from": pa.array([s for _, s, _ in self.codes], pa.date32()),
                "valid_until": pa.array([e for _, _, e in self.codes], pa.date32()),
            }
        )


def resolve_side(
    spec: str, kb: KnowledgeBase, memberships: MembershipTable, with_members: bool = True
) -> Side:
    """ "MYS" -> Malaysia; "SCO" -> the SCO and its members on each date; a name from the
    knowledge base ("Malaysia", "Shanghai Cooperation Organisation") -> its code."""
    text = spec.strip()
    code = text.upper()
    if code not in kb.countries and code not in memberships.by_org and code not in kb.org_codes:
        entry = kb.lookup(text)
        if entry is None:
            raise SitroomError(
                f"unknown actor {spec!r}: use a country code (MYS), an "
                "organisation code (SCO) or a name the knowledge base knows"
            )
        if entry.kind in ("state", "adj", "capital", "seat"):
            code = entry.key
        elif entry.kind == "org":
            code = kb.organisations[entry.key].code
        else:
            raise SitroomError(f"{spec!r} is a {entry.kind}; dyads take countries or organisations")
    rows: list[tuple[str, date | None, date | None]] = [(code, None, None)]
    if with_members and code in memberships.by_org:
        for row in memberships.by_org[code]:
            if row.status == "member":
                rows.append((row.country, row.start, row.end))
    return Side(code, tuple(rows))
