"""Named confidence thresholds: the one number behind `--precise` (CLI) and the
documented high-precision setting (`--min-confidence`, the API's `min_confidence`).

PRECISE_THRESHOLD keeps only events whose `confidence` is at least this value. It was
chosen on the VOA dev split (20 stories no model was fitted on) as the lowest threshold
in steps of 0.1 whose full precision (type, source and target) is at least 70%: 0.792 there,
at a full recall of 0.062. docs/model.md gives the whole precision-recall table.
"""

from __future__ import annotations

PRECISE_THRESHOLD = 0.7
