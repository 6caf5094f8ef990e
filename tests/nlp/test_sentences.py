import spacy

from sitroom.nlp.sentences import CandidateFilter, guess_lemmas, split_sentences


def test_guess_lemmas_covers_regular_and_irregular_forms():
    assert "meet" in guess_lemmas("met")
    assert "sanction" in guess_lemmas("sanctioned")
    assert "apply" in guess_lemmas("applied")
    assert "ship" in guess_lemmas("shipped")
    assert "shell" in guess_lemmas("shelling")
    assert "talk" in guess_lemmas("talks")
    assert "mobilise" in guess_lemmas("mobilising")


def test_split_sentences_on_punctuation_and_lines():
    nlp = spacy.blank("en")
    doc = nlp("Ankara sent envoys. The U.S. replied on Monday!\nFurther Reading\nA headline here")
    spans = split_sentences(doc)
    texts = [doc.text[s.start_char : s.end_char] for s in spans]
    assert texts == [
        "Ankara sent envoys.",
        "The U.S. replied on Monday!",
        "Further Reading",
        "A headline here",
    ]
    assert [s.index for s in spans] == [0, 1, 2, 3]


def test_split_keeps_abbreviations_and_lowercase_continuations():
    nlp = spacy.blank("en")
    doc = nlp("Talks ended at 5 p.m. on Friday. Then they left.")
    texts = [doc.text[s.start_char : s.end_char] for s in split_sentences(doc)]
    assert texts[0].startswith("Talks ended")
    assert texts[-1] == "Then they left."


def test_candidate_filter_needs_a_trigger_word():
    nlp = spacy.blank("en")
    f = CandidateFilter(["meet", "sanction"], ["army"])
    doc = nlp("The army sanctioned nobody. The army slept.")
    spans = split_sentences(doc)
    assert f.has_trigger(doc, spans[0])
    assert not f.has_trigger(doc, spans[1])
    assert f.has_role_word(doc, spans[1])
