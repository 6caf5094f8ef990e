import io
import json
from datetime import date

from sitroom.errors import InputError
from sitroom.ingest.files import CsvColumns, read_inputs
from sitroom.records import Document


def _split(items):
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, InputError)]
    return docs, errors


def test_txt_file_is_one_document_named_by_its_name(tmp_path):
    (tmp_path / "story.txt").write_text("Ankara summoned the Greek envoy.", "utf-8")
    docs, errors = _split(list(read_inputs([str(tmp_path / "story.txt")], date(2025, 1, 2))))
    assert errors == []
    assert docs[0].id == "story.txt" and docs[0].date == date(2025, 1, 2)


def test_jsonl_records_with_optional_fields(tmp_path):
    path = tmp_path / "feed.jsonl"
    rows = [
        {"id": "a", "text": "Paris recalled its ambassador.", "date": "2025-02-01", "title": "T"},
        {"text": "Seoul protested."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")
    docs, errors = _split(list(read_inputs([str(path)])))
    assert errors == []
    assert [d.id for d in docs] == ["a", "feed.jsonl:2"]
    assert docs[0].date == date(2025, 2, 1) and docs[0].title == "T"


def test_bad_inputs_each_give_one_error_naming_file_and_line(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02GIF89a" * 10)
    (tmp_path / "latin1.txt").write_bytes("Bogot\xe1 talks".encode("latin-1"))
    (tmp_path / "huge.txt").write_text("word " * 1_100_000, "utf-8")
    (tmp_path / "good.txt").write_text("Hanoi hosted Seoul's envoy.", "utf-8")
    (tmp_path / "mixed.jsonl").write_text(
        '{"id": "ok", "text": "Cairo urged calm."}\nnot json at all\n'
        '{"id": "x", "title": "no text"}\n',
        "utf-8",
    )
    docs, errors = _split(list(read_inputs([str(tmp_path)], max_chars=5_000_000)))
    assert sorted(d.id for d in docs) == ["good.txt", "ok"]
    messages = {str(e) for e in errors}
    assert any("empty.txt" in m and "empty" in m for m in messages)
    assert any("binary.txt" in m and "binary" in m for m in messages)
    assert any("latin1.txt" in m and "invalid UTF-8 at byte 5" in m for m in messages)
    assert any("huge.txt" in m and "over the limit" in m for m in messages)
    assert any("mixed.jsonl:2" in m and "not valid JSON" in m for m in messages)
    assert any("mixed.jsonl:3" in m and '"text"' in m for m in messages)
    assert all("\n" not in m for m in messages)


def test_missing_path_and_unsupported_type(tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    _, errors = _split(list(read_inputs([str(tmp_path / "nope.txt"), str(tmp_path / "notes.pdf")])))
    assert "no such file" in str(errors[0])
    assert "unsupported file type" in str(errors[1])


def test_stdin_jsonl():
    stream = io.BytesIO(b'{"id": "s1", "text": "Tokyo protested."}\n{bad\n')
    docs, errors = _split(list(read_inputs(["-"], stdin=stream)))
    assert [d.id for d in docs] == ["s1"]
    assert str(errors[0]).startswith("<stdin>:2:")


def test_bad_date_in_jsonl_is_an_error(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "a", "text": "Rome sent aid.", "date": "yesterday"}\n', "utf-8")
    _, errors = _split(list(read_inputs([str(path)])))
    assert "d.jsonl:1" in str(errors[0]) and "date" in str(errors[0])


def test_input_error_survives_pickling():
    import pickle

    err = pickle.loads(pickle.dumps(InputError("a.jsonl", "bad line", 3)))
    assert str(err) == "a.jsonl:3: bad line" and err.line == 3


def test_folders_are_read_recursively_with_md_html_and_csv(tmp_path):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (tmp_path / "note.md").write_text("# Talks\n\nIndia and Japan held talks.", "utf-8")
    (nested / "page.html").write_text(
        "<html><head><title>Summit</title>"
        '<meta property="article:published_time" content="2025-03-04"></head><body><article>'
        "<p>Brazilian and Chinese officials met in Beijing to discuss trade, the ministry said "
        "in a statement after the meeting ended late in the evening.</p>"
        "<p>Both sides agreed to meet again next year to review progress on the deal.</p>"
        "</article></body></html>",
        "utf-8",
    )
    (nested / "wire.csv").write_text(
        "story,when,key\n"
        '"Turkey hosted talks between Russia and Ukraine.",2025-05-16,w1\n'
        '"",2025-05-17,w2\n'
        '"Egypt mediated between Israel and Hamas.",not-a-date,w3\n',
        "utf-8",
    )
    items = list(
        read_inputs([str(tmp_path)], csv_columns=CsvColumns(text="story", date="when", id="key"))
    )
    docs = {d.id: d for d in items if not isinstance(d, InputError)}
    errors = [e for e in items if isinstance(e, InputError)]
    assert set(docs) == {"note.md", "a/b/page.html", "w1"}
    page = docs["a/b/page.html"]
    assert page.title == "Summit" and str(page.date) == "2025-03-04"
    assert "Beijing" in page.text and "<p>" not in page.text
    assert str(docs["w1"].date) == "2025-05-16"
    assert sorted((e.line, e.problem.split(" (")[0]) for e in errors) == [
        (3, "empty document: no text to code"),
        (4, "bad date 'not-a-date' in column 'when'"),
    ]


def test_csv_without_the_text_column_names_the_columns(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("body,date\nhello,2025-01-01\n", "utf-8")
    (error,) = list(read_inputs([str(path)]))
    assert isinstance(error, InputError)
    assert "no 'text' column (columns: body, date)" in error.problem
