"""One URI per entity: Wikidata, GeoNames, authority and provisional refs, and the prefixes that expand to them."""
import pytest

from nuskha.uris import PREFIXES, expand, geonames_uri, ref_curie, ref_uri, wikidata_uri


def test_wikidata_and_geonames_uris():
    assert wikidata_uri("Q720") == "http://www.wikidata.org/entity/Q720"
    assert geonames_uri(1512770) == "https://sws.geonames.org/1512770/"
    assert wikidata_uri(None) is None and geonames_uri("") is None
    with pytest.raises(ValueError):
        wikidata_uri("720")


def test_authority_and_provisional_refs_get_distinct_uris():
    assert ref_uri("otrar").endswith("/authority/otrar")
    assert ref_uri("new:temur").endswith("/new/temur")
    assert ref_uri("new:a b") .endswith("/new/a%20b")


@pytest.mark.parametrize("ref", ["otrar", "new:temur", "chinggis-khan"])
def test_prefixed_refs_expand_to_the_same_uri(ref):
    assert expand(ref_curie(ref)) == ref_uri(ref)


def test_prefixes_expand_wikidata_and_geonames():
    assert expand("wd:Q720") == wikidata_uri("Q720")
    assert expand("gn:1512770") == geonames_uri("1512770")
    assert {p.prefix for p in PREFIXES} == {"wd", "gn", "nuskha", "new"}
