"""A broken model file is one clear error naming the file, never a traceback."""

from __future__ import annotations

import gzip

import pytest

from sitroom.errors import KnowledgeError
from sitroom.extract.model_files import packaged_model_path, read_event_models


def test_the_shipped_model_reads(tmp_path):
    models = read_event_models(packaged_model_path())
    assert models.about["built_by"] == "sitroom train"
    assert models.thresholds.event > 0


@pytest.mark.parametrize(
    "content",
    [
        b"",  # empty
        b"not gzip at all",
        gzip.compress(b"[]"),  # JSON, but not an object
        gzip.compress(b'{"format": 99}'),  # another format
        gzip.compress(b"{" * 10)[:-6],  # truncated stream
    ],
)
def test_a_broken_model_file_is_one_error(tmp_path, content):
    path = tmp_path / "model.json.gz"
    path.write_bytes(content)
    with pytest.raises(KnowledgeError, match=r"model\.json\.gz"):
        read_event_models(path)


def test_a_missing_model_file_says_how_to_build_one(tmp_path):
    with pytest.raises(KnowledgeError, match="sitroom train"):
        read_event_models(tmp_path / "none.json.gz")
