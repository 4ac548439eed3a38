"""The review page's HTML, built on the shared renderer (:mod:`nuskha.render`): the document with its mentions, the
queue of undecided mentions by ascending cert, the key legend. Every string from a document is escaped by
:func:`nuskha.render.esc` or :func:`nuskha.render.text_html`; the page's script is a static file, never inline.
"""
from __future__ import annotations

from typing import Any, Sequence
from urllib.parse import quote

from ..curation import CURATION_SOURCE, Orphan
from ..document import MENTION_TYPES, Document, Mention
from ..render import MENTION_CLASS, direction, document_html, esc, mention_attrs, page

#: The keys of the page (shown in its legend; review.js binds the same ones).
KEYS = (("j / k", "next / previous in the queue"), ("a", "accept"), ("r", "reject"),
        ("t", "change type (then 1-5)"), ("l", "relink (search the authority in any script)"),
        ("n", "add the selected text as a mention (then 1-5)"), ("u", "undo your last decision"))


def review_attrs(m: Mention) -> str:
    """A mention's ``<mark>`` attributes on the review page: the shared ones plus cert, source and a tooltip."""
    curated = m.source == CURATION_SOURCE
    tip = f"{m.type} {m.ref or '(no ref)'} · {m.source} · cert {m.cert:g}" + (f" · {m.editor}" if m.editor else "")
    extra: dict[str, Any] = {"data-cert": f"{m.cert:g}", "data-source": m.source, "title": tip}
    if curated:
        extra["class"] = f"{MENTION_CLASS} {MENTION_CLASS}-{m.type} curated"
    return mention_attrs(m, extra)


def queue(mentions: Sequence[Mention]) -> list[Mention]:
    """The mentions nobody decided on yet, least certain first (then in text order)."""
    return sorted((m for m in mentions if m.source != CURATION_SOURCE), key=lambda m: (m.cert, m.start, m.end))


def queue_html(doc: Document) -> str:
    """The queue as an ordered list; each item points at its mention by offsets."""
    items = []
    for m in queue(doc.mentions):
        items.append(f'<li class="q-item" data-start="{m.start}" data-end="{m.end}" data-type="{esc(m.type)}" '
                     f'tabindex="-1"><mark class="{MENTION_CLASS} {MENTION_CLASS}-{esc(m.type)}" '
                     f'lang="{esc(doc.lang)}" dir="{direction(doc.lang)}">{esc(m.text)}</mark> '
                     f'<span class="q-meta">{esc(m.type)} · {esc(m.ref or "—")} · {m.cert:g}</span></li>')
    if not items:
        return '<p class="q-empty">Every mention has a decision.</p>'
    return f'<ol class="queue">{"".join(items)}</ol>'


def status_html(doc: Document, decisions: int, orphans: Sequence[Orphan], curation: str, error: str | None) -> str:
    """Counts, the curation file, a malformed-file error and the orphaned decisions of this document."""
    parts = [f'<p><span class="s-count">{decisions}</span> decision(s) on this document in '
             f'<code>{esc(curation)}</code>; {len(queue(doc.mentions))} mention(s) in the queue.</p>']
    if error:
        parts.append(f'<p class="s-error" role="alert">{esc(error)}</p>')
    if orphans:
        lis = "".join(f"<li>{esc(str(o))}</li>" for o in orphans)
        parts.append(f'<details class="s-orphans" open><summary>{len(orphans)} orphaned decision(s)</summary>'
                     f"<ul>{lis}</ul></details>")
    return "".join(parts)


def fragments(doc: Document, decisions: int, orphans: Sequence[Orphan], curation: str,
              error: str | None = None) -> dict[str, str]:
    """The parts of the page redrawn after each decision (all markup built here, escaped)."""
    return {"article": document_html(doc, attrs=review_attrs), "queue": queue_html(doc),
            "status": status_html(doc, decisions, orphans, curation, error)}


def _legend() -> str:
    types = "".join(f'<button type="button" class="type-choice" data-type="{t}" data-key="{n}">'
                    f'<kbd>{n}</kbd> <mark class="{MENTION_CLASS} {MENTION_CLASS}-{t}">{t}</mark></button>'
                    for n, t in enumerate(MENTION_TYPES, 1))
    keys = "".join(f"<li><kbd>{esc(k)}</kbd> {esc(what)}</li>" for k, what in KEYS)
    return f'<div class="legend types" hidden id="type-chooser">{types}</div><ul class="keys">{keys}</ul>'


def document_page(doc: Document, parts: dict[str, str], token: str | None = None) -> str:
    """The review page of one document."""
    body = f"""<header class="review-head"><a href="{_home(token)}">nuskha review</a> ·
<span lang="{esc(doc.lang)}" dir="{direction(doc.lang)}">{esc(doc.meta.get("title") or doc.id)}</span>
<span class="doc-lang">{esc(doc.lang)}</span></header>
<main class="review" data-doc="{esc(doc.id)}" data-lang="{esc(doc.lang)}">
<section class="reading"><div id="article">{parts["article"]}</div></section>
<aside class="review-side">
<div class="toolbar">
<button type="button" data-action="accept"><kbd>a</kbd> accept</button>
<button type="button" data-action="reject"><kbd>r</kbd> reject</button>
<button type="button" data-action="retype"><kbd>t</kbd> type</button>
<button type="button" data-action="relink"><kbd>l</kbd> relink</button>
<button type="button" data-action="add"><kbd>n</kbd> add</button>
<button type="button" data-action="undo"><kbd>u</kbd> undo</button>
</div>
<p id="current" class="current" aria-live="polite"></p>
{_legend()}
<div id="relink" class="relink" hidden><input id="relink-q" type="search" autocomplete="off"
 placeholder="name in any script: Temur Malik, تيمور ملك, Темір-Мәлік"><ol id="relink-results"></ol></div>
<p id="message" class="message" role="status"></p>
<div id="status">{parts["status"]}</div>
<h2>Queue <small>(least certain first)</small></h2>
<div id="queue">{parts["queue"]}</div>
</aside>
</main>"""
    head = '<script src="/static/review.js" defer></script>\n'
    return page(f"{doc.meta.get('title') or doc.id} — nuskha review", body, lang="en", head=head)


def _home(token: str | None) -> str:
    return "/" if not token else f"/?token={quote(token)}"


def index_page(entries: Sequence[tuple[str, str, str]], curation: str, token: str | None = None) -> str:
    """The corpus listing: (id, language, title) per document."""
    tail = f"?token={quote(token)}" if token else ""
    rows = "".join(f'<li><a href="/doc/{quote(doc_id, safe="")}{tail}" lang="{esc(lang)}" dir="{direction(lang)}">'
                   f'{esc(title)}</a> <span class="doc-lang">{esc(lang)}</span></li>'
                   for doc_id, lang, title in entries)
    body = (f'<header class="review-head">nuskha review</header><main><p>Decisions are written to '
            f'<code>{esc(curation)}</code>.</p><ul class="doc-list">{rows}</ul></main>')
    return page("nuskha review", body)
