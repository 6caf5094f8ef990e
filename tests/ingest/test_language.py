"""Which documents the language check lets through (py3langid, the real model)."""

import pytest

from sitroom.ingest.language import is_english

SHORT_ENGLISH = [
    "Malaysia and Russia held talks in Kuala Lumpur on Monday.",
    "Anwar Ibrahim met Putin.",
    "Indonesia and Malaysia signed a maritime accord in Jakarta.",
]
FOREIGN = [
    "Les ministres des affaires étrangères se sont rencontrés mardi à Paris pour discuter "
    "de la sécurité européenne.",
    "Der Minister traf sich am Montag in Berlin mit seinem Amtskollegen aus Polen.",
    "Indonesia dan Malaysia mengadakan pertemuan di Jakarta pada hari Senin.",
]


@pytest.mark.parametrize("text", SHORT_ENGLISH)
def test_short_english_full_of_foreign_names_is_kept(text):
    assert is_english(text)[0]


@pytest.mark.parametrize("text", FOREIGN)
def test_confidently_foreign_text_is_skipped(text):
    keep, language = is_english(text)
    assert not keep
    assert language != "en"


def test_blank_text_is_not_english():
    assert is_english("   \n") == (False, "und")
