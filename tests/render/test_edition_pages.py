"""The edition's pages as files (no browser): what they say, that they need nothing from the network, that text
can never become markup, and how values are described."""
from __future__ import annotations

import re

import pytest

from nuskha import Mention, process
from nuskha.render.edition import write_edition
from nuskha.render.entities import value_lines
from tests.conftest import AR_TEXT, CORPUS, KK_TEXT


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    from nuskha.build import build

    out = tmp_path_factory.mktemp("edition")
    build(CORPUS, out)
    return out / "html"


def test_edition_has_index_documents_indexes_and_parallel_view(edition):
    names = {p.name for p in edition.iterdir()}
    assert {"index.html", "persons.html", "places.html", "groups.html", f"doc-{AR_TEXT.stem}.html",
            f"doc-{KK_TEXT.stem}.html", f"parallel-{AR_TEXT.stem}--{KK_TEXT.stem}.html"} <= names
    index = (edition / "index.html").read_text(encoding="utf-8")
    for name in names - {"index.html"}:
        assert f'href="{name}"' in index, name  # every page is reachable from the front page
    assert not [p for p in edition.iterdir() if p.name.startswith(".")]


def test_pages_load_nothing_from_outside(edition):
    for page in edition.iterdir():
        html = page.read_text(encoding="utf-8")
        assert not re.search(r'<(script|img|iframe)[^>]+src=|<link[^>]+href=|@import|url\(', html), page.name


def test_index_entry_lists_occurrences_in_both_languages(edition):
    html = (edition / "persons.html").read_text(encoding="utf-8")
    entry = html[html.index('id="e-temur-malik"'):]
    entry = entry[:entry.index("</section>")]
    assert f'href="doc-{AR_TEXT.stem}.html#m-' in entry and f'href="doc-{KK_TEXT.stem}.html#m-' in entry
    assert 'lang="ar" dir="rtl">تيمور ملك</a>' in entry and 'lang="kk" dir="ltr">Темір-Мәлік</a>' in entry
    # every occurrence link points at a mark that exists on the document page
    for doc_id, start in re.findall(r'href="doc-([^"#]+)\.html#m-(\d+)"', entry):
        assert f'id="m-{start}"' in (edition / f"doc-{doc_id}.html").read_text(encoding="utf-8")


def test_map_or_a_note(edition):
    index = (edition / "index.html").read_text(encoding="utf-8")
    if (edition / "map.html").exists():
        svg = (edition / "map.html").read_text(encoding="utf-8")
        assert "<svg" in svg and 'href="places.html#e-bukhara"' in svg
    else:
        assert "No map:" in index


def test_document_text_cannot_become_markup(tmp_path):
    doc = process("وصل جنكيز خان إلى بخارى وسمرقند وخوارزم والمغول </script><script>alert(1)</script> <b>x</b>",
                  lang="ar", annotate=True)
    doc.meta["title"] = "<img src=x onerror=alert(1)>"
    start = doc.text.index("</script>")
    end = doc.text.index("<b>") - 1
    doc.mentions.append(Mention(start, end, doc.text[start:end], "group", "new:</script><script>alert(2)"))
    files = write_edition([doc], tmp_path)
    html = (tmp_path / "html" / "doc-doc.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<b>x</b>" not in html and "<img src=x" not in html
    data = html[html.index('id="nuskha-data">'):]
    data = data[:data.index("</script>")]  # where the browser ends the data block: after all of it
    assert data.endswith("}") and "\\u003c/script>\\u003cscript>alert(1)\\u003c/script>" in data
    assert len(files) >= 5


def test_readings_wrap_each_normalisation():
    from nuskha.render.edition import reading_piece, readings

    doc = process("إلى بخارى", lang="ar")
    records = readings(doc)
    out = reading_piece(doc.text, records)(0, len(doc.text))
    assert out.count('<span class="rd"') == len(records) > 0
    assert re.sub(r'<span class="reg">.*?</span>|<[^>]+>', "", out) == doc.text  # the original, as written


def test_value_lines_name_each_calendar():
    lines = dict(value_lines("date", {"hijri": "616-12-04", "ce": "1220-02-10", "gregorian": "1220-02-17",
                                      "inferred": {"year": 616, "year_from": "heading", "from_text": "سنة ست عشرة"}}))
    assert lines["Hijri"] == "616-12-04" and lines["Julian (as written)"] == "1220-02-10"
    assert lines["proleptic Gregorian"] == "1220-02-17" and lines["inferred year"].startswith("616 (from the heading")
    troops = dict(value_lines("troops", {"quantity": 70000, "unit": "soldier", "approx": True, "bound": "more_than"}))
    assert troops == {"quantity": "70,000", "unit": "soldier", "bound": "more than", "approximate": "yes"}


def test_links_reach_pages_of_documents_whose_ids_hold_spaces_hashes_and_letters(tmp_path):
    """A document id is a file stem, and users name files "Ibn al-Athir vol#12 ٦١٧": every link of the index, the
    persons index and the navigation must still open the page written for it (percent-encoded, then resolved the
    way a browser resolves a relative link)."""
    from urllib.parse import unquote, urlsplit

    doc = process("ثم سار جلال الدين إلى غزنة.", lang="ar", id="Ibn al-Athir vol#12 ٦١٧", annotate=True)
    write_edition([doc], tmp_path)
    tmp_path = tmp_path / "html"
    page_file = tmp_path / "doc-Ibn al-Athir vol#12 ٦١٧.html"
    assert page_file.is_file()
    for name in ("index.html", "persons.html", page_file.name):
        hrefs = re.findall(r'href="([^"]+)"', (tmp_path / name).read_text(encoding="utf-8"))
        local = [h for h in hrefs if not urlsplit(h).scheme and not h.startswith("#")]
        assert local, name
        for h in local:
            path = unquote(urlsplit(h).path)
            assert (tmp_path / path).is_file(), (name, h)
