"""Read `.txt`, `.md`, `.html`, `.jsonl` and `.csv` files, folders of them (recursively),
or JSONL on stdin into Documents.

One mechanism keeps a run going: every failure of one item (a file, a CSV record, a JSONL
line) becomes an InputError naming the file and line, yielded in the stream in place of
the Document, and reading goes on with the next item. Failures nobody foresaw are caught
the same way, per file (`_guarded`), so no input can end a run with a traceback.

Document ids are unique per input (`read_inputs` refuses a repeated one):

- a file's id is its path relative to the input root, with `/` between folders and the
  extension kept: `jan/report.txt` for `corpus/jan/report.txt` given as `corpus/`, the
  file's name (`report.txt`) for a file given by itself;
- a JSONL or CSV record's id is its `id` field (column), else `<file id>:<line>`
  (`feed.jsonl:3`, `stdin:3` for standard input);
- the same id twice in one run keeps the first document and reports each later one as
  skipped, naming its file and line and where the id was first used.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from sitroom.errors import InputError
from sitroom.records import Document

SUPPORTED = (".txt", ".md", ".html", ".htm", ".jsonl", ".csv")
_CSV_FIELD_LIMIT = 2**31 - 1  # the largest the csv module takes on every platform
_BROKEN_LINK = "broken link: its target does not exist"

# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


@dataclass(frozen=True)
class CsvColumns:
    """Which CSV columns hold the text, the publication date and the document id."""

    text: str = "text"
    date: str | None = "date"
    id: str | None = "id"


@dataclass(frozen=True)
class _Read:
    """A document and where it was read (for messages about its id)."""

    document: Document
    source: str
    line: int | None = None

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source


@dataclass(frozen=True)
class _Options:
    default_date: date | None
    max_chars: int
    columns: CsvColumns


def read_inputs(
    inputs: Iterable[str],
    default_date: date | None = None,
    max_chars: int = 1_000_000,
    stdin: IO[bytes] | None = None,
    csv_columns: CsvColumns | None = None,
    exclude: Iterable[Path] = (),
) -> Iterator[Document | InputError]:
    """Documents from each input in turn; errors in place of documents that fail.
    Files in `exclude` (such as the run's own output file) are not read from folders.
    A document whose id was already used in this run is an error (the first one is kept)."""
    skip = {os.path.realpath(p) for p in exclude}
    options = _Options(default_date, max_chars, csv_columns or CsvColumns())
    first_seen: dict[str, str] = {}
    for item in inputs:
        for read in _read_input(item, options, stdin, skip):
            if isinstance(read, InputError):
                yield read
                continue
            doc_id = read.document.id
            earlier = first_seen.get(doc_id)
            if earlier is not None:
                yield InputError(
                    read.source,
                    f"id {doc_id!r} was already used by {earlier}; ids must be unique, "
                    "so this document is skipped",
                    read.line,
                )
                continue
            first_seen[doc_id] = read.where
            yield read.document


def shown(path: str | Path) -> str:
    """A path as text that can always be printed and stored: bytes that are not UTF-8 in
    a file name are written as escapes (\\xff) instead of lone surrogates."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _read_input(
    item: str, options: _Options, stdin: IO[bytes] | None, skip: set[str]
) -> Iterator[_Read | InputError]:
    if item == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        yield from _guarded(_read_jsonl_lines(stream, "<stdin>", "stdin", options), "<stdin>")
        return
    label = shown(item)
    path = Path(item)
    try:
        is_dir, is_file, exists = path.is_dir(), path.is_file(), os.path.lexists(path)
    except (OSError, ValueError) as exc:
        yield InputError(label, f"cannot read: {_reason(exc)}")
        return
    if is_dir:
        found = False
        for entry in _walk(path, skip):
            if isinstance(entry, InputError):
                yield entry
                continue
            found = True
            doc_id = entry.relative_to(path).as_posix()
            yield from _guarded(_read_file(entry, shown(doc_id), options), shown(entry))
        if not found:
            yield InputError(label, f"folder holds no {', '.join(SUPPORTED)} files")
    elif is_file:
        yield from _guarded(_read_file(path, shown(path.name), options), label)
    elif os.path.islink(path) and exists:
        yield InputError(label, _BROKEN_LINK)
    elif exists:
        yield InputError(label, "not a regular file or folder")
    else:
        yield InputError(label, "no such file or folder")


def _walk(root: Path, skip: set[str]) -> Iterator[Path | InputError]:
    """Supported files under `root` in sorted order, following links to folders once each;
    every folder that cannot be listed and every broken link is reported, not skipped."""
    files: list[Path] = []
    problems: list[InputError] = []
    visited: set[str] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in visited:
            continue
        visited.add(real)
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            problems.append(InputError(shown(folder), f"cannot read folder: {_reason(exc)}"))
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    stack.append(path)
                    continue
                if entry.is_file():
                    if path.suffix.lower() in SUPPORTED and os.path.realpath(path) not in skip:
                        files.append(path)
                    continue
                if entry.is_symlink():
                    problems.append(InputError(shown(path), _BROKEN_LINK))
            except OSError as exc:  # a link loop, or a folder entry that cannot be examined
                what = "broken link" if entry.is_symlink() else "cannot read"
                problems.append(InputError(shown(path), f"{what}: {_reason(exc)}"))
    yield from problems
    yield from sorted(files)


def _guarded(items: Iterator[_Read | InputError], source: str) -> Iterator[_Read | InputError]:
    """The items of one file; an error nobody foresaw ends that file only, as one line."""
    line = None
    try:
        for item in items:
            line = item.line
            yield item
    except Exception as exc:  # the last resort of "one bad input never stops a run"
        after = f" after line {line}" if line is not None else ""
        yield InputError(
            source, f"reading stopped{after}: {type(exc).__name__}: {_reason(exc)}"[:500]
        )


def _reason(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)) or repr(exc)


def _read_file(path: Path, doc_id: str, options: _Options) -> Iterator[_Read | InputError]:
    source = shown(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        yield InputError(source, f"unsupported file type; give {', '.join(SUPPORTED)} files")
        return
    try:
        if suffix == ".jsonl":  # streamed: a JSONL file may be far larger than memory
            with path.open("rb") as fh:
                yield from _read_jsonl_file(fh, source, doc_id, options)
            return
        raw = path.read_bytes()
    except OSError as exc:
        yield InputError(source, f"cannot read: {_reason(exc)}")
        return
    text = _decode(raw, source, None, nul_is_binary=suffix != ".csv")
    if isinstance(text, str) and suffix != ".csv":  # a CSV's records are checked one by one
        text = _check_text(text, source, None, options.max_chars)
    if isinstance(text, InputError):
        yield text
        return
    if suffix == ".csv":
        yield from _read_csv(text, source, doc_id, options)
    elif suffix in (".html", ".htm"):
        from sitroom.ingest.pages import extract_page

        try:
            page = extract_page(text, None, source, doc_id, options.default_date, options.max_chars)
        except InputError as exc:
            yield exc
            return
        yield _Read(page.document, source)
    else:
        yield _Read(
            Document(id=doc_id, text=text, date=options.default_date, source=source), source
        )


def _decode(
    raw: bytes, source: str, line: int | None, nul_is_binary: bool = True
) -> str | InputError:
    """Bytes to text: a byte-order mark names the encoding (UTF-8, UTF-16, UTF-32), else
    the bytes must be UTF-8. A NUL byte anywhere in UTF-8 input means binary data (in a
    CSV file, `nul_is_binary=False`, only the records that hold one are refused)."""
    encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), None)
    if encoding is None and nul_is_binary and b"\x00" in raw:
        return InputError(
            source,
            "binary data, not text (NUL bytes found; UTF-16 or UTF-32 text needs a "
            "byte-order mark, or re-save it as UTF-8)",
            line,
        )
    try:
        return raw.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        name = (encoding or "utf-8").upper().replace("-SIG", "")
        return InputError(
            source, f"invalid {name} at byte {exc.start}; re-save the file as UTF-8", line
        )


def _check_text(text: str, source: str, line: int | None, max_chars: int) -> str | InputError:
    """The text itself, or why it cannot be coded (empty, binary, too long)."""
    if not text.strip():
        return InputError(source, "empty document: no text to code", line)
    if "\x00" in text:
        return InputError(source, "binary data, not text (NUL characters found)", line)
    if len(text) > max_chars:
        return InputError(
            source,
            f"document is {len(text):,} characters, over the limit of {max_chars:,} "
            "(split it or raise SITROOM_MAX_DOCUMENT_CHARS)",
            line,
        )
    return text


def _read_csv(
    text: str, source: str, file_id: str, options: _Options
) -> Iterator[_Read | InputError]:
    columns = options.columns
    # No field limit of the csv module's own (131,072 characters): the file is in memory
    # already, and a field over SITROOM_MAX_DOCUMENT_CHARS is reported for its record.
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None) or []
    except csv.Error as exc:
        yield InputError(source, f"cannot read the CSV header: {exc}", 1)
        return
    if columns.text not in header:
        yield InputError(
            source,
            f"no {columns.text!r} column (columns: {', '.join(header) or 'none'}); "
            "name it with --text-column",
            1,
        )
        return
    index = {name: i for i, name in enumerate(header)}  # a repeated name: the last, as before

    def cell(row: list[str], name: str | None) -> str | None:
        i = index.get(name) if name is not None else None
        return row[i] if i is not None and i < len(row) else None

    while True:
        n = reader.line_num + 1  # the line the next record starts on
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield InputError(source, f"bad CSV record: {exc}", n)
            continue
        if not row:
            continue
        body = cell(row, columns.text) or ""
        checked = _check_text(body, source, n, options.max_chars)
        if isinstance(checked, InputError):
            yield checked
            continue
        when = cell(row, columns.date)
        doc_id = cell(row, columns.id)
        try:
            document = Document(
                id=doc_id or f"{file_id}:{n}",
                text=body,
                date=when or options.default_date,
                source=source,
            )
        except ValidationError:
            yield InputError(source, f"bad date {when!r} in column {columns.date!r}", n)
            continue
        yield _Read(document, source, n)


def _read_jsonl_file(
    fh: IO[bytes], source: str, file_id: str, options: _Options
) -> Iterator[_Read | InputError]:
    head = fh.read(4)
    encoding = next((enc for bom, enc in _BOMS if head.startswith(bom)), None)
    if encoding in (None, "utf-8-sig"):  # UTF-8: each line is decoded (and reported) alone
        fh.seek(0)
        yield from _read_jsonl_lines(fh, source, file_id, options)
        return
    text = _decode(head + fh.read(), source, None)
    if isinstance(text, InputError):
        yield text
        return
    lines = (line.encode("utf-8", "surrogatepass") for line in text.split("\n"))
    yield from _read_jsonl_lines(lines, source, file_id, options)


def _read_jsonl_lines(
    stream: Iterable[bytes], source: str, file_id: str, options: _Options
) -> Iterator[_Read | InputError]:
    seen_any = False
    for n, raw in enumerate(stream, start=1):
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        seen_any = True
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield InputError(source, f"invalid UTF-8 at byte {exc.start} of the line", n)
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(source, f"line is not valid JSON ({exc.msg}, column {exc.colno})", n)
            continue
        except RecursionError:
            yield InputError(source, "line is nested too deeply to read as JSON", n)
            continue
        except ValueError as exc:  # e.g. an integer of more than 4,300 digits
            yield InputError(source, f"line is not valid JSON ({exc})"[:300], n)
            continue
        yield _jsonl_record(record, source, file_id, n, options)
    if not seen_any:
        yield InputError(source, "empty file: no JSON lines")


def _jsonl_record(
    record: object, source: str, file_id: str, n: int, options: _Options
) -> _Read | InputError:
    if not isinstance(record, dict):
        return InputError(source, "line is not a JSON object", n)
    text = record.get("text")
    if not isinstance(text, str):
        return InputError(source, 'record has no "text" string', n)
    checked = _check_text(text, source, n, options.max_chars)
    if isinstance(checked, InputError):
        return checked
    given = record.get("id")
    if given is None or given == "":
        doc_id = f"{file_id}:{n}"
    elif isinstance(given, str):
        doc_id = given
    elif isinstance(given, int | float) and not isinstance(given, bool) and math.isfinite(given):
        doc_id = str(given)
    else:
        return InputError(source, f'"id" must be a string or a number, not {_json_type(given)}', n)
    fields = {k: record.get(k) for k in ("title", "url", "source") if record.get(k) is not None}
    try:
        document = Document(
            id=doc_id, text=text, date=record.get("date") or options.default_date, **fields
        )
    except ValidationError as exc:
        problem = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return InputError(source, f"bad field: {problem}", n)
    return _Read(document, source, n)


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return f"{value!r}"
