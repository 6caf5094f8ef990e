"""Score coded events against whole annotated stories (the voa_events format).

Convention (docs/model.md, "Evaluating on annotated stories"): a predicted event belongs to
the annotated sentence holding its trigger's start offset; an event the coder merged from
several reports in the document counts once in each sentence that reports it (each of its
`mentions`); predictions outside every annotated sentence are ignored. A prediction
type-matches a gold event of its sentence when its type is the gold type or one of the
gold `alt_types`; it fully matches when, besides, each side matches: the codes of the
predicted side (every actor's `code` and `country`, and "IGO" for an organisation) share a
code with the gold side's codes. An empty gold side matches anything; a non-empty one
needs a predicted actor.

Recall is the share of gold events with a matching prediction, precision the share of
predictions (in annotated sentences) with a matching gold event: both count existence, not
a one-to-one pairing, as the annotators' agreement figures in voa_events/README.md do.
Every prediction keeps its confidence, and every gold event the highest confidence among
its matching predictions, so the figures can be recomputed at any confidence threshold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sitroom.evaluation.stories import AnnotatedStory, GoldEvent, GoldSentence, GoldSide
from sitroom.records import PLOVER_TYPES, Actor, Event

NONE = "NONE"
DEFAULT_THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def _share(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(frozen=True)
class Figures:
    """Recall and precision at the type level and in full (type and both sides)."""

    type_recall: float
    type_precision: float
    full_recall: float
    full_precision: float
    predicted: int = 0

    @property
    def type_f1(self) -> float:
        return _f1(self.type_precision, self.type_recall)

    @property
    def full_f1(self) -> float:
        return _f1(self.full_precision, self.full_recall)

    def as_dict(self) -> dict:
        return {
            "type_recall": self.type_recall,
            "type_precision": self.type_precision,
            "type_f1": self.type_f1,
            "full_recall": self.full_recall,
            "full_precision": self.full_precision,
            "full_f1": self.full_f1,
            "predicted": self.predicted,
        }


@dataclass
class TypeScore:
    """Type-level counts for one PLOVER type: gold events of that type and how many a
    prediction found; predictions of that type and how many matched a gold event."""

    gold: int = 0
    found: int = 0
    predicted: int = 0
    right: int = 0

    @property
    def recall(self) -> float:
        return _share(self.found, self.gold)

    @property
    def precision(self) -> float:
        return _share(self.right, self.predicted)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)


@dataclass(frozen=True)
class PredictionOutcome:
    """One prediction inside an annotated sentence."""

    story: str
    confidence: float
    type_right: bool
    full_right: bool


@dataclass(frozen=True)
class GoldOutcome:
    """One gold event: the highest confidence among its type-matching and its fully
    matching predictions (None when there is none)."""

    story: str
    type: str
    type_confidence: float | None
    full_confidence: float | None


@dataclass
class StoryReport:
    name: str
    stories: int = 0
    sentences: int = 0
    empty_sentences: int = 0
    quiet_sentences: int = 0
    ignored_predictions: int = 0  # triggers outside every annotated sentence
    per_type: dict[str, TypeScore] = field(
        default_factory=lambda: {t: TypeScore() for t in PLOVER_TYPES}
    )
    confusion: Counter = field(default_factory=Counter)  # (gold type, predicted type)
    modality_checked: int = 0
    modality_right: int = 0
    date_checked: int = 0
    date_right: int = 0
    predictions: list[PredictionOutcome] = field(default_factory=list)
    golds: list[GoldOutcome] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    uncoded: list[str] = field(default_factory=list)  # "id: reason" of stories that failed

    @property
    def gold_events(self) -> int:
        return len(self.golds)

    @property
    def predicted_events(self) -> int:
        return len(self.predictions)

    @property
    def figures(self) -> Figures:
        return self.at_threshold(0.0)

    @property
    def quiet_share(self) -> float:
        return _share(self.quiet_sentences, self.empty_sentences)

    @property
    def modality_accuracy(self) -> float:
        return _share(self.modality_right, self.modality_checked)

    @property
    def date_accuracy(self) -> float:
        return _share(self.date_right, self.date_checked)

    def at_threshold(self, threshold: float) -> Figures:
        """The four figures when only predictions with confidence >= `threshold` are kept
        (the gold events stay the same, so recall can only fall as it rises)."""
        kept = [p for p in self.predictions if p.confidence >= threshold]
        golds = self.golds
        type_found = sum(
            g.type_confidence is not None and g.type_confidence >= threshold for g in golds
        )
        full_found = sum(
            g.full_confidence is not None and g.full_confidence >= threshold for g in golds
        )
        return Figures(
            type_recall=_share(type_found, len(golds)),
            type_precision=_share(sum(p.type_right for p in kept), len(kept)),
            full_recall=_share(full_found, len(golds)),
            full_precision=_share(sum(p.full_right for p in kept), len(kept)),
            predicted=len(kept),
        )

    def pr_table(self, thresholds: Iterable[float] = DEFAULT_THRESHOLDS) -> list[Figures]:
        """`at_threshold` for each threshold, in the order given."""
        return [self.at_threshold(t) for t in thresholds]

    def as_dict(self, thresholds: Iterable[float] = DEFAULT_THRESHOLDS) -> dict:
        thresholds = list(thresholds)
        return {
            "name": self.name,
            "stories": self.stories,
            "sentences": self.sentences,
            "gold_events": self.gold_events,
            "predicted_events": self.predicted_events,
            "ignored_predictions": self.ignored_predictions,
            **self.figures.as_dict(),
            "no_event_sentences": self.empty_sentences,
            "no_event_sentences_quiet": self.quiet_sentences,
            "quiet_share": self.quiet_share,
            "modality_accuracy": self.modality_accuracy,
            "modality_checked": self.modality_checked,
            "date_accuracy": self.date_accuracy,
            "date_checked": self.date_checked,
            "per_type": {
                t: {
                    "precision": c.precision,
                    "recall": c.recall,
                    "f1": c.f1,
                    "gold": c.gold,
                    "found": c.found,
                    "predicted": c.predicted,
                    "right": c.right,
                }
                for t, c in self.per_type.items()
            },
            "confusion": [
                {"gold": g, "predicted": p, "count": n}
                for (g, p), n in sorted(self.confusion.items())
            ],
            "pr_table": [
                {"min_confidence": t, **f.as_dict()}
                for t, f in zip(thresholds, self.pr_table(thresholds), strict=True)
            ],
            "uncoded": list(self.uncoded),
        }


# ---------------------------------------------------------------- matching
def side_codes(actors: Sequence[Actor]) -> set[str]:
    """The codes a predicted side offers: each actor's code and country, and IGO for an
    organisation."""
    codes: set[str] = set()
    for actor in actors:
        codes.add(actor.code)
        if actor.country:
            codes.add(actor.country)
        if actor.kind == "igo":
            codes.add("IGO")
    return codes


def side_matches(gold: GoldSide, actors: Sequence[Actor]) -> bool:
    if not gold.codes:
        return True
    return bool(side_codes(actors) & set(gold.codes))


def type_matches(gold: GoldEvent, event: Event) -> bool:
    return event.event_type in gold.types


def full_matches(gold: GoldEvent, event: Event) -> bool:
    return (
        type_matches(gold, event)
        and side_matches(gold.source, event.source)
        and side_matches(gold.target, event.target)
    )


def date_matches(gold: str, event: Event) -> bool:
    """The predicted date at the gold date's precision ("2025-03" compares YYYY-MM)."""
    return event.date is not None and event.date.isoformat()[: len(gold)] == gold


# ---------------------------------------------------------------- scoring
def score_stories(
    name: str, stories: Iterable[AnnotatedStory], predicted: Mapping[str, Sequence[Event]]
) -> StoryReport:
    """Score `predicted` (story id -> the coder's events for that story) against the
    annotated stories."""
    report = StoryReport(name)
    for story in stories:
        report.stories += 1
        by_sentence: dict[int, list[Event]] = {n: [] for n in range(len(story.sentences))}
        index = {id(s): n for n, s in enumerate(story.sentences)}
        for event in predicted.get(story.id, ()):
            starts = [m.trigger.start for m in event.mentions] or [event.trigger.start]
            for start in dict.fromkeys(starts):
                sentence = story.sentence_at(start)
                if sentence is None:
                    report.ignored_predictions += 1
                else:
                    by_sentence[index[id(sentence)]].append(event)
        for n, sentence in enumerate(story.sentences):
            _score_sentence(report, story, n, sentence, by_sentence[n])
    return report


def _score_sentence(
    report: StoryReport,
    story: AnnotatedStory,
    number: int,
    sentence: GoldSentence,
    events: list[Event],
) -> None:
    report.sentences += 1
    golds = sentence.events
    if not golds:
        report.empty_sentences += 1
        report.quiet_sentences += not events
    where = f"{story.id} sentence {number}"
    for event in events:
        type_right = any(type_matches(g, event) for g in golds)
        full_right = any(full_matches(g, event) for g in golds)
        report.predictions.append(
            PredictionOutcome(story.id, event.confidence, type_right, full_right)
        )
        counts = report.per_type[event.event_type]
        counts.predicted += 1
        counts.right += type_right
        if not type_right:
            report.misses.append(f"{where}: false alarm {_describe_event(event)}")
        elif not full_right:
            report.misses.append(f"{where}: actors wrong {_describe_event(event)}")
    unmatched_gold: list[GoldEvent] = []
    for gold in golds:
        typed = [e for e in events if type_matches(gold, e)]
        full = [e for e in typed if full_matches(gold, e)]
        report.golds.append(
            GoldOutcome(
                story.id,
                gold.type,
                max((e.confidence for e in typed), default=None),
                max((e.confidence for e in full), default=None),
            )
        )
        counts = report.per_type[gold.type]
        counts.gold += 1
        if not typed:
            unmatched_gold.append(gold)
            report.misses.append(f"{where}: missed {_describe_gold(gold)}")
            continue
        counts.found += 1
        report.confusion[(gold.type, gold.type)] += 1
        # modality and date on the pair: the best fully matching prediction, else the
        # most confident type-matching one
        pair = max(full or typed, key=lambda e: e.confidence)
        report.modality_checked += 1
        report.modality_right += pair.modality == gold.modality
        if gold.date is not None:
            report.date_checked += 1
            report.date_right += date_matches(gold.date, pair)
    false_alarms = [e for e in events if not any(type_matches(g, e) for g in golds)]
    # type confusions: a missed gold event and a false alarm in the same sentence, paired
    # in order; the rest are misses (predicted NONE) and false alarms (gold NONE)
    for gold, event in zip(unmatched_gold, false_alarms, strict=False):
        report.confusion[(gold.type, event.event_type)] += 1
    for gold in unmatched_gold[len(false_alarms) :]:
        report.confusion[(gold.type, NONE)] += 1
    for event in false_alarms[len(unmatched_gold) :]:
        report.confusion[(NONE, event.event_type)] += 1


def _describe_gold(gold: GoldEvent) -> str:
    return (
        f"{gold.type} {gold.trigger_text!r} "
        f"{'/'.join(gold.source.codes) or '-'} -> {'/'.join(gold.target.codes) or '-'}"
    )


def _describe_event(event: Event) -> str:
    src = "/".join(sorted(side_codes(event.source))) or "-"
    tgt = "/".join(sorted(side_codes(event.target))) or "-"
    return f"{event.event_type} {event.trigger.text!r} {src} -> {tgt} ({event.confidence:.2f})"
