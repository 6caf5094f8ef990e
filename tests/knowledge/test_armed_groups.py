"""Armed groups and their name variants in the knowledge base, coded as the annotation
guide codes them: transnational groups IMG, domestic groups their country's ISO3."""

from __future__ import annotations

import pytest

from sitroom.errors import KnowledgeError
from sitroom.knowledge import base
from sitroom.knowledge.base import KBEntry, build_knowledge
from sitroom.nlp.model import load_model
from sitroom.nlp.tagger import KnowledgeTagger
from sitroom.settings import Settings


def _org(kb, surface: str):
    entry = kb.lookup(surface)
    assert entry is not None, f"{surface!r} is not in the knowledge base"
    assert entry.kind == "org", surface
    return kb.organisations[entry.key]


# surface -> (code, country): the Actor's code and country
GROUPS = {
    # Islamic State and its spellings ("Isis" in British papers)
    "Isis": ("IMG", None),
    "ISIS": ("IMG", None),
    "ISIL": ("IMG", None),
    "Isil": ("IMG", None),
    "Daesh": ("IMG", None),
    "Islamic State group": ("IMG", None),
    # its affiliates are transnational too, with a home country
    "ISWAP": ("IMG", "NGA"),
    "ISIS-K": ("IMG", "AFG"),
    "IS-Somalia": ("IMG", "SOM"),
    "ISGS": ("IMG", "MLI"),
    "IS Sahel": ("IMG", "MLI"),
    "JNIM": ("IMG", "MLI"),
    "AQAP": ("IMG", "YEM"),
    "al-Qaida": ("IMG", None),
    # Syria and the Kurds
    "HTS": ("SYR", "SYR"),
    "SDF": ("SYR", "SYR"),
    "YPG": ("SYR", "SYR"),
    "YPJ": ("SYR", "SYR"),
    "PYD": ("SYR", "SYR"),
    "Syrian National Army": ("SYR", "SYR"),
    "Jaish al-Islam": ("SYR", "SYR"),
    "Hurras al-Din": ("IMG", "SYR"),
    "PKK": ("TUR", "TUR"),
    "Peshmerga": ("IRQ", "IRQ"),
    "KDP": ("IRQ", "IRQ"),
    "PUK": ("IRQ", "IRQ"),
    # Sudan
    "Rapid Support Forces": ("SDN", "SDN"),
    "Janjaweed": ("SDN", "SDN"),
    "National Congress Party": ("SDN", "SDN"),
    # Sahel
    "Africa Corps": ("RUS", "RUS"),
    "Wagner": ("RUS", "RUS"),
    "Ansarul Islam": ("BFA", "BFA"),
    # Myanmar
    "Arakan Army": ("MMR", "MMR"),
    "KIA": ("MMR", "MMR"),
    "MNDAA": ("MMR", "MMR"),
    "TNLA": ("MMR", "MMR"),
    "People's Defense Force": ("MMR", "MMR"),
    "NUG": ("MMR", "MMR"),
    "KNDF": ("MMR", "MMR"),
    # Yemen
    "Houthis": ("YEM", "YEM"),
    "Ansar Allah": ("YEM", "YEM"),
    "Southern Transitional Council": ("YEM", "YEM"),
    # DR Congo
    "M23": ("COD", "COD"),
    "AFC/M23": ("COD", "COD"),
    "Allied Democratic Forces": ("COD", "COD"),
    "CODECO": ("COD", "COD"),
    "Wazalendo": ("COD", "COD"),
    # Haiti
    "Viv Ansanm": ("HTI", "HTI"),
    "G9 an Fanmi e Alye": ("HTI", "HTI"),
    "400 Mawozo": ("HTI", "HTI"),
    "Gran Grif": ("HTI", "HTI"),
    # Ukraine and Russia
    "Azov Brigade": ("UKR", "UKR"),
    "Russian Volunteer Corps": ("RUS", "RUS"),
    # Gaza, the West Bank, Lebanon
    "Hamas": ("PSE", "PSE"),
    "Islamic Jihad": ("PSE", "PSE"),
    "al-Qassam Brigades": ("PSE", "PSE"),
    "Al-Aqsa Martyrs Brigade": ("PSE", "PSE"),
    "Hezbollah": ("LBN", "LBN"),
    "Radwan Force": ("LBN", "LBN"),
    # Iraq
    "Hashd": ("IRQ", "IRQ"),
    "Kataib Hezbollah": ("IRQ", "IRQ"),
    # elsewhere
    "al-Shabab": ("SOM", "SOM"),
    "Boko Haram": ("NGA", "NGA"),
    "Taliban": ("AFG", "AFG"),
    "TTP": ("PAK", "PAK"),
    "Baloch Liberation Army": ("PAK", "PAK"),
    "Balochistan Liberation Front": ("PAK", "PAK"),
}


@pytest.mark.parametrize("surface", sorted(GROUPS))
def test_armed_groups_are_coded_as_the_guide_codes_them(kb, surface):
    org = _org(kb, surface)
    assert (org.code, org.country) == GROUPS[surface], surface
    assert org.kind == "group" and org.sector is not None


def test_state_forces_are_seats_of_their_state(kb):
    assert kb.lookup("Tatmadaw") == KBEntry("seat", "MMR", "MIL")
    assert kb.lookup("State Administration Council") == KBEntry("seat", "MMR", "GOV")
    assert kb.lookup("FARDC") == KBEntry("seat", "COD", "MIL")
    assert kb.lookup("Somali National Army") == KBEntry("seat", "SOM", "MIL")


def test_ypj_is_its_own_group_not_an_alias_of_the_ypg(kb):
    assert kb.lookup("YPJ").key == "YPJ"
    assert kb.lookup("YPG").key == "YPG"


def test_every_organisation_code_is_a_country_an_org_code_or_img(kb):
    for org in kb.organisations.values():
        if org.kind == "group":
            assert org.code == "IMG" or org.code in kb.countries, org.id
            assert org.country is None or org.country in kb.countries, org.id


# ------------------------------------------------------------ the tagger
@pytest.fixture(scope="module")
def tagger(kb):
    return KnowledgeTagger(load_model(Settings().spacy_model), kb)


def _tags(tagger, text: str) -> dict[str, str]:
    doc = tagger(load_model(Settings().spacy_model).make_doc(text))
    return {ent.text: ent.kb_id_ for ent in doc.ents}


@pytest.mark.model
def test_is_is_islamic_state_only_with_a_militant_cue(tagger):
    assert _tags(tagger, "IS claimed the attack on the checkpoint.")["IS"] == "org|ISIS|REB"
    assert _tags(tagger, "Kurdish forces said IS fighters fled.")["IS"] == "org|ISIS|REB"
    assert "IS" not in _tags(tagger, "The IS department upgraded the servers.")
    # a headline in capitals
    assert "IS" not in _tags(tagger, "WHY THE WAR IS NOT OVER FOR THE MILITANTS")


@pytest.mark.model
def test_isis_in_british_spelling(tagger):
    assert _tags(tagger, "Isis fighters attacked the town.")["Isis"] == "org|ISIS|REB"


@pytest.mark.model
def test_rsf_is_sudans_paramilitary_only_in_a_sudan_story(tagger):
    sudan = "The RSF shelled a market. The army said Khartoum was calm."
    assert _tags(tagger, sudan)["RSF"] == "org|RSF_SUDAN|REB"
    press = "RSF condemned the arrest of the reporter in Paris."
    assert _tags(tagger, press)["RSF"].startswith("org|RSF|")


@pytest.mark.model
def test_guarded_alias_picks_the_row_whose_cue_is_there(tagger):
    syria = "SNA units clashed with the SDF near Manbij."
    assert _tags(tagger, syria)["SNA"] == "org|SNA_SYR|REB"
    somalia = "SNA troops retook the town from al-Shabab."
    assert _tags(tagger, somalia)["SNA"] == "seat|SOM|MIL"


@pytest.mark.model
def test_a_religious_descriptor_does_not_hide_a_group_name(tagger):
    tags = _tags(tagger, "Fighters of the Islamist Hayat Tahrir al-Sham took the town.")
    assert tags["Hayat Tahrir al-Sham"] == "org|HTS|REB"
    # but a capitalised word that is no descriptor still blocks a name inside a longer one
    assert "National Liberation Army" not in _tags(
        tagger, "The Karenni National Liberation Army attacked."
    )


def test_bad_guarded_alias_row_is_one_clear_error(monkeypatch):
    real = base._read

    def fake(name):
        if name == "guarded_aliases.json":
            return {"aliases": [{"alias": "XX", "org": "NO_SUCH_GROUP", "near": ["x"]}]}
        return real(name)

    monkeypatch.setattr(base, "_read", fake)
    with pytest.raises(KnowledgeError, match="'XX' names unknown org 'NO_SUCH_GROUP'"):
        build_knowledge()
