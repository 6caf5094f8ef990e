"""Fit the confidence model's weights on a gold file and write knowledge/data/confidence.json.

    python benchmarks/calibrate_confidence.py GOLD.json [--write]

Fit on a gold file that is not the project's own (the PLOVER GSR development half was
used), so that the reliability table on the project's gold set (docs/confidence.md,
`sitroom eval`) is measured on data the weights never saw. Prints the fitted weights
and the reliability of the fitted scores on the fitting file.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from sitroom.coding import code_many
from sitroom.evaluation.gold import read_gold
from sitroom.evaluation.score import Scorer
from sitroom.extract.confidence import FEATURES
from sitroom.knowledge.base import load_knowledge
from sitroom.records import Document

TARGET = Path(__file__).resolve().parents[1] / "src/sitroom/knowledge/data/confidence.json"


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 5000) -> np.ndarray:
    """Logistic regression by gradient descent; column 0 of x is the bias."""
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) / len(y) + l2 * np.r_[0.0, w[1:]] / len(y)
        w -= 0.5 * grad
    return w


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("gold", type=Path)
    parser.add_argument("--write", action="store_true", help="write confidence.json")
    args = parser.parse_args()

    records = read_gold(args.gold)
    docs = {r.text: Document(id=r.id, text=r.text, date=r.date) for r in records}
    predicted, facts = {}, {}
    for result in code_many(list(docs.values()), processes=2):
        predicted[result.document.text] = result.events
        facts.update(result.features)
    report = Scorer(load_knowledge()).score(args.gold.name, records, predicted)
    rows = [(facts[eid], ok) for eid, _, ok in report.outcomes if eid in facts]
    x = np.array([[1.0, *[f[name] for name in FEATURES]] for f, _ in rows])
    y = np.array([float(ok) for _, ok in rows])
    w = fit(x, y)
    p = 1 / (1 + np.exp(-x @ w))
    print(f"{len(rows)} predicted events, {y.mean():.3f} fully right")
    for name, value in zip(["bias", *FEATURES], w, strict=True):
        print(f"  {name:22s} {value:+.3f}")
    for low, high in [(0, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 1.01)]:
        inside = (p >= low) & (p < high)
        if inside.any():
            print(f"  {low:.2f}-{high:.2f}: {inside.sum():4d} events, {y[inside].mean():.3f} right")
    if args.write:
        data = {
            "note": f"Logistic weights fitted by benchmarks/calibrate_confidence.py on "
            f"{args.gold.name} ({len(rows)} predicted events).",
            "bias": round(float(w[0]), 4),
            "weights": {n: round(float(v), 4) for n, v in zip(FEATURES, w[1:], strict=True)},
        }
        TARGET.write_text(json.dumps(data, indent=1) + "\n", "utf-8")
        print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
