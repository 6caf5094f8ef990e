"""How sure the text is about an event: asserted, negated, hypothetical, intended (planned
or future) or historical (a past event recalled as background).

The first four come from the clause around the trigger (negation, modal verbs,
conditionals, verbs of planning); "historical" is decided once the event's date is known
(`recalled`). The event keeps its PLOVER type either way.
"""

from __future__ import annotations

from datetime import date, timedelta

from spacy.tokens import Token

from sitroom.extract.events import Found
from sitroom.extract.when import ResolvedDate
from sitroom.records import Modality

_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_MAYBE_AUX = frozenset({"may", "might", "could", "would", "should", "can", "ca"})
_MAYBE_WORDS = frozenset(
    {
        "likely",
        "unlikely",
        "possibly",
        "probably",
        "perhaps",
        "maybe",
        "potentially",
        "potential",
        "possible",
        "conceivably",
    }
)
# Verbs and adjectives that put what they govern in doubt: "is considering buying".
_MAYBE_GOVERNORS = frozenset(
    {
        "consider",
        "weigh",
        "mull",
        "explore",
        "contemplate",
        "suggest",
        "speculate",
        "rumour",
        "rumor",
        "likely",
        "unlikely",
        "possible",
        "able",
        "open",
        "ready",
        "willing",
        "discuss",
    }
)
# ... and those that plan it: "plans to visit", "expressed interest in acquiring".
_INTENT_GOVERNORS = frozenset(
    {
        "plan",
        "intend",
        "aim",
        "seek",
        "want",
        "hope",
        "expect",
        "schedule",
        "set",
        "due",
        "prepare",
        "interest",
        "intention",
        "intent",
        "vow",
        "pledge",
        "promise",
        "decide",
        "agree",
        "offer",
        "propose",
        "go",
    }
)
_INTENT_TRIGGER_WORDS = frozenset({"interest", "intention", "intent", "plan", "plans"})
_NEG_GOVERNORS = frozenset(
    {"deny", "refuse", "decline", "fail", "cancel", "avoid", "postpone", "scrap", "abandon"}
)
_NEG_WORDS = frozenset({"not", "n't", "never", "no"})
_CONDITION_MARKS = frozenset({"if", "unless", "should"})
# How long before publication an event must end to count as recalled background.
RECALL_GAP = timedelta(days=31)


def clause_modality(found: Found) -> Modality:
    """Negated, hypothetical, intended or asserted, from the trigger's own clause."""
    tok = found.token
    if found.derived:
        # A promise or threat inferred from an announced action is made now.
        return "negated" if any(_negated(t) for t in found.trigger_tokens) else "asserted"
    if any(t.lower_ in _INTENT_TRIGGER_WORDS for t in found.trigger_tokens):
        if _negated(tok) or _negated(found.trigger_tokens[0]):
            return "negated"
        return "intended"
    chain = _clause_chain(tok, found)
    own = set(found.trigger_tokens) | {tok}
    governors = [t for t in chain if t not in own]
    if any(_negated(t) for t in chain) or any(_lemma_in(t, _NEG_GOVERNORS) for t in governors):
        return "negated"
    if any(_hypothetical(t) for t in chain) or any(
        _lemma_in(t, _MAYBE_GOVERNORS) for t in governors
    ):
        return "hypothetical"
    if any(_intended(t) for t in chain) or any(_lemma_in(t, _INTENT_GOVERNORS) for t in governors):
        return "intended"
    return "asserted"


def recalled(modality: Modality, when: ResolvedDate | None, anchor: date | None) -> Modality:
    """An asserted event whose own date ended well before publication is background."""
    if modality != "asserted" or when is None or anchor is None:
        return modality
    if when.basis in ("explicit", "relative", "inferred") and when.last_day < anchor - RECALL_GAP:
        return "historical"
    return modality


def _clause_chain(tok: Token, found: Found) -> list[Token]:
    """The trigger and the words governing it, up to the clause that states it: the
    light verb of "held talks", "plans to" above "visit", "denied" above "meeting".
    A trigger that is a clause's subject ("Shoigu's visit would suggest ...") keeps to
    itself."""
    chain = [tok]
    for t in found.trigger_tokens:
        if t not in chain:
            chain.append(t)
    cur = tok
    for _ in range(4):
        dep = cur.dep_
        head = cur.head
        if head.i == cur.i or dep in ("nsubj", "nsubjpass", "csubj", "ROOT", "conj", "appos"):
            break
        if dep in ("relcl", "acl", "advcl") and not _conditional(cur):
            break
        if dep in ("ccomp", "parataxis"):
            # "It is likely that X will join" qualifies X; a clause put before its head
            # ("X applied, however the visit would suggest ...", "..., officials said")
            # is not qualified by what follows it.
            if head.i < cur.i:
                chain.append(head)
            break
        chain.append(head)
        cur = head
    return chain


def _negated(t: Token) -> bool:
    for c in t.children:
        if c.dep_ == "neg" or (c.dep_ in ("det", "advmod") and c.lower_ in _NEG_WORDS):
            return True
    return False


def _hypothetical(t: Token) -> bool:
    for c in t.children:
        if c.dep_ == "aux" and c.lower_ in _MAYBE_AUX:
            return True
        if c.dep_ in ("advmod", "acomp") and c.lower_ in _MAYBE_WORDS:
            return True
        if c.dep_ == "mark" and c.lower_ in _CONDITION_MARKS:
            return True
    return _conditional(t)


def _conditional(t: Token) -> bool:
    return t.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in _CONDITION_MARKS for c in t.children
    )


def _intended(t: Token) -> bool:
    for c in t.children:
        if c.dep_ == "aux" and c.lower_ in _FUTURE_AUX:
            return True
        # "is to visit", "are going to": be + infinitive complement
        if c.dep_ == "aux" and c.lower_ == "to" and t.dep_ == "xcomp":
            if t.head.lemma_.lower() in ("be", "go"):
                return True
    return False


def _lemma_in(t: Token, words: frozenset[str]) -> bool:
    return t.pos_ in ("VERB", "NOUN", "ADJ") and t.lemma_.lower() in words
