"""The README documents every command and setting, and its test command is what CI runs."""

from pathlib import Path

from sitroom.cli import app
from sitroom.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")


def test_every_command_is_documented():
    names = [c.name for c in app.registered_commands]
    assert names
    for name in names:
        assert f"sitroom {name}" in README, name


def test_every_setting_is_documented():
    for field in Settings.model_fields:
        assert f"SITROOM_{field.upper()}" in README, field


def test_readme_test_command_is_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert 'pip install -e ".[test]"' in README and 'pip install -e ".[test]"' in ci
    assert "python -m pytest -q" in README and "python -m pytest -q" in ci
    assert "apt-get install -y chromium chromium-driver" in README
    assert "chromium chromium-driver" in ci


def test_schema_doc_lists_every_event_field():
    from sitroom.records import Actor, Event

    doc = (ROOT / "docs" / "schema.md").read_text("utf-8")
    for field in [*Event.model_fields, *Actor.model_fields]:
        assert f"`{field}`" in doc, field
