"""Scoring logic on hand-built events (no model)."""

from datetime import date

from sitroom.evaluation.gold import GoldActor, GoldRecord, read_gold
from sitroom.evaluation.score import Scorer
from sitroom.records import Actor, Event, Trigger


def _actor(code, kind="state"):
    return Actor(text=code, start=0, end=1, code=code, kind=kind)


def _event(ptype, src, tgt, joint=False, conf=0.5):
    return Event(
        id="e",
        doc_id="d",
        sentence_index=0,
        sentence="s",
        event_type=ptype,
        cameo="04",
        quad_class=1,
        goldstein=1.0,
        source=src,
        target=tgt,
        joint=joint,
        trigger=Trigger(text="t", start=0, end=1),
        confidence=conf,
    )


def _gold(gid, text, event, src, tgt):
    return GoldRecord(
        gid,
        text,
        date(2025, 1, 1),
        event,
        tuple(GoldActor(c, c, None) for c in src),
        tuple(GoldActor(c, c, None) for c in tgt),
    )


def test_type_match_actor_accuracy_and_confusion(kb):
    golds = [
        _gold("1", "a", "CONSULT", ["RUS"], ["MYS"]),
        _gold("2", "b", "ACCUSE", ["CHN"], ["USA"]),
        _gold("3", "c", None, [], []),
        _gold("4", "d", "AGREE", ["HUN", "ROU"], []),
        _gold("5", "e", "REQUEST", ["GRC"], ["IGO"]),
    ]
    predicted = {
        "a": [_event("CONSULT", [_actor("RUS")], [_actor("MYS")])],
        "b": [_event("REJECT", [_actor("CHN")], [_actor("USA")])],
        "c": [_event("AID", [_actor("JPN")], [])],
        "d": [
            _event(
                "AGREE", [_actor("HUN"), _actor("ROU")], [_actor("HUN"), _actor("ROU")], joint=True
            )
        ],
        "e": [_event("REQUEST", [_actor("GRC")], [_actor("UN", "igo")])],
    }
    report = Scorer(kb).score("t", golds, predicted)
    assert report.gold_events == 4
    assert report.per_type["CONSULT"].tp == 1
    assert report.per_type["ACCUSE"].fn == 1 and report.per_type["REJECT"].fp == 1
    assert report.per_type["AID"].fp == 1
    assert report.confusion[("ACCUSE", "REJECT")] == 1
    assert report.confusion[("NONE", "AID")] == 1
    assert report.matched == 3 and report.full_match == 3  # joint target and IGO both count
    assert report.empty_sentences == 1 and report.empty_sentences_quiet == 0
    total = report.total
    assert (total.tp, total.fp, total.fn) == (3, 2, 1)


def test_wrong_target_is_not_a_full_match(kb):
    golds = [_gold("1", "a", "CONSULT", ["RUS"], ["MYS"])]
    report = Scorer(kb).score(
        "t", golds, {"a": [_event("CONSULT", [_actor("RUS")], [_actor("IND")])]}
    )
    assert report.matched == 1 and report.source_right == 1 and report.target_right == 0
    assert report.full_match == 0


def test_gold_reader_maps_legacy_names(tmp_path):
    path = tmp_path / "g.json"
    path.write_text(
        '[{"id": "x", "text": "T", "date": "2000-01-01", "event": "DISAPPROVE",'
        ' "source": [{"actorText": "Japan", "code": "JAP"}], "target": ""}]',
        "utf-8",
    )
    rec = read_gold(path)[0]
    assert rec.event == "ACCUSE" and rec.source[0].code == "JPN" and rec.target == ()


def test_packaged_gold_is_large_and_covers_every_type():
    from sitroom.evaluation.gold import packaged_gold_path
    from sitroom.records import PLOVER_TYPES

    records = read_gold(packaged_gold_path())
    assert len({r.text for r in records}) >= 150
    assert {r.event for r in records if r.event} == set(PLOVER_TYPES)
    assert sum(1 for r in records if r.event is None) >= 20
