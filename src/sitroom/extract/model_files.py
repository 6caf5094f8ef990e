"""The trained decisions the coder applies, read from the model file `sitroom train`
writes (src/sitroom/models/event_models.json.gz; docs/model.md describes it)."""

from __future__ import annotations

import gzip
import json
import os
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from sitroom.errors import KnowledgeError
from sitroom.extract.linear import LinearModel

MODEL_FILE = "event_models.json.gz"
FORMAT = 1


@dataclass(frozen=True)
class Thresholds:
    """Chosen on the dev split (docs/model.md): the least probability for an event type,
    a source and a target."""

    event: float = 0.5
    source: float = 0.5
    target: float = 0.5


@dataclass(frozen=True)
class EventModels:
    types: LinearModel
    roles: LinearModel
    modality: LinearModel
    confidence: LinearModel
    vocabulary: frozenset[str]
    thresholds: Thresholds = Thresholds()
    about: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "about": self.about,
            "thresholds": vars(self.thresholds),
            "vocabulary": sorted(self.vocabulary),
            "types": self.types.to_json(),
            "roles": self.roles.to_json(),
            "modality": self.modality.to_json(),
            "confidence": self.confidence.to_json(min_weight=0.0),
        }

    @classmethod
    def from_json(cls, data: dict) -> EventModels:
        if data.get("format") != FORMAT:
            raise ValueError(f"model format {data.get('format')!r}, expected {FORMAT}")
        return cls(
            types=LinearModel.from_json(data["types"]),
            roles=LinearModel.from_json(data["roles"]),
            modality=LinearModel.from_json(data["modality"]),
            confidence=LinearModel.from_json(data["confidence"]),
            vocabulary=frozenset(data["vocabulary"]),
            thresholds=Thresholds(**data["thresholds"]),
            about=dict(data.get("about") or {}),
        )


def packaged_model_path() -> Path:
    return Path(str(resources.files("sitroom.models").joinpath(MODEL_FILE)))


def check_writable(path: Path) -> None:
    """Refuse, in one line, a model path that cannot be written (before training)."""
    if path.is_dir():
        raise KnowledgeError(f"{path}: is a folder; give a file name for the model")
    parent = path.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise KnowledgeError(f"{path}: cannot write here (no such folder, or no permission)")


def save_event_models(models: EventModels, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=9) as handle:
            json.dump(models.to_json(), handle, separators=(",", ":"))
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise KnowledgeError(f"{path}: cannot write the model ({exc.strerror or exc})") from None


def read_event_models(path: Path) -> EventModels:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return EventModels.from_json(data)
    except FileNotFoundError:
        raise KnowledgeError(
            f"{path}: no model file here (build one with `sitroom train`)"
        ) from None
    except (OSError, EOFError, zlib.error, ValueError, KeyError, TypeError) as exc:
        raise KnowledgeError(f"{path}: not a sitroom model file ({exc})") from None


@lru_cache(maxsize=4)
def load_event_models(path: str | None = None) -> EventModels:
    return read_event_models(Path(path) if path else packaged_model_path())
