"""Fit one decision: logistic regression (scikit-learn) over feature dictionaries,
returned as a LinearModel the coder applies without scikit-learn."""

from __future__ import annotations

from collections import Counter

import numpy as np

from sitroom.extract.linear import LinearModel


def fit_linear(
    x: list[dict[str, float]],
    y: list[str],
    weights: list[float] | None = None,
    c: float = 1.0,
    min_count: int = 2,
) -> LinearModel:
    """A multinomial (or, for two classes, binary) logistic regression. Sparse features
    seen in fewer than `min_count` examples are left out."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    if len(set(y)) < 2:
        raise ValueError(f"only one class in the training examples: {sorted(set(y))}")
    counts: Counter[str] = Counter(k for row in x for k in row)
    keep = {k for k, n in counts.items() if n >= min_count or k.startswith("#")}
    rows = [{k: v for k, v in row.items() if k in keep} for row in x]
    vectorizer = DictVectorizer(sparse=True)
    matrix = vectorizer.fit_transform(rows)
    model = LogisticRegression(C=c, max_iter=400, tol=1e-3)
    model.fit(matrix, y, sample_weight=np.asarray(weights) if weights is not None else None)
    coef = np.asarray(model.coef_, dtype=np.float32).T  # (features, classes or 1)
    return LinearModel(
        classes=tuple(str(c) for c in model.classes_),
        index={name: int(i) for name, i in vectorizer.vocabulary_.items()},
        weights=coef,
        bias=np.asarray(model.intercept_, dtype=np.float64),
    )
