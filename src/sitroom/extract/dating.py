"""Give each event a date: pick the time expression attached to its trigger, resolve it
against the publication date (or a year inferred for an undated document), and fall back
to the publication date when the sentence has none."""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc, Token

from sitroom.extract.events import Found
from sitroom.extract.when import ResolvedDate, TimeExpression, resolve


class EventDater:
    def __init__(self, pub_date: date | None, inferred_anchor: date | None = None) -> None:
        self.pub_date = pub_date
        self.inferred_anchor = inferred_anchor

    def date_for(
        self, found: Found, doc: Doc, expressions: list[TimeExpression], future: bool
    ) -> ResolvedDate | None:
        expr = attached_expression(found, doc, expressions)
        if expr is None:
            if self.pub_date is None:
                return None
            return ResolvedDate(self.pub_date, "day", "publication")
        resolved = resolve(expr, self.pub_date, future)
        if resolved is None and self.pub_date is None and self.inferred_anchor is not None:
            guess = resolve(expr, self.inferred_anchor, future)
            if guess is not None and expr.kind in ("weekday", "md", "dm", "range_md", "range_dm"):
                return ResolvedDate(guess.date, guess.precision, "inferred", guess.end, guess.text)
            return None
        if resolved is None and self.pub_date is not None:
            return ResolvedDate(self.pub_date, "day", "publication")
        return resolved


def attached_expression(
    found: Found, doc: Doc, expressions: list[TimeExpression]
) -> TimeExpression | None:
    """The expression nearest the event in the dependency tree (ties: nearest in text)."""
    if not expressions:
        return None
    heads = [found.token, *found.trigger_tokens, *(a.token for a in found.absorbed)]
    best: tuple[int, int, TimeExpression] | None = None
    for expr in expressions:
        span = doc.char_span(expr.start, expr.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        distance = min(_tree_distance(root, h) for h in heads)
        gap = min(abs(root.i - h.i) for h in heads)
        if best is None or (distance, gap) < best[:2]:
            best = (distance, gap, expr)
    return best[2] if best else None


def _tree_distance(a: Token, b: Token) -> int:
    depth_a = {a.i: 0}
    cur, steps = a, 0
    while cur.head.i != cur.i:
        cur, steps = cur.head, steps + 1
        depth_a[cur.i] = steps
    cur, steps = b, 0
    while True:
        if cur.i in depth_a:
            return depth_a[cur.i] + steps
        if cur.head.i == cur.i:
            return 99
        cur, steps = cur.head, steps + 1
