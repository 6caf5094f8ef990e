"""Code whole annotated stories (a folder in the voa_events format) and score them."""

from __future__ import annotations

import math
from pathlib import Path

from sitroom.coding import code_many
from sitroom.errors import GoldFileError, printable
from sitroom.evaluation.splits import SPLITS, in_split
from sitroom.evaluation.stories import read_annotated_stories
from sitroom.evaluation.story_score import StoryReport, score_stories
from sitroom.records import Document, Event

STORIES_FILE = "stories.jsonl"
ANNOTATIONS_FILE = "annotations.jsonl"


def check_threshold(value: float) -> float:
    """`value` as a confidence threshold, or a ValueError saying why it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ValueError(f"min_confidence {value!r} is not a number from 0 to 1")
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"min_confidence {value!r} must be between 0 and 1")
    return float(value)


def evaluate_stories(
    folder: Path,
    split: str = "all",
    processes: int | None = None,
    min_confidence: float = 0.0,
) -> StoryReport:
    """Code every story of `folder` (stories.jsonl + annotations.jsonl) in `split` ("all",
    "train" or "dev"; see evaluation/splits.py) and score the events against the
    annotations, keeping only events with confidence >= `min_confidence`."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: choose one of {', '.join(SPLITS)}")
    threshold = check_threshold(min_confidence)
    shown = printable(str(folder))
    if not folder.is_dir():
        raise GoldFileError(f"{shown}: no such folder of annotated stories")
    for name in (STORIES_FILE, ANNOTATIONS_FILE):
        if not (folder / name).is_file():
            raise GoldFileError(f"{shown}: {name} is missing (the voa_events format needs it)")
    stories = [
        s
        for s in read_annotated_stories(folder / STORIES_FILE, folder / ANNOTATIONS_FILE)
        if in_split(s.id, split)
    ]
    if not stories:
        raise GoldFileError(f"{shown}: no annotated stories in split {split!r}")
    documents = [Document(id=s.id, text=s.text, date=s.pub_date) for s in stories]
    predicted: dict[str, list[Event]] = {}
    uncoded: list[str] = []
    for result in code_many(documents, processes=processes):
        if result.error is not None:
            uncoded.append(f"{result.document.id}: {result.error}")
            predicted[result.document.id] = []
            continue
        predicted[result.document.id] = [e for e in result.events if e.confidence >= threshold]
    report = score_stories(f"{folder.resolve().name} ({split})", stories, predicted)
    report.uncoded = uncoded
    return report
