"""The query language of ``nuskha search``: names and phrases, AND / OR / NOT, NEAR/n, and field filters.

::

    Temur Malik                 a name: adjacent words are one name, in any script (the default)
    "جلال الدين"                a phrase: the words in this order; OR, AND, NEAR inside quotes are words
    المغول OR التتر             either
    Otrar AND Bukhara           both, in the same document
    Chinggis NOT Jochi          the first, in documents without the second (also AND NOT)
    otrar NEAR/5 bukhara        both, at most 5 words apart (NEAR alone: 10)
    (Otrar OR Bukhara) AND Chinggis
    ref:otrar                   every mention of one authority ref (and its names in the text)
    type:place  lang:kk  doc:NAME
                                filters on the whole query: mention type, document language, document name
                                (``doc:`` takes a name or a prefix ending in ``*``)
    تيمور*                      a word ending in * also matches as the start of longer words

Operators are upper case (``or`` is a word). A malformed query raises :class:`QuerySyntaxError`, one line with
the 1-based column of the offending character; it never silently matches nothing.

The parser is a small recursive descent over a list of lexical tokens; it knows nothing of the index.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..document import MENTION_TYPES
from ..errors import InputError

#: The distance of a bare NEAR, in words.
DEFAULT_NEAR = 10
FIELDS = ("type", "ref", "lang", "doc")
_LETTER = regex.compile(r"[\p{L}\p{N}]")


class QuerySyntaxError(InputError):
    """A malformed query: ``query:COLUMN: message``."""

    def __init__(self, message: str, query: str, column: int):
        super().__init__(f"{message} in {query!r}", "query", f"column {column}")
        self.column = column


# --- the tree ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Name:
    """Words to find as one name or phrase (``phrase``: written in quotes); ``prefix``: the last word ended
    in ``*``."""

    text: str
    phrase: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class RefTerm:
    ref: str


@dataclass(frozen=True)
class And:
    left: object
    right: object


@dataclass(frozen=True)
class Or:
    left: object
    right: object


@dataclass(frozen=True)
class Not:
    """``left`` in documents where ``right`` does not occur."""

    left: object
    right: object


@dataclass(frozen=True)
class Near:
    left: object
    right: object
    distance: int


@dataclass
class Query:
    """A parsed query: its tree and the filters on the whole of it."""

    tree: object
    types: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)

    @property
    def is_single_name(self) -> bool:
        return isinstance(self.tree, Name)


# --- lexing -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Tok:
    kind: str  # word phrase lparen rparen and or not near field
    text: str
    pos: int  # 0-based offset in the query
    value: object = None


_OPERATORS = {"AND": "and", "OR": "or", "NOT": "not"}
_NEAR = regex.compile(r"NEAR(?:/(\S*))?")


def _lex(query: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
            continue
        if ch in "()":
            toks.append(_Tok("lparen" if ch == "(" else "rparen", ch, i))
            i += 1
            continue
        if ch in "\"“”«»":
            close = query.find('"' if ch == '"' else {"“": "”", "«": "»"}.get(ch, ch), i + 1)
            if ch == "”" or close < 0:
                raise QuerySyntaxError("unclosed quotation mark", query, i + 1)
            inner = query[i + 1:close]
            if not _LETTER.search(inner):
                raise QuerySyntaxError("empty phrase", query, i + 1)
            toks.append(_Tok("phrase", inner, i))
            i = close + 1
            continue
        j = i
        while j < n and not query[j].isspace() and query[j] not in "()\"“”«»":
            j += 1
        word = query[i:j]
        if word in _OPERATORS:
            toks.append(_Tok(_OPERATORS[word], word, i))
        elif (m := _NEAR.fullmatch(word)) is not None:
            arg = m.group(1)
            if arg is None:
                distance = DEFAULT_NEAR
            elif arg.isdigit() and 0 < int(arg) <= 1000:
                distance = int(arg)
            else:
                raise QuerySyntaxError("NEAR/n needs a whole number of words from 1 to 1000", query, i + 6)
            toks.append(_Tok("near", word, i, distance))
        elif ":" in word and word.split(":", 1)[0].lower() in FIELDS:
            name, value = word.split(":", 1)
            if not value:
                raise QuerySyntaxError(f"{name}: needs a value", query, i + len(name) + 2)
            toks.append(_Tok("field", word, i, (name.lower(), value)))
        else:
            toks.append(_Tok("word", word, i))
        i = j
    return toks


# --- parsing ----------------------------------------------------------------------------------------------

class _Parser:
    def __init__(self, query: str):
        self.query = query
        self.toks = _lex(query)
        self.i = 0
        self.filters = Query(None)

    def error(self, message: str, tok: _Tok | None = None) -> QuerySyntaxError:
        pos = tok.pos if tok is not None else len(self.query)
        return QuerySyntaxError(message, self.query, pos + 1)

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def parse(self) -> Query:
        self._take_filters()
        if self.peek() is None:
            raise self.error("nothing to search for: give a name, a phrase or ref:REF")
        tree = self.parse_or()
        tok = self.peek()
        if tok is not None:
            raise self.error("unmatched closing parenthesis" if tok.kind == "rparen" else "unexpected " + tok.text,
                             tok)
        self.filters.tree = tree
        return self.filters

    def _take_filters(self) -> None:
        """Filters (type:, lang:, doc:) apply to the whole query wherever they are written: lift them out."""
        kept = []
        for tok in self.toks:
            if tok.kind == "field" and tok.value[0] != "ref":
                name, value = tok.value
                if name == "type":
                    if value not in MENTION_TYPES:
                        raise QuerySyntaxError(f"type: is one of {', '.join(MENTION_TYPES)}", self.query,
                                               tok.pos + 6)
                    self.filters.types.append(value)
                elif name == "lang":
                    self.filters.langs.append(value)
                else:
                    self.filters.docs.append(value)
            else:
                kept.append(tok)
        self.toks = kept

    def parse_or(self):
        left = self.parse_and()
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.i += 1
            left = Or(left, self.parse_and(after=tok))
        return left

    def parse_and(self, after: _Tok | None = None):
        left = self.parse_near(after)
        while (tok := self.peek()) is not None and tok.kind in ("and", "not", "word", "phrase", "lparen", "field"):
            if tok.kind == "and":
                self.i += 1
                nxt = self.peek()
                if nxt is not None and nxt.kind == "not":
                    self.i += 1
                    left = Not(left, self.parse_near(nxt))
                else:
                    left = And(left, self.parse_near(tok))
            elif tok.kind == "not":
                self.i += 1
                left = Not(left, self.parse_near(tok))
            else:  # two terms side by side: both must occur
                left = And(left, self.parse_near(tok))
        return left

    def parse_near(self, after: _Tok | None = None):
        left = self.parse_primary(after)
        while (tok := self.peek()) is not None and tok.kind == "near":
            self.i += 1
            left = Near(left, self.parse_primary(tok), tok.value)
        return left

    def parse_primary(self, after: _Tok | None = None):
        tok = self.peek()
        if tok is None:
            if after is not None:
                raise self.error(f"{after.text} needs a term after it", after)
            raise self.error("missing a term")
        if tok.kind == "lparen":
            self.i += 1
            if (nxt := self.peek()) is None:
                raise self.error("unclosed parenthesis", tok)
            if nxt.kind == "rparen":
                raise self.error("empty parentheses", tok)
            inner = self.parse_or()
            close = self.peek()
            if close is None or close.kind != "rparen":
                raise self.error("unclosed parenthesis", tok)
            self.i += 1
            return inner
        if tok.kind == "phrase":
            self.i += 1
            return Name(" ".join(tok.text.split()), phrase=True)
        if tok.kind == "field":  # only ref: is left in the stream
            self.i += 1
            return RefTerm(tok.value[1])
        if tok.kind == "word":
            words = []
            while (w := self.peek()) is not None and w.kind == "word":
                words.append(w)
                self.i += 1
            text = " ".join(w.text for w in words)
            prefix = text.endswith("*")
            if not _LETTER.search(text):
                raise self.error("not a word (letters or digits)", words[0])
            return Name(text, prefix=prefix)
        if tok.kind == "not":
            raise self.error("NOT needs a term before it (A NOT B)", tok)
        raise self.error(f"{tok.text} needs a term before it", tok)


def parse_query(query: str) -> Query:
    """Parse a query string (see the module docstring); raises :class:`QuerySyntaxError` with the column.

    >>> parse_query("otrar NEAR/5 bukhara").tree
    Near(left=Name(text='otrar', phrase=False, prefix=False), right=Name(text='bukhara', phrase=False, prefix=False), distance=5)
    """
    return _Parser(query).parse()


def names_in(tree) -> list[Name]:
    """Every :class:`Name` of a tree, left to right."""
    if isinstance(tree, Name):
        return [tree]
    if isinstance(tree, (And, Or, Not, Near)):
        return names_in(tree.left) + names_in(tree.right)
    return []
