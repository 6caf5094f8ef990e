from datetime import date

from sitroom.knowledge.base import KBEntry
from sitroom.knowledge.lexicon import load_lexicon
from sitroom.records import PLOVER_TYPES


def test_state_names_aliases_and_demonyms(kb):
    expect = {
        "Britain": "GBR",
        "UK": "GBR",
        "South Korea": "KOR",
        "Turkiye": "TUR",
        "Turkey": "TUR",
        "Ivory Coast": "CIV",
        "DRC": "COD",
        "Taiwan": "TWN",
        "Palestine": "PSE",
        "UAE": "ARE",
        "Malaysia": "MYS",
        "Uzbekistan": "UZB",
        "Maldives": "MDV",
    }
    for name, code in expect.items():
        entry = kb.lookup(name)
        assert entry is not None and entry.kind == "state" and entry.key == code, name
    for adj, code in {"Malaysian": "MYS", "Russian": "RUS", "Emirati": "ARE"}.items():
        assert kb.lookup(adj) == KBEntry("adj", code)


def test_capitals_and_seats_of_power(kb):
    assert kb.lookup("Kuala Lumpur") == KBEntry("capital", "MYS", "GOV")
    assert kb.lookup("Beijing").key == "CHN"
    assert kb.lookup("the Kremlin").key == "RUS"
    assert kb.lookup("the White House").key == "USA"
    assert kb.lookup("Downing Street").key == "GBR"
    pentagon = kb.lookup("the Pentagon")
    assert (pentagon.key, pentagon.sector) == ("USA", "MIL")


def test_at_least_sixty_organisations_with_codes(kb):
    igos = {o.code for o in kb.organisations.values() if o.kind == "igo"}
    assert len(igos) >= 60
    for code in [
        "UN",
        "UNSC",
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
        "OPEC",
        "G7",
        "G20",
        "APEC",
        "QUAD",
        "AUKUS",
        "IMF",
        "WB",
        "WTO",
        "WHO",
        "IAEA",
        "ICC",
        "ICJ",
        "MERCOSUR",
        "ECOWAS",
        "SADC",
        "SAARC",
        "ADB",
    ]:
        assert code in igos, code
    assert kb.organisations[kb.lookup("Shanghai Cooperation Organisation").key].code == "SCO"


def test_companies_have_countries(kb):
    assert kb.companies[kb.lookup("Irkut Corporation").key].country == "RUS"
    assert kb.companies[kb.lookup("Hindustan Aeronautics Limited").key].country == "IND"


def test_officials_resolve_by_date(kb):
    putin = kb.term_for("Vladimir Putin", date(2025, 2, 26))
    assert (putin.country, putin.office) == ("RUS", "head_of_state")
    anwar = kb.lookup("Anwar Ibrahim")
    assert anwar.kind == "person"
    assert kb.term_for(anwar.key, date(2025, 2, 26)).country == "MYS"
    shoigu = kb.lookup("Shoigu").key
    assert kb.term_for(shoigu, date(2023, 6, 1)).office == "defence_minister"
    assert kb.term_for(shoigu, date(2025, 2, 26)).office != "defence_minister"


def test_sixty_countries_have_dated_leaders(kb):
    countries = {t.country for terms in kb.terms.values() for t in terms if len(t.country) == 3}
    assert len(countries) >= 60
    for terms in kb.terms.values():
        for t in terms:
            assert t.end is None or t.start <= t.end, t


def test_lexicon_covers_every_plover_type():
    lex = load_lexicon()
    covered = {r.type for rules in lex.rules.values() for r in rules}
    assert covered == set(PLOVER_TYPES)
    for ptype in PLOVER_TYPES:
        score = lex.types[ptype]
        assert 1 <= score.quad_class <= 4 and -10 <= score.goldstein <= 10
        assert len(score.cameo) >= 2
    assert lex.canonical_type("DISAPPROVE") == "ACCUSE"
