"""Give each event a date: pick the time expression of the event's own clause, resolve it
against the publication date (or a year inferred for an undated document), and fall back
to the publication date when the sentence has none.

Which way a bare "on Sunday" or "in May" points is decided by the clause the expression
sits in, not by the event alone: "agreed on Sunday to send aid" dates the agreement, a past
clause, so Sunday is the latest Sunday (the publication day itself when it is one), even
though the aid is only planned. Only a clause about what is to come ("will meet on
Sunday", "plans to send troops in May") looks forward, and only for an event that is
itself planned or hypothetical. An asserted, negated or historical event is never dated
after publication: a later reading gives way to the past one, or, when the expression has
none ("tomorrow", "next week"), to the publication date with the expression kept as text.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from spacy.tokens import Doc, Span, Token

from sitroom.extract.events import Found
from sitroom.extract.when import ResolvedDate, TimeExpression, resolve, resolve_past

# How a clause places its event in time. "planned": an infinitive under a present or
# future verb ("plans to visit"); "modal": could/may/would + verb.
Tense = Literal["past", "present", "future", "planned", "modal"]

_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_MODAL_AUX = frozenset({"may", "might", "could", "would", "should", "can", "ca", "must"})
_PERFECT_AUX = frozenset({"has", "have", "had", "'ve", "having"})
# Modalities whose date may lie after publication.
_FORWARD_MODALITIES = frozenset({"intended", "hypothetical"})
# Marks of an adverbial clause whose event is at another time than its head's: an
# expression inside one dates that clause only ("after the rebels attacked on Monday").
_ORDERING_MARKS = frozenset(
    {"after", "before", "since", "until", "till", "once", "if", "unless", "whenever"}
)


class EventDater:
    def __init__(self, pub_date: date | None, inferred_anchor: date | None = None) -> None:
        self.pub_date = pub_date
        self.inferred_anchor = inferred_anchor

    def date_for(
        self,
        found: Found,
        doc: Doc,
        expressions: list[TimeExpression],
        future: bool,
        modality: str | None = None,
    ) -> ResolvedDate | None:
        """The event's date. `future` says the event is planned (modality "intended");
        `modality`, or the Found's own when set, takes precedence over it."""
        mod = modality or getattr(found, "modality", None) or ("intended" if future else None)
        attached = attached_clause(found, doc, expressions)
        if attached is None:
            if self.pub_date is None:
                return None
            return ResolvedDate(self.pub_date, "day", "publication")
        expr, clause = attached
        tense = clause_tense(clause)
        forward = _looks_forward(mod, tense)
        resolved = resolve(expr, self.pub_date, forward)
        if resolved is None and self.pub_date is None and self.inferred_anchor is not None:
            guess = resolve(expr, self.inferred_anchor, forward)
            if guess is not None and expr.kind in ("weekday", "md", "dm", "range_md", "range_dm"):
                return ResolvedDate(guess.date, guess.precision, "inferred", guess.end, guess.text)
            return None
        if self.pub_date is None:
            return resolved
        if resolved is None:
            return ResolvedDate(self.pub_date, "day", "publication")
        if mod in _FORWARD_MODALITIES:
            return resolved
        if tense in ("future", "planned"):
            # The expression dates an action still to come, not this (asserted) event,
            # which is reported as happening now.
            return ResolvedDate(self.pub_date, "day", "publication", None, expr.text)
        if resolved.date <= self.pub_date:
            return resolved
        past = resolve_past(expr, self.pub_date)
        if past is not None:
            return past
        return ResolvedDate(self.pub_date, "day", "publication", None, expr.text)


def _looks_forward(modality: str | None, tense: Tense) -> bool:
    if modality == "intended":
        return tense != "past"
    if modality == "hypothetical":
        return tense in ("future", "planned", "modal")
    return False


def attached_expression(
    found: Found, doc: Doc, expressions: list[TimeExpression]
) -> TimeExpression | None:
    """The expression of the event's own clause nearest it in the dependency tree."""
    attached = attached_clause(found, doc, expressions)
    return attached[0] if attached else None


def attached_clause(
    found: Found, doc: Doc, expressions: list[TimeExpression]
) -> tuple[TimeExpression, Token] | None:
    """The expression nearest the event in the dependency tree (ties: nearest in text)
    among those that belong to its clause or to a clause above it, with the verb that
    expression's clause hangs from. An expression inside another clause (a relative
    clause, a different coordinated verb, "after the rebels attacked on Monday") is not
    taken; a month, season or year still spans an "after"/"before" clause ("soured in 2010
    after commandos stormed the ship")."""
    if not expressions:
        return None
    heads = _event_heads(found)
    best: tuple[int, int, TimeExpression, Token] | None = None
    for expr in expressions:
        span = doc.char_span(expr.start, expr.end, alignment_mode="expand")
        if span is None:
            continue
        coarse = _coarse(expr)
        reachable = [h for h in heads if _same_time_frame(span, h, heads, coarse)]
        if not reachable:
            continue
        distance = min(
            0 if _premodifies(span, h) else _tree_distance(span.root, h) for h in reachable
        )
        gap = min(abs(span.root.i - h.i) for h in reachable)
        if best is None or (distance, gap) < best[:2]:
            best = (distance, gap, expr, _clause_of(span))
    return (best[2], best[3]) if best else None


def clause_tense(verb: Token) -> Tense:
    """How the clause headed by `verb` places its event in time, from its auxiliaries and
    tag: "met", "has agreed", "was signed", "did not meet" are past; "will meet" future;
    "plans to visit" planned; "could meet" modal; "says", "meets" present. A verb without
    a tense of its own (a coordinated "and pledged", a participle "killing ten") takes
    that of the verb it hangs from."""
    for _ in range(6):
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        words = {c.lower_ for c in auxes}
        if words & _FUTURE_AUX:
            return "future"
        if words & _MODAL_AUX:
            return "past" if "have" in words else "modal"
        if any(c.dep_ == "aux" and c.lower_ in _PERFECT_AUX for c in auxes):
            return "past"
        if any(c.tag_ == "VBD" for c in auxes):
            return "past"
        if "to" in words:
            head = verb.head
            if head.i == verb.i:
                return "planned"
            if head.lemma_.lower() in ("go", "be") and verb.dep_ == "xcomp":
                return "future"
            return "past" if clause_tense(head) == "past" else "planned"
        if verb.tag_ == "VBD":
            return "past"
        if verb.tag_ in ("VBZ", "VBP") or auxes:
            return "present"
        if verb.tag_ == "VBN" and verb.dep_ not in ("conj",):
            return "past"  # "the deal signed on Sunday"
        if verb.head.i == verb.i or verb.dep_ not in ("conj", "advcl", "xcomp", "acl"):
            return "present"
        verb = verb.head
    return "present"


def _event_heads(found: Found) -> list[Token]:
    heads = [found.token, *found.trigger_tokens, *(a.token for a in found.absorbed)]
    seen: set[int] = set()
    out = []
    for h in heads:
        if h.i not in seen:
            seen.add(h.i)
            out.append(h)
    return out


def _same_time_frame(span: Span, head: Token, heads: list[Token], coarse: bool) -> bool:
    """Whether an expression may date the event at `head`: the tree path between them must
    not leave the expression's own subordinate clause (or coordinated verb) on the way up,
    nor enter a subordinate clause on the way down to the event. An expression written
    just before the event noun ("last year's protests", "Friday's meeting") always may."""
    if _premodifies(span, head):
        return True
    root = span.root
    if root.i == head.i:
        return True
    above_head = {head.i}
    cur = head
    while cur.head.i != cur.i:
        cur = cur.head
        above_head.add(cur.i)
    # Up from the expression to the lowest common ancestor.
    cur = root
    while cur.i not in above_head:
        if cur.head.i == cur.i:
            return False
        if _own_time(cur, coarse) and not _describes_noun_event(cur, heads):
            return False
        if cur.dep_ == "conj" and cur.pos_ in ("VERB", "AUX"):
            return False
        cur = cur.head
    ancestor = cur
    # An event inside a subordinate clause ("after the rebels attacked") has a time of
    # its own, not that of the clause above it.
    cur = head
    while cur.i != ancestor.i:
        if _own_time(cur, coarse):
            return False
        cur = cur.head
    return True


def _own_time(tok: Token, coarse: bool) -> bool:
    """A clause with a time of its own: a relative clause, or an adverbial clause that
    places its event before or after the other ("after", "until", "if"). A participle,
    purpose infinitive or "while"/"as"/"though" clause shares its head's time. Months,
    seasons and years span an adverbial clause."""
    if tok.dep_ in ("relcl", "csubj", "csubjpass"):
        return True
    if tok.dep_ == "acl":
        return tok.tag_ not in ("VBG", "VBN") and not _infinitive(tok)
    if tok.dep_ == "advcl":
        return not coarse and any(
            c.dep_ == "mark" and c.lower_ in _ORDERING_MARKS for c in tok.children
        )
    return False


def _infinitive(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _premodifies(span: Span, head: Token) -> bool:
    """The expression stands before the event noun inside its phrase: "last year's
    protests", "the March 3 talks", "Friday's meeting"."""
    if not 0 <= head.i - span.end <= 3:
        return False
    between = span.doc[span.end : head.i]
    return all(
        t.tag_ == "POS" or t.pos_ == "PROPN" or t.dep_ in ("compound", "amod") for t in between
    )


def _coarse(expr: TimeExpression) -> bool:
    """A month, season or year rather than a day or week."""
    if expr.kind in ("month", "month_year", "month_rel_year", "season", "season_year", "year"):
        return True
    return expr.kind in ("unit", "ago") and (expr.get("unit") or "").lower() in ("month", "year")


def _describes_noun_event(clause: Token, heads: list[Token]) -> bool:
    """A relative clause or participle of the event noun itself ("the talks, which were
    held on Sunday", "talks held on Sunday") dates that event."""
    return (
        clause.dep_ in ("relcl", "acl")
        and clause.head.pos_ in ("NOUN", "PROPN")
        and any(h.i == clause.head.i for h in heads)
    )


def _clause_of(span: Span) -> Token:
    """The verb whose clause holds an expression: the first verb above its root. An
    expression written between a verb and its infinitive ("agreed in May to stop") belongs
    to the verb before it, whichever way the parser hung it."""
    cur = span.root
    for _ in range(12):
        if cur.pos_ == "VERB" or (cur.pos_ == "AUX" and cur.dep_ not in ("aux", "auxpass")):
            break
        if cur.head.i == cur.i:
            return cur
        cur = cur.head
    to = [c for c in cur.children if c.dep_ == "aux" and c.lower_ == "to"]
    if cur.dep_ == "xcomp" and to and cur.head.i < span.start and span.end <= to[0].i:
        return cur.head
    return cur


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
