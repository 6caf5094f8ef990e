"""A reported past event is never dated after its publication; an expression dates only
the clause it belongs to; only planned or hypothetical clauses look forward.

Two levels: the dater on real spaCy parses (events given by their trigger word and
modality), and the real Coder on short dated documents."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom.extract.dating import EventDater, clause_tense
from sitroom.extract.events import Found
from sitroom.extract.when import find_time_expressions
from sitroom.knowledge.lexicon import TriggerRule
from sitroom.nlp.model import load_model
from sitroom.records import Document
from sitroom.settings import Settings

SUNDAY = date(2025, 3, 9)
FRIDAY = date(2025, 3, 14)
MONDAY_AUG = date(2025, 8, 25)
THURSDAY_OCT = date(2024, 10, 31)


@pytest.fixture(scope="module")
def nlp():
    return load_model(Settings().spacy_model)


def _date(nlp, text: str, trigger: str, pub: date, modality: str | None = None):
    doc = nlp(text)
    tok = next(t for t in doc if t.text == trigger)
    found = Found(
        rule=TriggerRule(lemma=tok.lemma_, pos="verb", type="CONSULT"),
        trigger_tokens=[tok],
        source=[],
        target=[],
        mode=None,
        context=[],
        head=tok,
    )
    dater = EventDater(pub)
    return dater.date_for(
        found, doc, find_time_expressions(text), modality == "intended", modality=modality
    )


# --------------------------------------------------------------- the examples
def test_agreed_on_sunday_published_on_sunday_is_that_sunday(nlp):
    text = "ASEAN foreign ministers agreed on Sunday to impose sanctions on Myanmar."
    assert _date(nlp, text, "agreed", SUNDAY, "asserted").date == SUNDAY
    # The planned sanctions are dated by the clause that holds "on Sunday": the agreement.
    assert _date(nlp, text, "impose", SUNDAY, "intended").date == SUNDAY


def test_coordinated_verbs_share_their_clause_expression(nlp):
    text = "Germany and France met on Thursday and pledged to send weapons to Ukraine."
    thursday = FRIDAY - timedelta(days=1)
    assert _date(nlp, text, "met", FRIDAY, "asserted").date == thursday
    assert _date(nlp, text, "pledged", FRIDAY, "asserted").date == thursday
    assert _date(nlp, text, "send", FRIDAY, "intended").date == thursday


def test_month_in_a_past_clause_is_the_latest_such_month(nlp):
    text = "Hamas agreed in May to release hostages held in Gaza."
    got = _date(nlp, text, "release", MONDAY_AUG, "intended")
    assert (got.date, got.precision) == (date(2025, 5, 1), "month")


# ------------------------------------------------------ planned clauses look forward
def test_future_and_planned_clauses_still_look_forward(nlp):
    meet = _date(nlp, "Russia and Ukraine will meet on Sunday.", "meet", FRIDAY, "intended")
    assert meet.date == date(2025, 3, 16)
    send = "China plans to send troops to the border in May."
    assert _date(nlp, send, "send", MONDAY_AUG, "intended").date == date(2026, 5, 1)


def test_hypothetical_looks_forward_only_in_a_modal_clause(nlp):
    could = "Russia could attack Kyiv on Sunday."
    assert _date(nlp, could, "attack", FRIDAY, "hypothetical").date == date(2025, 3, 16)
    past = "Russia reportedly attacked Kyiv on Sunday."
    assert _date(nlp, past, "attacked", FRIDAY, "hypothetical").date == SUNDAY


# ------------------------------------------------------------- the guarantee (clamp)
@pytest.mark.parametrize("modality", ["asserted", "negated", "historical", None])
def test_asserted_event_with_a_forward_only_expression_gets_the_publication_day(nlp, modality):
    got = _date(nlp, "Germany sends weapons to Ukraine tomorrow.", "sends", FRIDAY, modality)
    assert (got.date, got.basis, got.text) == (FRIDAY, "publication", "tomorrow")


def test_asserted_event_takes_the_past_reading_of_a_date_without_year(nlp):
    # "March 20" a few days after publication would be this year for a planned event;
    # a reported meeting can only be last year's.
    got = _date(nlp, "The leaders met on March 20.", "met", FRIDAY, "asserted")
    assert got.date == date(2024, 3, 20)
    planned = _date(nlp, "The leaders will meet on March 20.", "meet", FRIDAY, "intended")
    assert planned.date == date(2025, 3, 20)


def test_asserted_event_in_a_clause_about_the_future_is_dated_at_publication(nlp):
    # The threat or plan is reported now; "in May" dates the troops' move, not it.
    text = "China plans to send troops to the border in May."
    got = _date(nlp, text, "plans", MONDAY_AUG, "asserted")
    assert (got.date, got.basis) == (MONDAY_AUG, "publication")


_PAST_SENTENCES = [
    "Russia attacked Kyiv {expr}.",
    "The ministers met {expr} and pledged to send aid.",
    "Hamas has agreed {expr} to release hostages.",
    "Turkey said {expr} that it would not attack Syria.",
    "Iran will hold talks with France {expr}.",
    "Germany sends weapons to Ukraine {expr}.",
]
_EXPRESSIONS = [
    "on Sunday",
    "on Wednesday",
    "in May",
    "in December",
    "on March 20",
    "next week",
    "tomorrow",
    "this summer",
    "on June 3, 2031",
    "next month",
    "last week",
]


@settings(max_examples=60, deadline=None)
@given(
    pub=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    sentence=st.sampled_from(_PAST_SENTENCES),
    expr=st.sampled_from(_EXPRESSIONS),
    modality=st.sampled_from(["asserted", "negated", "historical", None]),
)
def test_never_after_publication_unless_planned(nlp, pub, sentence, expr, modality):
    text = sentence.format(expr=expr)
    trigger = next(t.text for t in nlp(text) if t.pos_ == "VERB")
    got = _date(nlp, text, trigger, pub, modality)
    assert got is not None, text  # never dropped
    assert got.date <= pub, (text, pub, got)


# -------------------------------------------------------- an expression's own clause
def test_expression_in_a_relative_clause_does_not_date_the_main_event(nlp):
    text = (
        "A Kenyan court lifted orders against the government of Kenya, "
        "which was sued by Uganda in mid-October."
    )
    main = _date(nlp, text, "lifted", THURSDAY_OCT, "asserted")
    assert (main.date, main.basis) == (THURSDAY_OCT, "publication")
    sued = _date(nlp, text, "sued", THURSDAY_OCT, "asserted")
    assert (sued.date, sued.precision) == (date(2024, 10, 1), "month")


def test_expression_in_an_after_clause_dates_that_clause_only(nlp):
    text = "Israel struck Gaza after Hamas attacked Israel on Monday."
    struck = _date(nlp, text, "struck", FRIDAY, "asserted")
    assert (struck.date, struck.basis) == (FRIDAY, "publication")
    assert _date(nlp, text, "attacked", FRIDAY, "asserted").date == date(2025, 3, 10)
    other = "Israel struck Gaza on Monday after Hamas attacked Israel."
    assert _date(nlp, other, "struck", FRIDAY, "asserted").date == date(2025, 3, 10)
    assert _date(nlp, other, "attacked", FRIDAY, "asserted").basis == "publication"


def test_a_year_spans_an_after_clause(nlp):
    text = "Relations soured in 2010 after Israeli commandos stormed the ship."
    got = _date(nlp, text, "stormed", FRIDAY, "asserted")
    assert (got.date, got.precision) == (date(2010, 1, 1), "year")


def test_expression_before_the_event_noun_dates_it(nlp):
    text = "He played a role in last year's Columbia University protests."
    got = _date(nlp, text, "protests", FRIDAY, "asserted")
    assert (got.date, got.precision) == (date(2024, 1, 1), "year")


@pytest.mark.parametrize(
    ("text", "verb", "tense"),
    [
        ("Russia attacked Kyiv.", "attacked", "past"),
        ("Russia has attacked Kyiv.", "attacked", "past"),
        ("The deal was signed.", "signed", "past"),
        ("Russia did not attack Kyiv.", "attack", "past"),
        ("Russia will attack Kyiv.", "attack", "future"),
        ("Russia is going to attack Kyiv.", "attack", "future"),
        ("Russia plans to attack Kyiv.", "attack", "planned"),
        ("Russia planned to attack Kyiv.", "attack", "past"),
        ("Russia could attack Kyiv.", "attack", "modal"),
        ("Russia could have attacked Kyiv.", "attacked", "past"),
        ("Russia says it is ready.", "says", "present"),
        ("Russia met Ukraine and pledged aid.", "pledged", "past"),
    ],
)
def test_clause_tense(nlp, text, verb, tense):
    doc = nlp(text)
    assert clause_tense(next(t for t in doc if t.text == verb)) == tense


# ------------------------------------------------------------------- the real Coder
def _events(coder, text: str, pub: date):
    events = coder.code(Document(id="t", text=text, date=pub))
    assert events, f"no event found in {text!r}"
    return events


def test_coder_dates_the_agreement_and_its_plan_on_publication_sunday(coder):
    text = "ASEAN foreign ministers agreed on Sunday to impose sanctions on Myanmar."
    for ev in _events(coder, text, SUNDAY):
        assert ev.date == SUNDAY, ev


def test_coder_dates_coordinated_verbs_by_their_shared_thursday(coder):
    text = "Germany and France met on Thursday and pledged to send weapons to Ukraine."
    for ev in _events(coder, text, FRIDAY):
        assert ev.date == FRIDAY - timedelta(days=1), ev


def test_coder_dates_an_agreement_in_may_in_the_past_may(coder):
    text = "Hamas agreed in May to release hostages held in Gaza."
    for ev in _events(coder, text, MONDAY_AUG):
        assert (ev.date, ev.date_precision) == (date(2025, 5, 1), "month"), ev


def test_coder_keeps_reported_events_before_publication(coder):
    text = (
        "Russia and Ukraine will meet on Sunday to discuss a ceasefire. "
        "China plans to send troops to the border in May. "
        "Germany sends weapons to Ukraine tomorrow."
    )
    events = _events(coder, text, FRIDAY)
    for ev in events:
        if ev.modality in ("asserted", "negated", "historical"):
            assert ev.date is not None and ev.date <= FRIDAY, ev
    assert any(ev.date == date(2025, 3, 16) for ev in events if ev.modality == "intended")
