"""Property tests (hypothesis) over every input reader and `sitroom code`: whatever the
bytes, names or records (any Unicode, control characters, lone surrogates, huge fields,
deep nesting), reading never raises; each item is a Document or a one-line InputError, and
`sitroom code` exits 0 or 3 with one line per skipped input, never a traceback."""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sitroom.errors import InputError
from sitroom.ingest.files import read_inputs
from sitroom.records import Document

# Every code point, lone surrogates included (hypothesis leaves them out by default).
ANY_CHAR = st.characters(exclude_categories=())
CONTROL = st.sampled_from(["\x00", "\n", "\r", "\x1b", "\x7f", "\u2028", "\u202e", "\ud800"])
TEXT = st.text(st.one_of(ANY_CHAR, CONTROL), max_size=40)
WORDS = st.sampled_from(
    ["Seoul protested.", "Japan pledged new loans to India.", "[/red]", "[bold]x", ":smile:"]
)
# Up to 1,000,000 characters: over the csv module's 131,072 and every limit set below.
HUGE = st.builds(
    lambda c, e: c * 10**e, st.sampled_from(["a", "[", "\u00e9", " ", "\ud800"]), st.integers(0, 6)
)
FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


def _encode(text: str) -> bytes:
    """Text as file bytes, lone surrogates written raw (invalid UTF-8, as a broken file)."""
    return text.encode("utf-8", "surrogatepass")


def _check(items: list) -> tuple[list[Document], list[InputError]]:
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(docs) + len(errors) == len(items), items
    for doc in docs:
        doc.model_dump_json().encode("utf-8")  # every field storable as UTF-8
        assert doc.text.strip()
    for error in errors:
        message = str(error)
        assert message and "\n" not in message and "\r" not in message
        message.encode("utf-8")
    assert len({d.id for d in docs}) == len(docs), "two documents share an id"
    return docs, errors


JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT, WORDS, HUGE)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
RECORDS = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(JSON_VALUES, st.sampled_from(["a", "a", "b"])),
        "text": st.one_of(TEXT, WORDS, JSON_VALUES),
        "date": st.one_of(TEXT, st.sampled_from(["2025-02-30", "2025-01-01", "x"]), JSON_VALUES),
        "title": st.one_of(TEXT, JSON_VALUES),
        "url": st.one_of(TEXT, st.just("javascript:alert(1)")),
        "source": TEXT,
    },
)


@st.composite
def jsonl_lines(draw) -> bytes:
    kind = draw(st.sampled_from(["record", "raw", "deep", "json"]))
    if kind == "record":
        record = draw(RECORDS)
        line = json.dumps(record, ensure_ascii=draw(st.booleans()))
        return _encode(line)
    if kind == "deep":
        unit = draw(st.sampled_from([b"[", b"{", b'{"a":']))
        return unit * draw(st.integers(1, 100_000))
    if kind == "json":
        return _encode(json.dumps(draw(JSON_VALUES), ensure_ascii=False))
    return draw(st.binary(max_size=60))


def _jsonl_bytes(lines: list[bytes]) -> bytes:
    return b"\n".join(line.replace(b"\n", b" ") for line in lines) + b"\n"


def _nonblank(data: bytes) -> int:
    return sum(1 for line in data.split(b"\n") if line.strip())


@FAST
@given(st.binary(max_size=300), st.sampled_from([".txt", ".md", ".htm", ".html"]))
def test_any_bytes_in_a_text_or_html_file_give_one_document_or_one_error(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"doc{suffix}"
        path.write_bytes(data)
        items = list(read_inputs([str(path)], max_chars=200))
    assert len(items) == 1
    _check(items)


@FAST
@given(TEXT, WORDS, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_any_text_in_any_marked_encoding_is_read_or_refused_in_one_line(text, words, encoding):
    body = f"{words} {text}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.txt"
        try:
            path.write_bytes(body.encode(encoding))
        except UnicodeEncodeError:  # a lone surrogate: write it raw, as a broken file would
            path.write_bytes(_encode(body))
        items = list(read_inputs([str(path)]))
    docs, _ = _check(items)
    assert len(items) == 1
    if docs:
        assert docs[0].text.replace("\ufffd", "") == body.replace("\ufffd", "")


# The issue's own cases, always tried first (hypothesis may or may not draw them).
ISSUE_LINES = [
    b"[" * 100_000,
    b'{"id": "a", "title": "\\ud800", "text": "Seoul protested."}',
    b'{"id": "a", "text": "Tokyo protested."}',
    b'{"id": {"x": 1}, "text": "Tokyo protested."}',
]


@FAST
@example(ISSUE_LINES)
@given(st.lists(jsonl_lines(), max_size=6))
def test_each_jsonl_line_gives_one_document_or_one_error(lines):
    data = _jsonl_bytes(lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.jsonl"
        path.write_bytes(data)
        items = list(read_inputs([str(path)], max_chars=500))
    _check(items)
    assert len(items) == (_nonblank(data) or 1)  # an all-blank file is one error


@FAST
@example(ISSUE_LINES)
@given(st.lists(jsonl_lines(), max_size=6))
def test_jsonl_on_stdin_gives_one_item_per_line(lines):
    data = _jsonl_bytes(lines)
    items = list(read_inputs(["-"], stdin=io.BytesIO(data), max_chars=500))
    _check(items)
    assert len(items) == (_nonblank(data) or 1)
    for item in items:
        if isinstance(item, InputError):
            assert item.source == "<stdin>"


CELLS = st.one_of(TEXT, WORDS, HUGE, st.sampled_from(["", '"', '""', ",", "\r\n", "a\x00b"]))


@FAST
@example([["a", "x" * 200_000], ["a", "Seoul protested."]], "id,text,date")
@given(
    st.lists(st.lists(CELLS, min_size=0, max_size=4), max_size=6),
    st.sampled_from(["id,text,date", "text", "body", "text,text", ""]),
)
def test_any_csv_records_never_raise(rows, header):
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wire.csv"
        path.write_bytes(_encode(header + "\r\n" + out.getvalue()))
        items = list(read_inputs([str(path)], max_chars=500))
    _check(items)


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_in_a_csv_file_never_raise(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wire.csv"
        path.write_bytes(b"id,text\n" + data)
        _check(list(read_inputs([str(path)])))


NAME_CHARS = st.characters(
    exclude_categories=("Cs",), exclude_characters="/\x00"
)  # what a Linux file name may hold, as text
NAMES = st.text(st.one_of(NAME_CHARS, st.sampled_from(["\n", "[", "]", "/", "\x1b"])), max_size=12)


@st.composite
def folder_trees(draw) -> list[tuple[str, bytes]]:
    files = []
    for _ in range(draw(st.integers(0, 5))):
        parts = [p for p in draw(NAMES).split("/") if p not in ("", ".", "..")][:2]
        name = "/".join(parts or ["f"])
        suffix = draw(st.sampled_from([".txt", ".md", ".jsonl", ".csv", ".html", ".TXT", ".pdf"]))
        content = draw(
            st.one_of(
                st.binary(max_size=80),
                WORDS.map(str.encode),
                st.lists(jsonl_lines(), max_size=3).map(_jsonl_bytes),
            )
        )
        files.append((name + suffix, content))
    return files


def _write_tree(root: Path, files: list[tuple[str, bytes]]) -> None:
    for name, content in files:
        path = root / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        except OSError:  # a name that is a folder already, or too long: not an input
            continue


@FAST
@example([("jan/report.txt", b"Seoul protested."), ("feb/report.txt", b"Rome sent aid.")])
@example([("a[/red]\n.txt", b"\xff\xfe" + "Seoul protested.".encode("utf-16-le"))])
@given(folder_trees())
def test_any_folder_of_any_files_never_raises_and_ids_are_unique(files):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "corpus"
        root.mkdir()
        _write_tree(root, files)
        _check(list(read_inputs([str(root)], max_chars=500)))


# ------------------------------------------------------------------ sitroom code


@pytest.fixture(scope="module")
def runner():
    from typer.testing import CliRunner

    from sitroom.cli import app

    return CliRunner(), app


SUMMARY = re.compile(r"^\d+ documents coded, \d+ events(, (\d+) skipped)?$")


def _check_run(result) -> None:
    assert result.exit_code in (0, 3), (result.exit_code, result.stderr, result.exception)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    summary = SUMMARY.match(lines[-1])
    assert summary, lines
    skipped = [ln for ln in lines[:-1] if ln.startswith("skipped: ")]
    assert len(skipped) == len(lines) - 1, lines  # nothing else, each skip one line
    assert len(skipped) == int(summary.group(2) or 0)
    assert (result.exit_code == 3) == bool(skipped)
    for line in result.stdout.splitlines():
        json.loads(line)


@pytest.mark.model
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)
@given(st.lists(jsonl_lines(), max_size=5))
def test_sitroom_code_on_any_jsonl_stdin_exits_0_or_3_with_one_line_per_skip(runner, lines):
    cli, app = runner
    result = cli.invoke(app, ["code", "-", "-p", "1"], input=_jsonl_bytes(lines))
    _check_run(result)


@pytest.mark.model
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)
@given(folder_trees())
def test_sitroom_code_on_any_folder_exits_0_or_3_with_one_line_per_skip(runner, files):
    cli, app = runner
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "corpus"
        root.mkdir()
        _write_tree(root, files)
        (root / "keep.txt").write_text("Japan pledged new loans to India.", "utf-8")
        result = cli.invoke(app, ["code", str(root), "-p", "1", "--date", "2025-01-01"])
    _check_run(result)
    assert any(json.loads(ln)["doc_id"] == "keep.txt" for ln in result.stdout.splitlines())
