"""Read annotated stories: the voa_events format (a stories JSONL file and an
annotations JSONL file, one object per story; see docs/model.md).

A story gives `id`, `text` and optionally `published`/`title`; its annotation gives
`id`, `pub_date` and `sentences`, each with `start`/`end` offsets into the text and its
`events`. Every problem names the file and line and raises GoldFileError.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sitroom.errors import GoldFileError
from sitroom.records import PLOVER_TYPES

MODALITIES = ("asserted", "negated", "hypothetical", "intended", "historical")


@dataclass(frozen=True)
class GoldSide:
    """One side of a gold event: the span as written (may be "") and acceptable codes."""

    text: str
    kind: str | None
    codes: tuple[str, ...]


@dataclass(frozen=True)
class GoldEvent:
    type: str
    alt_types: tuple[str, ...]
    trigger_text: str
    source: GoldSide
    target: GoldSide
    modality: str
    date: str | None  # YYYY-MM-DD, YYYY-MM, YYYY or None
    location: str | None

    @property
    def types(self) -> tuple[str, ...]:
        return (self.type, *self.alt_types)


@dataclass(frozen=True)
class GoldSentence:
    start: int
    end: int
    events: tuple[GoldEvent, ...]


@dataclass
class AnnotatedStory:
    id: str
    text: str
    pub_date: date | None
    sentences: list[GoldSentence] = field(default_factory=list)
    title: str | None = None

    def sentence_text(self, sentence: GoldSentence) -> str:
        return self.text[sentence.start : sentence.end]

    def sentence_at(self, offset: int) -> GoldSentence | None:
        """The annotated sentence holding a character offset, if any."""
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None


def read_annotated_stories(
    stories: Path, annotations: Path, ids: frozenset[str] | None = None
) -> list[AnnotatedStory]:
    """Stories that have annotations, in the order of the stories file. `ids`, when
    given, keeps only those stories."""
    texts = _read_jsonl(stories, _story)
    out: list[AnnotatedStory] = []
    seen: set[str] = set()
    for line_no, row in _lines(annotations):
        where = f"{annotations}:{line_no}"
        story_id = _text(row.get("id"), where, "id")
        if story_id in seen:
            raise GoldFileError(f"{where}: story {story_id!r} is annotated twice")
        seen.add(story_id)
        if ids is not None and story_id not in ids:
            continue
        if story_id not in texts:
            raise GoldFileError(f"{where}: story {story_id!r} is not in {stories}")
        text, title, published = texts[story_id]
        pub = _pub_date(row.get("pub_date"), where) or published
        sentences = _sentences(row.get("sentences"), text, where)
        out.append(AnnotatedStory(story_id, text, pub, sentences, title))
    order = {sid: i for i, sid in enumerate(texts)}
    out.sort(key=lambda s: order[s.id])
    return out


# ---------------------------------------------------------------- helpers
def _lines(path: Path):
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise GoldFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    with handle:
        try:
            lines = list(enumerate(handle, 1))
        except UnicodeDecodeError as exc:
            raise GoldFileError(f"{path}: not UTF-8 text ({exc.reason})") from None
        for line_no, line in lines:
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except (json.JSONDecodeError, RecursionError):
                raise GoldFileError(f"{path}:{line_no}: not a JSON object") from None
            if not isinstance(row, dict):
                raise GoldFileError(f"{path}:{line_no}: not a JSON object")
            yield line_no, row


def _read_jsonl(path: Path, parse) -> dict:
    out: dict = {}
    for line_no, row in _lines(path):
        key, value = parse(row, f"{path}:{line_no}")
        out[key] = value
    return out


def _story(row: dict, where: str) -> tuple[str, tuple[str, str | None, date | None]]:
    story_id = _text(row.get("id"), where, "id")
    text = row.get("text")
    if not isinstance(text, str) or not text:
        raise GoldFileError(f"{where}: story {story_id!r} has no text")
    title = row.get("title") if isinstance(row.get("title"), str) else None
    published = _pub_date(row.get("published"), where)
    return story_id, (text, title, published)


def _text(value: object, where: str, name: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value:
        raise GoldFileError(f"{where}: {name} must be a non-empty string")
    return value


def _pub_date(value: object, where: str) -> date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise GoldFileError(f"{where}: a date must be text, not {type(value).__name__}")
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise GoldFileError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def _sentences(value: object, text: str, where: str) -> list[GoldSentence]:
    if not isinstance(value, list):
        raise GoldFileError(f"{where}: sentences must be a list")
    out = []
    for n, row in enumerate(value):
        here = f"{where}: sentence {n}"
        if not isinstance(row, dict):
            raise GoldFileError(f"{here} is not an object")
        start, end = row.get("start"), row.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise GoldFileError(f"{here}: start/end must be offsets inside the story text")
        events = row.get("events") or []
        if not isinstance(events, list):
            raise GoldFileError(f"{here}: events must be a list")
        out.append(
            GoldSentence(
                start, end, tuple(_event(e, f"{here} event {i}") for i, e in enumerate(events))
            )
        )
    return out


def _event(row: object, where: str) -> GoldEvent:
    if not isinstance(row, dict):
        raise GoldFileError(f"{where} is not an object")
    ptype = row.get("type")
    if ptype not in PLOVER_TYPES:
        raise GoldFileError(f"{where}: {ptype!r} is not a PLOVER type")
    raw_alts = row.get("alt_types") or []
    if not isinstance(raw_alts, list) or not all(isinstance(t, str) for t in raw_alts):
        raise GoldFileError(f"{where}: alt_types must be a list of PLOVER types")
    alts = tuple(t for t in raw_alts if t in PLOVER_TYPES)
    modality = row.get("modality") or "asserted"
    if modality not in MODALITIES:
        raise GoldFileError(f"{where}: {modality!r} is not a modality ({', '.join(MODALITIES)})")
    return GoldEvent(
        type=ptype,
        alt_types=alts,
        trigger_text=str(row.get("trigger_text") or ""),
        source=_side(row, "source", where),
        target=_side(row, "target", where),
        modality=modality,
        date=row.get("date") if isinstance(row.get("date"), str) else None,
        location=row.get("location") if isinstance(row.get("location"), str) else None,
    )


def _side(row: dict, side: str, where: str) -> GoldSide:
    codes = row.get(side) or []
    if isinstance(codes, str):
        codes = [codes]
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise GoldFileError(f"{where}: {side} must be a list of codes")
    kind = row.get(f"{side}_kind")
    return GoldSide(
        str(row.get(f"{side}_text") or ""), kind if isinstance(kind, str) else None, tuple(codes)
    )
