"""The JSON Schema of the event record, shipped as `event.schema.json`.

Regenerate after changing `sitroom.records.Event`: `python -m sitroom.schema`.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from sitroom.records import Event


def generated_schema() -> dict:
    schema = Event.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://sitroom.dev/schema/event.schema.json"
    return schema


def shipped_schema() -> dict:
    return json.loads(
        resources.files("sitroom.schema").joinpath("event.schema.json").read_text("utf-8")
    )


def write_schema(path: Path | None = None) -> Path:
    path = path or Path(__file__).with_name("event.schema.json")
    path.write_text(json.dumps(generated_schema(), indent=2, sort_keys=True) + "\n", "utf-8")
    return path
