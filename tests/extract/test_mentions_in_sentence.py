"""A document's memory of its actors: pronouns, first-person quotes and bare role words
resolve to the actors named before them; sides left unsaid get context candidates."""

from __future__ import annotations

import pytest

from sitroom.extract.context import DocumentContext
from sitroom.extract.mentions_in_sentence import ActorMemory, Mention, find_mentions
from sitroom.nlp.sentences import split_sentences
from sitroom.records import Actor

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def coder():
    from sitroom.extract.coder import Coder

    return Coder()


def mentions_by_sentence(coder, text: str) -> list[list[Mention]]:
    tokens = coder.tagger(coder.nlp.make_doc(text))
    ctx = DocumentContext("t", None)
    memory = ActorMemory()
    out = []
    for span in split_sentences(tokens):
        doc = coder.nlp(tokens[span.start : span.end].as_doc())
        out.append(find_mentions(doc, coder.finder.resolver, ctx, span.start_char, memory))
    return out


def by_word(mentions: list[Mention]) -> dict[str, Mention]:
    return {m.head.text: m for m in mentions if m.in_text}


def test_a_pronoun_takes_the_last_person_named(coder):
    text = (
        "Turkish President Recep Tayyip Erdogan met Iraqi officials in Ankara on Monday. "
        "He urged Baghdad to act against the PKK."
    )
    second = by_word(mentions_by_sentence(coder, text)[1])
    he = second["He"]
    assert he.via == "memory"
    assert he.actors[0].code == "TUR"
    assert he.actors[0].kind == "person"
    assert he.antecedent is not None
    # The pronoun's own span is what the record shows.
    assert text[he.actors[0].start : he.actors[0].end] == "He"


def test_we_in_a_quote_is_the_speaker(coder):
    text = (
        "Iran rejected the proposal. \u201cWe will not negotiate under pressure,\u201d "
        "Iranian Foreign Minister Abbas Araghchi said."
    )
    second = by_word(mentions_by_sentence(coder, text)[1])
    assert second["We"].actors[0].code == "IRN"


def test_a_bare_role_word_takes_the_main_country_as_a_new_actor(coder):
    text = (
        "Japan protested to Beijing. Japan said the vessels entered its waters twice. "
        "The ministry summoned the ambassador."
    )
    third = by_word(mentions_by_sentence(coder, text)[2])
    ministry = third["ministry"]
    assert ministry.actors[0].code == "JPN"
    assert ministry.antecedent is None  # a new actor of that country, not "Japan" again


def test_context_candidates_name_the_recent_and_the_main_actor(coder):
    text = (
        "Sudan's army shelled positions near Khartoum. Sudan's army said it had retaken "
        "two districts. Egypt called for calm. Fighting resumed on Tuesday."
    )
    last = mentions_by_sentence(coder, text)[3]
    context = {m.via: m.actors[0].code for m in last if not m.in_text}
    assert context.get("recent") == "EGY"
    assert context.get("main") == "SDN"


def test_nothing_is_remembered_across_documents(coder):
    first = mentions_by_sentence(coder, "France and Germany signed a treaty.")
    second = mentions_by_sentence(coder, "He urged restraint.")
    assert first and second
    assert not [m for m in second[0] if m.head.text == "He"]
    assert not [m for m in second[0] if not m.in_text]


def test_memory_keeps_a_person_whose_phrase_starts_with_a_country_word():
    # "Turkish President Recep Tayyip Erdogan": the adjective "Turkish" (TUR, state) and the
    # person (TUR) start at the same offset; both must be remembered, or a later "He" has no
    # person to refer to (the cause of the failure above).
    memory = ActorMemory()
    memory.add(
        [
            Actor(text="Turkish", start=0, end=7, code="TUR", kind="state"),
            Actor(text="Turkish President Erdogan", start=0, end=25, code="TUR", kind="person"),
        ]
    )
    person = memory.last(("person",), 100)
    assert person is not None and person.end == 25


def test_a_part_of_a_named_person_is_not_another_actor(coder):
    # "Xanana", the first word of a name the resolver codes as a whole (TLS), must not be
    # read as an unknown person of the document's main country (MYS).
    text = (
        "Malaysian Prime Minister Anwar Ibrahim welcomed Timorese Prime Minister "
        "Xanana Gusmao in Kuala Lumpur."
    )
    (mentions,) = mentions_by_sentence(coder, text)
    name = text.index("Timorese")
    inside = [m for m in mentions if m.in_text and m.actors[0].start >= name]
    inside = [m for m in inside if m.actors[0].end <= text.index(" in Kuala")]
    assert inside and {m.actors[0].code for m in inside} == {"TLS"}, [
        (m.head.text, m.via, m.actors[0].code) for m in inside
    ]
