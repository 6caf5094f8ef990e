"""Turn annotated stories into training examples for the three decisions.

Each story is read the way the coder reads a document (tokens, known names, sentences,
one parse per sentence, actor mentions with the document's memory). Gold events are
placed on those parses by character offsets: the word of a gold trigger span that the
coder would propose becomes a positive example of its type; every other candidate word is
an example of no event. For each gold event, every actor mention of its sentence is an
example of a role: source, target or none, by overlap with the gold spans.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from sitroom.evaluation.stories import AnnotatedStory, GoldEvent
from sitroom.extract.context import DocumentContext
from sitroom.extract.decision_features import role_features
from sitroom.extract.learned import NONE, SOURCE, TARGET, LearnedFinder
from sitroom.extract.mentions_in_sentence import ActorMemory, Mention
from sitroom.extract.rule_hints import RuleHints
from sitroom.nlp.sentences import split_sentences

_LIGHT_FIRST = ("VERB", "AUX")


@dataclass
class ParsedSentence:
    story_id: str
    doc: Doc
    offset: int  # character offset of the sentence in its story
    mentions: list[Mention]
    gold: list[tuple[GoldEvent, Token | None]]  # gold events and the trigger word found
    annotated: bool  # inside an annotated sentence (scored)
    hints: RuleHints | None = None
    weight: float = 1.0
    earlier: frozenset[str] = frozenset()  # the story's words before this sentence


@dataclass
class Examples:
    trigger_x: list[dict[str, float]] = field(default_factory=list)
    trigger_y: list[str] = field(default_factory=list)
    trigger_w: list[float] = field(default_factory=list)
    trigger_lemma: list[str] = field(default_factory=list)
    role_x: list[dict[str, float]] = field(default_factory=list)
    role_y: list[str] = field(default_factory=list)
    role_w: list[float] = field(default_factory=list)
    modality_x: list[dict[str, float]] = field(default_factory=list)
    modality_y: list[str] = field(default_factory=list)
    modality_w: list[float] = field(default_factory=list)


def parse_stories(
    finder: LearnedFinder, nlp, tagger, stories: Iterable[AnnotatedStory], weight: float = 1.0
) -> Iterator[ParsedSentence]:
    """Every sentence of every story, parsed, with its mentions and gold events."""
    for story in stories:
        tokens = tagger(nlp.make_doc(story.text))
        spans = split_sentences(tokens)
        docs = [tokens[s.start : s.end].as_doc() for s in spans]
        ctx = DocumentContext(story.id, story.pub_date)
        memory = ActorMemory()
        gold_at = _gold_triggers(story)
        seen: set[str] = set()
        for span, doc in zip(spans, nlp.pipe(docs, batch_size=64), strict=True):
            offset = span.start_char
            earlier = frozenset(seen)
            seen.update(t.lower_ for t in doc)
            mentions = finder.mentions(doc, ctx, offset, memory)
            hints = finder.hints(doc, ctx, offset)
            end = offset + len(doc.text)
            gold = []
            for start, stop, event in gold_at:
                if offset <= start < end:
                    gold.append((event, _trigger_token(doc, start - offset, stop - offset)))
            annotated = story.sentence_at(offset + len(doc.text) // 2) is not None
            yield ParsedSentence(
                story.id, doc, offset, mentions, gold, annotated, hints, weight, earlier
            )


def examples_of(
    finder: LearnedFinder,
    sentences: Iterable[ParsedSentence],
    vocabulary: frozenset[str],
    lexicon_labels: bool = True,
) -> Examples:
    """Feature dictionaries and labels for the three decisions.

    With `lexicon_labels`, a word the annotators did not pick as the trigger still counts
    as an example of a type its sentence's gold events have when the lexicon gives the
    word that type ("talks" beside the annotated "met"): the scoring is by sentence, and
    calling such a word "no event" would teach the model to miss it elsewhere."""
    ex = Examples()
    for sent in sentences:
        sentence_types = {t for event, _ in sent.gold for t in event.types}
        heads = {tok.i: event for event, tok in sent.gold if tok is not None}
        in_spans = {
            t.i
            for event, tok in sent.gold
            if tok is not None
            for t in _span_tokens(sent.doc, event, tok)
        }
        for tok in finder.candidates(sent.doc, vocabulary):
            if tok.i in in_spans and tok.i not in heads:
                continue  # another word of a gold trigger: neither event nor no-event
            event = heads.get(tok.i)
            label = event.type if event else NONE
            if label == NONE and lexicon_labels and sentence_types:
                shared = [t for t in finder.rules.lexicon_any_types(tok) if t in sentence_types]
                if shared:
                    label = shared[0]
            ex.trigger_x.append(finder.trigger_facts(tok, sent.mentions, sent.hints, sent.earlier))
            ex.trigger_y.append(label)
            ex.trigger_w.append(sent.weight)
            ex.trigger_lemma.append(tok.lemma_.lower())
        for event, tok in sent.gold:
            if tok is None:
                continue
            ex.modality_x.append(finder.modality_facts(tok))
            ex.modality_y.append(event.modality)
            ex.modality_w.append(sent.weight)
            spans = side_spans(sent, event)
            for mention in sent.mentions:
                if mention.in_text and mention.head.i == tok.i:
                    continue
                ex.role_x.append(role_features(tok, event.type, mention, sent.mentions, sent.hints))
                ex.role_y.append(role_label(mention, event, spans))
                ex.role_w.append(sent.weight)
    return ex


def side_spans(sent: ParsedSentence, event: GoldEvent) -> dict[str, tuple[int, int] | None]:
    """Character spans (within the sentence) of the gold source and target texts."""
    text = sent.doc.text
    out: dict[str, tuple[int, int] | None] = {}
    for role, side in ((SOURCE, event.source), (TARGET, event.target)):
        out[role] = None
        if side.text:
            at = text.find(side.text)
            if at >= 0:
                out[role] = (at, at + len(side.text))
    return out


def role_label(mention: Mention, event: GoldEvent, spans: dict[str, tuple[int, int] | None]) -> str:
    if not mention.in_text:
        # A side the sentence leaves unsaid: is this context actor the gold one?
        codes = {a.code for a in mention.actors} | {a.country for a in mention.actors if a.country}
        for role, side in ((SOURCE, event.source), (TARGET, event.target)):
            if not side.text and side.codes and codes & set(side.codes):
                return role
        return NONE
    start = mention.head.idx
    for role in (SOURCE, TARGET):
        span = spans.get(role)
        if span and span[0] <= start < span[1]:
            return role
    return NONE


# ---------------------------------------------------------------- alignment
def _gold_triggers(story: AnnotatedStory) -> list[tuple[int, int, GoldEvent]]:
    out = []
    for sentence in story.sentences:
        text = story.sentence_text(sentence)
        for event in sentence.events:
            if not event.trigger_text:
                continue
            at = text.find(event.trigger_text)
            if at < 0:
                continue
            start = sentence.start + at
            out.append((start, start + len(event.trigger_text), event))
    return out


def _trigger_token(doc: Doc, start: int, end: int) -> Token | None:
    """The word of a trigger span the coder proposes: the span's root, or the noun of
    "held talks" when the root is a light verb."""
    span = doc.char_span(max(start, 0), min(end, len(doc.text)), alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    words = [t for t in span if t.pos_ in ("VERB", "NOUN", "PROPN", "ADJ")]
    if not words:
        return None
    root = span.root
    nouns = [t for t in words if t.pos_ == "NOUN"]
    if root.pos_ in _LIGHT_FIRST and nouns and len(words) > 1:
        return nouns[-1]
    return root if root in words else words[0]


def _span_tokens(doc: Doc, event: GoldEvent, tok: Token) -> list[Token]:
    text = doc.text
    at = text.find(event.trigger_text)
    if at < 0:
        return [tok]
    span = doc.char_span(at, at + len(event.trigger_text), alignment_mode="expand")
    return list(span) if span is not None else [tok]


def trigger_lemmas(sentences: Iterable[ParsedSentence]) -> set[str]:
    """Lemmas of every word that carries a gold trigger."""
    return {tok.lemma_.lower() for s in sentences for _, tok in s.gold if tok is not None}
