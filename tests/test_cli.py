"""The `sitroom` command run as a user runs it (real process, real model)."""

import csv
import io
import json
import os
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.model

ARTICLE = (
    "Indian Prime Minister Narendra Modi held talks with Japanese Prime Minister Shigeru "
    "Ishiba in Tokyo on Friday. Japan pledged new loans to India. Both economies grew last year."
)


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "sitroom", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_code_txt_to_jsonl_on_stdout(tmp_path):
    (tmp_path / "modi.txt").write_text(ARTICLE, "utf-8")
    proc = run("code", str(tmp_path / "modi.txt"), "--date", "2025-08-29", "-p", "1")
    assert proc.returncode == 0, proc.stderr
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    assert events and all(e["doc_id"] == "modi.txt" for e in events)
    consult = next(e for e in events if e["event_type"] == "CONSULT")
    assert consult["source"][0]["code"] == "IND" and consult["target"][0]["code"] == "JPN"
    assert consult["date"] == "2025-08-29"


def test_bad_inputs_are_skipped_with_one_line_each_and_exit_3(tmp_path):
    (tmp_path / "good.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "empty.txt").write_text("", "utf-8")
    (tmp_path / "bin.txt").write_bytes(b"\x00\xff" * 100)
    (tmp_path / "bad.jsonl").write_text(
        '{"id": "j1", "text": "Seoul urged Pyongyang to talk."}\n{oops\n', "utf-8"
    )
    out = tmp_path / "events.csv"
    proc = run("code", str(tmp_path), "--format", "csv", "-o", str(out), "-p", "1")
    assert proc.returncode == 3
    skipped = [ln for ln in proc.stderr.splitlines() if ln.startswith("skipped:")]
    assert len(skipped) == 3
    assert any("bad.jsonl:2" in ln for ln in skipped)
    assert "Traceback" not in proc.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert {r["doc_id"] for r in rows} == {"good.txt", "j1"}


def test_stdin_and_json_array_output():
    doc = json.dumps(
        {"id": "s", "text": "Egyptian police arrested dozens of protesters.", "date": "2025-01-05"}
    )
    proc = run("code", "-", "--format", "json", "-p", "1", stdin=doc + "\n")
    assert proc.returncode == 0, proc.stderr
    events = json.loads(proc.stdout)
    assert events[0]["event_type"] == "COERCE" and events[0]["source"][0]["sector"] == "COP"


def test_bad_option_values_give_one_line_errors(tmp_path):
    proc = run("code", "x.txt", "--date", "someday")
    assert proc.returncode == 2 and "--date" in proc.stderr and "Traceback" not in proc.stderr
    proc = run("code", "x.txt", "--format", "xml")
    assert proc.returncode == 2 and "--format" in proc.stderr


def test_demo_ingests_the_bundled_corpus_into_a_store(tmp_path):
    db = tmp_path / "demo.duckdb"
    proc = run("demo", "-p", "1", "--db", str(db), "--no-serve")
    assert proc.returncode == 0, proc.stderr
    assert "sample articles" in proc.stdout and "most active dyads" in proc.stdout
    assert "bloc alignment" in proc.stdout
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    docs, events = con.execute(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM events)"
    ).fetchall()[0]
    con.close()
    assert docs >= 40 and events > 100


# ---------------------------------------------------------------- issue 10: hardening


def _skips(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith("skipped: ")]


def test_hostile_inputs_give_one_literal_line_each_and_the_rest_is_coded(tmp_path):
    corpus = tmp_path / "corpus"
    for month, text in (("jan", ARTICLE), ("feb", "Japan pledged new loans to India.")):
        (corpus / month).mkdir(parents=True)
        (corpus / month / "report.txt").write_text(text, "utf-8")
    calm = "The weather was mild and the markets were calm. " * 3000  # 147,000 characters
    (corpus / "wire.csv").write_text(
        f'id,text\nlong,"{calm}Seoul urged Pyongyang to talk."\nshort,"Rome sent aid."\n', "utf-8"
    )
    (corpus / "deep.jsonl").write_text(
        "[" * 100_000 + "\n"
        '{"id": "j1", "title": "\\ud800 [/red]", "text": "Seoul urged Pyongyang to talk."}\n'
        '{"id": "j1", "text": "Tokyo protested."}\n'
        '{"id": ["x"], "text": "Tokyo protested."}\n',
        "utf-8",
    )
    (corpus / "u16.txt").write_bytes("Japan pledged new loans to India.".encode("utf-16"))
    (corpus / "late-nul.txt").write_bytes(b"Seoul protested. " * 600 + b"\x00")
    (corpus / "e[").mkdir()  # so the path reads corpus/e[/red]x.txt
    (corpus / "e[" / "red]x.txt").write_text("", "utf-8")
    (corpus / "new\nline.txt").write_text("", "utf-8")
    proc = run("code", str(corpus), str(tmp_path / "no[/red]pe"), "-p", "1", "--date", "2025-01-02")
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    skips = _skips(proc.stderr)
    assert len(skips) == 7 and len(proc.stderr.splitlines()) == 8, proc.stderr
    expected = [
        "deep.jsonl:1: line is nested too deeply",
        "deep.jsonl:3: id 'j1' was already used by",
        'deep.jsonl:4: "id" must be a string or a number',
        "late-nul.txt: binary data",
        "e[/red]x.txt: empty document",
        "new\\nline.txt: empty document",
        "no[/red]pe: no such file or folder",
    ]
    for part in expected:
        assert sum(part in ln for ln in skips) == 1, (part, skips)
    last = proc.stderr.splitlines()[-1]
    assert re.fullmatch(r"6 documents coded, \d+ events, 7 skipped", last), last
    ids = {json.loads(ln)["doc_id"] for ln in proc.stdout.splitlines()}
    assert {"jan/report.txt", "feb/report.txt", "u16.txt", "long", "j1"} <= ids


def test_ingest_stores_a_document_with_a_lone_surrogate_and_prints_names_literally(tmp_path):
    from tests.store.test_ingest_cli import ANALYSIS

    feed = tmp_path / "s.jsonl"
    record = {"id": "[/red]", "title": "\ud800", "text": ANALYSIS, "date": "2025-02-27"}
    feed.write_text(json.dumps(record) + "\n", "utf-8")  # the title as the escape \ud800
    db = tmp_path / "s.duckdb"
    for attempt in range(2):
        proc = run("ingest", str(feed), "--db", str(db), "-p", "1")
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
        assert ("1 documents stored" if attempt == 0 else "1 unchanged") in proc.stderr
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT doc_id, title FROM documents").fetchall() == [
            ("[/red]", "\ufffd")
        ]
    finally:
        con.close()
    kb = subprocess.run(
        [sys.executable, "-m", "sitroom", "kb", "country", "MYS", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "300"},
    )
    assert kb.returncode == 0, kb.stderr
    assert "[/red]" in kb.stdout  # the document id, printed as it is


def test_documents_over_a_million_characters_follow_the_setting(tmp_path):
    article = tmp_path / "long.txt"
    calm = "The weather was mild and the markets were calm. " * 25_000
    article.write_text("Japan pledged new loans to India on Friday. " + calm, "utf-8")
    assert len(article.read_text("utf-8")) > 1_200_000
    refused = run("code", str(article), "-p", "1")
    assert refused.returncode == 3 and "over the limit of 1,000,000" in refused.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "sitroom", "code", str(article), "-p", "1", "--date", "2025-01-03"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SITROOM_MAX_DOCUMENT_CHARS": "1300000"},
    )
    assert proc.returncode == 0, proc.stderr
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    # The pledge is coded (the learned coder also reads it as a promise, AGREE); the
    # 1.2 million calm characters after it yield nothing.
    assert "AID" in {e["event_type"] for e in events}
    assert all(e["doc_id"] == "long.txt" and e["sentence_index"] == 0 for e in events)


def test_a_bad_setting_is_one_line_and_exit_2(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "sitroom", "code", "x.txt"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SITROOM_MAX_DOCUMENT_CHARS": "lots"},
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    (line,) = proc.stderr.splitlines()
    assert line.startswith("error: bad setting: SITROOM_MAX_DOCUMENT_CHARS:")


# ------------------------------------------------- issue 11: the high-precision setting
# Written for this test (not copied from anywhere): events the coder is surer and less
# sure of.
MIXED = (
    ARTICLE + " Vietnam's foreign minister met his Chinese counterpart in Hanoi on Monday. "
    "Protesters in Manila accused the government of ignoring the dispute, officials said. "
    "Russia reportedly warned it might respond to new sanctions."
)


def _coded(*options: str, path) -> list[dict]:
    proc = run("code", str(path), "--date", "2025-08-29", "-p", "1", *options)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_code_min_confidence_writes_only_the_confident_events(tmp_path):
    from sitroom.extract.thresholds import PRECISE_THRESHOLD

    (tmp_path / "mixed.txt").write_text(MIXED, "utf-8")
    everything = _coded(path=tmp_path / "mixed.txt")
    confidences = sorted({e["confidence"] for e in everything})
    assert everything
    # The highest confidence found: what lies below it must go, what reaches it stays.
    # (One confidence for all: just above it, and nothing stays.)
    threshold = confidences[-1] if len(confidences) > 1 else min(1.0, confidences[0] + 0.001)
    kept = _coded("--min-confidence", str(threshold), path=tmp_path / "mixed.txt")
    expected = [e for e in everything if e["confidence"] >= threshold]
    assert kept == expected and len(kept) < len(everything)
    precise = _coded("--precise", path=tmp_path / "mixed.txt")
    assert precise == [e for e in everything if e["confidence"] >= PRECISE_THRESHOLD]


def test_export_min_confidence_and_precise(tmp_path):
    from datetime import date

    from sitroom.extract.thresholds import PRECISE_THRESHOLD
    from sitroom.store.database import EventStore
    from tests.store.helpers import event, stored

    day = date(2025, 3, 5)
    docs = []
    for n, (ptype, confidence) in enumerate([("CONSULT", 0.3), ("AGREE", 0.6), ("ACCUSE", 0.9)]):
        ev = event(f"d{n}", 0, ptype, "MYS", "RUS", day).model_copy(
            update={"confidence": confidence}
        )
        docs.append(stored(f"d{n}", [ev], day))
    db = tmp_path / "s.duckdb"
    with EventStore(db) as store:
        store.write(docs, frozenset())

    def export(*options: str) -> tuple[subprocess.CompletedProcess, list[float]]:
        out = tmp_path / "out.csv"
        out.unlink(missing_ok=True)
        proc = run("export", "-f", "csv", "-o", str(out), "--db", str(db), *options)
        rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8")))) if out.exists() else []
        return proc, sorted(float(r["confidence"]) for r in rows)

    proc, kept = export("--min-confidence", "0.5")
    assert proc.returncode == 0 and kept == [0.6, 0.9], proc.stderr
    assert "2 events written" in proc.stderr
    proc, kept = export("--precise")
    assert kept == [c for c in (0.3, 0.6, 0.9) if c >= PRECISE_THRESHOLD], proc.stderr
    proc, kept = export("--min-confidence", "1.5")
    assert proc.returncode == 2 and kept == [] and "Traceback" not in proc.stderr
    (line,) = proc.stderr.splitlines()
    assert line == "error: --min-confidence 1.5 must be between 0 and 1"
    proc, _ = export("--precise", "--min-confidence", "0.2")
    assert proc.returncode == 2 and "--precise" in proc.stderr and "Traceback" not in proc.stderr
    for command in (["dyad", "MYS", "RUS"], ["profile", "MYS"], ["alignment", "MYS"]):
        proc = run(*command, "--db", str(db), "--min-confidence", "-1")
        assert proc.returncode == 2, (command, proc.stderr)
        assert proc.stderr.splitlines() == ["error: --min-confidence -1.0 must be between 0 and 1"]
