"""Script counts decide --lang checks and language detection for every text."""
from __future__ import annotations

import regex

from nuskha.core.script import detect_lang, main_script, script_counts

_LETTER_SCRIPTS = {"Arab": r"\p{Script=Arabic}", "Cyrl": r"\p{Script=Cyrillic}", "Latn": r"\p{Script=Latin}"}


def _letter_by_letter(text: str) -> dict[str, int]:
    counts = {name: sum(1 for ch in text if regex.fullmatch(p, ch)) for name, p in _LETTER_SCRIPTS.items()}
    return {name: n for name, n in counts.items() if n}


def test_counts_every_letter_of_each_script_and_nothing_else():
    text = "Жалал ад-Дин (Jalal ad-Din, 1221) = جلال الدين ٦١٨، Темір-Мәлік."
    assert dict(script_counts(text)) == _letter_by_letter(text)
    assert set(script_counts(text)) == {"Cyrl", "Latn", "Arab"}


def test_a_text_without_letters_has_no_script_and_no_language():
    for text in ("", "1221 — 1222 …", "\n\t"):
        assert script_counts(text) == {}
        assert main_script(text) is None
        assert detect_lang(text) is None


def test_the_main_script_decides_the_language():
    assert detect_lang("Шыңғыс хан Отырарға келді, Otrar.") == "kk"
    assert detect_lang("Чингисхан пришёл к Отрару.") == "ru"
    assert detect_lang("ثم سار جنكز خان إلى أترار (Otrar).") == "ar"
