"""Accuracy floors on the project's own gold set, set just under the measured figures
(see README). A change that lowers accuracy fails here."""

import pytest

from sitroom.evaluation.gold import packaged_gold_path
from sitroom.evaluation.runner import evaluate

pytestmark = pytest.mark.model

# Measured with `sitroom eval` on 2026-12-01 (learned coder, the model file committed with them);
# each floor is 0.02 under its measured figure.
FLOOR_TYPE_F1 = 0.773  # measured 0.793
FLOOR_FULL_MATCH = 0.679  # measured 0.699
# Time, place and certainty on the records that annotate them (issue 3 targets: date 0.90,
# location country 0.90, modality 0.80; location is below its target since the learned coder).
FLOOR_DATE = 0.961  # measured 0.981
FLOOR_LOCATION = 0.818  # measured 0.838
FLOOR_MODALITY = 0.866  # measured 0.886


def test_accuracy_on_own_gold_stays_above_floor():
    report = evaluate(packaged_gold_path(), processes=2)
    assert report.total.f1 >= FLOOR_TYPE_F1, report.as_dict()
    assert report.full_match_rate >= FLOOR_FULL_MATCH, report.as_dict()
    assert report.empty_sentences_quiet >= report.empty_sentences - 2
    assert report.when_checked >= 80, report.as_dict()
    assert report.date_accuracy >= FLOOR_DATE, report.as_dict()
    assert report.location_accuracy >= FLOOR_LOCATION, report.as_dict()
    assert report.modality_accuracy >= FLOOR_MODALITY, report.as_dict()
