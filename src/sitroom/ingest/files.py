"""Read `.txt`, `.md`, `.html`, `.jsonl` and `.csv` files, folders of them (recursively),
or JSONL on stdin into Documents.

Each bad input yields an InputError (naming the file and line) in the stream instead of a
Document, so one broken file never stops the others.
"""

from __future__ import annotations

import csv
import io
import json
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


@dataclass(frozen=True)
class CsvColumns:
    """Which CSV columns hold the text, the publication date and the document id."""

    text: str = "text"
    date: str | None = "date"
    id: str | None = "id"


_BINARY_PROBE = 8192


def read_inputs(
    inputs: Iterable[str],
    default_date: date | None = None,
    max_chars: int = 1_000_000,
    stdin: IO[bytes] | None = None,
    csv_columns: CsvColumns | None = None,
    exclude: Iterable[Path] = (),
) -> Iterator[Document | InputError]:
    """Documents from each input in turn; errors in place of documents that fail.
    Files in `exclude` (such as the run's own output file) are not read from folders."""
    skip = {p.resolve() for p in exclude}
    columns = csv_columns or CsvColumns()
    for item in inputs:
        if item == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _read_jsonl_lines(stream, "<stdin>", "stdin", default_date, max_chars)
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix in SUPPORTED and p.resolve() not in skip
            )
            if not files:
                yield InputError(item, f"folder holds no {', '.join(SUPPORTED)} files")
            for file in files:
                yield from _read_file(file, default_date, max_chars, columns)
        elif path.is_file():
            yield from _read_file(path, default_date, max_chars, columns)
        elif path.exists():
            yield InputError(item, "not a regular file or folder")
        else:
            yield InputError(item, "no such file or folder")


def _read_file(
    path: Path, default_date: date | None, max_chars: int, columns: CsvColumns
) -> Iterator[Document | InputError]:
    if path.suffix == ".csv":
        yield from _read_csv(path, default_date, max_chars, columns)
        return
    if path.suffix == ".jsonl":
        try:
            with path.open("rb") as fh:
                yield from _read_jsonl_lines(fh, str(path), path.stem, default_date, max_chars)
        except OSError as exc:
            yield InputError(str(path), f"cannot read: {exc.strerror}")
        return
    if path.suffix not in SUPPORTED:
        yield InputError(str(path), f"unsupported file type; give {', '.join(SUPPORTED)} files")
        return
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield InputError(str(path), f"cannot read: {exc.strerror}")
        return
    text_or_error = _decode(raw, str(path), None, max_chars)
    if isinstance(text_or_error, InputError):
        yield text_or_error
        return
    if path.suffix in (".html", ".htm"):
        from sitroom.ingest.pages import extract_page

        try:
            page = extract_page(text_or_error, None, str(path), path.stem, default_date, max_chars)
        except InputError as exc:
            yield exc
            return
        yield page.document
        return
    yield Document(id=path.stem, text=text_or_error, date=default_date, source=str(path))


def _read_csv(
    path: Path, default_date: date | None, max_chars: int, columns: CsvColumns
) -> Iterator[Document | InputError]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield InputError(str(path), f"cannot read: {exc.strerror}")
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield InputError(str(path), f"invalid UTF-8 at byte {exc.start}")
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    if columns.text not in header:
        yield InputError(
            str(path),
            f"no {columns.text!r} column (columns: {', '.join(header) or 'none'}); "
            "name it with --text-column",
        )
        return
    for n, row in enumerate(reader, start=2):
        body = row.get(columns.text) or ""
        checked = _decode(body.encode("utf-8"), str(path), n, max_chars)
        if isinstance(checked, InputError):
            yield checked
            continue
        when = row.get(columns.date) if columns.date else None
        doc_id = row.get(columns.id) if columns.id else None
        try:
            yield Document(
                id=str(doc_id or f"{path.stem}-{n}"),
                text=body,
                date=when or default_date,
                source=str(path),
            )
        except ValidationError:
            yield InputError(str(path), f"bad date {when!r} in column {columns.date!r}", n)


def _decode(raw: bytes, source: str, line: int | None, max_chars: int) -> str | InputError:
    if not raw.strip():
        return InputError(source, "empty document: no text to code", line)
    if b"\x00" in raw[:_BINARY_PROBE]:
        return InputError(source, "binary data, not text (NUL bytes found)", line)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return InputError(
            source, f"invalid UTF-8 at byte {exc.start}; re-save the file as UTF-8", line
        )
    if len(text) > max_chars:
        return InputError(
            source,
            f"document is {len(text):,} characters, over the limit of {max_chars:,} "
            "(split it or raise SITROOM_MAX_DOCUMENT_CHARS)",
            line,
        )
    return text


def _read_jsonl_lines(
    stream: IO[bytes], source: str, stem: str, default_date: date | None, max_chars: int
) -> Iterator[Document | InputError]:
    seen_any = False
    for n, raw in enumerate(stream, start=1):
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
        if not isinstance(record, dict):
            yield InputError(source, "line is not a JSON object", n)
            continue
        text = record.get("text")
        if not isinstance(text, str):
            yield InputError(source, 'record has no "text" string', n)
            continue
        checked = _decode(text.encode("utf-8", "surrogatepass"), source, n, max_chars)
        if isinstance(checked, InputError):
            yield checked
            continue
        fields = {k: record.get(k) for k in ("title", "url", "source") if record.get(k) is not None}
        try:
            yield Document(
                id=str(record.get("id") or f"{stem}-{n}"),
                text=text,
                date=record.get("date") or default_date,
                **fields,
            )
        except ValidationError as exc:
            problem = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            yield InputError(source, f"bad field: {problem}", n)
    if not seen_any:
        yield InputError(source, "empty file: no JSON lines")
