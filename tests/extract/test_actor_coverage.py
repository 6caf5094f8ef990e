"""Actor coverage in the resolver: a named group the knowledge base does not know is coded
from its group word and the country in context, not dropped; backers are not owners."""

from __future__ import annotations

import pytest

from sitroom.extract.actors import ActorResolver
from sitroom.extract.context import DocumentContext
from sitroom.nlp.model import load_model
from sitroom.nlp.tagger import KnowledgeTagger
from sitroom.records import Actor
from sitroom.settings import Settings

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def parse(kb):
    nlp = load_model(Settings().spacy_model)
    tagger = KnowledgeTagger(nlp, kb)

    def run(text: str):
        return next(nlp.pipe([tagger(nlp.make_doc(text))]))

    return run


def _resolve(
    parse, kb, text: str, span: str, ctx: DocumentContext | None = None, **options
) -> Actor | None:
    doc = parse(text)
    at = text.index(span)
    head = doc.char_span(at, at + len(span), alignment_mode="expand").root
    resolver = ActorResolver(kb, **options)
    return resolver.resolve_one(head, ctx or DocumentContext("t", None), 0)


def test_unknown_front_takes_the_country_of_its_sentence(parse, kb):
    actor = _resolve(
        parse,
        kb,
        "In Sudan, the Popular Resistance Front ambushed a convoy near the border.",
        "the Popular Resistance Front",
    )
    assert actor is not None
    assert (actor.code, actor.country, actor.kind, actor.sector) == ("SDN", "SDN", "group", "REB")
    assert actor.name == "Popular Resistance Front"


def test_country_in_the_phrase_beats_the_sentence(parse, kb):
    actor = _resolve(
        parse,
        kb,
        "Near the Kenyan border, Ethiopia's Gedeo Liberation Army attacked a police post.",
        "Gedeo Liberation Army",
    )
    assert actor is not None and actor.code == "ETH" and actor.sector == "REB"


def test_sons_of_brigade_and_a_militia_with_a_name(parse, kb):
    brigade = _resolve(
        parse,
        kb,
        "The Sons of Jazira Brigade ambushed soldiers in central Sudan.",
        "The Sons of Jazira Brigade",
    )
    assert brigade is not None and (brigade.code, brigade.kind) == ("SDN", "group")
    militia = _resolve(
        parse, kb, "The Zamzam militia killed five villagers in Chad.", "The Zamzam militia"
    )
    assert militia is not None and (militia.code, militia.sector) == ("TCD", "MIL")


def test_without_a_country_in_its_sentence_the_documents_last_country_is_used(parse, kb):
    ctx = DocumentContext("t", None)
    first = _resolve(parse, kb, "Mozambique sent more troops to the north.", "Mozambique", ctx)
    assert first is not None and first.code == "MOZ"
    actor = _resolve(
        parse,
        kb,
        "Later the Cabo Ligado Liberation Army attacked the port.",
        "the Cabo Ligado Liberation Army",
        ctx,
    )
    assert actor is not None and (actor.code, actor.kind) == ("MOZ", "group")


def test_a_named_group_with_no_country_anywhere_stays_unresolved(parse, kb):
    assert (
        _resolve(parse, kb, "The Red Dawn Brigade attacked the port.", "The Red Dawn Brigade")
        is None
    )


def test_a_group_name_is_not_taken_for_a_person(parse, kb):
    actor = _resolve(
        parse,
        kb,
        "Sudan's Popular Resistance Front attacked a convoy.",
        "Sudan's Popular Resistance Front",
    )
    assert actor is not None and actor.kind == "group" and actor.sector == "REB"


def test_state_forces_stay_state_forces(parse, kb):
    actor = _resolve(parse, kb, "The Pakistan Army attacked militants.", "The Pakistan Army")
    assert actor is not None and (actor.code, actor.kind, actor.sector) == ("PAK", "state", "MIL")
    # a bare group word with no name is no named group
    assert _resolve(parse, kb, "The Army said it repelled an attack.", "The Army") is None


def test_the_backer_of_a_group_is_not_its_country(parse, kb):
    actor = _resolve(
        parse,
        kb,
        "Iranian-backed Shiite Muslim Houthi rebels attacked a ship off Yemen.",
        "Iranian-backed Shiite Muslim Houthi rebels",
    )
    assert actor is not None and actor.code == "YEM"
    unknown = _resolve(
        parse,
        kb,
        "In eastern DRC, the Rwanda-backed Kivu Defence Front seized a town.",
        "the Rwanda-backed Kivu Defence Front",
    )
    assert unknown is not None and unknown.code == "COD"


def test_islamic_state_spellings_resolve_to_img(parse, kb):
    for text, span in [
        ("Isis fighters attacked Kurdish positions.", "Isis fighters"),
        ("IS claimed the attack on the checkpoint.", "IS"),
        ("Daesh militants attacked the town.", "Daesh militants"),
    ]:
        actor = _resolve(parse, kb, text, span)
        assert actor is not None and actor.code == "IMG", text


def test_role_words_take_the_context_country_only_when_asked(parse, kb):
    text = "In Mali, militants attacked a convoy."
    assert _resolve(parse, kb, text, "militants") is None
    actor = _resolve(parse, kb, text, "militants", context_roles=True)
    assert actor is not None and (actor.code, actor.sector) == ("MLI", "REB")
