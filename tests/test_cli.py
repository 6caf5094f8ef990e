"""The `sitroom` command run as a user runs it (real process, real model)."""

import csv
import io
import json
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
