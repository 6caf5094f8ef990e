"""`sitroom train`: read annotated stories, parse them once, fit the three decisions and
the confidence model, write the model file.

The VOA dev stories (sitroom.evaluation.splits.VOA_DEV_IDS) are dropped from every
folder given, so no model is ever fitted on them. Confidence is fitted on out-of-fold
events: the training stories are cut into `folds` groups, and each group is coded by
decisions fitted on the others.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sitroom.errors import GoldFileError
from sitroom.evaluation.splits import VOA_DEV_IDS
from sitroom.evaluation.stories import AnnotatedStory, GoldEvent, read_annotated_stories
from sitroom.evaluation.story_score import side_codes
from sitroom.extract.actors import ActorResolver
from sitroom.extract.confidence import RIGHT, confidence_features
from sitroom.extract.events import Found
from sitroom.extract.learned import NONE, LearnedFinder
from sitroom.extract.linear import LinearModel
from sitroom.extract.model_files import EventModels, Thresholds, save_event_models
from sitroom.knowledge.base import load_knowledge
from sitroom.knowledge.lexicon import load_lexicon
from sitroom.nlp.model import load_model
from sitroom.nlp.tagger import KnowledgeTagger
from sitroom.settings import Settings
from sitroom.training.corpus import ParsedSentence, examples_of, parse_stories, trigger_lemmas
from sitroom.training.fit import fit_linear

Progress = Callable[[str], None]


@dataclass(frozen=True)
class TrainingData:
    """A folder in the voa_events format and how much its stories count."""

    folder: Path
    weight: float = 1.0


@dataclass(frozen=True)
class TrainOptions:
    c_type: float = 0.3
    event_weight: float = 3.0  # weight of an event example against a no-event one
    c_role: float = 1.0
    c_modality: float = 0.5
    folds: int = 3
    seed: int = 13
    # Chosen on the dev split by full F1 (docs/model.md): an event needs a type probability
    # of 0.3; a side is filled when an actor is at least 0.1 (source) / 0.05 (target) likely.
    thresholds: Thresholds = field(default_factory=lambda: Thresholds(0.3, 0.1, 0.05))


@dataclass
class TrainReport:
    stories: int = 0
    dropped_dev: int = 0
    sentences: int = 0
    gold_events: int = 0
    aligned_events: int = 0
    trigger_examples: int = 0
    role_examples: int = 0
    seconds: float = 0.0
    path: Path | None = None
    per_folder: dict[str, int] = field(default_factory=dict)


def read_training_stories(data: TrainingData) -> tuple[list[AnnotatedStory], int]:
    folder = data.folder
    stories, annotations = folder / "stories.jsonl", folder / "annotations.jsonl"
    for path in (stories, annotations):
        if not path.is_file():
            raise GoldFileError(f"{folder}: no {path.name} here (expected the voa_events format)")
    found = read_annotated_stories(stories, annotations)
    kept = [s for s in found if s.id not in VOA_DEV_IDS]
    return kept, len(found) - len(kept)


def train(
    data: list[TrainingData],
    out: Path,
    options: TrainOptions | None = None,
    say: Progress = lambda _m: None,
) -> TrainReport:
    options = options or TrainOptions()
    started = time.perf_counter()
    report = TrainReport()
    settings = Settings()
    nlp = load_model(settings.spacy_model, max_length=settings.max_document_chars)
    kb = load_knowledge()
    lexicon = load_lexicon()
    tagger = KnowledgeTagger(nlp, kb)
    finder = LearnedFinder(None, lexicon, ActorResolver(kb))

    by_story: dict[str, list[ParsedSentence]] = {}
    for item in data:
        stories, dropped = read_training_stories(item)
        report.dropped_dev += dropped
        report.per_folder[str(item.folder)] = len(stories)
        say(f"parsing {len(stories)} stories from {item.folder}")
        for sent in parse_stories(finder, nlp, tagger, stories, item.weight):
            by_story.setdefault(f"{item.folder}|{sent.story_id}", []).append(sent)
        report.stories += len(stories)
    sentences = [s for group in by_story.values() for s in group]
    if not sentences:
        raise GoldFileError("no training stories left (the VOA dev stories are never used)")
    report.sentences = len(sentences)
    report.gold_events = sum(len(s.gold) for s in sentences)
    report.aligned_events = sum(1 for s in sentences for _, t in s.gold if t is not None)
    vocabulary = frozenset(lexicon.lemmas | trigger_lemmas(sentences))

    # Out-of-fold events for the confidence model.
    keys = sorted(by_story)
    random.Random(options.seed).shuffle(keys)
    folds = max(2, min(options.folds, len(keys)))
    conf_x: list[dict[str, float]] = []
    conf_y: list[str] = []
    # The final fit first: it says in one line what the data lacks, before the folds run.
    say(f"fitting on all {len(sentences)} sentences")
    models = _fit(finder, sentences, vocabulary, options, _constant_confidence(), report)
    for k in range(folds if len(keys) >= 2 else 0):
        held = set(keys[k::folds])
        fit_on = [s for key in keys if key not in held for s in by_story[key]]
        test = [s for key in keys if key in held for s in by_story[key]]
        say(f"fold {k + 1}/{folds}: fitting on {len(fit_on)} sentences")
        try:
            fold_models = _fit(finder, fit_on, vocabulary, options, _constant_confidence())
        except GoldFileError:
            continue  # too little in this fold to fit; its stories give no confidence data
        fold_finder = LearnedFinder(fold_models, lexicon, finder.resolver)
        for sent in test:
            if not sent.annotated:
                continue
            coded = fold_finder.find(sent.doc, sent.mentions, sent.hints, sent.earlier)
            for found, scored in coded:
                types_here = finder.lexicon_types(found.token)
                conf_x.append(confidence_features(found, scored, types_here, len(coded)))
                right = any(full_match(found, gold) for gold, _ in sent.gold)
                conf_y.append(RIGHT if right else "wrong")
    confidence = (
        fit_linear(conf_x, conf_y, c=1.0, min_count=1)
        if len(set(conf_y)) == 2
        else _constant_confidence()
    )
    about = {
        "built_by": "sitroom train",
        "built": time.strftime("%Y-%m-%d"),
        "data": {Path(k).name: v for k, v in report.per_folder.items()},
        "sentences": report.sentences,
        "gold_events": report.gold_events,
        "options": {
            "c_type": options.c_type,
            "c_role": options.c_role,
            "c_modality": options.c_modality,
            "folds": options.folds,
            "weights": {Path(str(d.folder)).name: d.weight for d in data},
        },
    }
    models = EventModels(
        models.types,
        models.roles,
        models.modality,
        confidence,
        vocabulary,
        options.thresholds,
        about,
    )
    save_event_models(models, out)
    report.path = out
    report.seconds = time.perf_counter() - started
    return report


def _fit(
    finder: LearnedFinder,
    sentences: list[ParsedSentence],
    vocabulary: frozenset[str],
    options: TrainOptions,
    confidence: LinearModel,
    report: TrainReport | None = None,
) -> EventModels:
    ex = examples_of(finder, sentences, vocabulary)
    if report is not None:
        report.trigger_examples = len(ex.trigger_y)
        report.role_examples = len(ex.role_y)
    for name, labels in (
        ("event types", ex.trigger_y),
        ("actor roles", ex.role_y),
        ("modalities", ex.modality_y),
    ):
        if len(set(labels)) < 2:
            found = ", ".join(sorted(set(labels))) or "none"
            raise GoldFileError(
                f"too little to train on: the stories' {name} are all one kind ({found}); "
                "add annotated stories with more events"
            )
    weights = [
        w * (options.event_weight if y != NONE else 1.0)
        for w, y in zip(ex.trigger_w, ex.trigger_y, strict=True)
    ]
    types = fit_linear(ex.trigger_x, ex.trigger_y, weights, c=options.c_type)
    roles = fit_linear(ex.role_x, ex.role_y, ex.role_w, c=options.c_role)
    modality = fit_linear(ex.modality_x, ex.modality_y, ex.modality_w, c=options.c_modality)
    return EventModels(types, roles, modality, confidence, vocabulary, options.thresholds)


def _constant_confidence() -> LinearModel:
    import numpy as np

    return LinearModel(("wrong", RIGHT), {}, np.zeros((0, 1), np.float32), np.zeros(1))


# ---------------------------------------------------------------- matching
def full_match(found: Found, gold: GoldEvent) -> bool:
    """The voa_events convention (evaluation/story_score.py) for an event not yet a record."""
    if found.rule.type not in gold.types:
        return False
    for predicted, side in ((found.source, gold.source), (found.target, gold.target)):
        if side.codes and not side_codes(predicted) & set(side.codes):
            return False
    return True
