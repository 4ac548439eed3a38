"""Kazakh (Cyrillic, and the 2021 Latin alphabet as ``kk-Latn``): tables in ``data/``, bound to the shared mechanisms."""
from __future__ import annotations

import regex

from ...core.charmap import CharMap, compose, load_table, nfc
from ...core.language import Language
from ...core.script import is_majority
from ...core.tokenize import Tokenizer, tables_from_json

DATA = "nuskha.lang.kk.data"
#: Hyphen-like characters that join the parts of one Kazakh word (Темір-Мәлік, бала-шаға, Boeing-тың).
WORD_JOINERS = "-\u2010\u2011'’"
#: Capitals that, followed by a period, are a name's initial (Г. Марченко, Қ. Жұмалиев): one token, as UD
#: Kazakh-KTB writes it, and no sentence end.
INITIALS = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЭЮЯІ"
_PART = regex.compile(r"[^-\u2010\u2011'’]+")


def homoglyph_repair(cmap: CharMap):
    """Repair Latin look-alikes only inside Cyrillic-majority parts of a word.

    Each hyphen-separated part is judged on its own, so ``Boeing-тың`` keeps ``Boeing`` while ``Тeмір`` (Latin
    e) becomes ``Темір``.
    """
    def repair(text: str):
        if not cmap.touches(text):  # the common case, tested in C: no look-alike anywhere in the word
            return text, ()
        changes = []
        out = text
        for m in _PART.finditer(text):
            part = m.group()
            if not cmap.touches(part) or not is_majority(part, "Cyrl"):
                continue
            fixed, part_changes = cmap.apply(part)
            out = out[:m.start()] + fixed + out[m.end():]  # homoglyph maps are 1:1, offsets are unchanged
            changes.extend(type(c)(c.start + m.start(), c.end + m.start(), c.orig, c.reg, c.kind)
                           for c in part_changes)
        return out, tuple(changes)
    return repair


def build(tag: str = "kk") -> Language:
    from ...document import Lexeme
    from .context import reread_finite_verbs, reread_in_context
    from .hyphens import split_two_word_tokens
    from .morphology import analyze, analyze_initial

    table = {k: v for k, v in load_table(DATA, "homoglyphs.json").items() if not k.startswith("_")}
    steps = (nfc, homoglyph_repair(CharMap.from_tables(table)))

    def normalize(text: str):
        return compose(text, *steps)

    def initial(lex: Lexeme) -> Lexeme:
        if not lex.text[:1].isupper():
            return lex
        lemma, segments = analyze_initial(lex.text, lex.norm)
        return Lexeme(lex.text, lex.kind, lex.norm, lemma, segments, lex.changes)

    def reread(text: str, tokens: list) -> None:
        # two words joined by a hyphen first (1-кезеңінің, күннен-күнге), then converbs before auxiliaries,
        # then finite verb forms inside a clause (өндірісті жолға)
        split_two_word_tokens(text, tokens, language.lexeme, initial)
        reread_in_context(text, tokens)
        reread_finite_verbs(tokens)

    language = Language(
        tag=tag,
        name="Kazakh",
        script="Latn" if tag == "kk-Latn" else "Cyrl",
        direction="ltr",
        tokenizer=Tokenizer(tables_from_json(load_table(DATA, "abbreviations.json"),
                                             word_joiners=WORD_JOINERS, initials=INITIALS,
                                             number_suffixes=True)),
        normalize=normalize,
        analyze=analyze,
        analyze_initial=analyze_initial,
        reread_in_context=reread,
    )
    return language
