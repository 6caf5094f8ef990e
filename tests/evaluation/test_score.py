"""Scoring logic on hand-built events (no model)."""

import json
from datetime import date

import pytest

from sitroom.errors import GoldFileError
from sitroom.evaluation.gold import GoldActor, GoldRecord, read_gold
from sitroom.evaluation.score import Scorer
from sitroom.records import Actor, Event, Location, Trigger


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


def _annotated(tmp_path, **extra):
    row = {
        "id": "w1",
        "text": "Malaysia hosted Russia in Kuala Lumpur on Wednesday.",
        "date": "2025-02-27",
        "event": "CONSULT",
        "source": [{"code": "MYS"}],
        "target": [{"code": "RUS"}],
        "eventDate": "2025-02-26",
        "eventDatePrecision": "day",
        "locationName": "Kuala Lumpur",
        "locationCountry": "MYS",
        "modality": "asserted",
    } | extra
    path = tmp_path / "g.json"
    path.write_text(json.dumps([row]), "utf-8")
    return read_gold(path)


def test_gold_reader_reads_time_place_and_certainty(tmp_path):
    (rec,) = _annotated(tmp_path, eventDate="2024-09", eventDatePrecision="month")
    gw = rec.when_where
    assert (gw.date, gw.precision, gw.location_country, gw.modality) == (
        date(2024, 9, 1),
        "month",
        "MYS",
        "asserted",
    )
    with pytest.raises(GoldFileError, match="w1 has unknown modality 'perhaps'"):
        _annotated(tmp_path, modality="perhaps")
    with pytest.raises(GoldFileError, match="bad event date"):
        _annotated(tmp_path, eventDate="26 Feb")


def test_date_place_and_modality_are_scored_on_matched_events(kb, tmp_path):
    (rec,) = _annotated(tmp_path)
    right = _event("CONSULT", [_actor("MYS")], [_actor("RUS")], conf=0.9).model_copy(
        update={
            "date": date(2025, 2, 26),
            "date_precision": "day",
            "location": Location(name="Kuala Lumpur", country="MYS"),
        }
    )
    wrong = right.model_copy(
        update={"date": date(2025, 2, 27), "location": None, "modality": "intended"}
    )
    good = Scorer(kb).score("g", [rec], {rec.text: [right]})
    bad = Scorer(kb).score("g", [rec], {rec.text: [wrong]})
    assert (good.when_checked, good.date_accuracy, good.location_accuracy) == (1, 1.0, 1.0)
    assert good.modality_accuracy == 1.0
    assert (bad.date_accuracy, bad.location_accuracy, bad.modality_accuracy) == (0, 0, 0)


def test_reliability_bins_count_right_and_wrong_predictions(kb, tmp_path):
    (rec,) = _annotated(tmp_path)
    right = _event("CONSULT", [_actor("MYS")], [_actor("RUS")], conf=0.9)
    false_alarm = _event("ASSAULT", [_actor("MYS")], [_actor("RUS")], conf=0.2).model_copy(
        update={"id": "e2"}
    )
    report = Scorer(kb).score("g", [rec], {rec.text: [right, false_alarm]})
    rows = {low: (n, share) for low, _, n, _, share in report.reliability()}
    assert rows[0.0] == (1, 0.0) and rows[0.7] == (1, 1.0)
