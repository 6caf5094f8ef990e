"""A whole article written for this test, coded with and without its publication date."""

from datetime import date

import pytest

from sitroom.records import Document

pytestmark = pytest.mark.model

ARTICLE = (
    "Indonesia's Defence Minister Sjafrie Sjamsoeddin held talks with Australian Defence "
    "Minister Richard Marles during a visit to Canberra on Tuesday, (March 4). The meeting "
    "follows talks between Indonesian President Prabowo Subianto and Australian Prime Minister "
    "Anthony Albanese in Jakarta in November 2024.\n"
    "Jakarta has also applied to join the OECD, and Sjafrie's visit suggests that defence ties "
    "are deepening.\n"
    "Indonesia has also expressed interest in acquiring Australian patrol boats."
)


def _code(coder, when):
    return coder.code(Document(id="idn-aus", text=ARTICLE, date=when))


def test_dated_article(coder):
    events = _code(coder, date(2025, 3, 5))
    talks, background = [e for e in events if e.event_type == "CONSULT"]
    assert (talks.date, talks.date_precision, talks.date_basis) == (
        date(2025, 3, 4),
        "day",
        "relative",
    )
    assert talks.date_text == "on Tuesday, (March 4)"
    assert (talks.location.name, talks.location.country) == ("Canberra", "AUS")
    assert talks.location.lat is not None and talks.modality == "asserted"
    # "Sjafrie's visit" in the third sentence is the same event, not a new one.
    assert [m.sentence_index for m in talks.mentions] == [0, 2]
    assert (background.date, background.date_precision) == (date(2024, 11, 1), "month")
    assert background.modality == "historical"
    # An event without a time expression of its own takes the publication date. (The
    # learned coder no longer reports the closing "interest in acquiring" as AGREE; its
    # clause reading, intended, is tested in test_certainty.py.)
    applied = next(e for e in events if e.event_type == "REQUEST")
    assert [a.code for a in applied.target] == ["OECD"]
    assert (applied.date, applied.date_basis, applied.date_text) == (
        date(2025, 3, 5),
        "publication",
        None,
    )


def test_undated_article_infers_the_year_and_invents_nothing(coder):
    events = _code(coder, None)
    talks = next(e for e in events if e.event_type == "CONSULT")
    assert (talks.date, talks.date_basis) == (date(2025, 3, 4), "inferred")
    undated = [e for e in events if e.event_type in ("REQUEST", "AGREE")]
    assert undated and all(e.date is None and e.date_basis is None for e in undated)
