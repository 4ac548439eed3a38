"""Kazakh words whose reading the next word decides, in running text.

The analyser sees one word form (``morphology.analyze``), and a form listed whole in a lexicon stays whole:
``ала`` (motley), ``арта`` (behind), ``қайта`` (again). Before an auxiliary verb, such a form is the -а/-е/-й
converb of a verb (-и after a stem in -ы/-і: ``дами берсін``): ``ала алмады`` (could not take), ``арта
түсті`` (grew further), ``қайта бастады`` (began to return). Kazakh builds its aspect and modality so
(standard grammars: the auxiliaries ал- "can", бер- "go on", біл-, түс-, баста- "begin", қал-, көр-/гөр-,
сал-, отыр-, жүр-, тұр-, жат-); UD Kazakh-KTB lemmatises the
converb to its verb stem. A word the analyser left whole is re-read so when it is a known verb stem plus that
converb and the next word's lemma is one of those auxiliaries.

Kazakh puts its finite verb last in the clause: a past or present tense form (``-ды``/``-ты``, ``-а``/``-е`` with
a person ending) is followed by punctuation, the end of the text, a conjunction or particle (``және``, ``ме``,
``ғой``) or the quoting ``деп``. A word whose analysis is such a finite form but which another word follows
inside the clause is rather a noun or adjective that looks like one: ``өндірісті жолға`` (production + accusative,
not ``өндір`` + ``іс`` + ``ті``), ``орысты көп``, ``Ағам отау`` (my elder brother, not ``ақ`` + ``а`` + ``м``). Such
a word is re-read as a nominal (``morphology.analyze_nominal``) when it has a nominal reading the lexicon knows.
"""
from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from itertools import repeat
from operator import attrgetter

import regex

from ...document import WORD, Lexeme, Segment, Token

#: Words after which a finite verb may stand inside a clause: the particles and the copula that follow a verb
#: (``келді ме``, ``барды ғой``, ``еді``), and the quoting verb де- (``алам деп``).
VERB_FOLLOWERS = frozenset({"ме", "ма", "ба", "бе", "па", "пе", "ғой", "қой", "ше", "шығар", "е", "де", "екен"})

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


_FINITE_CACHE: dict[str, Lexeme | None] = {}
_FINITE_CACHE_MAX = 1 << 16
_UNSEEN = object()
_LEX = attrgetter("lex")
_TEXT = attrgetter("text")


def _nominal_of(lex: Lexeme) -> Lexeme | None:
    """The nominal reading of a word the analyser read as a finite verb (a ``tense`` segment), or None."""
    from .morphology import analyze_nominal

    if lex.kind != WORD or not any(s.role == "tense" for s in lex.segments):
        return None
    found = analyze_nominal(lex.text, lex.norm)
    if found is None or found[0] == lex.lemma:
        return None
    return Lexeme(lex.text, lex.kind, lex.norm, found[0], found[1], lex.changes)


def reread_finite_verbs(tokens: list[Token]) -> None:
    """Re-read as a nominal, in place, a word read as a finite verb that a lower-case word of the same clause
    follows (see the module). The per-form answer is cached by surface form and looked up for all tokens in one
    C-level ``map``; Python steps only at the few candidates and at forms not seen before."""
    from .morphology import closed_class

    cache = _FINITE_CACHE
    if len(cache) > _FINITE_CACHE_MAX:
        cache.clear()
    lexes = list(map(_LEX, tokens))
    alts = list(map(cache.get, map(_TEXT, lexes), repeat(_UNSEEN, len(lexes))))
    for i in [i for i, alt in enumerate(alts) if alt is _UNSEEN]:
        alts[i] = cache.get(lexes[i].text, _UNSEEN)
        if alts[i] is _UNSEEN:  # a form met for the first time
            alts[i] = cache[lexes[i].text] = _nominal_of(lexes[i])
    closed = closed_class()
    last = len(tokens) - 1
    for i in [i for i, alt in enumerate(alts) if alt is not None and i < last]:
        alt, after = alts[i], lexes[i + 1]
        if alt.text != lexes[i].text or alt.lemma == lexes[i].lemma:
            continue
        if after.kind != WORD or not after.text[:1].islower() or after.lemma in VERB_FOLLOWERS \
                or after.lemma in closed or after.text in closed:
            continue
        tokens[i].lex = alt
