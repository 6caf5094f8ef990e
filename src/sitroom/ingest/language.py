"""Which language a document is in: py3langid on the text (a small offline model), so that
non-English documents are skipped with a reason instead of being mis-coded."""

from __future__ import annotations

from functools import lru_cache

SAMPLE_CHARS = 2000


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, probability) from the first characters of the text."""
    # py3langid encodes its input as UTF-8: a lone surrogate would raise, so it is replaced.
    sample = text[:SAMPLE_CHARS].encode("utf-8", "replace").decode("utf-8")
    if not sample.strip():
        return "und", 0.0
    lang, prob = _identifier().classify(sample)
    return lang, float(prob)


def is_english(text: str, threshold: float = 0.5) -> tuple[bool, str]:
    """(to be coded as English?, the detected language).

    Only a confident identification of another language skips a document: on a short
    text the identifier is unsure and often wrong ("Malaysia and Russia held talks in
    Kuala Lumpur on Monday." reads as Malay with probability 0.32), and losing an
    English document costs more than coding a foreign one, whose events are few."""
    lang, prob = detect_language(text)
    if lang == "und":
        return False, lang
    return (lang == "en" or prob < threshold), lang
