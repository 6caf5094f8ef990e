"""Event locations, through the real coder: attachment, disambiguation, no guessing."""

import pytest

pytestmark = pytest.mark.model


def _place(code_text, text, date="2025-03-05"):
    events = code_text(text, date)
    assert events, f"no event in {text!r}"
    return events[0].location


def test_visit_takes_its_destination(code_text):
    loc = _place(
        code_text,
        "Indonesia's Defence Minister Sjafrie Sjamsoeddin held talks with Australian Defence "
        "Minister Richard Marles during a visit to Canberra on Tuesday.",
    )
    assert (loc.name, loc.country, loc.precision) == ("Canberra", "AUS", "city")
    assert loc.geonames_id and loc.lat is not None


def test_place_hung_on_the_object_still_counts(code_text):
    loc = _place(
        code_text,
        "Spanish Prime Minister Pedro Sanchez held talks with Chinese President Xi Jinping "
        "in Beijing on Friday.",
    )
    assert (loc.name, loc.country) == ("Beijing", "CHN")


def test_direction_and_region(code_text):
    loc = _place(code_text, "Sudanese jets struck rebel positions in eastern Chad.")
    assert (loc.name, loc.country, loc.precision) == ("eastern Chad", "TCD", "region")
    assert loc.lat is None  # no made-up coordinates for a vague region


def test_sea_has_no_country(code_text):
    loc = _place(code_text, "China and Russia held joint naval drills in the Sea of Japan.")
    assert (loc.name, loc.country, loc.precision) == ("Sea of Japan", None, "sea")


def test_qualifier_picks_the_small_namesake(code_text):
    loc = _place(code_text, "French police arrested two Russian nationals in Paris, Texas.")
    assert (loc.country, loc.admin1) == ("USA", "Texas")
    loc = _place(code_text, "French police arrested two Russian nationals in Paris.")
    assert loc.country == "FRA"


def test_document_context_resolves_georgia(code_text):
    us = _place(code_text, "US police arrested Chinese students in Georgia, officials said.")
    assert (us.country, us.precision) == ("USA", "region")
    country = _place(code_text, "Russian troops attacked villages in Georgia, Tbilisi said.")
    assert (country.country, country.precision) == ("GEO", "country")


@pytest.mark.parametrize(
    "text",
    [
        "Russian troops attacked Ukrainian positions on Monday.",
        "Iran fired missiles at Israel on Tuesday.",
        "The European Union imposed tariffs on electric vehicles made in China.",
    ],
)
def test_no_place_rather_than_an_actors_country(code_text, text):
    events = code_text(text)
    assert events and all(e.location is None for e in events)
