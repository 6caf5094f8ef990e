"""Confidence that an event record is right (type, source and target), in [0, 1].

A logistic model over a few facts about how the event was found. Its weights are
fitted by `benchmarks/calibrate_confidence.py` on a gold file the project does not score
itself with (the PLOVER GSR development half), and stored in
`knowledge/data/confidence.json`; docs/confidence.md shows on the project's own gold
set that higher confidence means more often right.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from sitroom.extract.events import Found
from sitroom.knowledge.base import read_data

FEATURES = (
    "verb_trigger",
    "has_target",
    "source_direct",
    "source_person",
    "source_organisation",
    "derived",
    "absorbed",
    "joint",
    "long_sentence",
    "many_events",
    "multiword_trigger",
)


def features(found: Found, events_in_sentence: int) -> dict[str, float]:
    sentence = found.token.sent
    return {
        "verb_trigger": float(found.rule.pos == "verb"),
        "has_target": float(bool(found.target)),
        "source_direct": float(found.source_direct),
        "source_person": float(any(a.kind == "person" for a in found.source)),
        "source_organisation": float(any(a.kind in ("igo", "ngo") for a in found.source)),
        "derived": float(found.derived),
        "absorbed": float(bool(found.absorbed)),
        "joint": float(found.joint),
        "long_sentence": float(len(sentence) > 35),
        "many_events": float(events_in_sentence > 2),
        "multiword_trigger": float(len(found.trigger_tokens) > 1),
    }


@dataclass(frozen=True)
class ConfidenceModel:
    bias: float
    weights: dict[str, float]

    def score(self, values: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in values.items())
        return round(1 / (1 + math.exp(-z)), 3)


@lru_cache(maxsize=1)
def load_confidence_model() -> ConfidenceModel:
    data = read_data("confidence.json")
    return ConfidenceModel(float(data["bias"]), {k: float(v) for k, v in data["weights"].items()})
