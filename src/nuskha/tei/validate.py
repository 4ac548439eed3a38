"""Validation of TEI files: RELAX NG (``tei_all``) plus the Schematron rules RELAX NG cannot express.

The schema is compiled once per process (about 10 s for ``tei_all``) and cached. The Schematron file
``tei_all-4.12.0.instance-rules.sch`` is written for XSLT 2 (``tokenize()``, ``gt``), which lxml's XSLT 1
``isoschematron`` cannot run, so the rules nuskha's output could break are hand-coded below as XPath 1 /
Python checks, each under the pattern id it comes from; two nuskha rules are added (an annotation needs a
target; a ``#id`` pointer must resolve). Every problem names the file, the line and the rule.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from lxml import etree

from ..errors import DataError, NuskhaError
from . import TEI_NS, XML_NS
from .read import parse_file

SCHEMA_NAME = "tei_all-4.12.0.rng"
RNG_RULE = "tei_all-4.12.0.rng"
NS = {"tei": TEI_NS}
XML_ID = "{%s}id" % XML_NS
_RANGE_ID = re.compile(r"string-range\(\s*(?://\*\[@xml:id='([^']+)'\]|id\('([^']+)'\)|([^,\s]+))")


@dataclass(frozen=True)
class Problem:
    """One finding: ``level`` is ``error`` (schema or fatal rule) or ``warning`` (Schematron ``nonfatal``)."""

    file: str
    line: int
    rule: str
    message: str
    level: str = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.level}: [{self.rule}] {self.message}"

    def to_json(self) -> dict:
        return {"file": self.file, "line": self.line, "rule": self.rule, "message": self.message,
                "level": self.level}


def default_schema() -> Path:
    """``$NUSKHA_TEI_SCHEMA``, else ``../shared/tei/`` beside the project (or beside the working directory)."""
    env = os.environ.get("NUSKHA_TEI_SCHEMA")
    if env:
        return Path(env)
    for root in (Path(__file__).resolve().parents[3], Path.cwd()):
        candidate = root.parent / "shared" / "tei" / SCHEMA_NAME
        if candidate.exists():
            return candidate
    raise DataError("no TEI schema found: give --schema or set NUSKHA_TEI_SCHEMA", f"../shared/tei/{SCHEMA_NAME}")


@lru_cache(maxsize=4)
def relaxng(path: str) -> etree.RelaxNG:
    """The compiled schema (cached: compile once per process)."""
    p = Path(path)
    if not p.is_file():
        raise DataError("schema not found", str(p))
    try:
        return etree.RelaxNG(etree.parse(str(p), etree.XMLParser(resolve_entities=False, no_network=True)))
    except (etree.RelaxNGParseError, etree.XMLSyntaxError) as exc:
        raise DataError(f"cannot compile schema: {exc}", str(p)) from None


# --- Schematron rules, hand-coded ------------------------------------------------------------------------------

Rule = Callable[[etree._Element], Iterable[tuple[etree._Element, str]]]
P = "tei_all-"


def _xpath_rule(context: str, test: str, message: str, report: bool = True) -> Rule:
    """``report``: a problem where ``test`` holds; else (assert) where it fails."""
    find = etree.XPath(context, namespaces=NS)
    check = etree.XPath(f"boolean({test})", namespaces=NS)

    def run(root: etree._Element):
        for el in find(root):
            if bool(check(el)) == report:
                yield el, message
    return run


def _two_targets(context: str, what: str) -> Rule:
    find = etree.XPath(context, namespaces=NS)

    def run(root: etree._Element):
        for el in find(root):
            if len((el.get("target") or "").split()) < 2:
                yield el, f"You must supply at least two values for @target on <{what}>."
    return run


def _p_in_p(root: etree._Element):
    allowed = {"exemplum", "item", "note", "q", "quote", "remarks", "said", "sp", "stage", "cell", "figure"}
    for el in root.iterfind(".//tei:p", NS):
        anc = [etree.QName(a).localname for a in el.iterancestors() if isinstance(a.tag, str)]
        parent = anc[0] if anc else ""
        if ("ab" in anc or "p" in anc) and "floatingText" not in anc and parent not in allowed:
            yield el, "Abstract model violation: Paragraphs may not occur inside other paragraphs or <ab> elements."


def _calendar_content(root: etree._Element):
    for el in root.iterfind(".//*[@calendar]"):
        if not "".join(el.itertext()).strip():
            yield el, ("@calendar indicates one or more systems or calendars to which the date represented by "
                       "the content of this element belongs, but this element has no textual content.")


def _annotation_target(root: etree._Element):
    for el in root.iterfind(".//tei:annotation", NS):
        if not (el.get("target") or "").strip():
            yield el, "<annotation> must point at what it annotates with @target."


#: Attributes whose values are pointers (one or several); a local ``#id`` among them must exist.
POINTER_ATTRS = ("target", "ref", "corresp", "ana", "resp", "rendition", "datingMethod", "calendar", "from", "to",
                 "spanTo", "source", "sameAs", "next", "prev")


_ALL_IDS = etree.XPath("//@xml:id", smart_strings=False)
_HASH_ATTRS = etree.XPath("//@*[contains(., '#')]")


def _pointers_resolve(root: etree._Element):
    ids = set(_ALL_IDS(root))
    for value in _HASH_ATTRS(root):
        attr = value.attrname
        if attr not in POINTER_ATTRS:
            continue
        m = _RANGE_ID.search(value)
        refs = [next(g for g in m.groups() if g).lstrip("#")] if m else \
            [v[1:] for v in value.split() if v.startswith("#")]
        for ref in refs:
            if ref not in ids:
                yield value.getparent(), f"@{attr} points at #{ref}, which no element in the file has as xml:id."


def _span_to_follows(root: etree._Element):
    spanning = root.findall(".//*[@spanTo]")
    if not spanning:
        return
    ids = {el.get(XML_ID): el for el in root.iter() if isinstance(el.tag, str) and el.get(XML_ID)}
    order = {el: n for n, el in enumerate(root.iter())}
    for el in spanning:
        target = ids.get(el.get("spanTo", "").lstrip("#"))
        if el.get("spanTo", "").startswith("#") and (target is None or order[target] <= order[el]):
            yield el, f"The element indicated by @spanTo ({el.get('spanTo')}) must follow the current element."


#: (rule id, level, check). Ids are the Schematron pattern ids of tei_all-4.12.0.instance-rules.sch.
RULES: tuple[tuple[str, str, Rule], ...] = (
    (P + "att.datable.w3c-att-datable-w3c-when-constraint-rule-2", "warning",
     _xpath_rule(".//*[@when]", "@notBefore or @notAfter or @from or @to",
                 "The @when attribute cannot be used with any other att.datable.w3c attributes.")),
    (P + "att.datable.w3c-att-datable-w3c-from-constraint-rule-3", "warning",
     _xpath_rule(".//*[@from]", "@notBefore", "The @from and @notBefore attributes cannot be used together.")),
    (P + "att.datable.w3c-att-datable-w3c-to-constraint-rule-4", "warning",
     _xpath_rule(".//*[@to]", "@notAfter", "The @to and @notAfter attributes cannot be used together.")),
    (P + "att.spanning-spanTo-spanTo-points-to-following-constraint-rule-7", "error", _span_to_follows),
    (P + "att.typed-subtypeTyped-constraint-rule-9", "error",
     _xpath_rule(".//*[@subtype]", "@type", "An element should not be categorized in detail with @subtype unless "
                 "also categorized in general with @type.", report=False)),
    (P + "att.calendarSystem-calendar-calendar_attr_on_empty_element-constraint-rule-10", "error",
     _calendar_content),
    (P + "p-abstractModel-structure-p-in-ab-or-p-constraint-rule-11", "error", _p_in_p),
    (P + "ptr-ptrAtts-constraint-rule-17", "error",
     _xpath_rule(".//tei:ptr", "@target and @cRef", "Only one of the attributes @target and @cRef may be supplied "
                 "on <ptr>.")),
    (P + "ref-refAtts-constraint-rule-18", "error",
     _xpath_rule(".//tei:ref", "@target and @cRef", "Only one of the attributes @target and @cRef may be supplied "
                 "on <ref>.")),
    (P + "s-noNestedS-constraint-rule-30", "error",
     _xpath_rule(".//tei:s", "tei:s", "You may not nest one <s> element within another: use <seg> instead.")),
    (P + "span-target-from-constraint-rule-31", "error",
     _xpath_rule(".//tei:span", "@from and @target", "Only one of the attributes @target and @from may be "
                 "supplied on <span>.")),
    (P + "span-targetto-constraint-rule-32", "error",
     _xpath_rule(".//tei:span", "@to and @target", "Only one of the attributes @target and @to may be supplied "
                 "on <span>.")),
    (P + "span-tonotfrom-constraint-rule-33", "error",
     _xpath_rule(".//tei:span", "@to and not(@from)", "If @to is supplied on <span>, @from must be supplied as "
                 "well.")),
    (P + "span-tofrom-constraint-rule-34", "error",
     _xpath_rule(".//tei:span", "contains(normalize-space(@to),' ') or contains(normalize-space(@from),' ')",
                 "The attributes @to and @from on <span> may each contain only a single value.")),
    (P + "link-linkTargets3-constraint-rule-55", "error", _two_targets(".//tei:link", "link")),
    (P + "join-joinTargets3-constraint-rule-57", "error", _two_targets(".//tei:join", "join")),
    ("nuskha-annotation-target", "error", _annotation_target),
    ("nuskha-pointer-resolves", "error", _pointers_resolve),
)


def check_rules(tree: etree._ElementTree | etree._Element, file: str = "<tei>") -> list[Problem]:
    """The hand-coded Schematron (and nuskha) rules over a parsed tree."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    problems = []
    for rule_id, level, rule in RULES:
        for el, message in rule(root):
            problems.append(Problem(file, el.sourceline or 0, rule_id, message, level))
    return problems


def check_schema(tree: etree._ElementTree, schema: str | os.PathLike | None = None,
                 file: str = "<tei>") -> list[Problem]:
    rng = relaxng(str(schema or default_schema()))
    if rng.validate(tree):
        return []
    return [Problem(file, e.line, RNG_RULE, e.message) for e in rng.error_log]


def validate_tree(tree: etree._ElementTree, schema: str | os.PathLike | None = None, file: str = "<tei>",
                  rules: bool = True) -> list[Problem]:
    problems = check_schema(tree, schema, file)
    if rules:
        problems += check_rules(tree, file)
    return sorted(problems, key=lambda p: (p.line, p.rule))


def validate_file(path: str | os.PathLike, schema: str | os.PathLike | None = None,
                  rules: bool = True) -> list[Problem]:
    """All problems of one file (parsed with the secure parser: a hostile file raises XMLError)."""
    return validate_tree(parse_file(path), schema, str(path), rules)


def validate(paths: Iterable[str | os.PathLike], schema: str | os.PathLike | None = None,
             rules: bool = True) -> dict[str, list[Problem]]:
    """File -> problems; unreadable files give one problem with rule ``xml`` instead of stopping the run."""
    out: dict[str, list[Problem]] = {}
    for path in paths:
        try:
            out[str(path)] = validate_file(path, schema, rules)
        except NuskhaError as exc:
            if isinstance(exc, DataError):  # the schema itself is missing or broken: nothing can be checked
                raise
            line = int(str(exc.position).split(":")[0]) if exc.position and \
                str(exc.position).split(":")[0].isdigit() else 0
            out[str(path)] = [Problem(str(path), line, "xml", exc.message)]
    return out
