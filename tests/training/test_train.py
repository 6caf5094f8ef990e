"""`sitroom train` on the project's own tiny annotated set: it builds a model file the
coder can load and use, never trains on a VOA dev story, and refuses bad input in one line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitroom.evaluation.splits import VOA_DEV_IDS
from sitroom.extract.model_files import read_event_models
from sitroom.records import Document
from sitroom.training.pipeline import TrainingData, TrainOptions, train

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny_events"

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    shutil.copy(TINY / "stories.jsonl", folder / "stories.jsonl")
    shutil.copy(TINY / "annotations.jsonl", folder / "annotations.jsonl")
    # One story under a dev id: it must be left out of training.
    dev_id = sorted(VOA_DEV_IDS)[0]
    first_story = json.loads((TINY / "stories.jsonl").read_text("utf-8").splitlines()[0])
    first_notes = json.loads((TINY / "annotations.jsonl").read_text("utf-8").splitlines()[0])
    with (folder / "stories.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({**first_story, "id": dev_id}) + "\n")
    with (folder / "annotations.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({**first_notes, "id": dev_id}) + "\n")
    out = tmp_path_factory.mktemp("model") / "model.json.gz"
    report = train([TrainingData(folder)], out, TrainOptions(folds=2))
    return report, out


def test_training_leaves_the_dev_stories_out(trained):
    report, _ = trained
    assert report.dropped_dev == 1
    assert report.stories == 12
    assert report.gold_events >= 80
    assert report.aligned_events >= 0.95 * report.gold_events


def test_the_model_file_holds_every_decision(trained):
    _, out = trained
    models = read_event_models(out)
    assert "NONE" in models.types.classes
    assert {"ASSAULT", "ACCUSE", "CONSULT"} <= set(models.types.classes)
    assert set(models.roles.classes) == {"NONE", "SOURCE", "TARGET"}
    assert "asserted" in models.modality.classes
    assert models.confidence.classes == ("right", "wrong") or set(models.confidence.classes) == {
        "right",
        "wrong",
    }
    assert models.about["built_by"] == "sitroom train"
    # The lexicon's words stay candidates even if the tiny set never used them.
    assert {"attack", "meet", "sanction"} <= models.vocabulary


def test_the_coder_codes_with_a_trained_file(trained, monkeypatch):
    _, out = trained
    from sitroom.extract.coder import Coder

    coder = Coder(models=read_event_models(out))
    text = (
        "Russian forces attacked the Ukrainian city of Kharkiv on Monday, Ukrainian officials "
        "said. Ukraine's foreign minister condemned the attack and urged NATO to send more "
        "air defence systems."
    )
    events = coder.code(Document(id="t1", text=text, date="2025-03-12"))
    assert events, "a model trained on the tiny set finds no event in plain reporting"
    for event in events:
        assert 0.0 <= event.confidence <= 1.0
        assert event.source or event.target
        assert text[event.trigger.start : event.trigger.end] == event.trigger.text


def test_cli_refuses_a_missing_folder_in_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sitroom", "train", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "no such folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_refuses_a_bad_weight_and_a_folder_without_annotations(tmp_path):
    bad = subprocess.run(
        [sys.executable, "-m", "sitroom", "train", f"{TINY}@heavy"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "weight" in bad.stderr
    empty = subprocess.run(
        [sys.executable, "-m", "sitroom", "train", str(tmp_path), "--out", str(tmp_path / "m")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert empty.returncode == 1
    assert "stories.jsonl" in empty.stderr and "Traceback" not in empty.stderr
    assert not (tmp_path / "m").exists()


def _one_story_without_events(folder: Path) -> None:
    story = json.loads((TINY / "stories.jsonl").read_text("utf-8").splitlines()[0])
    notes = json.loads((TINY / "annotations.jsonl").read_text("utf-8").splitlines()[0])
    for sentence in notes["sentences"]:
        sentence["events"] = []
    (folder / "stories.jsonl").write_text(json.dumps(story) + "\n", "utf-8")
    (folder / "annotations.jsonl").write_text(json.dumps(notes) + "\n", "utf-8")


def test_too_little_data_is_one_line_not_a_traceback(tmp_path):
    data = tmp_path / "no@events"  # an @ in a folder's name is not a weight
    data.mkdir()
    _one_story_without_events(data)
    result = subprocess.run(
        [sys.executable, "-m", "sitroom", "train", str(data), "--out", str(tmp_path / "m.gz")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "too little to train on" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "m.gz").exists()


def test_an_unwritable_model_path_is_refused_before_training(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sitroom", "train", str(TINY), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "is a folder" in result.stderr and "Traceback" not in result.stderr
    assert "parsing" not in result.stderr  # refused before any work
