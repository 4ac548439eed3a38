"""The camel-tools analyser path: a morphology database confirms or trims the rule-based clitic splits.

Which database: an explicit path, else ``$NUSKHA_CAMEL_DB`` (a ``.db`` file), else camel-tools' installed default
(``camel_data``), looked for only when a camel-tools catalogue is already on disk. Nothing here downloads:
importing ``camel_tools.morphology`` makes camel-tools read ``$CAMELTOOLS_DATA/catalogue.json`` (default
``~/.camel_tools``) and try to download it when it is missing, so when a database path is given but no catalogue
exists the import is done with ``CAMELTOOLS_DATA`` pointing, for that moment only, at a temporary folder holding an
empty catalogue. A missing camel-tools, a missing or unreadable database, or any camel-tools error while loading
gives ``None`` and the rules answer alone (logged at INFO, never raised).

How the analyses are used. A database with no disambiguator cannot choose among its analyses (README of the
demo database: the top-scored analysis of السلطان can be أ+ل+سلطان), and a partial database lacks many nouns, so
camel-tools never ADDS a split here: it only confirms or trims the rules' split. The rules' clitics form a
sequence (conjunction, particle, article | enclitic); each analysis from the database's lexicon (``source`` lex or
spvar, not the back-off) is reduced to the same kind of clitic set. If one analysis has exactly the rules' clitics,
the rules stand; otherwise the largest trimmed version of the rules' split (fewer proclitics from the right, or no
enclitic) that some analysis has is taken -- so ``وصل`` split by a rule as و + صل would be put back together by a
database that knows the verb وصل. A word the database does not know keeps the rules' answer.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Iterable

from ...document import Segment
from . import morphology as rules_mod

log = logging.getLogger(__name__)

ENV_DB = "NUSKHA_CAMEL_DB"
#: An empty catalogue in camel-tools' format: enough for ``import camel_tools.data`` not to download one.
EMPTY_CATALOGUE = {"version": "1.6", "packages": {}, "components": {}}
#: Analysis sources that come from the database's lexicon (not the back-off guesses).
LEXICAL_SOURCES = frozenset({"lex", "spvar"})

Clitic = tuple[str, str]  # (slot, letter): ("conj", "و"), ("prep", "ب"), ("det", "ال"), ("pron", "")


def _camel_catalogue() -> Path:
    base = os.environ.get("CAMELTOOLS_DATA")
    return Path(base).expanduser() / "catalogue.json" if base else Path.home() / ".camel_tools" / "catalogue.json"


def _import_camel():
    """Import camel-tools' morphology without letting it reach the network. Returns (MorphologyDB, Analyzer)."""
    if _camel_catalogue().exists():
        from camel_tools.morphology.analyzer import Analyzer
        from camel_tools.morphology.database import MorphologyDB

        return MorphologyDB, Analyzer
    saved = os.environ.get("CAMELTOOLS_DATA")
    with tempfile.TemporaryDirectory(prefix="nuskha-camel-") as tmp:
        Path(tmp, "catalogue.json").write_text(json.dumps(EMPTY_CATALOGUE), encoding="utf-8")
        os.environ["CAMELTOOLS_DATA"] = tmp
        try:
            from camel_tools.morphology.analyzer import Analyzer
            from camel_tools.morphology.database import MorphologyDB
        finally:
            if saved is None:
                os.environ.pop("CAMELTOOLS_DATA", None)
            else:
                os.environ["CAMELTOOLS_DATA"] = saved
    return MorphologyDB, Analyzer


def load_camel_analyzer(path: str | os.PathLike | None = None) -> "CamelAnalyzer | None":
    """A :class:`CamelAnalyzer` over the database at ``path`` / ``$NUSKHA_CAMEL_DB`` / camel's default, or None."""
    path = path or os.environ.get(ENV_DB) or None
    if path is None and not _camel_catalogue().exists():
        return None  # no database named and none installed: do not even import camel-tools
    if path is not None and not Path(path).is_file():
        log.info("camel-tools database %s not found; using the rules", path)
        return None
    try:
        MorphologyDB, Analyzer = _import_camel()
        db = MorphologyDB(str(path), "a") if path is not None else MorphologyDB.builtin_db(flags="a")
        return CamelAnalyzer(Analyzer(db, backoff="NONE"))
    except Exception as exc:  # ImportError, DownloaderError, a corrupt database: the rules still work
        log.info("camel-tools analyser unavailable (%s: %s); using the rules", type(exc).__name__, exc)
        return None


def clitics_of(analysis: dict) -> frozenset[Clitic] | None:
    """The clitic set of one camel-tools analysis, in the rules' terms; None if it has a clitic the rules lack
    (question أ, negation لا/ما as prefixes)."""
    out: set[Clitic] = set()
    if analysis.get("prc3", "0") not in ("0", "na"):
        return None
    prc2 = analysis.get("prc2", "0")
    if prc2 not in ("0", "na"):
        out.add(("conj", {"w": "و", "f": "ف"}.get(prc2[:1], "?")))
    prc1 = analysis.get("prc1", "0")
    if prc1 not in ("0", "na"):
        if prc1.startswith("wa"):  # oath و: written like the conjunction
            out.add(("conj", "و"))
        else:
            letter = {"b": "ب", "l": "ل", "k": "ك", "s": "س"}.get(prc1[:1])
            if letter is None:
                return None
            out.add(("fut" if letter == "س" else "prep", letter))
    prc0 = analysis.get("prc0", "0")
    if prc0 not in ("0", "na"):
        if not prc0.startswith("Al_"):
            return None
        out.add(("det", "ال"))
    if analysis.get("enc0", "0") not in ("0", "na"):
        out.add(("pron", ""))
    return frozenset(out)


def _piece_clitic(piece, letters: str) -> Clitic | None:
    s, e, role, _ = piece
    if role == "stem":
        return None
    if role == "det":
        return ("det", "ال")
    if role == "pron":
        return ("pron", "")
    return (role, letters[s:e])


def trimmings(pieces: list, letters: str) -> Iterable[list]:
    """The rules' split and its trimmed versions, most clitics first: drop proclitics from the innermost one
    outwards and/or the enclitic, merging what is dropped into the stem."""
    pro = [p for p in pieces if p[2] not in ("stem", "pron")]
    stem = next((p for p in pieces if p[2] == "stem"), None)
    enc = [p for p in pieces if p[2] == "pron"]
    n = len(letters)
    options = []
    for keep_pro in range(len(pro), -1, -1):
        for keep_enc in ((True, False) if enc else (False,)):
            start = pro[keep_pro - 1][1] if keep_pro else 0
            end = enc[0][0] if keep_enc else n
            new = list(pro[:keep_pro])
            if stem is not None and keep_pro == len(pro) and (not enc or keep_enc):
                new.append(stem)  # the untrimmed split keeps its own stem (it may carry a form)
            elif end > start:
                new.append((start, end, "stem", None))
            if keep_enc:
                new.append(enc[0])
            options.append(new)
    options.sort(key=lambda ps: -len(ps))
    return options


class CamelAnalyzer:
    """``analyze(text, norm)`` through the rules, confirmed or trimmed by a camel-tools analyser."""

    def __init__(self, camel) -> None:
        self._camel = camel

    def clitic_sets(self, word: str) -> set[frozenset[Clitic]]:
        """Clitic sets of the database's lexical analyses of ``word`` (empty when it does not know it)."""
        out = set()
        for analysis in self._camel.analyze(word):
            if analysis.get("source", "lex") not in LEXICAL_SOURCES:
                continue
            cl = clitics_of(analysis)
            if cl is not None:
                out.add(cl)
        return out

    def analyze(self, text: str, norm: str) -> tuple[str, tuple[Segment, ...]]:
        letters, where = rules_mod.skeleton(text)
        key = rules_mod.lexicon_key(letters)
        pieces = rules_mod.split_letters(letters, key, rules_mod.final_tanween(text, where))
        fixed = rules_mod.rules().fixed
        listed = key in fixed or key[1:] in fixed  # a listed segmentation (له, ولها) is not second-guessed
        known = self.clitic_sets(letters) if letters and not listed else set()
        if known:
            for option in trimmings(pieces, letters) if pieces else ([],):
                sig = frozenset(c for c in (_piece_clitic(p, letters) for p in option) if c)
                if sig in known:
                    pieces = option if len(option) > 1 else []
                    break
        segments = rules_mod.to_segments(pieces, where, len(text)) if pieces else None
        if not segments:
            return norm, ()
        return rules_mod.lemma_of(pieces, letters), segments
