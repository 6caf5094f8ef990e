"""Time expressions: found in text, resolved against the publication date."""

from datetime import date

import pytest

from sitroom.extract.when import (
    find_time_expressions,
    infer_anchor,
    mentioned_years,
    period_end,
    resolve,
    resolve_past,
)

THURSDAY = date(2025, 2, 27)


def one(text: str, anchor: date | None = THURSDAY, future: bool = False):
    found = find_time_expressions(text)
    assert len(found) == 1, found
    return resolve(found[0], anchor, future)


@pytest.mark.parametrize(
    ("text", "day", "precision", "basis"),
    [
        ("talks on Wednesday", date(2025, 2, 26), "day", "relative"),
        ("a visit on Wednesday, (February 26)", date(2025, 2, 26), "day", "relative"),
        ("on Thursday", THURSDAY, "day", "relative"),
        ("last Thursday", date(2025, 2, 20), "day", "relative"),
        ("on Monday, March 3, 2025", date(2025, 3, 3), "day", "explicit"),
        ("signed on 14 February 2023", date(2023, 2, 14), "day", "explicit"),
        ("met on Feb. 20", date(2025, 2, 20), "day", "relative"),
        ("met on December 12", date(2024, 12, 12), "day", "relative"),
        ("yesterday", date(2025, 2, 26), "day", "relative"),
        ("last week", date(2025, 2, 17), "week", "relative"),
        ("last month", date(2025, 1, 1), "month", "relative"),
        ("next month", date(2025, 3, 1), "month", "relative"),
        ("last year", date(2024, 1, 1), "year", "relative"),
        ("earlier this year", date(2025, 1, 1), "year", "relative"),
        ("in September 2024", date(2024, 9, 1), "month", "explicit"),
        ("in 2023", date(2023, 1, 1), "year", "explicit"),
        ("two weeks ago", date(2025, 2, 10), "week", "relative"),
        ("in the autumn of 2024", date(2024, 9, 1), "season", "explicit"),
        ("last summer", date(2024, 6, 1), "season", "relative"),
        ("2025-01-05", date(2025, 1, 5), "day", "explicit"),
    ],
)
def test_resolves_against_publication_date(text, day, precision, basis):
    got = one(text)
    assert (got.date, got.precision, got.basis) == (day, precision, basis)


def test_future_events_look_forward():
    assert one("will visit on Monday", future=True).date == date(2025, 3, 3)
    assert one("probably in the autumn", future=True).date == date(2025, 9, 1)
    assert one("in the autumn").date == date(2024, 9, 1)
    assert one("in May", future=True).date == date(2025, 5, 1)
    assert one("in May").date == date(2024, 5, 1)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("from March 3 to 5", date(2025, 3, 3), date(2025, 3, 5)),
        ("between 10 and 12 June 2024", date(2024, 6, 10), date(2024, 6, 12)),
        ("3-5 March", date(2025, 3, 3), date(2025, 3, 5)),
        ("from December 30 to January 2", date(2024, 12, 30), date(2025, 1, 2)),
    ],
)
def test_ranges_keep_start_and_end(text, start, end):
    got = one(text)
    assert (got.date, got.end) == (start, end)


def test_relative_expressions_need_an_anchor():
    assert one("on Wednesday", anchor=None) is None
    assert one("last week", anchor=None) is None
    assert one("in September 2024", anchor=None).date == date(2024, 9, 1)


@pytest.mark.parametrize(
    "text", ["Malaysia may buy jets", "the fall of Kabul", "a March on the capital"]
)
def test_words_that_only_look_like_dates(text):
    assert find_time_expressions(text) == []


def test_weekday_with_date_and_mentioned_year_infer_the_year():
    text = "held talks on Wednesday, (February 26). Earlier meetings were in September 2024."
    assert infer_anchor(find_time_expressions(text), mentioned_years(text)) == date(2025, 2, 26)
    # The same weekday and day without any year in the text: nothing is invented.
    bare = "held talks on Wednesday, (February 26)."
    assert infer_anchor(find_time_expressions(bare), mentioned_years(bare)) is None


def test_period_end():
    assert period_end(date(2024, 2, 1), "month") == date(2024, 2, 29)
    assert period_end(date(2024, 12, 1), "season") == date(2025, 2, 28)
    assert period_end(date(2025, 2, 17), "week") == date(2025, 2, 23)


SUNDAY = date(2025, 3, 9)


@pytest.mark.parametrize(
    ("text", "anchor", "day", "precision"),
    [
        ("January of this year", date(2025, 3, 14), date(2025, 1, 1), "month"),
        ("in late March last year", date(2025, 3, 14), date(2024, 3, 1), "month"),
        ("May next year", date(2025, 8, 25), date(2026, 5, 1), "month"),
    ],
)
def test_month_of_a_year_named_relative_to_publication(text, anchor, day, precision):
    got = one(text, anchor=anchor)
    assert (got.date, got.precision, got.basis) == (day, precision, "relative")


def test_last_week_written_on_a_sunday_is_the_week_just_ending():
    assert one("last week", anchor=SUNDAY).date == date(2025, 3, 3)
    assert one("last week", anchor=date(2025, 3, 10)).date == date(2025, 3, 3)
    assert one("next week", anchor=SUNDAY).date == date(2025, 3, 10)


def _past(text: str, anchor: date):
    found = find_time_expressions(text)
    assert len(found) == 1, found
    return resolve_past(found[0], anchor)


@pytest.mark.parametrize(
    ("text", "anchor", "day"),
    [
        # A weekday equal to the publication weekday is the publication day itself.
        ("agreed on Sunday", SUNDAY, SUNDAY),
        ("met on Thursday", date(2025, 3, 14), date(2025, 3, 13)),
        # A month without a year: the latest such month not after publication.
        ("agreed in May", date(2025, 8, 25), date(2025, 5, 1)),
        ("agreed in December", date(2025, 8, 25), date(2024, 12, 1)),
        ("agreed in August", date(2025, 8, 25), date(2025, 8, 1)),
        # A day without a year a few days ahead: last year's, never this year's.
        ("met on March 20", date(2025, 3, 14), date(2024, 3, 20)),
        ("met on March 14", date(2025, 3, 14), date(2025, 3, 14)),
        ("from March 20 to 22", date(2025, 3, 14), date(2024, 3, 20)),
        ("this summer", date(2025, 3, 14), date(2024, 6, 1)),
        ("this May", date(2025, 3, 14), date(2024, 5, 1)),
    ],
)
def test_resolve_past_takes_the_latest_reading_not_after_publication(text, anchor, day):
    got = _past(text, anchor)
    assert got.date == day
    assert got.date <= anchor


@pytest.mark.parametrize(
    "text", ["tomorrow", "next week", "next month", "next Monday", "on June 3, 2031"]
)
def test_resolve_past_has_no_reading_for_what_only_lies_ahead(text):
    assert _past(text, date(2025, 3, 14)) is None
