"""The review page driven in headless Chromium: every key writes the curation file as the contract says."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from nuskha.pipeline import load
from tests.conftest import AR_TEXT, KK_TEXT


def _shots(tmp_path: Path) -> Path:
    """Where screenshots go: $NUSKHA_SCREENSHOTS when set (to look at them), else the test's temporary folder."""
    return Path(os.environ.get("NUSKHA_SCREENSHOTS") or tmp_path)


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()] \
        if path.exists() else []


def _free_word(path: Path) -> tuple[int, int, str]:
    """A word of 4+ letters that no recogniser marks (something to add)."""
    doc = load(path, annotate=True)
    taken = [(m.start, m.end) for m in doc.mentions]
    for t in doc.tokens:
        if t.kind == "word" and len(t.text) >= 5 and t.start > 60 and t.text.isalpha() \
                and not any(s < t.end and t.start < e for s, e in taken):
            return t.start, t.end, t.text
    raise AssertionError("no free word")


SELECT_JS = """([start, end]) => {
  for (const p of document.querySelectorAll('p.text')) {
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    let pos = +p.dataset.start;
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const cps = Array.from(t.data), n = cps.length;
      if (pos <= start && end <= pos + n) {
        const a = cps.slice(0, start - pos).join('').length, b = cps.slice(0, end - pos).join('').length;
        const r = document.createRange(); r.setStart(t, a); r.setEnd(t, b);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
        return sel.toString();
      }
      pos += n;
    }
  }
  return null;
}"""


def _wait_lines(page, path: Path, n: int) -> list[dict]:
    page.wait_for_selector(f'body[data-decisions="{n}"]', state="attached", timeout=20000)
    return _lines(path)


@pytest.mark.parametrize("text_path, relink_query, relink_ref", [
    (AR_TEXT, "تيمور ملك", "temur-malik"),
    (KK_TEXT, "Temur Malik", "temur-malik"),
])
def test_each_key_writes_its_decision(review_server, browser, text_path, relink_query, relink_ref, tmp_path):
    doc_id = text_path.stem
    path = review_server.curation
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    messages = []
    page.on("console", lambda m: messages.append(m.text))
    page.goto(f"{review_server.url}/doc/{doc_id}")
    page.wait_for_selector('body[data-ready="1"]', state="attached")
    text = text_path.read_text(encoding="utf-8")
    lang = "ar" if text_path == AR_TEXT else "kk"
    assert page.locator("article.doc").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")

    def current() -> dict:
        li = page.locator("li.q-item.active")
        return {"start": int(li.get_attribute("data-start")), "end": int(li.get_attribute("data-end")),
                "type": li.get_attribute("data-type")}

    # accept: the least certain mention, first in the queue, is selected on load
    first = current()
    page.keyboard.press("a")
    [d] = _wait_lines(page, path, 1)
    assert (d["doc"], d["action"], d["start"], d["end"], d["type"], d["by"]) == \
        (doc_id, "accept", first["start"], first["end"], first["type"], "tester")
    assert d["text"] == text[d["start"]:d["end"]] and d["before"] == text[max(0, d["start"] - 32):d["start"]]
    assert page.locator(f'mark.curated[data-start="{d["start"]}"]').count() == 1

    # reject: the next queue item
    page.keyboard.press("j")
    target = current()
    page.keyboard.press("r")
    d = _wait_lines(page, path, 2)[-1]
    assert (d["action"], d["start"], d["end"], d["type"]) == ("reject", target["start"], target["end"],
                                                               target["type"])
    assert page.locator(f'mark.m[data-start="{d["start"]}"][data-end="{d["end"]}"]').count() == 0

    # retype: t then 3 (group)
    page.keyboard.press("j")
    target = current()
    page.keyboard.press("t")
    page.keyboard.press("3" if target["type"] != "group" else "2")
    d = _wait_lines(page, path, 3)[-1]
    new_type = "group" if target["type"] != "group" else "place"
    assert (d["action"], d["start"], d["type"]) == ("retype", target["start"], new_type)
    assert page.locator(f'mark.m-{new_type}[data-start="{d["start"]}"][data-end="{d["end"]}"]').count() == 1

    # relink: l, a query in another script, Enter
    page.keyboard.press("j")
    target = current()
    page.keyboard.press("l")
    page.keyboard.type(relink_query)
    page.wait_for_selector(f'#relink-results li[data-ref="{relink_ref}"]')
    page.keyboard.press("Enter")
    d = _wait_lines(page, path, 4)[-1]
    assert (d["action"], d["start"], d["ref"]) == ("relink", target["start"], relink_ref)
    assert page.locator(f'mark.m[data-start="{d["start"]}"]').get_attribute("data-ref") == relink_ref

    # add: select a word nobody marked, n, 2 (place)
    start, end, word = _free_word(text_path)
    assert page.evaluate(SELECT_JS, [start, end]) == word
    page.keyboard.press("n")
    page.keyboard.press("2")
    d = _wait_lines(page, path, 5)[-1]
    assert (d["action"], d["start"], d["end"], d["text"], d["type"]) == ("add", start, end, word, "place")
    assert page.locator(f'mark.m-place[data-start="{start}"][data-end="{end}"]').count() == 1

    if lang == "ar":
        shots = _shots(tmp_path)
        shots.mkdir(parents=True, exist_ok=True)
        page.locator(f'mark.m[data-start="{start}"]').scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "review-ar.png"))
        assert (shots / "review-ar.png").stat().st_size > 10_000
        box = page.locator("p.text").first.bounding_box()
        first_mark = page.locator("p.text").first.locator("mark.m").first.bounding_box()
        # right to left: the paragraph's first mention sits towards the right edge of its block
        assert first_mark["x"] + first_mark["width"] > box["x"] + box["width"] / 2

    # undo: the add goes, the four earlier decisions stay
    page.keyboard.press("u")
    remaining = _wait_lines(page, path, 4)
    assert [x["action"] for x in remaining] == ["accept", "reject", "retype", "relink"]
    assert page.locator(f'mark.m-place[data-start="{start}"][data-end="{end}"]').count() == 0
    assert not [m for m in messages if "rror" in m]
    page.close()


def test_a_script_in_the_document_shows_as_text(review_server, browser):
    evil = review_server.root / "corpus" / "evil.txt"
    evil.write_text("<script>document.title='pwned'</script> <img src=x onerror=\"document.title='img'\"> "
                    "Жалал ад-Дин Хорезмге келді. Темір-Мәлік Хожент қаласын қорғады, моңғолдар келгенде "
                    "ол қамалдан шықпады.", encoding="utf-8")
    from nuskha.review.app import create_app

    from .conftest import Server

    server = Server(create_app(review_server.root / "corpus", review_server.curation, editor="t"))
    try:
        page = browser.new_page()
        page.goto(f"{server.url}/doc/evil")
        page.wait_for_selector('body[data-ready="1"]', state="attached")
        assert page.title() != "pwned" and page.title() != "img"
        assert "<script>document.title='pwned'</script>" in page.locator("article.doc").inner_text()
        assert page.locator("article.doc script, article.doc img").count() == 0
        page.close()
    finally:
        server.stop()


def test_two_tabs_write_to_one_file_and_undo_only_their_own(review_server, browser):
    doc_id = KK_TEXT.stem
    tabs = [browser.new_page(), browser.new_page()]
    for tab in tabs:
        tab.goto(f"{review_server.url}/doc/{doc_id}")
        tab.wait_for_selector('body[data-ready="1"]', state="attached")
    tabs[0].keyboard.press("a")
    _wait_lines(tabs[0], review_server.curation, 1)
    tabs[1].keyboard.press("j")
    tabs[1].keyboard.press("r")
    lines = _wait_lines(tabs[1], review_server.curation, 1)
    assert [d["action"] for d in lines] == ["accept", "reject"]
    tabs[0].keyboard.press("u")  # tab 0 undoes its accept; tab 1's reject stays
    tabs[0].wait_for_selector('body[data-decisions="0"]', state="attached")
    assert [d["action"] for d in _lines(review_server.curation)] == ["reject"]
    for tab in tabs:
        tab.close()
