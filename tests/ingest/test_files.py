import io
import json
import os
from datetime import date

import pytest

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


# ---------------------------------------------------------------- issue 10: hardening


def test_csv_fields_over_the_csv_modules_limit_are_read_and_checked_per_record(tmp_path):
    long_text = "Ankara and Athens held talks. " * 5_000  # 150,000 characters > 131,072
    path = tmp_path / "wire.csv"
    path.write_text(
        f'id,text\nlong,"{long_text}"\ntoo-long,"{"x" * 300_000}"\nok,"Cairo urged calm."\n',
        "utf-8",
    )
    docs, errors = _split(list(read_inputs([str(path)], max_chars=200_000)))
    assert [d.id for d in docs] == ["long", "ok"] and docs[0].text == long_text
    (error,) = errors
    assert error.line == 3 and "300,000 characters, over the limit" in error.problem


def test_a_nul_in_one_csv_record_skips_that_record_only(tmp_path):
    path = tmp_path / "wire.csv"
    path.write_bytes(
        b'id,text\na,"Seoul protested."\nb,"Tokyo\x00 protested."\nc,"Rome sent aid."\n'
    )
    docs, errors = _split(list(read_inputs([str(path)])))
    assert [d.id for d in docs] == ["a", "c"]
    assert [(e.line, e.problem.split(" (")[0]) for e in errors] == [(3, "binary data, not text")]


def test_a_csv_record_the_csv_module_refuses_is_skipped_and_the_next_one_read(
    tmp_path, monkeypatch
):
    import csv

    import sitroom.ingest.files as files

    # The module's own errors (a field over its limit is the one the default dialect
    # raises) end that record only; a small limit makes one here.
    monkeypatch.setattr(files, "_CSV_FIELD_LIMIT", 40)
    path = tmp_path / "wire.csv"
    path.write_text(
        'id,text\na,"Seoul protested."\nb,"' + "x" * 60 + '"\nc,"Rome sent aid."\n', "utf-8"
    )
    before = csv.field_size_limit()
    try:
        docs, errors = _split(list(read_inputs([str(path)])))
    finally:
        csv.field_size_limit(before)
    assert [d.id for d in docs] == ["a", "c"]
    (error,) = errors
    assert error.line == 3 and error.problem.startswith("bad CSV record: field larger than")


def test_deeply_nested_jsonl_line_is_one_error_and_reading_goes_on(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text(
        "[" * 100_000 + "\n" + "9" * 5000 + "\n" + '{"id": "ok", "text": "Cairo urged calm."}\n',
        "utf-8",
    )
    docs, errors = _split(list(read_inputs([str(path)])))
    assert [d.id for d in docs] == ["ok"]
    assert (errors[0].line, errors[0].problem) == (1, "line is nested too deeply to read as JSON")
    assert errors[1].line == 2 and "not valid JSON" in errors[1].problem


def test_lone_surrogates_become_replacement_characters(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text(
        '{"id": "a\\udc00", "title": "\\ud800", "text": "Tokyo \\ud800protested.", '
        '"source": "x\\udfff"}\n',
        "utf-8",
    )
    (doc,) = list(read_inputs([str(path)]))
    assert isinstance(doc, Document)
    assert (doc.id, doc.title, doc.text, doc.source) == (
        "a\ufffd",
        "\ufffd",
        "Tokyo \ufffdprotested.",
        "x\ufffd",
    )
    # Every field can now be written as UTF-8 (the store and terminals need it).
    doc.model_dump_json().encode("utf-8")


def test_same_file_name_in_two_folders_gives_two_documents_with_stable_ids(tmp_path):
    for month, text in (("jan", "Paris recalled its envoy."), ("feb", "Rome sent aid.")):
        (tmp_path / month).mkdir()
        (tmp_path / month / "report.txt").write_text(text, "utf-8")
        (tmp_path / month / "feed.jsonl").write_text(f'{{"text": "{text}"}}\n', "utf-8")
    (tmp_path / "feb" / "report.md").write_text("Seoul protested.", "utf-8")
    runs = [_split(list(read_inputs([str(tmp_path)]))) for _ in range(2)]
    for docs, errors in runs:
        assert errors == []
        assert {d.id: d.text for d in docs} == {
            "feb/feed.jsonl:1": "Rome sent aid.",
            "feb/report.md": "Seoul protested.",
            "feb/report.txt": "Rome sent aid.",
            "jan/feed.jsonl:1": "Paris recalled its envoy.",
            "jan/report.txt": "Paris recalled its envoy.",
        }
    assert [d.id for d in runs[0][0]] == [d.id for d in runs[1][0]]
    # A file given by itself is named by its file name, wherever it lies.
    (doc,) = list(read_inputs([str(tmp_path / "jan" / "report.txt")]))
    assert doc.id == "report.txt"


def test_a_repeated_id_keeps_the_first_and_reports_each_later_one(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        '{"id": "x", "text": "Paris recalled its envoy."}\n'
        '{"id": "x", "text": "Rome sent aid."}\n'
        '{"id": 7, "text": "Seoul protested."}\n',
        "utf-8",
    )
    (tmp_path / "b.csv").write_text('id,text\n7,"Tokyo protested."\ny,"Hanoi hosted talks."\n')
    for _ in range(2):  # the same one is kept on every run
        docs, errors = _split(
            list(read_inputs([str(tmp_path / "a.jsonl"), str(tmp_path / "b.csv")]))
        )
        assert [(d.id, d.text) for d in docs] == [
            ("x", "Paris recalled its envoy."),
            ("7", "Seoul protested."),
            ("y", "Hanoi hosted talks."),
        ]
        assert [(e.source.rsplit("/", 1)[-1], e.line) for e in errors] == [
            ("a.jsonl", 2),
            ("b.csv", 2),
        ]
        assert "id 'x' was already used by" in errors[0].problem
        assert errors[0].problem.count("a.jsonl:1") == 1
        assert "a.jsonl:3" in errors[1].problem


def test_jsonl_id_must_be_a_string_or_a_number(tmp_path):
    path = tmp_path / "ids.jsonl"
    rows = ['["x"]', '{"k": 1}', "true", "1.5", "3", "null", '""']
    path.write_text(
        "".join(
            f'{{"id": {r}, "text": "Seoul protested, line {i}."}}\n' for i, r in enumerate(rows)
        ),
        "utf-8",
    )
    docs, errors = _split(list(read_inputs([str(path)])))
    assert [d.id for d in docs] == ["1.5", "3", "ids.jsonl:6", "ids.jsonl:7"]
    assert [e.line for e in errors] == [1, 2, 3]
    assert all('"id" must be a string or a number' in e.problem for e in errors)


def test_utf16_and_utf32_with_a_byte_order_mark_are_decoded(tmp_path):
    text = "Ankara summoned the Greek envoy on Tuesday."
    for name, encoding in (
        ("le16.txt", "utf-16-le"),
        ("be16.md", "utf-16-be"),
        ("le32.txt", "utf-32-le"),
        ("be32.txt", "utf-32-be"),
        ("sig8.txt", "utf-8"),
    ):
        (tmp_path / name).write_bytes("\ufeff".encode(encoding) + text.encode(encoding))
    (tmp_path / "feed.jsonl").write_bytes(
        '{"id": "j", "text": "Cairo urged calm."}\n'.encode("utf-16")
    )
    (tmp_path / "wire.csv").write_bytes('id,text\nc,"Rome sent aid."\n'.encode("utf-16"))
    (tmp_path / "nobom.txt").write_bytes(text.encode("utf-16-le"))
    docs, errors = _split(list(read_inputs([str(tmp_path)])))
    assert {d.id: d.text for d in docs} == {
        "le16.txt": text,
        "be16.md": text,
        "le32.txt": text,
        "be32.txt": text,
        "sig8.txt": text,
        "j": "Cairo urged calm.",
        "c": "Rome sent aid.",
    }
    (error,) = errors
    assert "nobom.txt" in str(error) and "UTF-16" in error.problem


def test_a_nul_byte_anywhere_means_binary(tmp_path):
    (tmp_path / "late.txt").write_bytes(b"Seoul protested. " * 1000 + b"\x00" + b"More text.")
    (tmp_path / "late.jsonl").write_text(
        '{"text": "' + "Seoul protested. " * 1000 + '\\u0000"}\n', "utf-8"
    )
    _, errors = _split(list(read_inputs([str(tmp_path)])))
    assert sorted((e.source.rsplit("/", 1)[-1], e.problem.split(" (")[0]) for e in errors) == [
        ("late.jsonl", "binary data, not text"),
        ("late.txt", "binary data, not text"),
    ]


def test_unreadable_folders_and_broken_links_are_reported(tmp_path):
    (tmp_path / "good.txt").write_text("Seoul protested.", "utf-8")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")  # ELOOP: cannot be listed or read
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "again").symlink_to(tmp_path)  # a link back up is followed once, not forever
    docs, errors = _split(list(read_inputs([str(tmp_path)])))
    assert [d.id for d in docs] == ["good.txt"]
    assert sorted((e.source.rsplit("/", 1)[-1], e.problem) for e in errors) == [
        ("gone.txt", "broken link: its target does not exist"),
        ("loop", "broken link: Too many levels of symbolic links"),
    ]
    (error,) = list(read_inputs([str(tmp_path / "gone.txt")]))
    assert "broken link" in str(error)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_a_folder_without_read_permission_is_reported(tmp_path):
    (tmp_path / "good.txt").write_text("Seoul protested.", "utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "secret.txt").write_text("Rome sent aid.", "utf-8")
    locked.chmod(0)
    try:
        docs, errors = _split(list(read_inputs([str(tmp_path)])))
    finally:
        locked.chmod(0o755)
    assert [d.id for d in docs] == ["good.txt"]
    (error,) = errors
    assert "locked" in error.source and "cannot read folder" in error.problem


def test_the_folder_walk_reports_a_listing_error(tmp_path, monkeypatch):
    """The walk's error path, also where root cannot be locked out: listing one folder
    fails (as it does on EACCES or EIO), and that folder is reported, the rest read."""
    import sitroom.ingest.files as files

    (tmp_path / "good.txt").write_text("Seoul protested.", "utf-8")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "hidden.txt").write_text("Rome sent aid.", "utf-8")
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("bad"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(files.os, "scandir", scandir)
    docs, errors = _split(list(read_inputs([str(tmp_path)])))
    assert [d.id for d in docs] == ["good.txt"]
    (error,) = errors
    assert str(error) == f"{tmp_path / 'bad'}: cannot read folder: Permission denied"


def test_control_characters_and_undecodable_bytes_in_names_stay_on_one_line(tmp_path):
    (tmp_path / "new\nline\x1b[31m.txt").write_bytes(b"")
    raw_name = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(raw_name, "wb") as fh:
        fh.write(b"Seoul protested.")
    docs, errors = _split(list(read_inputs([str(tmp_path)])))
    (doc,) = docs
    assert doc.id == "caf\\xe9.txt" and doc.source.endswith("caf\\xe9.txt")
    doc.model_dump_json().encode("utf-8")
    (error,) = errors
    assert "\n" not in str(error) and "\x1b" not in str(error)
    assert "new\\nline\\x1b[31m.txt: empty document" in str(error)


def test_input_error_escapes_control_characters_but_keeps_text():
    err = InputError("a\nb\u202e.txt", "bad\r\ttitle 'Mañana – 東京'", 3)
    assert str(err) == "a\\nb\\u202e.txt:3: bad\\r\\ttitle 'Mañana – 東京'"
    assert err.source == "a\nb\u202e.txt"  # the fields keep the real values


def test_upper_case_extensions_are_read(tmp_path):
    (tmp_path / "STORY.TXT").write_text("Seoul protested.", "utf-8")
    docs, errors = _split(list(read_inputs([str(tmp_path)])))
    assert [d.id for d in docs] == ["STORY.TXT"] and errors == []


def test_an_unforeseen_failure_ends_only_its_own_file(tmp_path, monkeypatch):
    import sitroom.ingest.pages as pages

    def broken(*args, **kwargs):
        raise RuntimeError("parser blew up")

    monkeypatch.setattr(pages, "extract_page", broken)
    (tmp_path / "a.html").write_text("<p>x</p>", "utf-8")
    (tmp_path / "b.txt").write_text("Seoul protested.", "utf-8")
    docs, errors = _split(list(read_inputs([str(tmp_path)])))
    assert [d.id for d in docs] == ["b.txt"]
    (error,) = errors
    assert "a.html" in error.source
    assert error.problem == "reading stopped: RuntimeError: parser blew up"
