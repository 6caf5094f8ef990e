"""`sitroom ingest`, `export` and `kb` as a user runs them (real processes, real model)."""

import json
import os
import signal
import subprocess
import sys
import time

import duckdb
import pandas as pd
import pytest

pytestmark = pytest.mark.model

# Written for this test in the manner of a news analysis (not copied from anywhere).
ANALYSIS = (
    "Russia's Security Council Secretary Sergei Shoigu held talks with Malaysian Home "
    "Minister Saifuddin Nasution Ismail during a visit to Kuala Lumpur on Wednesday, "
    "(February 26). Kuala Lumpur has also applied to join the BRICS, and Shoigu's visit "
    "suggests closer security ties."
)


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "sitroom", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


def _events(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(con.execute("SELECT event_id, event_cluster FROM events").fetchall())
    finally:
        con.close()


def test_ingest_twice_then_kb_shows_text_evidence_beside_curated_row(tmp_path):
    (tmp_path / "analysis.txt").write_text(ANALYSIS, "utf-8")
    db = tmp_path / "s.duckdb"
    first = run(
        "ingest", str(tmp_path / "analysis.txt"), "--date", "2025-02-27", "--db", str(db), "-p", "1"
    )
    assert first.returncode == 0, first.stderr
    before = _events(db)
    again = run(
        "ingest", str(tmp_path / "analysis.txt"), "--date", "2025-02-27", "--db", str(db), "-p", "1"
    )
    assert again.returncode == 0, again.stderr
    assert "0 documents stored" in again.stderr and "1 unchanged" in again.stderr
    assert _events(db) == before and before
    kb = run("kb", "country", "MYS", "--db", str(db))
    assert kb.returncode == 0, kb.stderr
    brics = [line for line in kb.stdout.splitlines() if "BRICS" in line]
    assert any("partner_co" in line and "applicant" in line for line in brics), kb.stdout


def test_kb_members_sco_on_a_date():
    proc = run("kb", "members", "SCO", "--on", "2025-02-26")
    assert proc.returncode == 0, proc.stderr
    assert "10 members" in proc.stdout
    for code in ("BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"):
        assert code in proc.stdout
    bad = run("kb", "members", "XYZ")
    assert bad.returncode == 2 and "no membership data for 'XYZ'" in bad.stderr


def _corpus(tmp_path, n):
    from importlib import resources

    lines = resources.files("sitroom.samples").joinpath("articles.jsonl").read_text("utf-8")
    rows = [json.loads(line) for line in lines.splitlines() if line.strip()][:n]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")
    return path


def test_killed_ingest_rerun_equals_one_clean_run(tmp_path):
    corpus = _corpus(tmp_path, 16)
    clean, crashed = tmp_path / "clean.duckdb", tmp_path / "crashed.duckdb"
    done = run("ingest", str(corpus), "--db", str(clean), "-p", "1", "--batch", "3")
    assert done.returncode == 0, done.stderr
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sitroom",
            "ingest",
            str(corpus),
            "--db",
            str(crashed),
            "-p",
            "1",
            "--batch",
            "3",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 300
    for line in proc.stderr:  # wait until at least one batch is committed, then kill
        if line.startswith("stored ") and not line.startswith("stored 0,"):
            break
        assert time.monotonic() < deadline
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    partial = _events(crashed)
    assert 0 < len(partial) < len(_events(clean))
    resumed = run("ingest", str(corpus), "--db", str(crashed), "-p", "1", "--batch", "3")
    assert resumed.returncode == 0, resumed.stderr
    assert _events(crashed) == _events(clean)


def test_export_formats(tmp_path):
    corpus = _corpus(tmp_path, 6)
    db = tmp_path / "s.duckdb"
    assert run("ingest", str(corpus), "--db", str(db), "-p", "1").returncode == 0
    gdelt = tmp_path / "events.csv"
    proc = run("export", "--db", str(db), "-f", "gdelt", "-o", str(gdelt))
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_csv(gdelt, dtype={"EventCode": str, "EventRootCode": str})
    for column in (
        "GLOBALEVENTID",
        "SQLDATE",
        "Actor1Code",
        "Actor1Name",
        "Actor1CountryCode",
        "Actor2Code",
        "EventCode",
        "EventRootCode",
        "QuadClass",
        "GoldsteinScale",
        "NumMentions",
        "ActionGeo_FullName",
        "ActionGeo_CountryCode",
        "ActionGeo_Lat",
        "ActionGeo_Long",
        "SOURCEURL",
    ):
        assert column in frame.columns
    assert len(frame) > 0 and frame["EventRootCode"].str.len().eq(2).all()
    parquet = tmp_path / "pq"
    assert run("export", "--db", str(db), "-f", "parquet", "-o", str(parquet)).returncode == 0
    months = sorted(p.name for p in parquet.iterdir())
    assert months and all(m.startswith("month=") for m in months)
    filtered = tmp_path / "mys.jsonl"
    proc = run("export", "--db", str(db), "-f", "jsonl", "-o", str(filtered), "--actor", "MYS")
    assert proc.returncode == 0
    rows = [json.loads(line) for line in filtered.read_text("utf-8").splitlines()]
    assert rows and all("MYS" in r["source_codes"] + r["target_codes"] for r in rows)
    assert len(rows) < len(frame)
    bad = run("export", "--db", str(db), "-o", str(filtered), "--type", "HUG")
    assert bad.returncode == 2 and "'HUG' is not a PLOVER type" in bad.stderr


def _confidences(db) -> list[float]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(r[0] for r in con.execute("SELECT confidence FROM events").fetchall())
    finally:
        con.close()


def test_ingest_min_confidence_stores_only_the_confident_events(tmp_path):
    corpus = _corpus(tmp_path, 4)
    everything, confident = tmp_path / "all.duckdb", tmp_path / "sure.duckdb"
    full = run("ingest", str(corpus), "--db", str(everything), "-p", "1")
    assert full.returncode == 0, full.stderr
    stored = _confidences(everything)
    # The median confidence: the events below it are left out, the documents are not.
    threshold = stored[len(stored) // 2]
    assert stored[0] < threshold
    part = run(
        "ingest", str(corpus), "--db", str(confident), "-p", "1", "--min-confidence", str(threshold)
    )
    assert part.returncode == 0, part.stderr
    assert _confidences(confident) == [c for c in stored if c >= threshold]
    con = duckdb.connect(str(confident), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM documents").fetchall()[0][0] == 4
        # No dyad row outlives its event: the analyses see the same events.
        orphans = (
            "SELECT count(*) FROM event_dyads WHERE event_id NOT IN (SELECT event_id FROM events)"
        )
        assert con.execute(orphans).fetchall()[0][0] == 0
    finally:
        con.close()
    bad = run("ingest", str(corpus), "--db", str(confident), "--min-confidence", "7")
    assert bad.returncode == 2 and bad.stderr.splitlines() == [
        "error: --min-confidence 7.0 must be between 0 and 1"
    ]
