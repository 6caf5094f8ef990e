"""The event coder: Document in, Events out. Stages: tokenise and tag known names, keep
candidate sentences, parse them, find events, build records."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc

from sitroom.errors import InputError
from sitroom.extract.actors import ActorResolver
from sitroom.extract.context import DocumentContext
from sitroom.extract.events import EventFinder, Found
from sitroom.knowledge.base import KnowledgeBase, load_knowledge
from sitroom.knowledge.lexicon import EventLexicon, load_lexicon
from sitroom.nlp.model import load_model
from sitroom.nlp.sentences import CandidateFilter, SentenceSpan, split_sentences
from sitroom.nlp.tagger import KnowledgeTagger
from sitroom.records import Document, Event, Trigger
from sitroom.settings import Settings


@dataclass
class _Prepared:
    document: Document
    tokens: Doc
    sentences: list[SentenceSpan]
    candidates: list[SentenceSpan]


@dataclass
class CodeResult:
    """The events of one document, or the error that stopped it."""

    document: Document
    events: list[Event]
    error: InputError | None = None
    sentences: int = 0
    parsed: int = 0


class Coder:
    """Holds the model and knowledge; safe to reuse for any number of documents."""

    def __init__(
        self,
        settings: Settings | None = None,
        kb: KnowledgeBase | None = None,
        lexicon: EventLexicon | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.kb = kb or load_knowledge()
        self.lexicon = lexicon or load_lexicon()
        self.nlp = load_model(self.settings.spacy_model)
        self.tagger = KnowledgeTagger(self.nlp, self.kb)
        self.filter = CandidateFilter(self.lexicon.lemmas, self.kb.role_sectors)
        self.finder = EventFinder(self.lexicon, ActorResolver(self.kb))

    # ------------------------------------------------------------------ API
    def code(self, document: Document) -> list[Event]:
        result = next(self.code_many([document]))
        if result.error is not None:
            raise result.error
        return result.events

    def code_many(self, documents: Iterable[Document]) -> Iterator[CodeResult]:
        """Code documents in order, batching their parses; errors are per document."""
        batch: list[_Prepared] = []
        words = 0
        for document in documents:
            try:
                prepared = self._prepare(document)
            except InputError as exc:
                yield from self._flush(batch)
                batch, words = [], 0
                yield CodeResult(document, [], exc)
                continue
            batch.append(prepared)
            words += sum(s.end - s.start for s in prepared.candidates)
            if words >= self.settings.batch_words:
                yield from self._flush(batch)
                batch, words = [], 0
        yield from self._flush(batch)

    # ------------------------------------------------------------ stages
    def _prepare(self, document: Document) -> _Prepared:
        text = document.text
        if not text or not text.strip():
            raise InputError(document.id, "document has no text")
        if len(text) > self.settings.max_document_chars:
            raise InputError(
                document.id,
                f"document is {len(text):,} characters, over the limit of "
                f"{self.settings.max_document_chars:,} (SITROOM_MAX_DOCUMENT_CHARS)",
            )
        tokens = self.tagger(self.nlp.make_doc(text))
        sentences = split_sentences(tokens)
        known = {t.i for t in tokens if t.ent_kb_id_}
        candidates = []
        for span in sentences:
            has_actor = any(span.start <= i < span.end for i in known) or self.filter.has_role_word(
                tokens, span
            )
            if has_actor and self.filter.has_trigger(tokens, span):
                candidates.append(span)
        return _Prepared(document, tokens, sentences, candidates)

    def _flush(self, batch: list[_Prepared]) -> Iterator[CodeResult]:
        if not batch:
            return
        sentence_docs = [p.tokens[s.start : s.end].as_doc() for p in batch for s in p.candidates]
        parsed = iter(self.nlp.pipe(sentence_docs, batch_size=64))
        for prepared in batch:
            ctx = DocumentContext(prepared.document.id, prepared.document.date)
            events: list[Event] = []
            for span in prepared.candidates:
                sent_doc = next(parsed)
                for found in self.finder.find(sent_doc, ctx, span.start_char):
                    events.append(self._record(prepared.document, span, sent_doc, found))
            yield CodeResult(
                prepared.document,
                events,
                sentences=len(prepared.sentences),
                parsed=len(prepared.candidates),
            )

    def _record(self, document: Document, span: SentenceSpan, sent_doc: Doc, found: Found) -> Event:
        first, last = found.trigger_tokens[0], found.trigger_tokens[-1]
        t_start = span.start_char + first.idx
        t_end = span.start_char + last.idx + len(last)
        score = self.lexicon.score(found.rule, found.mode)
        key = f"{document.id}|{span.index}|{t_start}|{found.rule.type}"
        return Event(
            id=hashlib.sha1(key.encode("utf-8")).hexdigest()[:16],
            doc_id=document.id,
            sentence_index=span.index,
            sentence=sent_doc.text,
            event_type=found.rule.type,
            mode=found.mode,
            context=found.context,
            cameo=score.cameo,
            quad_class=score.quad_class,
            goldstein=score.goldstein,
            source=found.source,
            target=found.target,
            joint=found.joint,
            trigger=Trigger(text=document.text[t_start:t_end], start=t_start, end=t_end),
            date=document.date,
            date_precision="day" if document.date else None,
            modality="asserted",
            confidence=_confidence(found),
        )


def _confidence(found: Found) -> float:
    """A first, rule-based confidence; see docs/schema.md."""
    score = 0.55 if found.rule.pos == "verb" else 0.45
    if found.target:
        score += 0.25
    if found.source_direct:
        score += 0.1
    if found.absorbed:
        score += 0.05
    if any(a.kind == "person" for a in found.source):
        score += 0.03
    return round(min(score, 0.95), 3)
