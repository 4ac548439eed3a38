"""Arabic: tables in ``data/``, bound to the shared mechanisms."""
from __future__ import annotations

import unicodedata

from ...core.charmap import CharMap, compose, load_table, nfc
from ...core.language import Language
from ...core.tokenize import Tokenizer, tables_from_json

DATA = "nuskha.lang.ar.data"


def presentation_map() -> CharMap:
    """Presentation forms (ﻻ ﷲ ﺑ ...) -> their NFKC letters, built from Unicode data for the listed ranges."""
    mapping = {}
    for rng in load_table(DATA, "presentation.json")["ranges"]:
        for cp in range(ord(rng[0]), ord(rng[2]) + 1):
            ch = chr(cp)
            rep = unicodedata.normalize("NFKC", ch).replace(" ", "")
            if rep != ch and unicodedata.category(ch) != "Cn":
                mapping[ch] = (rep, "presentation")
    return CharMap(mapping)


def orthographic_map() -> CharMap:
    tables = {k: v for k, v in load_table(DATA, "normalize.json").items() if not k.startswith("_")}
    return CharMap.from_tables(tables)


def build(tag: str = "ar") -> Language:
    from .morphology import analyze

    presentation, orthographic = presentation_map(), orthographic_map()
    steps = (presentation.apply, nfc, orthographic.apply)
    either = presentation | orthographic

    def normalize(text: str):
        # Most word types need no step at all (no presentation form, alef, teh marbuta or mark): one test of the
        # two maps together and one NFC test answer them, without going through the steps.
        if not either.touches(text) and unicodedata.is_normalized("NFC", text):
            return text, ()
        return compose(text, *steps)

    return Language(
        tag=tag,
        name="Arabic",
        script="Arab",
        direction="rtl",
        tokenizer=Tokenizer(tables_from_json(load_table(DATA, "abbreviations.json"))),
        normalize=normalize,
        analyze=analyze,
        lowercase_key=False,
    )
