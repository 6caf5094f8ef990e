"""`sitroom eval --stories` run as a user runs it (real process, real model), on the
project's own annotated stories (tests/data/tiny_events)."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.model

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny_events"
FIGURES = re.compile(
    r"^figures: type R (\d\.\d{3}) P (\d\.\d{3}) \| full R (\d\.\d{3}) P (\d\.\d{3}) \| "
    r"gold (\d+) predicted (\d+)$",
    re.MULTILINE,
)


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "sitroom", "eval", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "80", "LINES": "50"},
    )


def one_error_line(proc) -> str:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def test_tiny_stories_report_fits_80_columns(tmp_path):
    out = tmp_path / "report.json"
    proc = run("--stories", str(TINY), "--pr-table", "--json", str(out), "-p", "1")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    match = FIGURES.search(text)
    assert match, text
    type_r, type_p, full_r, full_p = (float(x) for x in match.groups()[:4])
    gold, predicted = int(match.group(5)), int(match.group(6))
    assert gold == 92 and predicted > 0
    assert 0 < full_r <= type_r and 0 < full_p <= type_p
    for heading in (
        "tiny_events (all): 12 stories",
        "per type (type level)",
        "confusion (rows gold, columns predicted)",
        "legend: AG AGREE",
        "precision and recall by minimum confidence",
        "no-event sentences left quiet",
    ):
        assert heading in text
    data = json.loads(out.read_text("utf-8"))
    assert data["gold_events"] == 92 and data["stories"] == 12
    assert round(data["type_recall"], 3) == type_r and round(data["full_precision"], 3) == full_p
    assert len(data["pr_table"]) == 9
    # a higher threshold keeps no more events and never more recall; the figures equal
    # the report's own threshold table
    strict = run("--stories", str(TINY), "--min-confidence", "0.5", "-p", "1")
    assert strict.returncode == 0, strict.stderr
    high = FIGURES.search(strict.stdout)
    assert int(high.group(6)) <= predicted and float(high.group(1)) <= type_r
    row = next(r for r in data["pr_table"] if r["min_confidence"] == 0.5)
    assert int(high.group(6)) == row["predicted"]
    assert float(high.group(3)) == round(row["full_recall"], 3)


def test_dev_split_of_a_folder_without_dev_stories_is_one_line():
    proc = run("--stories", str(TINY), "--split", "dev")
    assert "no annotated stories in split 'dev'" in one_error_line(proc)


def test_bad_annotations_file_is_one_line(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    shutil.copy(TINY / "stories.jsonl", folder / "stories.jsonl")
    lines = (TINY / "annotations.jsonl").read_text("utf-8").splitlines()
    row = json.loads(lines[2])
    row["sentences"][0]["events"][0]["type"] = "INVADE"
    lines[2] = json.dumps(row)
    (folder / "annotations.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    message = one_error_line(run("--stories", str(folder)))
    assert "annotations.jsonl:3" in message and "'INVADE' is not a PLOVER type" in message
    (folder / "annotations.jsonl").write_text("{not json\n", "utf-8")
    assert "annotations.jsonl:1: not a JSON object" in one_error_line(run("--stories", str(folder)))


def test_missing_folder_or_file_and_bad_options_are_one_line(tmp_path):
    assert "no such folder" in one_error_line(run("--stories", str(tmp_path / "nope")))
    (tmp_path / "stories.jsonl").write_text("", "utf-8")
    assert "annotations.jsonl is missing" in one_error_line(run("--stories", str(tmp_path)))
    assert "--split 'test'" in one_error_line(run("--stories", str(TINY), "--split", "test"))
    message = one_error_line(run("--stories", str(TINY), "--min-confidence", "1.5"))
    assert "--min-confidence 1.5 must be between 0 and 1" in message
    assert "needs --stories" in one_error_line(run("--split", "train"))


def test_gsr_report_confusion_fits_80_columns():
    proc = run()
    assert proc.returncode == 0, proc.stderr
    assert "…" not in proc.stdout
    assert "confusion (rows gold, columns predicted)" in proc.stdout
    assert "legend: AG AGREE" in proc.stdout
