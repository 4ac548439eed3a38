"""Mentions against gold: precision, recall and F1 per type (exact span; overlap), ref and value agreement.

Gold and system mentions are dicts with ``start``, ``end``, ``type`` and optionally ``ref``, ``value``, ``note``
(the gold files and ``nuskha annotate --format json`` share that shape). A mention is *attributive* when its note
says so (``"attributive"`` anywhere in it, as in the gold notes); such group mentions are counted by default and
left out of both sides with ``attributive=False``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any, Callable, Iterable

from ..errors import DataError
from ..io import read_json

TYPES = ("person", "place", "group", "date", "troops")
REF_TYPES = frozenset({"person", "place", "group"})
VALUE_TYPES = frozenset({"date", "troops"})


@dataclass
class TypeScore:
    """Counts for one mention type (or ``all``)."""

    type: str
    gold: int = 0
    system: int = 0
    exact: int = 0  # system mentions with the same span and type as a gold one
    overlap: int = 0  # one-to-one pairs of overlapping spans of the same type
    ref_pairs: int = 0  # exact pairs where gold has a ref
    ref_agree: int = 0
    value_pairs: int = 0  # exact pairs where gold has a value
    value_agree: int = 0

    @staticmethod
    def _prf(tp: int, n_sys: int, n_gold: int) -> tuple[float, float, float]:
        p = tp / n_sys if n_sys else (1.0 if not n_gold else 0.0)
        r = tp / n_gold if n_gold else (1.0 if not n_sys else 0.0)
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def exact_prf(self) -> tuple[float, float, float]:
        return self._prf(self.exact, self.system, self.gold)

    @property
    def overlap_prf(self) -> tuple[float, float, float]:
        return self._prf(self.overlap, self.system, self.gold)

    @property
    def ref_agreement(self) -> float | None:
        return self.ref_agree / self.ref_pairs if self.ref_pairs else None

    @property
    def value_agreement(self) -> float | None:
        return self.value_agree / self.value_pairs if self.value_pairs else None

    def to_json(self) -> dict[str, Any]:
        ep, er, ef = self.exact_prf
        op, orr, of = self.overlap_prf
        return {"type": self.type, "gold": self.gold, "system": self.system,
                "exact": {"p": round(ep, 4), "r": round(er, 4), "f1": round(ef, 4), "tp": self.exact},
                "overlap": {"p": round(op, 4), "r": round(orr, 4), "f1": round(of, 4), "tp": self.overlap},
                "ref_agreement": None if self.ref_agreement is None else round(self.ref_agreement, 4),
                "ref_pairs": self.ref_pairs,
                "value_agreement": None if self.value_agreement is None else round(self.value_agreement, 4),
                "value_pairs": self.value_pairs}


@dataclass
class MentionScores:
    by_type: dict[str, TypeScore] = field(default_factory=dict)
    total: TypeScore = field(default_factory=lambda: TypeScore("all"))
    attributive: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"attributive_counted": self.attributive,
                "types": [s.to_json() for s in self.by_type.values()], "all": self.total.to_json()}


def is_attributive(m: dict[str, Any]) -> bool:
    return "attributive" in (m.get("note") or "")


def value_comparer() -> Callable[[str, Any, Any], bool]:
    """``(type, gold value, system value) -> bool``: the dates helper's comparison when present, else equality."""
    try:
        values = import_module("nuskha.evaluate.values")
    except ImportError:
        values = None
    for name in ("values_agree", "value_agrees", "same_value", "compare_values", "values_match", "value_match"):
        fn = getattr(values, name, None) if values else None
        if callable(fn):
            def compare(type_: str, gold: Any, system: Any, fn=fn) -> bool:
                try:
                    return bool(fn(type_, gold, system))
                except TypeError:
                    return bool(fn(gold, system))
            return compare
    return lambda type_, gold, system: gold == system


def _overlap_pairs(gold: list[dict], system: list[dict]) -> int:
    """One-to-one pairs of overlapping spans, greedily by overlap size (exact pairs first)."""
    cands = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(system):
            ov = min(g["end"], s["end"]) - max(g["start"], s["start"])
            if ov > 0:
                cands.append((-(g["start"] == s["start"] and g["end"] == s["end"]), -ov, gi, si))
    cands.sort()
    used_g, used_s, n = set(), set(), 0
    for _, _, gi, si in cands:
        if gi not in used_g and si not in used_s:
            used_g.add(gi)
            used_s.add(si)
            n += 1
    return n


def score_mentions(gold: Iterable[dict], system: Iterable[dict], types: Iterable[str] | None = None,
                   attributive: bool = True) -> MentionScores:
    """Score ``system`` against ``gold`` per type; see the module docstring for what counts."""
    wanted = tuple(types) if types else TYPES
    keep = (lambda m: m["type"] in wanted and (attributive or not is_attributive(m)))
    gold = [m for m in gold if keep(m)]
    system = [m for m in system if keep(m)]
    same_value = value_comparer()
    scores = MentionScores(attributive=attributive)
    for t in wanted:
        g = [m for m in gold if m["type"] == t]
        s = [m for m in system if m["type"] == t]
        if not g and not s:
            continue
        sc = TypeScore(t, gold=len(g), system=len(s))
        by_span = {(m["start"], m["end"]): m for m in s}
        for gm in g:
            sm = by_span.pop((gm["start"], gm["end"]), None)
            if sm is None:
                continue
            sc.exact += 1
            if t in REF_TYPES and gm.get("ref"):
                sc.ref_pairs += 1
                sc.ref_agree += gm.get("ref") == sm.get("ref")
            if t in VALUE_TYPES and gm.get("value") is not None:
                sc.value_pairs += 1
                sc.value_agree += same_value(t, gm.get("value"), sm.get("value"))
        sc.overlap = _overlap_pairs(g, s)
        scores.by_type[t] = sc
        tot = scores.total
        for name in ("gold", "system", "exact", "overlap", "ref_pairs", "ref_agree", "value_pairs", "value_agree"):
            setattr(tot, name, getattr(tot, name) + getattr(sc, name))
    return scores


def read_mentions(path: str | Path, lang: str | None = None) -> tuple[list[dict], str | None]:
    """Mentions of a JSON file (gold or ``nuskha annotate`` output), or of a text file annotated now."""
    p = Path(path)
    if p.suffix == ".json":
        data = read_json(p)
        mentions = data.get("mentions") if isinstance(data, dict) else data
        if not isinstance(mentions, list):
            raise DataError("no mention list (expected {\"mentions\": [...]} or a list)", str(p))
        for k, m in enumerate(mentions):
            if not isinstance(m, dict) or not {"start", "end", "type"} <= m.keys() \
                    or not isinstance(m["start"], int) or not isinstance(m["end"], int):
                raise DataError("mention needs integer start, end and a type", str(p), f"mention {k}")
        return mentions, (data.get("lang") if isinstance(data, dict) else None)
    from ..pipeline import load

    doc = load(p, lang, annotate=True)
    return [m.to_json() for m in doc.mentions], doc.lang


def evaluate_mentions(gold_path: str | Path, system_path: str | Path, types: Iterable[str] | None = None,
                      attributive: bool = True, lang: str | None = None,
                      without_records: Iterable[str] = (), without_evidence: Iterable[str] = ()) -> MentionScores:
    """Scores of SYSTEM against GOLD. ``without_records`` (types such as ``person``) annotates a text SYSTEM file
    with every authority record of those types removed: how much the context rules find on their own;
    ``without_evidence`` (kinds such as ``dev``) removes every record whose only evidence is of those kinds."""
    gold, gold_lang = read_mentions(gold_path)
    without_records, without_evidence = tuple(without_records), tuple(without_evidence)
    if not without_records and not without_evidence:
        system, _ = read_mentions(system_path, lang or gold_lang)
        return score_mentions(gold, system, types, attributive)
    if Path(system_path).suffix == ".json":
        raise DataError("records can be removed only when SYSTEM is a text file to annotate now", str(system_path))
    from ..annotate.entities import use_authority

    use_authority(reduced_authority(without_records, without_evidence))
    try:
        system, _ = read_mentions(system_path, lang or gold_lang)
    finally:
        use_authority(None)
    return score_mentions(gold, system, types, attributive)


def reduced_authority(without_types: Iterable[str] = (), without_evidence: Iterable[str] = ()):
    """The project's authority less every record of ``without_types`` and every record whose only evidence is
    of the kinds ``without_evidence``."""
    from ..authority import load_authority

    authority = load_authority()
    if tuple(without_types):
        authority = authority.without_types(*without_types)
    if tuple(without_evidence):
        authority = authority.without_evidence(*without_evidence)
    return authority


#: Evidence a record must not rest on alone for the "what generalises" figures: a dev text.
DEV_EVIDENCE = ("dev",)


def count_dev_only_records() -> int:
    """How many records of the project's authority rest on a dev text alone (check_authority forbids any)."""
    from ..authority import load_authority

    full = load_authority()
    return len(full.records) - len(full.without_evidence(*DEV_EVIDENCE).records)


def mention_pairs(paths: Iterable[str | Path]) -> list[tuple[str, Path, Path]]:
    """``(name, gold, system)`` for ``GOLD SYSTEM [GOLD SYSTEM ...]`` or for folders holding ``NAME.gold.json``
    beside ``NAME.txt`` (every gold file of the folder, in name order)."""
    paths = [Path(p) for p in paths]
    pairs: list[tuple[str, Path, Path]] = []
    rest: list[Path] = []
    for p in paths:
        if p.is_dir():
            golds = sorted(p.glob("*.gold.json"))
            if not golds:
                raise DataError("no NAME.gold.json in the folder", str(p))
            for g in golds:
                name = g.name[:-len(".gold.json")]
                text = g.with_name(name + ".txt")
                if not text.exists():
                    raise DataError(f"no text {text.name} beside the gold file", str(g))
                pairs.append((name, g, text))
        else:
            rest.append(p)
    if len(rest) % 2:
        raise DataError("expected GOLD SYSTEM pairs (or folders of NAME.gold.json + NAME.txt)", str(rest[-1]))
    for g, sys_path in zip(rest[::2], rest[1::2]):
        name = g.name[:-len(".gold.json")] if g.name.endswith(".gold.json") else g.stem
        pairs.append((name, g, sys_path))
    return pairs


def pool_scores(all_scores: Iterable[MentionScores]) -> MentionScores:
    """The counts of several texts' scores added up (micro-averaged P/R/F1 and agreements)."""
    pooled = MentionScores()
    names = ("gold", "system", "exact", "overlap", "ref_pairs", "ref_agree", "value_pairs", "value_agree")
    for scores in all_scores:
        pooled.attributive = scores.attributive
        for t, sc in scores.by_type.items():
            into = pooled.by_type.setdefault(t, TypeScore(t))
            for name in names:
                setattr(into, name, getattr(into, name) + getattr(sc, name))
        for name in names:
            setattr(pooled.total, name, getattr(pooled.total, name) + getattr(scores.total, name))
    pooled.by_type = {t: pooled.by_type[t] for t in TYPES if t in pooled.by_type}
    return pooled


def format_scores(scores: MentionScores) -> str:
    """A fixed-width table for reading by eye."""
    lines = [f"{'type':<8} {'gold':>5} {'sys':>5}  {'P':>6} {'R':>6} {'F1':>6}  |  {'P~':>6} {'R~':>6} {'F1~':>6}  "
             f"|  {'ref':>6} {'value':>6}"]
    for sc in [*scores.by_type.values(), scores.total]:
        ep, er, ef = sc.exact_prf
        op, orr, of = sc.overlap_prf
        ref = "-" if sc.ref_agreement is None else f"{sc.ref_agreement:.3f}"
        val = "-" if sc.value_agreement is None else f"{sc.value_agreement:.3f}"
        lines.append(f"{sc.type:<8} {sc.gold:>5} {sc.system:>5}  {ep:>6.3f} {er:>6.3f} {ef:>6.3f}  |  "
                     f"{op:>6.3f} {orr:>6.3f} {of:>6.3f}  |  {ref:>6} {val:>6}")
    lines.append("exact span left of |, overlap (~) right; ref = ref agreement on exact matches; "
                 f"attributive group mentions {'COUNTED' if scores.attributive else 'EXCLUDED'}")
    return "\n".join(lines)
