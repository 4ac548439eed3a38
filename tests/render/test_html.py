"""The shared HTML renderer: escaping, direction, mention offsets over the original text."""
from types import SimpleNamespace as NS

from nuskha import process
from nuskha.render import direction, document_html, page, text_html


def test_text_html_escapes_document_text_and_wraps_mentions_at_their_offsets():
    text = "<script>x</script> بخارى"
    m = NS(start=19, end=24, type="place", ref="bukhara")
    out = text_html(text, [m])
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert '<mark class="m m-place"' in out and 'data-ref="bukhara"' in out
    assert out.endswith(">بخارى</mark>")


def test_overlapping_mentions_keep_the_outermost():
    text = "علاء الدين محمد"
    outer, inner = NS(start=0, end=15, type="person", ref=None), NS(start=11, end=15, type="person", ref=None)
    assert text_html(text, [inner, outer]).count("<mark") == 1


def test_document_blocks_carry_lang_and_dir():
    doc = process("وصل التجار إلى بخارى.\n\nثم رجعوا.", lang="ar")
    out = document_html(doc, [])
    assert out.count('<p class="text" lang="ar" dir="rtl"') == 2
    assert direction("kk") == "ltr" and direction("ar") == "rtl"


def test_page_inlines_the_stylesheet_and_escapes_the_title():
    out = page("<b>", "<p>x</p>")
    assert "mark.m-person" in out and "<title>&lt;b&gt;</title>" in out
