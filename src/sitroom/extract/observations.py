"""Membership observations read from coded events: a state asking to join an
organisation is an applicant ("Kuala Lumpur has applied to join the BRICS")."""

from __future__ import annotations

import hashlib
import re

from sitroom.records import Event, Observation

_JOINING = re.compile(r"\b(join|joining|membership|accession|accede|admission|admitted)\b", re.I)


def membership_observations(event: Event, org_codes: frozenset[str]) -> list[Observation]:
    """`org_codes`: codes of intergovernmental organisations (an organisation's own
    officials carry its code and are not a country)."""
    # Only what the text says happened: "could seek membership" is no application.
    if event.event_type != "REQUEST" or event.modality not in ("asserted", "historical"):
        return []
    if not _JOINING.search(event.sentence):
        return []
    orgs = [a.code for a in event.target if a.kind == "igo"]
    states = [
        a.code
        for a in event.source
        if a.kind in ("state", "person", "group", "company") and a.code not in org_codes
    ]
    out = []
    for org in orgs:
        for country in dict.fromkeys(states):
            key = f"{event.id}|{org}|{country}"
            out.append(
                Observation(
                    id=hashlib.sha1(key.encode("utf-8")).hexdigest()[:16],
                    org=org,
                    country=country,
                    status="applicant",
                    date=event.date,
                    event_id=event.id,
                    doc_id=event.doc_id,
                    evidence=event.sentence,
                )
            )
    return out
