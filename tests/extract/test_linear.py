"""The coder applies trained weights with numpy alone: its probabilities must equal
scikit-learn's for the same model, and a saved model must read back the same."""

from __future__ import annotations

import random

import numpy as np
import pytest

from sitroom.extract.linear import LinearModel
from sitroom.training.fit import fit_linear


def _data(classes: list[str], n: int = 300) -> tuple[list[dict[str, float]], list[str]]:
    rng = random.Random(4)
    x, y = [], []
    for _ in range(n):
        label = rng.choice(classes)
        row = {f"w={label}": 1.0, f"w={rng.randint(0, 9)}": 1.0, "#0": rng.random()}
        if rng.random() < 0.3:
            row[f"w={rng.choice(classes)}"] = 1.0
        x.append(row)
        y.append(label)
    return x, y


@pytest.mark.parametrize("classes", [["a", "b"], ["a", "b", "c", "d"]])
def test_probabilities_equal_scikit_learn(classes):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    x, y = _data(classes)
    model = fit_linear(x, y, c=1.0, min_count=1)
    vec = DictVectorizer()
    matrix = vec.fit_transform(x)
    reference = LogisticRegression(C=1.0, max_iter=400, tol=1e-3).fit(matrix, y)
    for row in x[:40]:
        ours = model.probabilities(row)
        theirs = reference.predict_proba(vec.transform([row]))[0]
        for label, p in zip(reference.classes_, theirs, strict=True):
            assert ours[label] == pytest.approx(p, abs=1e-3)


def test_a_saved_model_reads_back_the_same():
    x, y = _data(["a", "b", "c"])
    model = fit_linear(x, y, min_count=1)
    again = LinearModel.from_json(model.to_json(min_weight=0.0))
    for row in x[:20]:
        for label, p in model.probabilities(row).items():
            assert again.probabilities(row)[label] == pytest.approx(p, abs=1e-3)


def test_unknown_features_are_ignored_and_rare_ones_dropped():
    x, y = _data(["a", "b"])
    x[0]["only-once"] = 1.0
    model = fit_linear(x, y, min_count=2)
    assert "only-once" not in model.index
    base = model.probabilities({"w=a": 1.0})
    assert model.probabilities({"w=a": 1.0, "never-seen": 1.0}) == base
    assert sum(base.values()) == pytest.approx(1.0)
    assert np.isfinite(list(base.values())).all()


def test_one_class_is_refused():
    with pytest.raises(ValueError, match="only one class"):
        fit_linear([{"a": 1.0}, {"b": 1.0}], ["x", "x"])
