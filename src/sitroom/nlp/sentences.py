"""Cheap first pass: split a tokenised document into sentences and keep only those that
can hold an event (a known actor or a role word, and a trigger candidate).

Parsing is the expensive step; this pass needs only the tokenizer (hundreds of thousands
of words per second) and lets the parser skip background sentences.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

_FINAL = {".", "!", "?"}
_CLOSERS = {'"', "'", "\u201d", "\u2019", ")", "]"}
_IRREGULAR = {
    "met": "meet",
    "held": "hold",
    "sought": "seek",
    "fought": "fight",
    "shot": "shoot",
    "sent": "send",
    "gave": "give",
    "given": "give",
    "took": "take",
    "taken": "take",
    "withdrew": "withdraw",
    "withdrawn": "withdraw",
    "struck": "strike",
    "stricken": "strike",
    "broke": "break",
    "broken": "break",
    "froze": "freeze",
    "frozen": "freeze",
    "spoke": "speak",
    "brought": "bring",
    "made": "make",
    "bought": "buy",
    "led": "lead",
    "won": "win",
    "began": "begin",
    "begun": "begin",
    "flew": "fly",
    "flown": "fly",
    "drew": "draw",
    "drawn": "draw",
    "threw": "throw",
    "thrown": "throw",
    "hit": "hit",
    "cut": "cut",
    "put": "put",
    "shut": "shut",
    "set": "set",
    "beat": "beat",
    "beaten": "beat",
    "overran": "overrun",
    "lent": "lend",
    "laid": "lay",
    "paid": "pay",
    "told": "tell",
    "said": "say",
    "swore": "swear",
    "sworn": "swear",
    "bade": "bid",
    "forbade": "forbid",
    "forbidden": "forbid",
    "rode": "ride",
    "fled": "flee",
    "stood": "stand",
    "kept": "keep",
    "left": "leave",
    "retook": "retake",
    "retaken": "retake",
    "undertook": "undertake",
    "talks": "talk",
    "arms": "arm",
    "ties": "tie",
    "relations": "relation",
    "forces": "force",
    "troops": "troop",
    "people": "people",
    "men": "man",
    "women": "woman",
    "children": "child",
    "gunmen": "gunman",
    "policemen": "policeman",
    "authorities": "authority",
}


@lru_cache(maxsize=65536)
def guess_lemmas(word: str) -> frozenset[str]:
    """Lemmas a lower-cased word form could have; over-generates on purpose.
    Cached: the same few thousand word forms recur in every document."""
    out = {word}
    if word in _IRREGULAR:
        out.add(_IRREGULAR[word])
    n = len(word)
    if n > 3 and word.endswith("s"):
        out.add(word[:-1])
        if word.endswith("es"):
            out.add(word[:-2])
        if word.endswith("ies"):
            out.add(word[:-3] + "y")
    if n > 4 and word.endswith("ed"):
        out.update({word[:-2], word[:-1]})
        if word.endswith("ied"):
            out.add(word[:-3] + "y")
        if n > 5 and word[-3] == word[-4]:
            out.add(word[:-3])
    if n > 5 and word.endswith("ing"):
        out.update({word[:-3], word[:-3] + "e"})
        if word[-4] == word[-5]:
            out.add(word[:-4])
    return frozenset(out)


@dataclass(frozen=True)
class SentenceSpan:
    index: int
    start: int  # token offsets in the tokenised document
    end: int
    start_char: int
    end_char: int


def split_sentences(doc: Doc) -> list[SentenceSpan]:
    """Sentence boundaries from punctuation and line breaks, without a parser."""
    spans: list[SentenceSpan] = []
    start = 0
    n = len(doc)

    def close(end: int) -> None:
        nonlocal start
        while start < end and doc[start].is_space:
            start += 1
        last = end
        while last > start and doc[last - 1].is_space:
            last -= 1
        if last > start:
            spans.append(
                SentenceSpan(
                    len(spans), start, last, doc[start].idx, doc[last - 1].idx + len(doc[last - 1])
                )
            )
        start = end

    i = 0
    while i < n:
        tok = doc[i]
        if tok.is_space and "\n" in tok.text:
            close(i + 1)
        elif tok.text in _FINAL or (len(tok.text) > 1 and tok.text[-1] in _FINAL and tok.is_punct):
            j = i + 1
            while j < n and doc[j].text in _CLOSERS:
                j += 1
            nxt = doc[j] if j < n else None
            if (
                nxt is None
                or nxt.is_space
                or nxt.text[:1].isupper()
                or nxt.text[:1] in "\"'\u201c("
            ):
                close(j)
                i = j
                continue
        elif "\n" in tok.whitespace_:
            close(i + 1)
        i += 1
    close(n)
    return spans


class CandidateFilter:
    """Decides from tokens alone whether a sentence is worth parsing."""

    def __init__(self, trigger_lemmas: Iterable[str], role_words: Iterable[str]) -> None:
        self.triggers = frozenset(trigger_lemmas)
        self.roles = frozenset(w for w in role_words if " " not in w)

    def has_trigger(self, doc: Doc, span: SentenceSpan) -> bool:
        for tok in doc[span.start : span.end]:
            if tok.is_alpha or "-" in tok.text:
                if not guess_lemmas(tok.lower_).isdisjoint(self.triggers):
                    return True
        return False

    def has_role_word(self, doc: Doc, span: SentenceSpan) -> bool:
        for tok in doc[span.start : span.end]:
            if tok.is_alpha and not guess_lemmas(tok.lower_).isdisjoint(self.roles):
                return True
        return False
