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
                self._record_match(report, best, g)
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
            for p in preds:
                report.per_type[p.event_type].fp += 1
                report.confusion[(NONE, p.event_type)] += 1
        return report

    def _record_match(self, report: EvalReport, ev: Event, g: GoldRecord) -> None:
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
