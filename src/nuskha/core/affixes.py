"""Table-driven suffix stripping: a suffix automaton read from the right, constrained by vowel harmony.

The mechanism knows no language. A language supplies (as JSON, see ``nuskha/lang/kk/data/suffixes.json``):

``classes``   named letter sets (``vowel``, ``voiceless``, ``nasal``...) used by the ``after`` conditions;
``harmony``   which vowels are back and which are front (other letters are neutral and are skipped);
              ``harmony_final`` stem-final letters that set the series themselves (Kazakh ``Гонконг+те``) or,
              as ``either``, let both follow (Kazakh final и: ``Шони+дің``, ``оқи+ды``),
              ``harmony_closed`` letters that count only between two consonants (Kazakh у: ``ресурс+тар``);
``morphs``    each morph is a role and a list of surface forms ``[back, front, after]`` -- a form for back-vowel
              stems, one for front-vowel stems (either may be ``""`` when absent, or the same string when the
              suffix has no harmony), and the letter classes the preceding letter must belong to;
``states``    the automaton. Reading a word from its end, a state may ``strip`` a morph and go to another state,
              ``skip`` to another state without stripping, and accept what is left as a stem of some ``kind``;
``alternations``  stem-final letters that change before a vowel (Kazakh ``орталығы`` → ``орталық``);
``elision``   the vowel (``"back": "ы", "front": "і"``) of a last syllable that drops before a suffix whose role
              is listed in ``before`` (Kazakh ``халқы`` → ``халық``, ``аузы`` → ``ауыз``): restored between the
              stem's last two consonants, at an extra ``cost``;
``inflected_stem``, ``unattested_stem``, ``trusted_bonus``, ``short_stem_cost``, ``max_cost``  costs that weigh
              the stems found (see :func:`choose`).

:meth:`AffixAutomaton.parses` lists every way of cutting a word into ``stem + suffixes`` that the automaton,
harmony and consonant assimilation allow; :func:`choose` picks one with a stem lexicon and morph costs. Nothing
is done at import; tables are compiled once per language binding.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from ..errors import DataError


@dataclass(frozen=True, slots=True, eq=False)  # identity equality: cheap to hash in the parse walk
class Morph:
    """One surface form of a suffix: ``form`` may follow a letter in ``after`` (None: any letter)."""

    name: str
    role: str
    form: str
    harmony: str | None  # "back", "front" or None (no harmony)
    after: frozenset[str] | None
    restore: str = ""  # letters the stem lost in writing (оқы + й → оқи-): appended to the lemma
    cost: float = 1.0
    oov: bool = False  # may be stripped from a stem the lexicon does not know
    in_lemma: bool = False  # a derivational suffix that stays in the lemma (a Kazakh causative: тоқта+т)
    final_cost: float = 0.0  # added when the morph ends the word (a bare verbal noun -у is often a noun)


@dataclass(frozen=True, slots=True)
class Parse:
    """``word[:stem_end]`` is the stem (of ``kind``); ``morphs`` are ``(start, end, Morph)`` left to right."""

    stem_end: int
    kind: str
    morphs: tuple[tuple[int, int, Morph], ...]

    @property
    def cost(self) -> float:
        if not self.morphs:
            return 0.0
        return sum(m.cost for _, _, m in self.morphs) + self.morphs[-1][2].final_cost


@dataclass(frozen=True, slots=True)
class _State:
    strips: tuple[tuple[tuple[Morph, ...], str], ...]  # (forms of one morph, next state)
    skips: tuple[str, ...]
    kind: str | None  # a stem may end here, and is then of this kind
    by_last: dict  # last letter -> ((form, next state), ...): only these can match a word ending in that letter


def _index_by_last_letter(strips) -> dict[str, tuple[tuple[Morph, str], ...]]:
    out: dict[str, list[tuple[Morph, str]]] = {}
    for forms, nxt in strips:
        for m in forms:
            out.setdefault(m.form[-1], []).append((m, nxt))
    return {k: tuple(v) for k, v in out.items()}


class AffixAutomaton:
    """The compiled suffix tables of one language."""

    def __init__(self, table: Mapping, source: str = "suffix table"):
        try:
            self.classes = {k: frozenset(v) for k, v in table["classes"].items()}
            self.vowels = frozenset().union(*(frozenset(v) for v in table["harmony"].values()))
            self.harmony = {ch: side for side, letters in table["harmony"].items() for ch in letters}
            self.all_vowels = frozenset(table.get("vowels", "")) | self.vowels
            # stem endings whose vowels do not count for harmony (Russian-form surnames: Назарбаев+тың)
            self.neutral_endings = tuple(table.get("harmony_neutral_endings", ()))
            # letters that are vowels of one series only between two consonants (Kazakh у: ресурс+тар, but
            # кездесу+ге and тау+ға, where it is a glide or a verbal-noun ending that follows the stem's harmony);
            # "either": such a last vowel allows both series (Kazakh и: саммит+ке but тарих+ы)
            self.closed_harmony = {ch: side for side, letters in table.get("harmony_closed", {}).items()
                                   for ch in letters}
            # stem-final letters that set the harmony side themselves (Kazakh loanwords in к/г take front
            # suffixes whatever their vowels: Гонконг+те, банк+ке); "either": both series may follow (Kazakh
            # final и: a name's Шони+дің, Фараби+дің, but a verb's оқи+ды)
            self.final_harmony = {ch: side for side, letters in table.get("harmony_final", {}).items()
                                  for ch in letters}
            self.min_stem = int(table.get("min_stem", 2))
            # extra cost of a parse whose stem has only this many letters (short stems are often false cuts)
            self.short_stem_cost = {int(k): float(v) for k, v in table.get("short_stem_cost", {}).items()}
            # a parse dearer than this is not believed even with a known stem: the word is left whole
            self.max_cost = float(table.get("max_cost", "inf"))
            self.start = table.get("start", "start")
            morphs = {name: self._forms(name, spec) for name, spec in table["morphs"].items()}
            # a lexicon stem that is itself another known stem plus one of these morphs is probably an inflected
            # form that slipped into the lexicon (Kazakh халқы = халық + ы): it costs this much more
            inflected = table.get("inflected_stem", {})
            self.inflected_forms = tuple(m for name in inflected.get("morphs", ()) for m in morphs[name])
            self.inflected_cost = float(inflected.get("cost", 0.0))
            self._inflected: dict[tuple, bool] = {}  # (lookup, attested, stem, kind) -> looks inflected; per type
            # a trusted stem (a checked lemma list) costs this much less: it beats a cut into two other words
            self.trusted_bonus = float(table.get("trusted_bonus", 0.0))
            # a listed stem of these kinds that running text never shows (choose's ``attested``) is a doubtful
            # cut (кісі is no кіс + і): it costs this much more
            unattested = table.get("unattested_stem", {})
            self.unattested_kinds = frozenset(unattested.get("kinds", ()))
            self.unattested_cost = float(unattested.get("cost", 0.0))
            self.states = {}
            for name, spec in table["states"].items():
                strips = tuple((morphs[m], nxt) for m, nxt in spec.get("strip", ()))
                self.states[name] = _State(strips, tuple(spec.get("skip", ())), spec.get("stem"),
                                           _index_by_last_letter(strips))
            for state in self.states.values():
                for nxt in (*state.skips, *(n for _, n in state.strips)):
                    if nxt not in self.states:
                        raise KeyError(nxt)
            self.alternations = tuple((a, b) for a, b in table.get("alternations", ()))
            elision = dict(table.get("elision", {}))
            self.elision = {side: elision[side] for side in ("back", "front") if side in elision}
            self.elision_before = frozenset(elision.get("before", ()))
            self.elision_cost = float(elision.get("cost", 0.0))
            self._devoice = {a: b for a, b in self.alternations if len(a) == len(b) == 1}
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"malformed suffix table: {exc!r}", source) from None

    def _forms(self, name: str, spec: Mapping) -> tuple[Morph, ...]:
        out = []
        for form in spec["forms"]:
            back, front, after = form[0], form[1], form[2] if len(form) > 2 else None
            restore = form[3] if len(form) > 3 else ""
            allowed = None
            if after:
                allowed = frozenset().union(*(self.classes[c] if c in self.classes else frozenset(c)
                                              for c in after.split("|")))
            # "ы|і": the restored vowel follows the stem's harmony, even after a form written alike in both
            # series (оқы + йды → оқиды, like тербе + йді → тербиді): then one morph per series
            harmonic = back != front or "|" in restore
            for text, side in ((back, "back"), (front, "front")):
                if not text or (not harmonic and side == "front"):
                    continue
                rest = restore
                if restore and harmonic:
                    rest = restore.split("|")[0 if side == "back" else -1]
                out.append(Morph(name, spec["role"], text, side if harmonic else None, allowed, rest,
                                 float(spec.get("cost", 1.0)), bool(spec.get("oov", False)),
                                 bool(spec.get("in_lemma", False)), float(spec.get("final_cost", 0.0))))
        return tuple(out)

    def stem_harmony(self, stem: str) -> str | None:
        """The harmony side of a stem: that of its last back or front vowel (None: only neutral letters)."""
        side = self.final_harmony.get(stem[-1:])
        if side:
            return None if side == "either" else side
        for ending in self.neutral_endings:
            if stem.endswith(ending) and len(stem) > len(ending):
                stem = stem[:-len(ending)]
                break
        for i in range(len(stem) - 1, -1, -1):
            side = self.harmony.get(stem[i])
            if side:
                return side
            side = self.closed_harmony.get(stem[i])
            if side and 0 < i < len(stem) - 1 and not ({stem[i - 1], stem[i + 1]} & self.all_vowels):
                return None if side == "either" else side
        return None

    def _fits(self, stem: str, morph: Morph, bare: bool) -> bool:
        if not stem:
            return bare
        if morph.after is not None and stem[-1] not in morph.after:
            return False
        if morph.harmony:
            side = self.stem_harmony(stem)
            if side is not None and side != morph.harmony:
                return False
        return True

    def parses(self, word: str, bare: bool = False) -> list[Parse]:
        """Every ``stem + suffixes`` cut of ``word`` (lower-cased by the caller) the tables allow.

        ``bare`` allows an empty stem, for a suffix written after a hyphen (``300-дей``): then the first suffix
        is not checked against the stem it follows.
        """
        out: list[Parse] = []
        min_stem = 0 if bare else self.min_stem
        seen: set[tuple[str, int, tuple]] = set()

        def walk(state_name: str, end: int, morphs: tuple) -> None:
            key = (state_name, end, morphs)
            if key in seen:
                return
            seen.add(key)
            state = self.states[state_name]
            stem = word[:end]
            if state.kind and end >= min_stem and (bare or self._has_vowel(stem)):
                out.append(Parse(end, state.kind, morphs))
            for m, nxt in state.by_last.get(word[end - 1], ()) if end else ():
                n = len(m.form)
                if end - n < min_stem or not word.endswith(m.form, 0, end):
                    continue
                if self._fits(word[:end - n], m, bare):
                    walk(nxt, end - n, ((end - n, end, m),) + morphs)
            for nxt in state.skips:
                walk(nxt, end, morphs)

        walk(self.start, len(word), ())
        return out

    def _has_vowel(self, stem: str) -> bool:
        return any(ch in self.all_vowels for ch in stem)

    def stem_forms(self, stem: str, parse: Parse) -> Iterable[str]:
        """Underlying forms of a written stem: itself, then alternations before a vowel (``орталығ`` → ``орталық``)."""
        return (form for form, _ in self.stem_candidates(stem, parse))

    def stem_candidates(self, stem: str, parse: Parse) -> Iterable[tuple[str, float]]:
        """:meth:`stem_forms` with the extra cost of each: a restored elided vowel is a marked reading
        (``ұйқым`` is ``ұйқы`` + ``м`` before it is ``ұйық`` + ``ым``)."""
        restore = parse.morphs[0][2].restore if parse.morphs else ""
        yield stem + restore, 0.0
        if not parse.morphs or parse.morphs[0][2].form[:1] not in self.all_vowels:
            return
        first = parse.morphs[0][2]
        for written, underlying in self.alternations:
            if stem.endswith(written):
                yield stem[: len(stem) - len(written)] + underlying + restore, 0.0
        vowel = self.elision.get(first.harmony or "")
        if (vowel and first.role in self.elision_before and len(stem) >= 3
                and not (self.all_vowels & set(stem[-2:])) and self._has_vowel(stem)):
            last = stem[-1]  # voiced between vowels, voiceless when final again: қалпы → қалып
            yield stem[:-1] + vowel + self._devoice.get(last, last) + restore, self.elision_cost


def lemma_form(stem_form: str, parse: Parse) -> str:
    """The lemma: the underlying stem plus the suffixes right after it that stay in the lemma (``in_lemma``)."""
    out = stem_form
    for _, _, m in parse.morphs:
        if not m.in_lemma:
            break
        out += m.form
    return out


Lookup = Callable[[str, str], bool]


def choose(automaton: AffixAutomaton, word: str, lookup: Lookup, oov_min_stem: int = 3,
           bare: bool = False, trusted: Callable[[str], bool] | None = None,
           attested: Callable[[str], bool] | None = None) -> tuple[str, Parse] | None:
    """The best ``(underlying stem, parse)`` of ``word``, or None when nothing should be stripped.

    A parse whose stem the lexicon knows (``lookup(stem, kind)``) beats any other; among those the cheapest morph
    chain wins, then the shorter stem (the fuller analysis). Clear suffixes (case, plural, finite endings) have
    negative costs, so ``stem + clear suffix`` beats a whole-word lexicon entry that is itself an inflected form,
    while ambiguous ones (a vowel converb, a verbal noun) cost more than leaving the word whole (``қала``). Short
    stems, parses dearer than ``max_cost`` and stems that look inflected themselves are handicapped as the table
    says. With no known stem, only morphs marked ``oov`` are stripped, greedily (the longest stripped tail), and
    the stem keeps at least ``oov_min_stem`` letters. A ``trusted`` stem (a checked lemma list) is never taken
    for an inflected form, and costs ``trusted_bonus`` less. A stem with a restored elided vowel must also be
    ``attested`` (seen as a word in running text), when that is given: ``ішкі`` is not ``ішік`` + ``і``. With no
    lexicon stem, a stem of at least ``oov_min_stem`` letters that is ``attested`` comes next, if its cut is
    cheaper than none (``елорда`` + ``лар`` + ``ыңыз`` + ``ға``); the greedy ``oov`` stripping comes last. Given
    ``attested``, a listed stem running text never shows costs the table's ``unattested_stem`` more, and a whole
    word counts as inflected only when the stem inside it is attested.
    """
    parses = automaton.parses(word, bare=bare)
    known: list[tuple[float, int, str, Parse]] = []
    seen: list[tuple[float, int, str, Parse]] = []  # stems only attested in running text
    for p in parses:
        cost = p.cost + automaton.short_stem_cost.get(p.stem_end, 0.0)
        if cost > automaton.max_cost:
            continue
        for form, extra in automaton.stem_candidates(word[:p.stem_end], p):
            if extra and attested is not None and not attested(form):
                continue
            if not lookup(form, p.kind):
                if p.morphs and attested is not None and p.stem_end >= oov_min_stem and attested(form):
                    seen.append((cost + extra, p.stem_end, form, p))
                continue
            cost += extra
            if trusted and trusted(form):
                cost -= automaton.trusted_bonus
            else:
                if automaton.inflected_cost and _looks_inflected(automaton, form, p.kind, lookup, attested):
                    cost += automaton.inflected_cost
                if p.morphs and attested is not None and p.kind in automaton.unattested_kinds and not attested(form):
                    cost += automaton.unattested_cost
            known.append((cost, p.stem_end, form, p))
            break
    if not known:  # no lexicon stem: a stem seen in running text, when the cut is cheaper than no cut
        known = [k for k in seen if k[0] < 0]
    if known:
        known.sort(key=lambda t: (t[0], t[1]))
        _, _, form, parse = known[0]
        return form, parse
    best: Parse | None = None
    for p in parses:
        if not p.morphs or not all(m.oov for _, _, m in p.morphs):
            continue
        if p.stem_end < (0 if bare else oov_min_stem):
            continue
        if best is None or (p.stem_end, p.cost) < (best.stem_end, best.cost):
            best = p
    if best is None:
        return None
    return next(iter(automaton.stem_forms(word[:best.stem_end], best))), best


def _looks_inflected(automaton: AffixAutomaton, stem: str, kind: str, lookup: Lookup,
                     attested: Callable[[str], bool] | None = None) -> bool:
    """Whether ``stem`` is another known stem plus one of the table's ``inflected_stem`` morphs (cached); given
    ``attested``, the inner stem must be seen in running text too (``кісі`` is no ``кіс`` + ``і``)."""
    key = (lookup, attested, stem, kind)
    found = automaton._inflected.get(key)
    if found is None:
        found = False
        for m in automaton.inflected_forms:
            inner = stem[:len(stem) - len(m.form)]
            if len(inner) >= automaton.min_stem and stem.endswith(m.form) and automaton._fits(inner, m, False):
                one = Parse(len(inner), kind, ((len(inner), len(stem), m),))
                if any(lookup(f, kind) and (attested is None or attested(f))
                       for f in automaton.stem_forms(inner, one)):
                    found = True
                    break
        automaton._inflected[key] = found
    return found


def suffix_chain(automaton: AffixAutomaton, text: str) -> Parse | None:
    """The cheapest parse of ``text`` as suffixes only, for a suffix written after a hyphen (``300-дей``,
    ``АҚШ-пен``), or None when ``text`` is not a chain of suffixes."""
    chains = [p for p in automaton.parses(text, bare=True) if p.stem_end == 0 and p.morphs]
    # the fewest pieces first: Boeing-тың is a genitive -тың, not a past tense -ты with a person -ң
    return min(chains, key=lambda p: (len(p.morphs), p.cost)) if chains else None
