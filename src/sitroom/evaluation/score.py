"""Score coded events against gold records.

Records with the same text form one sentence; its gold events are matched one-to-one
with the predicted events of that sentence: same type first, then the pair whose actors
agree best. Unmatched gold events are misses, unmatched predictions false alarms.
Actor sets are compared by code: a predicted organisation also matches the generic gold
codes IGO or NGO; when the gold has no target, a prediction with no target or with a
joint target counts as right.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from sitroom.evaluation.gold import GoldActor, GoldRecord
from sitroom.knowledge.base import KnowledgeBase
from sitroom.records import PLOVER_TYPES, Actor, Event

NONE = "NONE"


@dataclass
class TypeCounts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EvalReport:
    name: str
    sentences: int = 0
    gold_events: int = 0
    predicted_events: int = 0
    per_type: dict[str, TypeCounts] = field(default_factory=lambda: defaultdict(TypeCounts))
    confusion: Counter = field(default_factory=Counter)
    matched: int = 0
    source_right: int = 0
    target_right: int = 0
    full_match: int = 0
    sector_checked: int = 0
    sector_right: int = 0
    empty_sentences: int = 0
    empty_sentences_quiet: int = 0
    misses: list[str] = field(default_factory=list)
    # Time, place and certainty, on type-matched events whose gold annotates them.
    when_checked: int = 0
    date_right: int = 0
    location_right: int = 0
    modality_right: int = 0
    attribution_right: int = 0
    # (event id, confidence, fully right?) for every predicted event: reliability.
    outcomes: list[tuple[str, float, bool]] = field(default_factory=list)

    @property
    def total(self) -> TypeCounts:
        t = TypeCounts()
        for c in self.per_type.values():
            t.tp += c.tp
            t.fp += c.fp
            t.fn += c.fn
        return t

    def rate(self, num: int, den: int) -> float:
        return num / den if den else 0.0

    @property
    def source_accuracy(self) -> float:
        return self.rate(self.source_right, self.matched)

    @property
    def target_accuracy(self) -> float:
        return self.rate(self.target_right, self.matched)

    @property
    def full_match_rate(self) -> float:
        return self.rate(self.full_match, self.gold_events)

    @property
    def date_accuracy(self) -> float:
        return self.rate(self.date_right, self.when_checked)

    @property
    def location_accuracy(self) -> float:
        return self.rate(self.location_right, self.when_checked)

    @property
    def modality_accuracy(self) -> float:
        return self.rate(self.modality_right, self.when_checked)

    @property
    def attribution_accuracy(self) -> float:
        return self.rate(self.attribution_right, self.when_checked)

    def reliability(self, edges: tuple[float, ...] = (0.0, 0.3, 0.5, 0.7, 1.01)):
        """[(low, high, events, mean confidence, share fully right)] per confidence bin."""
        rows = []
        for low, high in pairwise(edges):
            inside = [(conf, ok) for _, conf, ok in self.outcomes if low <= conf < high]
            mean = sum(c for c, _ in inside) / len(inside) if inside else 0.0
            right = self.rate(sum(ok for _, ok in inside), len(inside))
            rows.append((low, min(high, 1.0), len(inside), mean, right))
        return rows

    def as_dict(self) -> dict[str, object]:
        total = self.total
        return {
            "name": self.name,
            "sentences": self.sentences,
            "gold_events": self.gold_events,
            "predicted_events": self.predicted_events,
            "type_precision": round(total.precision, 4),
            "type_recall": round(total.recall, 4),
            "type_f1": round(total.f1, 4),
            "source_accuracy": round(self.source_accuracy, 4),
            "target_accuracy": round(self.target_accuracy, 4),
            "full_match": round(self.full_match_rate, 4),
            "sector_accuracy": round(self.rate(self.sector_right, self.sector_checked), 4),
            "no_event_sentences_quiet": f"{self.empty_sentences_quiet}/{self.empty_sentences}",
            "when_where_checked": self.when_checked,
            "date_accuracy": round(self.date_accuracy, 4),
            "location_country_accuracy": round(self.location_accuracy, 4),
            "modality_accuracy": round(self.modality_accuracy, 4),
            "attribution_accuracy": round(self.attribution_accuracy, 4),
            "reliability": [
                {
                    "low": lo,
                    "high": hi,
                    "events": n,
                    "mean_confidence": round(m, 4),
                    "right": round(r, 4),
                }
                for lo, hi, n, m, r in self.reliability()
            ],
            "per_type": {
                t: {
                    "precision": round(c.precision, 4),
                    "recall": round(c.recall, 4),
                    "f1": round(c.f1, 4),
                    "tp": c.tp,
                    "fp": c.fp,
                    "fn": c.fn,
                }
                for t, c in sorted(self.per_type.items())
            },
        }


class Scorer:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.generic = {}
        for org in kb.organisations.values():
            if org.kind in ("igo", "ngo"):
                self.generic[org.code] = org.kind.upper()

    def _codes_match(self, pred: list[Actor], gold: tuple[GoldActor, ...]) -> bool:
        gold_codes = {g.code for g in gold}
        if not gold_codes and not pred:
            return True  # an unknown attacker in the gold, no source predicted
        pred_codes = set()
        for a in pred:
            if a.code in gold_codes:
                pred_codes.add(a.code)
            elif a.code in self.generic and gold_codes & {"IGO", "NGO"}:
                # Gold sets code organisations generically and not always consistently
                # (the Red Cross and Amnesty appear as IGO), so either generic code counts.
                pred_codes.add(next(iter(gold_codes & {"IGO", "NGO"})))
            else:
                pred_codes.add(a.code)
        return bool(pred_codes) and pred_codes == gold_codes

    def source_ok(self, ev: Event, gold: GoldRecord) -> bool:
        return self._codes_match(ev.source, gold.source)

    def target_ok(self, ev: Event, gold: GoldRecord) -> bool:
        if not gold.target:
            return not ev.target or ev.joint
        return self._codes_match(ev.target, gold.target)

    def score(
        self, name: str, records: list[GoldRecord], predicted: dict[str, list[Event]]
    ) -> EvalReport:
        report = EvalReport(name)
        for t in PLOVER_TYPES:
            report.per_type[t]  # every type gets a row, even with no gold
        by_text: dict[str, list[GoldRecord]] = defaultdict(list)
        for rec in records:
            by_text[rec.text].append(rec)
        report.sentences = len(by_text)
        for text, golds in by_text.items():
            preds = list(predicted.get(text, []))
            report.predicted_events += len(preds)
            gold_events = [g for g in golds if g.event]
            if not gold_events:
                report.empty_sentences += 1
                report.empty_sentences_quiet += not preds
            report.gold_events += len(gold_events)
            unmatched_gold: list[GoldRecord] = []
            for g in gold_events:
                same = [p for p in preds if p.event_type == g.event]
                if not same:
                    unmatched_gold.append(g)
                    continue
                best = max(
                    same, key=lambda p: (self.source_ok(p, g) + self.target_ok(p, g), p.confidence)
                )
                preds.remove(best)
                right = self._record_match(report, best, g)
                report.outcomes.append((best.id, best.confidence, right))
            for g in unmatched_gold:
                assert g.event is not None
                report.per_type[g.event].fn += 1
                other = max(preds, key=lambda p: p.confidence) if preds else None
                report.confusion[(g.event, other.event_type if other else NONE)] += 1
                report.misses.append(
                    f"{g.id}: gold {g.event}, got {other.event_type if other else NONE}"
                )
                if other is not None:
                    preds.remove(other)
                    report.per_type[other.event_type].fp += 1
                    report.outcomes.append((other.id, other.confidence, False))
            for p in preds:
                report.per_type[p.event_type].fp += 1
                report.outcomes.append((p.id, p.confidence, False))
                report.confusion[(NONE, p.event_type)] += 1
        return report

    def _record_match(self, report: EvalReport, ev: Event, g: GoldRecord) -> bool:
        assert g.event is not None
        report.per_type[g.event].tp += 1
        report.confusion[(g.event, g.event)] += 1
        report.matched += 1
        s_ok, t_ok = self.source_ok(ev, g), self.target_ok(ev, g)
        report.source_right += s_ok
        report.target_right += t_ok
        report.full_match += s_ok and t_ok
        if not (s_ok and t_ok):
            got = ",".join(a.code for a in ev.source) + "->" + ",".join(a.code for a in ev.target)
            want = ",".join(a.code for a in g.source) + "->" + ",".join(a.code for a in g.target)
            report.misses.append(f"{g.id}: {g.event} actors {got}, gold {want}")
        for gold_side, pred_side in ((g.source, ev.source), (g.target, ev.target)):
            for ga in gold_side:
                if not ga.sector or not ga.sector.isalpha() or len(ga.sector) != 3:
                    continue
                same = [a for a in pred_side if a.code == ga.code]
                if same:
                    report.sector_checked += 1
                    report.sector_right += any(a.sector == ga.sector for a in same)
        if g.when_where is not None:
            self._score_when_where(report, ev, g)
        return s_ok and t_ok

    def _score_when_where(self, report: EvalReport, ev: Event, g: GoldRecord) -> None:
        gw = g.when_where
        assert gw is not None
        report.when_checked += 1
        date_ok = ev.date == gw.date and ev.date_precision == gw.precision
        if gw.date_end is not None:
            date_ok = date_ok and ev.date_end == gw.date_end
        place = ev.location.country if ev.location else None
        speaker = ev.attribution.code if ev.attribution else None
        report.date_right += date_ok
        report.location_right += place == gw.location_country
        report.modality_right += ev.modality == gw.modality
        report.attribution_right += speaker == gw.attribution
        for label, ok, got, want in (
            ("date", date_ok, f"{ev.date} {ev.date_precision}", f"{gw.date} {gw.precision}"),
            ("place", place == gw.location_country, place, gw.location_country),
            ("modality", ev.modality == gw.modality, ev.modality, gw.modality),
            ("attribution", speaker == gw.attribution, speaker, gw.attribution),
        ):
            if not ok:
                report.misses.append(f"{g.id}: {label} {got}, gold {want}")
