"""The project's own annotated stories (tests/data/tiny_events) are well formed."""

from collections import Counter
from pathlib import Path

import pytest

from sitroom.evaluation.stories import read_annotated_stories
from sitroom.records import PLOVER_TYPES

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny_events"


def _stories():
    return read_annotated_stories(TINY / "stories.jsonl", TINY / "annotations.jsonl")


def test_twelve_stories_with_dates():
    stories = _stories()
    assert [s.id for s in stories] == [f"tiny{n:02d}" for n in range(1, 13)]
    for story in stories:
        assert story.pub_date is not None
        assert 5 <= len(story.sentences) <= 8


def test_sentences_tile_the_text_and_spans_are_substrings():
    for story in _stories():
        previous_end = 0
        for sentence in story.sentences:
            assert previous_end <= sentence.start < sentence.end <= len(story.text)
            text = story.sentence_text(sentence)
            assert text == text.strip() and text, (story.id, sentence.start)
            assert story.text[previous_end : sentence.start].strip() == ""
            previous_end = sentence.end
            for event in sentence.events:
                where = (story.id, sentence.start, event.type)
                assert event.trigger_text and event.trigger_text in text, where
                assert event.source.text in text, where
                assert event.target.text in text, where
                assert event.type not in event.alt_types, where
                # a side written in the sentence always has codes
                for side in (event.source, event.target):
                    assert not side.text or side.codes, where
        assert story.text[previous_end:].strip() == ""


def test_coverage_of_types_modalities_and_quiet_sentences():
    stories = _stories()
    types = Counter(e.type for s in stories for sent in s.sentences for e in sent.events)
    assert all(types[t] >= 2 for t in PLOVER_TYPES), types
    modalities = Counter(e.modality for s in stories for sent in s.sentences for e in sent.events)
    assert set(modalities) == {"asserted", "negated", "hypothetical", "intended", "historical"}
    for story in stories:
        assert any(not sentence.events for sentence in story.sentences), story.id
    dates = [
        e.date for s in stories for sent in s.sentences for e in sent.events if e.date is not None
    ]
    assert all(len(d) in (4, 7, 10) for d in dates)
    pronouns = {"He", "he", "it", "its"}
    assert any(
        e.source.text in pronouns for s in stories for sent in s.sentences for e in sent.events
    )


def test_bad_story_files_are_one_error(tmp_path):
    import json

    from sitroom.errors import GoldFileError

    stories = tmp_path / "stories.jsonl"
    notes = tmp_path / "annotations.jsonl"
    stories.write_bytes(b'{"id": "a", "text": "Caf\xe9 talks."}\n')
    notes.write_text('{"id": "a", "sentences": []}\n', "utf-8")
    with pytest.raises(GoldFileError, match="not UTF-8"):
        read_annotated_stories(stories, notes)
    stories.write_text('{"id": "a", "text": "France met Germany."}\n', "utf-8")
    event = {"type": "CONSULT", "alt_types": 5, "trigger_text": "met"}
    notes.write_text(
        json.dumps({"id": "a", "sentences": [{"start": 0, "end": 19, "events": [event]}]}) + "\n",
        "utf-8",
    )
    with pytest.raises(GoldFileError, match="alt_types"):
        read_annotated_stories(stories, notes)
