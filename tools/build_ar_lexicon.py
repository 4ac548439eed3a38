"""Build the Arabic word list shipped as ``src/nuskha/lang/ar/data/lexicon_ayaspell.txt.gz`` (run by hand; not
used at run time).

    python tools/build_ar_lexicon.py [AR_DIC [AR_AFF]]

``AR_DIC``/``AR_AFF`` default to ``/usr/share/hunspell/ar.dic``/``ar.aff`` of Debian's ``hunspell-ar`` 3.2
(Ayaspell, (c) 2006-2008 Mohamed Kebdani; tri-licensed GPL-2+ / LGPL-2.1+ / MPL-1.1; the derived list is used
under MPL-1.1). ``apt-get install hunspell-ar`` puts them there.

What is written: every word the dictionary spells WITHOUT a proclitic -- each entry, and each entry with one
suffix rule of its flags applied (plurals, duals, nisba, verb endings; not the rules that add a pronoun
enclitic, which the segmenter strips itself before a look-up, nor ``نا``, subject or object), never a prefix rule
(Ayaspell's prefixes are the clitics و ف ب ل ك س, the article and question أ, which the segmenter must find
itself). Unflagged entries of the stop-word, tool-word and name sections are partly written out with their
clitics already attached (``بغير``, ``وبيد``, ``فبالله``); such an entry is dropped when what follows its clitic
letters is itself an entry. Words are folded as ``norm`` folds them (marks dropped, hamza/alef forms, ى → ي,
ة → ه), sorted, one a line, gzip-compressed (deterministic: no timestamp in the header). A word that is an
imperfect verb form (its entry's morphology says ``is:prst``, with the suffix rules of that entry) is followed by a
tab and ``v``: the future marker س goes only before one.
"""
from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from nuskha.lang.ar.morphology import lemma_key, skeleton  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "src/nuskha/lang/ar/data/lexicon_ayaspell.txt.gz"
SOURCE = ("# _source: words derived by tools/build_ar_lexicon.py from ar.dic/ar.aff of Debian's hunspell-ar 3.2 "
          "(Ayaspell, (c) 2006-2008 Mohamed Kebdani), used under MPL-1.1 (the dictionary is tri-licensed "
          "GPL-2+/LGPL-2.1+/MPL-1.1); entries and one suffix rule each, no clitic prefixes; folded as norm folds")
#: Suffix rules adding a pronoun enclitic are not applied (the segmenter looks a word up less its enclitic):
#: they would multiply the list by ten. (Matched on the letters as written: a feminine ة is no pronoun ه.)
PRONOUNS = ("ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "كن", "ني", "نا")
#: Clitic letter sequences an unflagged, pre-expanded entry may begin with (longest first).
CLITIC_HEADS = tuple(sorted({a + b for a in ("", "و", "ف", "أ", "أو", "أف") for b in ("", "ب", "ل", "ك", "بال",
                                                                                 "ال", "كال", "لل", "س")} - {""},
                            key=len, reverse=True))


def parse_aff(path: Path) -> tuple[list[str], list[str], dict[str, list[tuple[str, str, re.Pattern]]]]:
    """Flag aliases (``AF``, 1-based), morphology aliases (``AM``, 1-based: ``is:prst st:برح po:verb``) and suffix
    rules: flag -> [(strip, add, condition regex)]."""
    aliases: list[str] = []
    morph: list[str] = []
    sfx: dict[str, list[tuple[str, str, re.Pattern]]] = {}
    seen_am_count = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("AM "):
            if seen_am_count:
                morph.append(line[3:])
            seen_am_count = True
            continue
        cols = line.split("#")[0].split()
        if len(cols) >= 2 and cols[0] == "AF" and not cols[1].isdigit():
            aliases.append(cols[1])
        elif len(cols) >= 5 and cols[0] == "SFX":
            _, flag, strip, add, cond = cols[:5]
            add = add.split("/")[0]
            strip = "" if strip == "0" else strip
            add = "" if add == "0" else add
            sfx.setdefault(flag, []).append((strip, add, re.compile("(?:" + cond + ")$")))
    return aliases, morph, sfx


def split_flags(flags: str, aliases: list[str]) -> list[str]:
    """Two-character flags (``FLAG long``), through the ``AF`` alias table when the entry gives a number."""
    if flags.isdigit():
        flags = aliases[int(flags) - 1]
    return [flags[i:i + 2] for i in range(0, len(flags), 2)]


def fold(word: str) -> str:
    return lemma_key(skeleton(word)[0])


def words_of(dic: Path, aff: Path) -> tuple[set[str], set[str]]:
    """(all words, the imperfect verb forms among them)."""
    aliases, morph, sfx = parse_aff(aff)
    flagged: list[tuple[str, str, bool]] = []
    bare: list[str] = []
    for line in dic.read_text(encoding="utf-8").splitlines()[1:]:
        entry, _, am = line.partition("\t")
        entry = entry.strip()
        if not entry or entry.startswith(("#", ":")) or entry.endswith(".dic") or not re.search("[\u0621-\u064a]",
                                                                                              entry):
            continue
        word, _, flags = entry.partition("/")
        am = am.strip()
        imperfect = am.isdigit() and 0 < int(am) <= len(morph) and "is:prst" in morph[int(am) - 1].split()
        if flags:
            flagged.append((word, flags, imperfect))
        else:
            bare.append(word)
    out: set[str] = set()
    verbs: set[str] = set()
    for word, flags, imperfect in flagged:
        forms = {fold(word)}
        for flag in split_flags(flags, aliases):
            for strip, add, cond in sfx.get(flag, ()):
                if cond.search(word) and word.endswith(strip) and not skeleton(add)[0].endswith(PRONOUNS):
                    forms.add(fold(word[: len(word) - len(strip)] + add))
        out |= forms
        if imperfect:
            verbs |= forms
    entries = out | {fold(w) for w in bare}
    for word in bare:
        key = fold(word)
        head = next((h for h in CLITIC_HEADS if key.startswith(fold(h)) and len(key) - len(h) >= 2), None)
        if head is not None and (key[len(head):] in entries or "ال" + key[len(head):] in entries):
            continue  # a pre-expanded clitic form: بغير, وبيد, فبالله
        out.add(key)
    return {w for w in out if len(w) >= 2}, {w for w in verbs if len(w) >= 2}


def main(argv: list[str]) -> int:
    dic = Path(argv[0]) if argv else Path("/usr/share/hunspell/ar.dic")
    aff = Path(argv[1]) if len(argv) > 1 else dic.with_suffix(".aff")
    words, verbs = words_of(dic, aff)
    lines = [w + "\tv" if w in verbs else w for w in sorted(words)]
    text = SOURCE + "\n" + "\n".join(lines) + "\n"
    with open(OUT, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    print(f"{len(words)} words -> {OUT} ({OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
