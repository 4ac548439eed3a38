"""The HTML KWIC page in a real browser (Debian's chromium through Playwright): the keyword column is aligned
across Arabic and Kazakh lines and, in Arabic lines, the preceding context stands to the right of the keyword.
The layout is read from the rendered page's bounding boxes; a screenshot is saved beside the page."""
from __future__ import annotations

from nuskha.render.kwic import kwic_page
from nuskha.search import Searcher


BOXES = """() => [...document.querySelectorAll('.kwic-line')].map(line => {
  const box = sel => { const r = line.querySelector(sel).getBoundingClientRect();
                       return {left: r.left, right: r.right, width: r.width}; };
  return {dir: line.dir, lang: line.lang, kw: box('.kwic-kw'), pre: box('.kwic-left'), fol: box('.kwic-right'),
          preText: line.querySelector('.kwic-left').textContent,
          folText: line.querySelector('.kwic-right').textContent};
})"""


def test_arabic_kwic_layout_in_chromium(browser, gold_index, tmp_path):
    with Searcher(gold_index) as searcher:
        result = searcher.search("Temur Malik OR Bukhara OR Отырар", limit=0)
    assert {h.lang for h in result.hits} == {"ar", "kk"}
    page_path = tmp_path / "kwic.html"
    page_path.write_text(kwic_page(result), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.goto(page_path.as_uri())
        lines = page.evaluate(BOXES)
        shot = tmp_path / "kwic.png"
        page.screenshot(path=str(shot), full_page=True)
    finally:
        page.close()
    print(f"\nKWIC screenshot: {shot}")
    assert shot.stat().st_size > 10_000
    rtl = [ln for ln in lines if ln["dir"] == "rtl"]
    ltr = [ln for ln in lines if ln["dir"] == "ltr"]
    assert rtl and ltr and all(ln["lang"] == "ar" for ln in rtl)
    # the keyword column: Arabic keywords end (their start, on the right) where Kazakh keywords start
    axis = {round(ln["kw"]["right"]) for ln in rtl} | {round(ln["kw"]["left"]) for ln in ltr}
    assert max(axis) - min(axis) <= 1, axis
    for ln in rtl:
        if ln["preText"].strip():
            assert ln["pre"]["left"] >= ln["kw"]["right"] - 1, ln  # preceding context on the right
        if ln["folText"].strip():
            assert ln["fol"]["right"] <= ln["kw"]["left"] + 1, ln  # following context on the left
    for ln in ltr:
        if ln["preText"].strip():
            assert ln["pre"]["right"] <= ln["kw"]["left"] + 1, ln
        if ln["folText"].strip():
            assert ln["fol"]["left"] >= ln["kw"]["right"] - 1, ln
