"""The event coder: Document in, Events out. Stages: tokenise and tag known names, keep
candidate sentences, parse them, find actor mentions and events with the trained
decisions (extract/learned.py), date, place and attribute them, build records."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc

from sitroom.errors import InputError
from sitroom.extract.actors import ActorResolver
from sitroom.extract.attribution import Attributor
from sitroom.extract.certainty import recalled
from sitroom.extract.confidence import confidence, confidence_features
from sitroom.extract.context import DocumentContext
from sitroom.extract.dating import EventDater
from sitroom.extract.events import Found
from sitroom.extract.learned import LearnedFinder
from sitroom.extract.mentions import merge_mentions
from sitroom.extract.mentions_in_sentence import PRONOUNS, ActorMemory
from sitroom.extract.model_files import EventModels, load_event_models
from sitroom.extract.when import find_time_expressions, infer_anchor, mentioned_years
from sitroom.extract.where import PlaceContext, PlaceFinder
from sitroom.knowledge.base import KnowledgeBase, load_knowledge
from sitroom.knowledge.gazetteer import Gazetteer, load_gazetteer
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
    # event id -> the facts its confidence was computed from (see extract/confidence.py)
    features: dict[str, dict[str, float]] = field(default_factory=dict)


class Coder:
    """Holds the model and knowledge; safe to reuse for any number of documents."""

    def __init__(
        self,
        settings: Settings | None = None,
        kb: KnowledgeBase | None = None,
        lexicon: EventLexicon | None = None,
        gazetteer: Gazetteer | None = None,
        models: EventModels | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.kb = kb or load_knowledge()
        self.lexicon = lexicon or load_lexicon()
        self.nlp = load_model(
            self.settings.spacy_model, max_length=self.settings.max_document_chars
        )
        self.tagger = KnowledgeTagger(self.nlp, self.kb)
        self.models = models or load_event_models(
            str(self.settings.model_file) if self.settings.model_file else None
        )
        self.filter = CandidateFilter(
            self.lexicon.lemmas | self.models.vocabulary, [*self.kb.role_sectors, *PRONOUNS]
        )
        resolver = ActorResolver(self.kb)
        self.finder = LearnedFinder(self.models, self.lexicon, resolver)
        self.places = PlaceFinder(gazetteer or load_gazetteer())
        self.attributor = Attributor(resolver, self.lexicon.speech_verbs)

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
            document = prepared.document
            ctx = DocumentContext(document.id, document.date)
            dater = EventDater(document.date, _inferred_anchor(document))
            places = PlaceContext.of(prepared.tokens)
            events: list[Event] = []
            facts: dict[str, dict[str, float]] = {}
            memory = ActorMemory()
            earlier: set[str] = set()
            read_to = 0
            for span in prepared.candidates:
                sent_doc = next(parsed)
                earlier.update(t.lower_ for t in prepared.tokens[read_to : span.start])
                read_to = span.start
                mentions = self.finder.mentions(sent_doc, ctx, span.start_char, memory)
                hints = self.finder.hints(sent_doc, ctx, span.start_char)
                found_here = self.finder.find(sent_doc, mentions, hints, earlier)
                if not found_here:
                    continue
                expressions = find_time_expressions(sent_doc.text)
                triggers = frozenset(t.i for f, _ in found_here for t in f.trigger_tokens)
                for found, scored in found_here:
                    modality = found.modality or "asserted"
                    when = dater.date_for(found, sent_doc, expressions, modality == "intended")
                    modality = recalled(modality, when, document.date or dater.inferred_anchor)
                    found.modality = modality
                    record = self._record(document, span, sent_doc, found)
                    facts[record.id] = confidence_features(
                        found, scored, self.finder.lexicon_types(found.token), len(found_here)
                    )
                    events.append(
                        record.model_copy(
                            update={
                                "date": when.date if when else None,
                                "date_end": when.end if when else None,
                                "date_precision": when.precision if when else None,
                                "date_text": when.text if when else None,
                                "date_basis": when.basis if when else None,
                                "modality": modality,
                                "location": self.places.locate(
                                    found, places, triggers, span.start_char
                                ),
                                "attribution": self.attributor.speaker(found, ctx, span.start_char),
                                "confidence": confidence(self.models.confidence, facts[record.id]),
                            }
                        )
                    )
            yield CodeResult(
                document,
                merge_mentions(events),
                sentences=len(prepared.sentences),
                parsed=len(prepared.candidates),
                features=facts,
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
            confidence=0.5,  # set from the confidence model once the record is complete
        )


def _inferred_anchor(document: Document) -> date | None:
    """For an undated document: a date fixed by a weekday with a day and month and the
    years the text mentions (see sitroom.extract.when.infer_anchor)."""
    if document.date is not None:
        return None
    return infer_anchor(find_time_expressions(document.text), mentioned_years(document.text))
