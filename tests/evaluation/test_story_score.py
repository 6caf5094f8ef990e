"""Scoring whole annotated stories on hand-built stories and events (no model)."""

import json
from datetime import date

import pytest

from sitroom.evaluation.stories import AnnotatedStory, GoldEvent, GoldSentence, GoldSide
from sitroom.evaluation.story_score import NONE, score_stories
from sitroom.records import Actor, Event, Trigger

S1 = "Kyiv accused Moscow of shelling a port."
S2 = "It rained all day."
S3 = "The EU urged both sides to talk on Monday."
TEXT = f"{S1} {S2} {S3} Unannotated tail."
START2 = len(S1) + 1
START3 = START2 + len(S2) + 1


def _gold(ptype, src=(), tgt=(), alts=(), modality="asserted", when=None):
    return GoldEvent(
        type=ptype,
        alt_types=tuple(alts),
        trigger_text="t",
        source=GoldSide("", None, tuple(src)),
        target=GoldSide("", None, tuple(tgt)),
        modality=modality,
        date=when,
        location=None,
    )


def _story(first=(), third=(), sid="s1"):
    return AnnotatedStory(
        id=sid,
        text=TEXT,
        pub_date=date(2025, 3, 18),
        sentences=[
            GoldSentence(0, len(S1), tuple(first)),
            GoldSentence(START2, START2 + len(S2), ()),
            GoldSentence(START3, START3 + len(S3), tuple(third)),
        ],
    )


def _actor(code, kind="state", country=None):
    return Actor(text=code, start=0, end=1, code=code, kind=kind, country=country)


def _event(ptype, at, src=(), tgt=(), conf=0.5, modality="asserted", when=None):
    return Event(
        id=f"e{at}{ptype}",
        doc_id="s1",
        sentence_index=0,
        sentence="s",
        event_type=ptype,
        cameo="01",
        quad_class=1,
        goldstein=0.0,
        source=list(src),
        target=list(tgt),
        trigger=Trigger(text="t", start=at, end=at + 1),
        confidence=conf,
        modality=modality,
        date=when,
    )


def test_type_and_full_match_with_alt_types():
    story = _story(first=[_gold("ACCUSE", ["UKR"], ["RUS"], alts=["REJECT"])])
    right = _event("REJECT", 5, [_actor("UKR")], [_actor("RUS")])
    report = score_stories("x", [story], {"s1": [right]})
    f = report.figures
    assert (f.type_recall, f.type_precision, f.full_recall, f.full_precision) == (1, 1, 1, 1)
    wrong_target = _event("ACCUSE", 5, [_actor("UKR")], [_actor("USA")])
    f = score_stories("x", [story], {"s1": [wrong_target]}).figures
    assert (f.type_recall, f.type_precision, f.full_recall, f.full_precision) == (1, 1, 0, 0)
    other_type = _event("ASSAULT", 5, [_actor("UKR")], [_actor("RUS")])
    f = score_stories("x", [story], {"s1": [other_type]}).figures
    assert (f.type_recall, f.type_precision, f.full_recall) == (0, 0, 0)


def test_empty_gold_side_matches_anything_but_a_gold_side_needs_an_actor():
    story = _story(third=[_gold("REQUEST", ["EU", "IGO"], [])])
    no_target = _event("REQUEST", START3 + 7, [_actor("EU", "igo")], [])
    any_target = _event("REQUEST", START3 + 7, [_actor("EU", "igo")], [_actor("CHN")])
    no_source = _event("REQUEST", START3 + 7, [], [])
    assert score_stories("x", [story], {"s1": [no_target]}).figures.full_recall == 1
    assert score_stories("x", [story], {"s1": [any_target]}).figures.full_recall == 1
    report = score_stories("x", [story], {"s1": [no_source]})
    assert report.figures.type_recall == 1 and report.figures.full_recall == 0


def test_igo_kind_and_country_of_an_actor_count_as_codes():
    story = _story(
        first=[_gold("ACCUSE", ["IGO", "OPCW"], ["SDN"])],
    )
    # an organisation the gold does not name still offers "IGO"; a group's country counts
    event = _event("ACCUSE", 5, [_actor("XYZ", "igo")], [_actor("RSF", "group", country="SDN")])
    assert score_stories("x", [story], {"s1": [event]}).figures.full_recall == 1
    state = _event("ACCUSE", 5, [_actor("XYZ", "state")], [_actor("SDN")])
    assert score_stories("x", [story], {"s1": [state]}).figures.full_recall == 0


def test_predictions_outside_annotated_sentences_are_ignored():
    story = _story(first=[_gold("ACCUSE", ["UKR"], ["RUS"])])
    tail = _event("ASSAULT", TEXT.index("Unannotated"), [_actor("UKR")], [_actor("RUS")])
    gap = _event("ASSAULT", len(S1), [_actor("UKR")], [_actor("RUS")])  # the space
    inside = _event("ACCUSE", 0, [_actor("UKR")], [_actor("RUS")])
    report = score_stories("x", [story], {"s1": [tail, gap, inside]})
    assert report.ignored_predictions == 2
    assert report.predicted_events == 1
    assert report.figures.full_precision == 1
    assert NONE not in {g for g, _ in report.confusion}


def test_start_offset_decides_the_sentence():
    story = _story(third=[_gold("REQUEST", ["EU"], [])])
    # a trigger starting at the last character of sentence 1 belongs to sentence 1
    early = _event("REQUEST", START2 - 2, [_actor("EU")], [])
    report = score_stories("x", [story], {"s1": [early]})
    assert report.figures.type_recall == 0 and report.figures.type_precision == 0
    assert report.confusion[(NONE, "REQUEST")] == 1
    assert report.confusion[("REQUEST", NONE)] == 1


def test_recall_and_precision_count_existence_not_pairs():
    story = _story(first=[_gold("ACCUSE", ["UKR"], ["RUS"]), _gold("ASSAULT", ["RUS"], [])])
    twice = [_event("ACCUSE", 5, [_actor("UKR")], [_actor("RUS")]) for _ in range(2)]
    report = score_stories("x", [story], {"s1": twice})
    f = report.figures
    assert f.type_recall == 0.5 and f.type_precision == 1.0
    assert report.per_type["ACCUSE"].gold == 1 and report.per_type["ACCUSE"].found == 1
    assert report.per_type["ACCUSE"].predicted == 2 and report.per_type["ACCUSE"].right == 2
    assert report.per_type["ASSAULT"].recall == 0


def test_confusion_pairs_type_mismatches_then_misses_and_false_alarms():
    story = _story(
        first=[_gold("ACCUSE", ["UKR"], ["RUS"]), _gold("ASSAULT", ["RUS"], [])],
        third=[_gold("REQUEST", ["EU"], [])],
    )
    events = [
        _event("REQUEST", 5, [_actor("UKR")], []),  # ACCUSE read as REQUEST
        _event("REQUEST", START3 + 7, [_actor("EU")], []),  # right
        _event("PROTEST", START2, [], []),  # in a no-event sentence
    ]
    report = score_stories("x", [story], {"s1": events})
    assert report.confusion == {
        ("ACCUSE", "REQUEST"): 1,
        ("ASSAULT", NONE): 1,
        ("REQUEST", "REQUEST"): 1,
        (NONE, "PROTEST"): 1,
    }
    assert (report.empty_sentences, report.quiet_sentences) == (1, 0)
    assert report.per_type["PROTEST"].precision == 0
    assert any("missed ASSAULT" in m for m in report.misses)
    assert any("false alarm PROTEST" in m for m in report.misses)


def test_modality_and_date_on_type_matched_pairs():
    story = _story(
        first=[
            _gold("ACCUSE", ["UKR"], [], modality="asserted", when="2025-03"),
            _gold("ASSAULT", ["RUS"], [], modality="historical", when="2025-03-14"),
        ],
        third=[_gold("REQUEST", ["EU"], [], modality="intended", when=None)],
    )
    events = [
        _event("ACCUSE", 0, [_actor("UKR")], [], when=date(2025, 3, 17)),  # month right
        _event("ASSAULT", 20, [_actor("RUS")], [], when=date(2025, 3, 13)),  # day wrong
        _event("REQUEST", START3, [_actor("EU")], [], modality="intended"),  # no gold date
    ]
    report = score_stories("x", [story], {"s1": events})
    assert (report.date_checked, report.date_right) == (2, 1)
    assert (report.modality_checked, report.modality_right) == (3, 2)
    # a missing predicted date is wrong when the gold has one
    undated = _event("ACCUSE", 0, [_actor("UKR")], [])
    one = score_stories("x", [_story(first=[story.sentences[0].events[0]])], {"s1": [undated]})
    assert (one.date_checked, one.date_right) == (1, 0)


def test_thresholds_drop_predictions_and_keep_gold_fixed():
    story = _story(
        first=[_gold("ACCUSE", ["UKR"], ["RUS"])],
        third=[_gold("REQUEST", ["EU"], [])],
    )
    events = [
        _event("ACCUSE", 0, [_actor("UKR")], [_actor("RUS")], conf=0.9),
        _event("REQUEST", START3, [_actor("USA")], [], conf=0.4),  # type right, actor wrong
        _event("PROTEST", START2, [], [], conf=0.2),  # false alarm
    ]
    report = score_stories("x", [story], {"s1": events})
    at0 = report.at_threshold(0.0)
    assert (at0.type_recall, at0.full_recall) == (1.0, 0.5)
    assert at0.type_precision == pytest.approx(2 / 3) and at0.predicted == 3
    at3 = report.at_threshold(0.3)
    assert (at3.type_recall, at3.type_precision, at3.full_precision) == (1.0, 1.0, 0.5)
    at5 = report.at_threshold(0.5)
    assert (at5.type_recall, at5.type_precision, at5.full_recall) == (0.5, 1.0, 0.5)
    at95 = report.at_threshold(0.95)
    assert (at95.type_recall, at95.type_precision, at95.predicted) == (0.0, 0.0, 0)
    table = report.pr_table([0.1, 0.5, 0.95])
    assert [row.predicted for row in table] == [3, 1, 0]
    recalls = [row.type_recall for row in report.pr_table([i / 10 for i in range(1, 10)])]
    assert recalls == sorted(recalls, reverse=True)


def test_stories_without_predictions_and_unknown_story_ids():
    report = score_stories(
        "x",
        [_story(first=[_gold("ACCUSE", ["UKR"], ["RUS"])])],
        {"other": [_event("ACCUSE", 0, [_actor("UKR")], [_actor("RUS")])]},
    )
    assert report.predicted_events == 0 and report.figures.type_recall == 0
    assert report.quiet_share == 1.0


def test_as_dict_is_json_with_the_headline_figures():
    story = _story(first=[_gold("ACCUSE", ["UKR"], ["RUS"])])
    report = score_stories("x", [story], {"s1": [_event("ACCUSE", 0, [_actor("UKR")], [])]})
    data = json.loads(json.dumps(report.as_dict()))
    assert data["type_recall"] == 1.0 and data["full_recall"] == 0.0
    assert data["gold_events"] == 1 and data["predicted_events"] == 1
    assert data["per_type"]["ACCUSE"]["recall"] == 1.0
    assert len(data["pr_table"]) == 9 and data["pr_table"][0]["min_confidence"] == 0.1
    assert {"gold": "ACCUSE", "predicted": "ACCUSE", "count": 1} in data["confusion"]
