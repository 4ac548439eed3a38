"""Build the Kazakh stem lists shipped in ``src/nuskha/lang/kk/data/`` (run by hand; not used at run time).

    python tools/build_kk_stems.py HUNSPELL_DIC UD_TRAIN_CONLLU [KAZNERD_IOB2]

``HUNSPELL_DIC`` is ``kk_KZ.dic`` of Debian's ``hunspell-kk`` 1.1 (OpenOffice dict-kk, (c) 2009 Akmaral Mussayeva,
László Németh, Rail Aliev; tri-licensed GPL-2+ / LGPL-2.1+ / MPL-1.1+; the derived list is used under MPL-1.1).
With Babel installed (``pip install babel``), one-word Kazakh place names of the Unicode CLDR are written too.
``UD_TRAIN_CONLLU`` is ``kk_ktb-ud-train.conllu`` of UD Kazakh-KTB (CC BY-SA 4.0). Never the test file: it is
what the lemmatiser is scored on. ``KAZNERD_IOB2`` is KazNERD's ``IOB2_valid.txt`` (CC BY 4.0; Kazakh news text,
independent of UD-KTB), its first 80% of sentences only (the rest is the held-out part ``nuskha eval kaznerd``
scores): it gives ``forms_kaznerd.tsv``, how often each word form is written in lower case and
with a capital inside a sentence (the analyser's evidence for name or common word, and that a form exists), and
``names_kaznerd.tsv``, the words it writes as given names before a surname (``given_names``).

Each output line is ``word<TAB>kind`` with kind ``n`` (nominal: noun, adjective, numeral, pronoun, adverb...),
``v`` (verb stem, i.e. the imperative, which is UD-KTB's verb lemma) or ``p`` (proper name, case kept), plus
``t`` for a trusted lemma (the treebank's), which the analyser never takes for an inflected form.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src/nuskha/lang/kk/data"
#: A stem-final voiceless consonant is voiced before the vowel of -у: ``шығу`` is the infinitive of ``шық``.
DEVOICE = {"б": "п", "г": "к", "ғ": "қ"}


def verb_stem(infinitive: str) -> str | None:
    """The verb stem of a dictionary infinitive: ``болу`` → ``бол``, ``жасау`` → ``жаса``, ``азаю`` → ``азай``,
    ``шығу`` → ``шық``, ``табу`` → ``тап``."""
    if infinitive.endswith("ю") and len(infinitive) > 2:
        return infinitive[:-1] + "й"
    if infinitive.endswith("у") and len(infinitive) > 2:
        stem = infinitive[:-1]
        return stem[:-1] + DEVOICE[stem[-1]] if stem[-1] in DEVOICE else stem
    return None


def from_hunspell(path: Path) -> dict[str, set[str]]:
    lines = path.read_bytes().decode("utf-8-sig").splitlines()[1:]
    out: dict[str, set[str]] = {}
    for line in lines:
        word, _, flags = line.strip().partition("/")
        if not word:
            continue
        if flags.startswith("M"):  # the verb paradigm flags: the entry is an infinitive
            stem = verb_stem(word)
            if stem:
                out.setdefault(stem, set()).add("v")
            continue
        out.setdefault(word.lower(), set()).add("p" if word[0].isupper() else "n")
    # Verb stems in -ы/-і show up only through present forms such as ``оқиды`` (оқы + й + ды).
    for word in list(out):
        for end, vowel in (("иды", "ы"), ("иді", "і")):
            if word.endswith(end) and "v" in out.get(word[:-3], ()):
                out.setdefault(word[:-3] + vowel, set()).add("v")
    return out


def from_conllu(path: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) != 10 or not cols[0].isdigit():
            continue
        lemma, upos = cols[2], cols[3]
        if upos in ("PUNCT", "SYM", "X", "NUM") or lemma == "_":
            continue
        kind = "v" if upos in ("VERB", "AUX") else "p" if upos == "PROPN" else "n"
        out.setdefault(lemma, set()).update((kind, "t"))  # a treebank lemma is trusted
    return out


def from_cldr() -> dict[str, set[str]] | None:
    """One-word Kazakh names of countries, regions and cities from CLDR (through Babel, if installed)."""
    try:
        from babel import Locale
    except ImportError:
        return None
    locale = Locale("kk")
    names = list(locale.territories.values()) + [z.get("city") for z in locale.time_zones.values()]
    return {n: {"p"} for n in names if n and " " not in n and "(" not in n and n[:1].isupper()}


#: Tokens after which a word still starts its sentence (an opening quote or a dash), so its capital says nothing.
OPENERS = frozenset("«\"“„(-–—'")
CYRILLIC_WORD = re.compile(r"[а-яёәіңғүұқөһ]+(?:-[а-яёәіңғүұқөһ]+)*", re.IGNORECASE)


def kaznerd_training_sentences(path: Path) -> list[list[str]]:
    """The tokens of the sentences KazNERD's statistical model is trained on (the first 80%). The rest is where
    ``nuskha eval kaznerd`` scores the recogniser, so nothing shipped may be learnt from it."""
    from nuskha.evaluate.kaznerd import read_iob2, split

    return [[token.strip() for token, _label in sentence] for sentence in split(read_iob2(path), "train")]


def from_kaznerd(sentences: list[list[str]]) -> dict[str, list[int]]:
    """Lower-cased Cyrillic word form → [written in lower case, capitalised inside a sentence, sentence-initial]."""
    out: dict[str, list[int]] = {}
    for sentence in sentences:
        first = True
        for token in sentence:
            if not token:
                continue
            if not CYRILLIC_WORD.fullmatch(token):
                first = first and token in OPENERS
                continue
            row = out.setdefault(token.lower(), [0, 0, 0])
            if first:
                row[2] += 1
            elif token.islower():
                row[0] += 1
            elif token[0].isupper() and not (len(token) > 1 and token.isupper()):
                row[1] += 1
            first = False
    return out


#: A surname of the Kazakh or Russian form, with or without a case ending (``Назарбаевқа``, ``Тоқаевтың``).
SURNAME = re.compile(r"\w{2,}(?:ов|ев|ёв|ин|ова|ева|ёва|ина|ұлы|қызы)(?:а|қа|ке|ға|ге|ты|ті|ды|ді|ны|ні|тың|тің|дың|"
                     r"дің|ның|нің|та|те|да|де|тан|тен|дан|ден|нан|нен|пен|мен|бен)?")


#: About one word in ten starts a sentence: a word capitalised inside a sentence less than this share of the times
#: it is written in lower case is more often a common word at a sentence start than a name (``Сайлау``, election).
SENTENCE_START_SHARE = 0.1


def given_names(sentences: list[list[str]]) -> dict[str, set[str]]:
    """Words KazNERD's text writes as given names: capitalised inside a sentence, and right before a capitalised
    surname at least half of those times (``Серік Ахметов``, ``Болат Назарбаев``). A title is capitalised before
    a surname too, but far more often without one (``Президент``), so the share tells a name from a title or an
    institution. A word far more often in lower case is left out (``SENTENCE_START_SHARE``), and so is a name
    with a case ending (``_inflected``). This is how the analyser knows that a capitalised ``Серік`` or ``Болат``
    is a name, though the hunspell list has them only as common words. The NER tags are not read."""
    before: dict[str, int] = {}
    capitalised: dict[str, int] = {}
    lower: dict[str, int] = {}
    spelling: dict[str, str] = {}
    for tokens in sentences:
        tokens = [token for token in tokens if token]
        for i in range(1, len(tokens)):
            token = tokens[i]
            if token.islower():
                lower[token] = lower.get(token, 0) + 1
            if not CYRILLIC_WORD.fullmatch(token) or not token[0].isupper() or token.isupper():
                continue
            low = token.lower()
            capitalised[low] = capitalised.get(low, 0) + 1
            spelling.setdefault(low, token)
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if nxt[:1].isupper() and SURNAME.fullmatch(nxt.lower()) and not SURNAME.fullmatch(low):
                before[low] = before.get(low, 0) + 1
    return {spelling[w]: {"p"} for w, n in before.items()
            if 2 * n >= capitalised[w] and capitalised[w] >= SENTENCE_START_SHARE * lower.get(w, 0)
            and not _inflected(w, capitalised)}


def _inflected(form: str, seen: dict[str, int]) -> bool:
    """Whether ``form`` is another seen word plus a clear case or plural suffix (``баянның``: a name in the
    genitive, not a name of its own)."""
    from nuskha.core.affixes import suffix_chain
    from nuskha.lang.kk.morphology import automaton

    for k in range(3, len(form)):
        chain = suffix_chain(automaton(), form[k:]) if form[:k] in seen else None
        if chain is not None and chain.morphs[0][2].name in CLEAR_FIRST:
            return True
    return False


#: Suffixes that leave no doubt where a stem ends: a form ending in one of them, cut there, shows that its stem
#: exists even when running text never has it bare (``мәтінде`` shows ``мәтін``; ``кісі`` does not show ``кіс``).
CLEAR_FIRST = frozenset({"plural", "gen", "loc", "abl", "dat", "ins"})


def with_suffixed_forms(counts: dict[str, list[int]]) -> dict[str, list[int]]:
    """Each form's lower-case and capitalised counts, then the same summed over itself and every counted form that
    is it plus a chain of Kazakh suffixes (``президент`` with ``президенті``, ``президенттің``...). A stem never
    seen bare gets a row of its own (own counts 0) when a form shows it before a clear suffix (``CLEAR_FIRST``).
    Sentence-initial counts are left out: a capital there says nothing."""
    from nuskha.core.affixes import suffix_chain
    from nuskha.lang.kk.morphology import automaton

    out = {form: row[:2] + row[:2] for form, row in counts.items()}
    for form, row in counts.items():
        for k in range(2, len(form)):
            stem = form[:k]
            chain = suffix_chain(automaton(), form[k:])
            if chain is None:
                continue
            if stem not in counts:
                if k < 3 or chain.morphs[0][2].name not in CLEAR_FIRST or not automaton()._has_vowel(stem):
                    continue
                out.setdefault(stem, [0, 0, 0, 0])
            out[stem][2] += row[0]
            out[stem][3] += row[1]
    return out


def write_counts(path: Path, counts: dict[str, list[int]], source: str) -> None:
    rows = with_suffixed_forms(counts)
    body = "".join(f"{w}\t{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\n" for w, r in sorted(rows.items()))
    path.write_text(f"# _source: {source}\n# form<TAB>lower-case<TAB>capitalised inside a sentence<TAB>the same "
                    "two counts over the form and its suffixed forms\n" + body, encoding="utf-8")


def write(path: Path, entries: dict[str, set[str]], source: str) -> None:
    body = "".join(f"{w}\t{''.join(sorted(k))}\n" for w, k in sorted(entries.items()))
    path.write_text(f"# _source: {source}\n" + body, encoding="utf-8")


HUNSPELL_SOURCE = ("stems derived by tools/build_kk_stems.py from kk_KZ.dic of hunspell-kk 1.1 (OpenOffice dict-kk, "
                   "(c) 2009 Akmaral Mussayeva, Laszlo Nemeth, Rail Aliev), used under MPL-1.1 (the dictionary is "
                   "tri-licensed GPL-2+/LGPL-2.1+/MPL-1.1+); verb infinitives reduced to stems. Kinds: n nominal, "
                   "v verb, p proper name")
CLDR_SOURCE = ("one-word Kazakh (kk) territory and city names of the Unicode CLDR (via Babel), Unicode License "
               "v3. Kind p: proper name")
UD_SOURCE = ("lemmas of UD Kazakh-KTB kk_ktb-ud-train.conllu (v2.x, CC BY-SA 4.0, Tyers & Washington 2015; "
             "Makazhanov et al. 2015), never the test file. Kinds: n nominal, v verb, p proper name, t trusted")
KAZNERD_SOURCE = ("word-form counts of the first 80% of the sentences of KazNERD IOB2_valid.txt (Yeshpanov, Khassanov, Varol 2022; CC BY 4.0), "
                  "made by tools/build_kk_stems.py; used as evidence of case and of a form's existence, never as "
                  "annotation")

GIVEN_NAMES_SOURCE = ("given names from the first 80% of the sentences of KazNERD IOB2_valid.txt (Yeshpanov, Khassanov, Varol 2022; CC BY 4.0), made by "
                      "tools/build_kk_stems.py: words capitalised inside a sentence that stand right before a "
                      "capitalised surname at least half of those times (the text only, never the NER tags). Kind "
                      "p: proper name")


if __name__ == "__main__":
    dic, train = map(Path, sys.argv[1:3])
    hunspell = from_hunspell(dic)
    write(DATA / "stems_hunspell.tsv", hunspell, HUNSPELL_SOURCE)
    write(DATA / "stems_ud_train.tsv", from_conllu(train), UD_SOURCE)
    cldr = from_cldr()
    if cldr is not None:
        write(DATA / "names_cldr.tsv", cldr, CLDR_SOURCE)
    if len(sys.argv) > 3:
        sentences = kaznerd_training_sentences(Path(sys.argv[3]))
        write_counts(DATA / "forms_kaznerd.tsv", from_kaznerd(sentences), KAZNERD_SOURCE)
        write(DATA / "names_kaznerd.tsv", given_names(sentences), GIVEN_NAMES_SOURCE)
