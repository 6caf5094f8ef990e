"""Time expressions: find them in text and resolve them against an anchor date.

Finding is done with regular expressions over the sentence text (cheap, no model);
resolution is plain calendar arithmetic. Which expression belongs to which event is
decided by `sitroom.extract.attach`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Basis = Literal["explicit", "relative", "publication", "inferred"]
Precision = Literal["day", "week", "month", "season", "year"]

MONTHS = {
    name: n
    for n, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    d: n
    for n, d in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}
SEASON_MONTH = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
UNIT_PRECISION: dict[str, Precision] = {"week": "week", "month": "month", "year": "year"}

_MON = (
    r"(?P<{0}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{0}>(?:19|20)\d\d)"
_WD = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"


def _p(template: str, *names: str) -> str:
    return template.format(*names)


# Order matters: longer, more specific patterns first; matches never overlap.
_PATTERNS: list[tuple[str, str]] = [
    ("iso", r"\b" + _p(_YEAR, "y") + r"-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
    # March 3-5, 2025 / March 3 to 5 / from March 3 to April 2
    (
        "range_md",
        r"\b(?:from\s+|between\s+)?"
        + _p(_MON, "m")
        + r"\s+"
        + _p(_DAY, "d")
        + r"\s*(?:-|–|to|and|until)\s*(?:"
        + _p(_MON, "m2")
        + r"\s+)?"
        + _p(_DAY, "d2")
        + r"\b(?:,?\s*"
        + _p(_YEAR, "y")
        + r")?",
    ),
    # 3-5 March 2025 / between 10 and 12 June / from 3 March to 2 April
    (
        "range_dm",
        r"\b(?:from\s+|between\s+)?"
        + _p(_DAY, "d")
        + r"(?:\s+"
        + _p(_MON, "m")
        + r")?\s*(?:-|–|to|and|until)\s*"
        + _p(_DAY, "d2")
        + r"\s+"
        + _p(_MON, "m2")
        + r"\b(?:,?\s*"
        + _p(_YEAR, "y")
        + r")?",
    ),
    # (on) Wednesday, (February 26) / Monday, March 3, 2025 / Friday 4 April
    (
        "weekday",
        r"\b(?:(?P<rel>last|next|this|on|coming)\s+)?"
        + _WD
        + r"(?:\s*,?\s*\(?\s*(?:"
        + _p(_MON, "m")
        + r"\s+"
        + _p(_DAY, "d")
        + r"|"
        + _p(_DAY, "d2")
        + r"\s+"
        + _p(_MON, "m2")
        + r")\s*\)?(?:,?\s*"
        + _p(_YEAR, "y")
        + r")?)?",
    ),
    (
        "md",
        r"\b" + _p(_MON, "m") + r"\s+" + _p(_DAY, "d") + r"\b(?:,?\s*" + _p(_YEAR, "y") + r")?",
    ),
    ("dm", r"\b" + _p(_DAY, "d") + r"\s+" + _p(_MON, "m") + r"\b(?:,?\s*" + _p(_YEAR, "y") + r")?"),
    # January of this year / late March last year / in May next year
    (
        "month_rel_year",
        r"\b(?:(?:early|mid|late)[\s-]+)?"
        + _p(_MON, "m")
        + r"\s+(?:of\s+)?(?P<yrel>this|last|next)"
        r"\s+year\b",
    ),
    (
        "month_year",
        r"\b(?:(?:early|mid|late)[\s-]+)?" + _p(_MON, "m") + r"\s+(?:of\s+)?" + _p(_YEAR, "y"),
    ),
    (
        "season",
        r"\b(?P<rel>in\s+the|during\s+the|this|last|next|the|in|early|late)\s+"
        r"(?P<season>spring|summer|autumn|fall|winter)\b(?:\s+(?:of\s+)?" + _p(_YEAR, "y") + r")?",
    ),
    (
        "season_year",
        r"\b(?P<season>spring|summer|autumn|fall|winter)\s+(?:of\s+)?" + _p(_YEAR, "y"),
    ),
    ("day_word", r"\b(?P<word>yesterday|today|tomorrow|tonight|overnight)\b"),
    (
        "unit",
        r"\b(?P<rel>last|this|next|earlier\s+this|later\s+this|earlier\s+in\s+the|"
        r"the\s+previous|the\s+past|the\s+coming)\s+(?P<unit>week|month|year)\b",
    ),
    ("weekend", r"\b(?P<rel>last|this|next|over\s+the|at\s+the)\s+weekend\b"),
    (
        "ago",
        r"\b(?P<n>a|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+"
        r"(?P<unit>day|week|month|year)s?\s+ago\b",
    ),
    (
        "month",
        r"\b(?P<rel>in|on|since|during|until|by|last|next|this|early|mid|late)[\s-]+"
        + _p(_MON, "m")
        + r"\b(?!\s+(?:[0-3]?\d|(?:19|20)\d\d)\b)",
    ),
    (
        "year",
        r"\b(?P<rel>in|since|during|until|by|of|early|late|mid|throughout)[\s-]+"
        + _p(_YEAR, "y")
        + r"\b",
    ),
]
_REGEXES = [(kind, re.compile(rx, re.IGNORECASE)) for kind, rx in _PATTERNS]
_NUMBERS = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_YEAR_RE = re.compile(r"\b(?:19[5-9]\d|20\d\d)\b")


@dataclass(frozen=True)
class TimeExpression:
    """A time expression found in a text, with what it says, before resolution."""

    start: int  # character offsets in the text searched
    end: int
    text: str
    kind: str
    groups: tuple[tuple[str, str], ...]

    def get(self, name: str) -> str | None:
        for key, value in self.groups:
            if key == name:
                return value
        return None

    @property
    def weekday_with_date(self) -> tuple[int, int, int] | None:
        """(weekday, month, day) for "Wednesday, (February 26)" without a year."""
        if self.kind != "weekday" or self.get("y"):
            return None
        month = self.get("m") or self.get("m2")
        day = self.get("d") or self.get("d2")
        if not month or not day:
            return None
        return WEEKDAYS[self.get("wd").lower()], _month(month), int(day)  # type: ignore[union-attr]


@dataclass(frozen=True)
class ResolvedDate:
    date: date
    precision: Precision
    basis: Basis
    end: date | None = None
    text: str | None = None

    @property
    def last_day(self) -> date:
        """The last day the expression covers (for "September 2024": 2024-09-30)."""
        if self.end is not None:
            return self.end
        return period_end(self.date, self.precision)


def find_time_expressions(text: str) -> list[TimeExpression]:
    """All time expressions in `text`, left to right, never overlapping."""
    taken: list[tuple[int, int]] = []
    found: list[TimeExpression] = []
    for kind, rx in _REGEXES:
        for m in rx.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            if not _plausible(kind, m):
                continue
            groups = tuple((k, v) for k, v in m.groupdict().items() if v)
            taken.append((s, e))
            found.append(TimeExpression(s, e, m.group(0), kind, groups))
    return sorted(found, key=lambda x: x.start)


def _plausible(kind: str, m: re.Match[str]) -> bool:
    groups = m.groupdict()
    for key in ("d", "d2"):
        if groups.get(key) and not 1 <= int(groups[key]) <= 31:
            return False
    month_word = groups.get("m")
    if (
        month_word
        and month_word.lower() == "may"
        and kind in ("month", "md", "dm", "month_rel_year")
    ):
        # "may" the verb: require a capital letter for the month.
        return month_word[0] == "M"
    if month_word and month_word.lower() in ("mar", "march") and kind == "month":
        return month_word[0] == "M"
    if kind == "season" and groups["season"].lower() == "fall":
        return bool(groups.get("y")) or groups["rel"].lower() in ("in the", "this", "last", "next")
    if kind == "season" and groups["rel"].lower() == "the" and not groups.get("y"):
        return False
    return True


def mentioned_years(text: str) -> set[int]:
    return {int(y) for y in _YEAR_RE.findall(text)}


def infer_anchor(expressions: list[TimeExpression], years: set[int]) -> date | None:
    """A date for a document without a publication date: a weekday with a day and a month
    fixes a few candidate years; the latest year the text mentions picks the first
    candidate at or after it. Without a mentioned year nothing is inferred."""
    if not years:
        return None
    floor = max(y for y in years if y <= 2100)
    for expr in expressions:
        wdm = expr.weekday_with_date
        if wdm is None:
            continue
        weekday, month, day = wdm
        for year in range(floor, floor + 7):
            try:
                candidate = date(year, month, day)
            except ValueError:
                continue
            if candidate.weekday() == weekday:
                return candidate
    return None


def resolve(expr: TimeExpression, anchor: date | None, future: bool = False) -> ResolvedDate | None:
    """Resolve against `anchor` (the publication date). `future` says the event is
    planned, so bare weekdays and months point forward. None when it cannot be placed."""
    try:
        resolved = _resolve(expr, anchor, future)
    except (ValueError, OverflowError):
        return None
    if resolved is None:
        return None
    return ResolvedDate(resolved.date, resolved.precision, resolved.basis, resolved.end, expr.text)


def resolve_past(expr: TimeExpression, anchor: date) -> ResolvedDate | None:
    """The latest reading of `expr` that starts on or before `anchor`: "on Sunday" written
    on a Sunday is that day, "in May" the latest May begun by then, "March 3" without a
    year the latest March 3 not after it. None when the expression has no such reading
    ("tomorrow", "next week", a date written with a later year)."""
    resolved = resolve(expr, anchor, future=False)
    if resolved is None or resolved.date <= anchor:
        return resolved
    if expr.kind in ("md", "dm", "weekday", "range_md", "range_dm", "month") and not expr.get("y"):
        rel = (expr.get("rel") or "").lower()
        if rel in ("next", "coming"):
            return None
        try:
            start = resolved.date.replace(year=resolved.date.year - 1)
            end = resolved.end.replace(year=resolved.end.year - 1) if resolved.end else None
        except ValueError:  # February 29
            return None
        return ResolvedDate(start, resolved.precision, resolved.basis, end, resolved.text)
    if expr.kind == "season" and not expr.get("y"):
        if (expr.get("rel") or "").lower() == "next":
            return None
        start = resolved.date.replace(year=resolved.date.year - 1)
        return ResolvedDate(start, resolved.precision, resolved.basis, None, resolved.text)
    return None


def _resolve(expr: TimeExpression, anchor: date | None, future: bool) -> ResolvedDate | None:
    g = expr.get
    kind = expr.kind
    year = int(g("y")) if g("y") else None
    if kind == "iso":
        return ResolvedDate(date(int(g("y")), int(g("m")), int(g("d"))), "day", "explicit")
    if kind in ("md", "dm") or (kind == "weekday" and (g("m") or g("m2"))):
        month = _month(g("m") or g("m2"))
        day = int(g("d") or g("d2"))
        if year:
            return ResolvedDate(date(year, month, day), "day", "explicit")
        if anchor is None:
            return None
        return ResolvedDate(_nearest_year(anchor, month, day, future), "day", "relative")
    if kind in ("range_md", "range_dm"):
        m1 = g("m") or g("m2")
        m2 = g("m2") or g("m")
        d1, d2 = int(g("d")), int(g("d2"))
        month1, month2 = _month(m1), _month(m2)
        if year:
            start, basis = date(year, month1, d1), "explicit"
        elif anchor is not None:
            start, basis = _nearest_year(anchor, month1, d1, future), "relative"
        else:
            return None
        end = date(start.year + (1 if month2 < month1 else 0), month2, d2)
        if end < start:
            return None
        return ResolvedDate(start, "day", basis, end=end)  # type: ignore[arg-type]
    if kind == "month_rel_year":
        if anchor is None:
            return None
        shift = {"last": -1, "next": 1}.get(g("yrel").lower(), 0)  # type: ignore[union-attr]
        return ResolvedDate(date(anchor.year + shift, _month(g("m")), 1), "month", "relative")
    if kind == "month_year":
        return ResolvedDate(date(year, _month(g("m")), 1), "month", "explicit")  # type: ignore[arg-type]
    if kind in ("season", "season_year"):
        month = SEASON_MONTH[g("season").lower()]  # type: ignore[union-attr]
        if year:
            return ResolvedDate(date(year, month, 1), "season", "explicit")
        if anchor is None:
            return None
        rel = (g("rel") or "").lower()
        start = _season_start(anchor, month, rel, future)
        return ResolvedDate(start, "season", "relative")
    if anchor is None:
        return None
    if kind == "weekday":
        weekday = WEEKDAYS[g("wd").lower()]  # type: ignore[union-attr]
        rel = (g("rel") or "").lower()
        forward = rel in ("next", "coming") or (future and rel != "last")
        return ResolvedDate(_weekday(anchor, weekday, forward, rel), "day", "relative")
    if kind == "day_word":
        shift = {"yesterday": -1, "tomorrow": 1}.get(g("word").lower(), 0)  # type: ignore[union-attr]
        return ResolvedDate(anchor + timedelta(days=shift), "day", "relative")
    if kind == "weekend":
        rel = g("rel").lower()  # type: ignore[union-attr]
        saturday = anchor - timedelta(days=(anchor.weekday() - 5) % 7)
        if rel == "next" or (future and rel != "last"):
            saturday = anchor + timedelta(days=(5 - anchor.weekday()) % 7 or 7)
        return ResolvedDate(saturday, "day", "relative", end=saturday + timedelta(days=1))
    if kind == "unit":
        rel = " ".join(g("rel").lower().split())  # type: ignore[union-attr]
        unit = g("unit").lower()  # type: ignore[union-attr]
        step = {"last": -1, "the previous": -1, "the past": -1, "next": 1, "the coming": 1}.get(
            rel, 0
        )
        if unit == "week" and step == -1 and anchor.weekday() == 6:
            # Written on a Sunday, "last week" is the working week just ending (Monday to
            # Saturday), not the one before it.
            step = 0
        start = _period_start(anchor, UNIT_PRECISION[unit], step)
        return ResolvedDate(start, UNIT_PRECISION[unit], "relative")
    if kind == "ago":
        n = _NUMBERS.get(g("n").lower()) or int(g("n"))  # type: ignore[union-attr]
        unit = g("unit").lower()  # type: ignore[union-attr]
        if unit == "day":
            return ResolvedDate(anchor - timedelta(days=n), "day", "relative")
        return ResolvedDate(_period_start(anchor, UNIT_PRECISION[unit], -n), unit, "relative")  # type: ignore[arg-type]
    if kind == "month":
        month = _month(g("m"))
        rel = g("rel").lower()  # type: ignore[union-attr]
        year = anchor.year
        if rel == "last":
            year -= 0 if month < anchor.month else 1
        elif rel == "next":
            year += 0 if month > anchor.month else 1
        elif rel != "this":
            if future:
                year += 0 if month >= anchor.month else 1
            else:
                year -= 0 if month <= anchor.month else 1
        return ResolvedDate(date(year, month, 1), "month", "relative")
    if kind == "year":
        return ResolvedDate(date(year, 1, 1), "year", "explicit")  # type: ignore[arg-type]
    return None


def _month(word: str | None) -> int:
    return MONTHS[(word or "").lower().rstrip(".")]


def _nearest_year(anchor: date, month: int, day: int, future: bool) -> date:
    """The occurrence of month/day nearest the anchor, on the side the tense points to."""
    this = date(anchor.year, month, day)
    if future:
        return this if this >= anchor else date(anchor.year + 1, month, day)
    if this <= anchor + timedelta(days=1):
        return this
    # A few days ahead of publication is still this year (a story about next week).
    if (this - anchor).days <= 14:
        return this
    return date(anchor.year - 1, month, day)


def _weekday(anchor: date, weekday: int, forward: bool, rel: str) -> date:
    if forward:
        return anchor + timedelta(days=(weekday - anchor.weekday()) % 7 or 7)
    back = (anchor.weekday() - weekday) % 7
    if rel == "last" and back == 0:
        back = 7
    return anchor - timedelta(days=back)


def _period_start(anchor: date, precision: Precision, step: int) -> date:
    if precision == "week":
        monday = anchor - timedelta(days=anchor.weekday())
        return monday + timedelta(weeks=step)
    if precision == "month":
        index = anchor.year * 12 + anchor.month - 1 + step
        return date(index // 12, index % 12 + 1, 1)
    return date(anchor.year + step, 1, 1)


def period_end(start: date, precision: Precision) -> date:
    if precision == "day":
        return start
    if precision == "week":
        return start + timedelta(days=6)
    if precision == "month":
        return _period_start(start, "month", 1) - timedelta(days=1)
    if precision == "season":
        index = start.year * 12 + start.month - 1 + 3
        return date(index // 12, index % 12 + 1, 1) - timedelta(days=1)
    return date(start.year, 12, 31)


def _season_start(anchor: date, month: int, rel: str, future: bool) -> date:
    """Start of the season meant: "this" = this year's, "last" = the latest one over,
    "next" = the first one to come, otherwise the current or latest one (the current or
    coming one for planned events). Winter belongs to the year it starts in."""
    if rel == "this":
        return date(anchor.year - (1 if month == 12 and anchor.month < 3 else 0), month, 1)
    start = date(anchor.year + 1, month, 1)
    if rel == "next" or (future and rel != "last"):
        while date(start.year - 1, month, 1) > anchor or (
            rel != "next" and period_end(date(start.year - 1, month, 1), "season") >= anchor
        ):
            start = date(start.year - 1, month, 1)
        return start
    while start > anchor or (rel == "last" and period_end(start, "season") >= anchor):
        start = date(start.year - 1, month, 1)
    return start
