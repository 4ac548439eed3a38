"""The built edition opened from disk (file://) in headless Chromium: direction from layout, tooltips on hover
and keyboard focus, the reading switch, and the parallel view's highlighting on both sides. Screenshots of the
Arabic, Kazakh and parallel pages are saved (to $NUSKHA_SCREENSHOTS, else the test's temporary folder)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import AR_TEXT, CHROMIUM, CORPUS, KK_TEXT

AR, KK = AR_TEXT.stem, KK_TEXT.stem

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (Debian chromium)")


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    from nuskha.build import build

    out = tmp_path_factory.mktemp("edition")
    build(CORPUS, out)
    return out / "html"


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = Path(os.environ.get("NUSKHA_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder




@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    pg = context.new_page()
    yield pg
    context.close()


def _open(page, edition, name):
    page.goto((edition / name).as_uri())
    return page


# JavaScript measuring where a block's first character is laid out, relative to the block's box.
FIRST_CHAR = """(p) => {
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  let node = walker.nextNode();
  while (node && !node.textContent.trim()) node = walker.nextNode();
  const i = node.textContent.search(/\\S/);
  const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
  const c = r.getBoundingClientRect(), b = p.getBoundingClientRect();
  return {fromLeft: (c.left - b.left) / b.width, fromRight: (b.right - c.right) / b.width,
          direction: getComputedStyle(p).direction, lang: p.lang};
}"""


def test_arabic_blocks_are_laid_out_right_to_left(page, edition, shots):
    _open(page, edition, f"doc-{AR}.html")
    blocks = page.locator("p.text")
    assert blocks.count() >= 5
    for i in range(blocks.count()):
        where = blocks.nth(i).evaluate(FIRST_CHAR)
        assert where["lang"] == "ar" and where["direction"] == "rtl"
        assert where["fromRight"] < 0.05, where  # the text starts at the right edge ...
        assert where["fromLeft"] > 0.5, where  # ... not the left
    page.screenshot(path=str(shots / "arabic.png"), full_page=False)


def test_kazakh_blocks_are_laid_out_left_to_right(page, edition, shots):
    _open(page, edition, f"doc-{KK}.html")
    where = page.locator("p.text").first.evaluate(FIRST_CHAR)
    assert where["lang"] == "kk" and where["direction"] == "ltr" and where["fromLeft"] < 0.05
    page.screenshot(path=str(shots / "kazakh.png"), full_page=False)


BLOCKS_WITHOUT_LANG_DIR = """() => [...document.querySelectorAll(
  'body > *:not(script), main, main > *, article, p, section, header, nav, aside, li, td, h1, h2, h3')]
  .filter(e => !(e.closest('[lang]') && e.closest('[dir]'))).map(e => e.outerHTML.slice(0, 80))"""


def test_every_block_has_lang_and_dir(page, edition):
    for name in (f"doc-{AR}.html", f"parallel-{AR}--{KK}.html", "persons.html", "index.html"):
        _open(page, edition, name)
        missing = page.evaluate(BLOCKS_WITHOUT_LANG_DIR)
        assert missing == [], name


def test_hovering_a_mention_shows_its_authority_label_and_other_names(page, edition):
    from nuskha.authority import load_authority

    otrar = load_authority()["otrar"]
    _open(page, edition, f"doc-{AR}.html")
    tip = page.locator("#tip")
    assert tip.is_hidden()
    page.locator('mark.m[data-ref="otrar"]').first.hover()
    assert tip.is_visible()
    text = tip.inner_text()
    assert otrar.label_en in text and otrar.variants["kk"][0] in text
    page.mouse.move(0, 0)
    assert tip.is_hidden()


def test_keyboard_focus_shows_the_tooltip_and_enter_pins_date_values(page, edition):
    _open(page, edition, f"doc-{AR}.html")
    for _ in range(40):  # Tab through the page until a mention has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('mark.m')"):
            break
    assert page.evaluate("document.activeElement.matches('mark.m')")
    assert page.locator("#tip").is_visible()
    date = page.locator("mark.m-date", has_text="4 ذي الحجة").first
    date.focus()
    page.keyboard.press("Enter")
    info = page.locator("#info")
    assert info.is_visible()
    text = info.inner_text()
    assert "616-12-04" in text and "1220-02-10" in text and "1220-02-17" in text  # Hijri, Julian, Gregorian
    page.keyboard.press("Escape")
    assert info.is_hidden()


def test_reading_switch_shows_regularised_forms(page, edition):
    _open(page, edition, f"doc-{AR}.html")
    reading = page.locator(".rd").first
    orig, reg = reading.locator(".orig"), reading.locator(".reg")
    assert orig.is_visible() and reg.is_hidden()
    page.locator("#reading").click()
    assert orig.is_hidden() and reg.is_visible()
    assert page.locator("#reading").get_attribute("aria-pressed") == "true"


def test_parallel_view_highlights_an_aligned_entity_on_both_sides(page, edition, shots):
    _open(page, edition, f"parallel-{AR}--{KK}.html")
    sides = page.locator("section.side")
    assert sides.nth(0).get_attribute("dir") == "rtl" and sides.nth(1).get_attribute("dir") == "ltr"
    assert page.locator("mark.hl").count() == 0
    page.locator('section.side[lang="ar"] mark.m[data-align="temur-malik"]').first.click()
    for side, lang in ((0, "ar"), (1, "kk")):
        lit = sides.nth(side).locator("mark.hl")
        assert lit.count() >= 1, lang
        assert set(lit.evaluate_all("els => els.map(e => e.dataset.align)")) == {"temur-malik"}
        assert lit.first.is_visible()
        box, frame = lit.first.bounding_box(), sides.nth(side).bounding_box()
        assert frame["y"] <= box["y"] <= frame["y"] + frame["height"], lang  # scrolled into its column
    page.screenshot(path=str(shots / "parallel.png"), full_page=False)
    # choosing another entity from the list moves the highlight
    page.locator('button[data-align="khujand"]').click()
    assert set(page.locator("mark.hl").evaluate_all("els => els.map(e => e.dataset.align)")) == {"khujand"}
    assert page.locator('section.side[lang="kk"] mark.hl').count() >= 1


def test_pages_make_no_network_request(page, edition):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    for name in ("index.html", f"doc-{KK}.html", "places.html", "map.html"):
        if (edition / name).exists():
            _open(page, edition, name)
    assert requests and all(u.startswith("file://") for u in requests)


def test_screenshots_were_saved(shots):
    for name in ("arabic.png", "kazakh.png", "parallel.png"):
        if not (shots / name).exists():
            pytest.fail(f"{name} missing (run the whole module)")
        assert (shots / name).stat().st_size > 10_000
