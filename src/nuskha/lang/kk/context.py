"""Kazakh words whose reading the next word decides, in running text.

The analyser sees one word form (``morphology.analyze``), and a form listed whole in a lexicon stays whole:
``ала`` (motley), ``арта`` (behind), ``қайта`` (again). Before an auxiliary verb, such a form is the -а/-е/-й
converb of a verb (-и after a stem in -ы/-і: ``дами берсін``): ``ала алмады`` (could not take), ``арта
түсті`` (grew further), ``қайта бастады`` (began to return). Kazakh builds its aspect and modality so
(standard grammars: the auxiliaries ал- "can", бер- "go on", біл-, түс-, баста- "begin", қал-, көр-/гөр-,
сал-, отыр-, жүр-, тұр-, жат-); UD Kazakh-KTB lemmatises the
converb to its verb stem. A word the analyser left whole is re-read so when it is a known verb stem plus that
converb and the next word's lemma is one of those auxiliaries.
"""
from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from operator import attrgetter

import regex

from ...document import WORD, Lexeme, Segment, Token

#: Auxiliary verbs that follow a converb in -а/-е/-й (their lemmas).
AUXILIARIES = frozenset({"ал", "бер", "біл", "түс", "баста", "қал", "көр", "гөр", "сал", "отыр", "жүр", "тұр",
                         "жат", "жатыр"})
_CONVERB_ENDINGS = ("а", "е", "й", "я", "и")
_START = attrgetter("start")


@lru_cache(maxsize=1 << 14)
def _converb_of(lex: Lexeme) -> Lexeme | None:
    """The verb reading of a word the analyser left whole, when it is a known verb stem plus the -а/-е/-й
    converb (``ала`` → ``ал``), else None."""
    from .morphology import _lookup, automaton

    low = lex.norm.lower()
    if lex.kind != WORD or lex.lemma.lower() != low or not low.endswith(_CONVERB_ENDINGS):
        return None
    auto = automaton()
    for p in auto.parses(low):
        if p.kind == "v" and len(p.morphs) == 1 and p.morphs[0][2].name == "conv_a":
            for form in auto.stem_forms(low[:p.stem_end], p):
                if _lookup(form, "v"):
                    stem = Segment(0, p.stem_end, "stem", form if form != low[:p.stem_end] else None)
                    return Lexeme(lex.text, lex.kind, lex.norm, form,
                                  (stem, Segment(p.stem_end, len(low), "converb")), lex.changes)
    return None


#: The last letter of a converb, spaces, then the start of an auxiliary: the candidates, found in C. The
#: pattern starts at one letter, not a whole word, so that the scan does not backtrack through every word.
_CANDIDATE = regex.compile(r"[аеяйи]\s+(?:%s)" % "|".join(sorted(AUXILIARIES, key=len, reverse=True)))


def reread_in_context(text: str, tokens: list[Token]) -> None:
    """Give a converb before an auxiliary verb its verb lemma (in place; see the module). Candidates are found
    by one regular expression over the text, so the pass costs next to nothing per token."""
    for m in _CANDIDATE.finditer(text):
        i = bisect_right(tokens, m.start(), key=_START) - 1  # the token the converb's last letter ends
        if i < 0 or i + 1 >= len(tokens) or tokens[i].end != m.start() + 1 \
                or tokens[i + 1].lex.lemma not in AUXILIARIES:
            continue
        verb = _converb_of(tokens[i].lex)
        if verb is not None:
            tokens[i].lex = verb
