"""A trained linear classifier, read from the project's model file and applied with
numpy alone: no scikit-learn at coding time, no pickles.

A model is a list of class names, a feature index (name -> column), one weight row per
class and a bias per class; `probabilities` is a softmax (two classes: a logistic) over
the scores of one example's features. Sparse features have the value 1.0; dense ones
(names starting with "#") carry their own value.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

Features = Mapping[str, float]


@dataclass(frozen=True)
class LinearModel:
    classes: tuple[str, ...]
    index: dict[str, int]
    weights: np.ndarray  # (features, classes), float32
    bias: np.ndarray  # (classes,)

    def scores(self, features: Features) -> np.ndarray:
        index = self.index
        rows: list[int] = []
        values: list[float] = []
        for name, value in features.items():
            row = index.get(name)
            if row is not None:
                rows.append(row)
                values.append(value)
        if not rows:
            return self.bias.astype(np.float64)
        picked = self.weights[rows]  # one gather and one product per example
        return self.bias + np.asarray(values, dtype=np.float32) @ picked

    def probabilities(self, features: Features) -> dict[str, float]:
        z = self.scores(features)
        if len(self.classes) == 2 and z.shape[0] == 1:
            p = 1.0 / (1.0 + np.exp(-z[0]))
            return {self.classes[0]: 1.0 - p, self.classes[1]: float(p)}
        z = z - z.max()
        e = np.exp(z)
        e /= e.sum()
        return {c: float(v) for c, v in zip(self.classes, e, strict=True)}

    # ------------------------------------------------------------ storage
    def to_json(self, min_weight: float = 1e-4) -> dict:
        """A compact form: features whose weights are all tiny are dropped; the weight
        matrix is little-endian float32 bytes in base64 (fast to read back)."""
        keep = np.abs(self.weights).max(axis=1) >= min_weight
        names = [n for n, i in sorted(self.index.items(), key=lambda kv: kv[1]) if keep[i]]
        rows = np.ascontiguousarray(self.weights[keep], dtype="<f4")
        return {
            "classes": list(self.classes),
            "features": names,
            "columns": int(rows.shape[1]) if rows.ndim == 2 else 1,
            "weights": base64.b64encode(rows.tobytes()).decode("ascii"),
            "bias": [round(float(x), 6) for x in self.bias],
        }

    @classmethod
    def from_json(cls, data: Mapping) -> LinearModel:
        names = list(data["features"])
        raw = np.frombuffer(base64.b64decode(data["weights"]), dtype="<f4")
        weights = raw.astype(np.float32).reshape(len(names), int(data["columns"]))
        bias = np.asarray(data["bias"], dtype=np.float64)
        classes = tuple(data["classes"])
        if weights.shape[1] != bias.shape[0]:
            raise ValueError("weights and bias disagree on the number of classes")
        return cls(classes, {n: i for i, n in enumerate(names)}, weights, bias)
