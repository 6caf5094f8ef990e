"""Code the sentences of a gold file and score them."""

from __future__ import annotations

from pathlib import Path

from sitroom.coding import code_many
from sitroom.evaluation.gold import read_gold
from sitroom.evaluation.score import EvalReport, Scorer
from sitroom.knowledge.base import load_knowledge
from sitroom.records import Document, Event


def evaluate(path: Path, processes: int | None = None) -> EvalReport:
    records = read_gold(path)
    texts: dict[str, Document] = {}
    for rec in records:
        if rec.text not in texts:
            texts[rec.text] = Document(id=rec.id, text=rec.text, date=rec.date)
    predicted: dict[str, list[Event]] = {}
    for result in code_many(list(texts.values()), processes=processes):
        predicted[result.document.text] = result.events
    return Scorer(load_knowledge()).score(path.name, records, predicted)
