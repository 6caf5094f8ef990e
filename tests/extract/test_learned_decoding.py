"""How the coder turns the trained models' probabilities into an event's sides: the
pairing rules hold whatever the weights say."""

from __future__ import annotations

import pytest

from sitroom.extract.context import DocumentContext
from sitroom.extract.learned import _choose_roles, _whole_phrase
from sitroom.extract.mentions_in_sentence import ActorMemory, Mention, find_mentions
from sitroom.extract.model_files import Thresholds

pytestmark = pytest.mark.model

TH = Thresholds(event=0.3, source=0.1, target=0.05)


@pytest.fixture(scope="module")
def coder():
    from sitroom.extract.coder import Coder

    return Coder()


def parse(coder, text: str, before: str = ""):
    """Mentions of the last sentence of `before + text`, with the memory of the rest."""
    full = before + text
    tokens = coder.tagger(coder.nlp.make_doc(full))
    ctx = DocumentContext("t", None)
    memory = ActorMemory()
    doc = mentions = None
    start = len(before)
    for chunk_start, chunk in ((0, before), (start, text)):
        if not chunk:
            continue
        span = tokens.char_span(chunk_start, chunk_start + len(chunk), alignment_mode="expand")
        doc = coder.nlp(span.as_doc())
        mentions = find_mentions(doc, coder.finder.resolver, ctx, chunk_start, memory)
    return doc, mentions


def probs(mentions: list[Mention], source: dict[str, float], target: dict[str, float]):
    out = []
    for m in mentions:
        key = m.head.text if m.in_text else m.via
        s, t = source.get(key, 0.0), target.get(key, 0.0)
        out.append((m, {"SOURCE": s, "TARGET": t, "NONE": max(0.0, 1 - s - t)}))
    return out


def test_source_and_target_are_two_distinct_actors(coder):
    _, mentions = parse(coder, "France criticised Germany over the budget.")
    roles = probs(mentions, {"France": 0.9, "Germany": 0.2}, {"France": 0.95, "Germany": 0.6})
    source, _, target, _ = _choose_roles(roles, TH)
    assert source is not None and target is not None
    assert source is not target
    assert (source.head.text, target.head.text) == ("France", "Germany")


def test_one_actor_read_twice_is_not_a_dyad(coder):
    _, mentions = parse(
        coder,
        "Lula said he had asked Washington to suspend its tariffs.",
        before="Brazil's President Luiz Inacio Lula da Silva spoke on Monday. ",
    )
    he = next(m for m in mentions if m.head.text == "he")
    assert he.via == "memory" and he.actors[0].code == "BRA"
    roles = probs(mentions, {"Lula": 0.8}, {"he": 0.9, "Washington": 0.3})
    source, _, target, _ = _choose_roles(roles, TH)
    assert source is not None and source.actors[0].code == "BRA"
    assert target is not None and target.actors[0].code == "USA"


def test_an_unnamed_phrase_never_makes_a_same_country_dyad(coder):
    _, mentions = parse(
        coder,
        "Malaysia has good relations with both countries.",
        before="Malaysia met Russia. Malaysia met India. ",
    )
    generic = next(m for m in mentions if m.head.text == "countries")
    assert generic.via == "generic" and generic.actors[0].code == "MYS"
    roles = probs(mentions, {"Malaysia": 0.9}, {"countries": 0.9})
    source, _, target, _ = _choose_roles(roles, TH)
    assert source is not None and source.head.text == "Malaysia"
    assert target is None


def test_a_target_alone_must_be_named_or_remembered(coder):
    # "the hotel" only defaults to the document's country: not enough for an event alone.
    _, mentions = parse(coder, "The hotel was attacked on Monday.", before="Sudan said so. ")
    hotel = next(m for m in mentions if m.head.text == "hotel")
    assert hotel.via == "generic"
    source, _, target, _ = _choose_roles(probs(mentions, {}, {"hotel": 0.9}), TH)
    assert source is None and target is None
    # "civilians" is a role word of the document's country: an agentless attack on them.
    _, mentions = parse(coder, "Three civilians were killed on Monday.", before="Sudan said so. ")
    source, _, target, _ = _choose_roles(probs(mentions, {}, {"civilians": 0.9}), TH)
    assert source is None and target is not None
    assert (target.actors[0].code, target.actors[0].sector) == ("SDN", "CVL")


def test_below_the_thresholds_a_side_stays_empty(coder):
    _, mentions = parse(coder, "France criticised Germany over the budget.")
    roles = probs(mentions, {"France": 0.05}, {"Germany": 0.01})
    source, ps, target, pt = _choose_roles(roles, TH)
    assert source is None and target is None
    assert (ps, pt) == (TH.source, TH.target)


def test_a_modifier_gives_way_to_its_phrase(coder):
    doc, mentions = parse(coder, "Pakistan's army shelled militant hideouts in North Waziristan.")
    pakistan = next(m for m in mentions if m.head.text == "Pakistan")
    trigger = next(t for t in doc if t.text == "shelled")
    whole = _whole_phrase(pakistan, mentions, trigger)
    assert whole is not None and whole.head.text == "army"
    assert (whole.actors[0].code, whole.actors[0].sector) == ("PAK", "MIL")
