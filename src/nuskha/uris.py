"""Entity URIs, written once: Wikidata, GeoNames, the authority file and provisional refs.

Every export that names an entity (TEI ``@ref``/``listPrefixDef``, W3C Web Annotation bodies, CSV URI columns, the
HTML edition's links) takes its URIs from here, so one entity has one URI everywhere.

* Wikidata items: ``http://www.wikidata.org/entity/Q720`` (the concept URI Wikidata itself uses in RDF).
* GeoNames features: ``https://sws.geonames.org/1512770/`` (the semantic-web URI GeoNames gives each feature).
* Authority records (``otrar``): ``{BASE}authority/otrar``.
* Provisional refs of names not yet in the authority file (``new:temur``): ``{BASE}new/temur``.

:data:`BASE` is the project's namespace: the one place to change if the project registers another.
"""
from __future__ import annotations

import re
from typing import NamedTuple

#: The project's namespace for its own entities (authority records and provisional refs).
BASE = "https://w3id.org/nuskha/"
WIKIDATA = "http://www.wikidata.org/entity/"
GEONAMES = "https://sws.geonames.org/"
#: How a provisional ref (a name the recogniser found that no authority record holds) starts.
PROVISIONAL = "new:"

_QID = re.compile(r"^Q[1-9][0-9]*$")
_GEONAMES_ID = re.compile(r"^[1-9][0-9]*$")


class Prefix(NamedTuple):
    """A short prefix and how it expands: the data of a TEI ``<prefixDef>``.

    ``pattern`` matches what follows ``prefix:``; ``replacement`` rewrites it to the URI (``$1`` = the match).
    """

    prefix: str
    pattern: str
    replacement: str
    about: str


#: The prefixes a document may use in ``@ref`` (TEI ``listPrefixDef``), most specific first.
PREFIXES: tuple[Prefix, ...] = (
    Prefix("wd", "(Q[1-9][0-9]*)", WIKIDATA + "$1", "Wikidata items"),
    Prefix("gn", "([1-9][0-9]*)", GEONAMES + "$1/", "GeoNames features"),
    Prefix("nuskha", "([a-z0-9]+(-[a-z0-9]+)*)", BASE + "authority/$1", "records of the nuskha authority file"),
    Prefix("new", "(.+)", BASE + "new/$1", "provisional refs of names not (yet) in the authority file"),
)


def wikidata_uri(qid: str | None) -> str | None:
    """``http://www.wikidata.org/entity/Q720`` for ``Q720``; None for None/empty; ValueError for a malformed id."""
    if not qid:
        return None
    if not _QID.match(qid):
        raise ValueError(f"not a Wikidata QID: {qid!r}")
    return WIKIDATA + qid


def geonames_uri(geonames_id: str | int | None) -> str | None:
    """``https://sws.geonames.org/1512770/`` for ``1512770``; None for None/empty."""
    if geonames_id in (None, ""):
        return None
    gid = str(geonames_id)
    if not _GEONAMES_ID.match(gid):
        raise ValueError(f"not a GeoNames id: {geonames_id!r}")
    return f"{GEONAMES}{gid}/"


def ref_uri(ref: str | None) -> str | None:
    """The project URI of a mention's ``ref``: an authority slug or a provisional ``new:`` ref; None for None.

    >>> ref_uri("otrar")
    'https://w3id.org/nuskha/authority/otrar'
    >>> ref_uri("new:temur")
    'https://w3id.org/nuskha/new/temur'
    """
    if not ref:
        return None
    if ref.startswith(PROVISIONAL):
        return BASE + "new/" + _path_part(ref[len(PROVISIONAL):])
    if ":" in ref:  # another scheme (an alignment's translit:KEY): keep it under its own name
        scheme, rest = ref.split(":", 1)
        return f"{BASE}{_path_part(scheme)}/{_path_part(rest)}"
    return BASE + "authority/" + _path_part(ref)


def ref_curie(ref: str | None) -> str | None:
    """The prefixed form of a ref for TEI ``@ref`` (``nuskha:otrar``, ``new:temur``), expanded by :data:`PREFIXES`."""
    if not ref:
        return None
    if ref.startswith(PROVISIONAL):
        return ref
    return "nuskha:" + ref


def expand(curie: str) -> str:
    """A prefixed name (``wd:Q720``, ``gn:1512770``, ``nuskha:otrar``, ``new:x``) as its full URI.

    Anything that is not one of :data:`PREFIXES` is returned unchanged (it is taken to be a URI already).
    """
    if ":" not in curie:
        return curie
    prefix, rest = curie.split(":", 1)
    for p in PREFIXES:
        if p.prefix == prefix:
            m = re.fullmatch(p.pattern, rest)
            if m:
                return p.replacement.replace("$1", m.group(1))
    return curie


def _path_part(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="-._~")
