"""The curated, dated membership table."""

from datetime import date

import pytest

from sitroom.knowledge.base import load_knowledge
from sitroom.knowledge.memberships import STATUSES, load_memberships

REQUIRED = [
    "UN",
    "EU",
    "NATO",
    "ASEAN",
    "SCO",
    "BRICS",
    "AU",
    "LAS",
    "GCC",
    "OIC",
    "CSTO",
    "EAEU",
    "CIS",
    "OSCE",
    "QUAD",
    "AUKUS",
    "OPEC",
    "OPECPLUS",
    "APEC",
    "MERCOSUR",
    "ECOWAS",
    "SADC",
    "SAARC",
    "COMMONWEALTH",
]


@pytest.fixture(scope="module")
def table():
    return load_memberships()


def test_every_required_bloc_has_rows_with_sources(table):
    assert set(REQUIRED) <= set(table.orgs)
    assert all(row.source for row in table.rows)
    assert {row.status for row in table.rows} <= set(STATUSES)


def test_every_country_code_is_known(table):
    countries = set(load_knowledge().countries)
    assert {row.country for row in table.rows} <= countries


@pytest.mark.parametrize(
    ("org", "day", "count"),
    [
        ("SCO", date(2025, 2, 26), 10),
        ("SCO", date(2024, 1, 1), 9),
        ("UN", date(2026, 1, 1), 193),
        ("NATO", date(2024, 3, 8), 32),
        ("NATO", date(2023, 1, 1), 30),
        ("EU", date(2021, 1, 1), 27),
    ],
)
def test_member_counts_on_dates(table, org, day, count):
    assert len(table.members(org, day)) == count


def test_statuses_change_over_time(table):
    def status(org, country, day):
        row = table.statuses_on(org, day).get(country)
        return row.status if row else None

    assert status("BRICS", "MYS", date(2025, 2, 26)) == "partner_country"
    assert status("BRICS", "MYS", date(2024, 10, 1)) == "applicant"
    assert status("BRICS", "IDN", date(2025, 2, 26)) == "member"
    assert status("SCO", "BLR", date(2024, 1, 1)) == "observer"
    assert status("SCO", "BLR", date(2024, 7, 5)) == "member"
    assert status("ASEAN", "TLS", date(2025, 12, 1)) == "member"
    assert status("ASEAN", "TLS", date(2024, 1, 1)) == "observer"
    assert status("EU", "GBR", date(2021, 1, 1)) == "former"
    assert status("LAS", "SYR", date(2015, 1, 1)) == "suspended"
    assert status("LAS", "SYR", date(2024, 1, 1)) == "member"


def test_country_history_is_ordered(table):
    history = table.history("MYS")
    orgs = [row.org for row in history]
    assert orgs == sorted(orgs) and {"ASEAN", "BRICS", "UN", "OIC"} <= set(orgs)
