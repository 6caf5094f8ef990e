"""Confidence that an event record is right in type, source and target, in [0, 1].

A logistic model over how sure each trained decision was and how the event was put
together. `sitroom train` fits it on events the type and role models coded in stories
they were not trained on (k-fold over the training stories), so its scores are honest
rates of full correctness; docs/model.md gives the precision at each threshold on the
dev split.
"""

from __future__ import annotations

from sitroom.extract.events import Found
from sitroom.extract.learned import Scored
from sitroom.extract.linear import LinearModel


def confidence_features(
    found: Found, scored: Scored, lexicon_types: list[str], events_in_sentence: int
) -> dict[str, float]:
    sentence = found.token.sent
    return {
        "type_prob": scored.type_prob,
        "source_prob": scored.source_prob if found.source else 0.0,
        "target_prob": scored.target_prob if found.target else 0.0,
        "no_source": float(not found.source),
        "no_target": float(not found.target),
        "source_remembered": float(bool(found.source) and not found.source_direct),
        "joint": float(found.joint),
        "lexicon_agrees": float(found.rule.type in lexicon_types),
        "lexicon_silent": float(not lexicon_types),
        "verb_trigger": float(found.rule.pos == "verb"),
        "asserted": float(found.modality == "asserted"),
        "long_sentence": float(len(sentence) > 35),
        "many_events": float(events_in_sentence > 2),
    }


RIGHT = "right"


def confidence(model: LinearModel, values: dict[str, float]) -> float:
    """The probability that the event is right; a model without that class (one fitted
    on too little data) says 0.5."""
    return round(model.probabilities(values).get(RIGHT, 0.5), 3)
