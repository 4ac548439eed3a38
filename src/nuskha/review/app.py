"""``nuskha review``: a local web app over a text file or a corpus folder, writing decisions to the curation file.

Why Starlette + uvicorn: a small ASGI toolkit with no template engine or ORM to carry (the page is built by the
shared renderer), a test client, and a server that binds one socket; both are maintained and were already on the
package index here. Flask would do as well; Starlette's explicit routes and middleware keep the safety checks in
one visible place.

Safety:
- document text reaches the page only through :mod:`nuskha.render` (escaped); the page's script is a static file
  and the Content-Security-Policy forbids inline scripts, so text such as ``<script>`` can only ever be text;
- a document id is looked up in the listing made at start-up: no path is ever built from a request;
- a state-changing request must be a same-origin ``fetch`` (custom header + JSON body, which a foreign page cannot
  send without a CORS preflight this app never answers);
- with a ``token`` every request must carry it (``?token=`` once, then a cookie): required for a non-loopback host;
- a malformed curation file is reported with its line number and nothing is written until it is fixed.
"""
from __future__ import annotations

import copy
import secrets
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..curation import (ACTIONS, Decision, append_decision, apply_curation, by_document, make_decision,
                        read_decisions, remove_decision)
from ..document import MENTION_TYPES, Document
from ..errors import InputError, NuskhaError
from ..io import iter_corpus, read_meta, read_text
from . import page as pages

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
TOKEN_COOKIE = "nuskha_review_token"
#: Header every state-changing request must carry (forces a CORS preflight for any foreign origin).
CSRF_HEADER = "x-nuskha-review"
CSP = ("default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self'; "
       "form-action 'none'; base-uri 'none'; frame-ancestors 'none'")


def needs_token(host: str) -> bool:
    """True for a host other machines can reach."""
    return host not in LOOPBACK


@lru_cache(maxsize=1)
def _script() -> bytes:
    return resources.files(__package__).joinpath("static", "review.js").read_bytes()


@dataclass
class _Cached:
    stamp: tuple[int, int]
    doc: Document


class Workspace:
    """The documents under review (one file or a corpus folder), their machine annotation (cached until the file
    changes) and the curation file."""

    def __init__(self, path: str | Path, curation: str | Path, authority: str | Path | None = None,
                 editor: str = ""):
        root = Path(path)
        if root.is_file():
            self.paths = {root.stem: root}
            self.metas = {root.stem: read_meta(root) if root.suffix == ".txt" else {}}
        elif root.is_dir():
            entries = list(iter_corpus(root))
            self.paths = {e.id: e.path for e in entries}
            self.metas = {e.id: e.meta for e in entries}
        else:
            raise InputError("no such file or folder", str(root))
        self.curation = Path(curation)
        self.authority = authority
        self.editor = editor
        self._machine: dict[str, _Cached] = {}
        self._lock = threading.Lock()

    def ids(self) -> list[str]:
        return list(self.paths)

    def machine(self, doc_id: str) -> Document:
        """The recognisers' annotation of a document, recomputed when its file changes."""
        path = self.paths[doc_id]
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        with self._lock:
            hit = self._machine.get(doc_id)
            if hit is None or hit.stamp != stamp:
                from ..pipeline import process

                text = read_text(path)
                meta = self.metas[doc_id]
                doc = process(text, meta.get("language"), id=doc_id, meta=meta, path=str(path), annotate=True)
                hit = self._machine[doc_id] = _Cached(stamp, doc)
            return hit.doc

    def decisions(self, doc_id: str) -> list[Decision]:
        """This document's decisions (raises :class:`~nuskha.errors.DataError` for a malformed file)."""
        return by_document(read_decisions(self.curation)).get(doc_id, [])

    def curated(self, doc_id: str) -> tuple[Document, dict[str, Any]]:
        """The document as the recognisers now produce it with every decision applied, and its page parts."""
        machine = self.machine(doc_id)
        doc = copy.copy(machine)
        doc.mentions = [copy.copy(m) for m in machine.mentions]
        error = None
        try:
            decisions = self.decisions(doc_id)
        except NuskhaError as exc:
            decisions, error = [], str(exc)
        result = apply_curation(doc, decisions)
        return doc, pages.fragments(doc, len(decisions), result.orphans, str(self.curation), error)


def _doc_id(ws: Workspace, request: Request) -> str | None:
    doc_id = request.path_params["doc_id"]
    return doc_id if doc_id in ws.paths else None


def _error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def create_app(path: str | Path, curation: str | Path, authority: str | Path | None = None, editor: str = "",
               token: str | None = None) -> Starlette:
    """The review app over ``path`` (a text file or corpus folder), writing decisions to ``curation``."""
    ws = Workspace(path, curation, authority, editor)
    read_decisions(ws.curation)  # a malformed line is refused at start-up, with its line number

    async def index(request: Request) -> Response:
        if len(ws.paths) == 1:
            return RedirectResponse(f"/doc/{quote(next(iter(ws.paths)), safe='')}", status_code=303)
        entries = [(i, ws.metas[i].get("language") or "", ws.metas[i].get("title") or i) for i in ws.ids()]
        return HTMLResponse(pages.index_page(entries, str(ws.curation)))

    def document(request: Request) -> Response:
        doc_id = _doc_id(ws, request)
        if doc_id is None:
            return HTMLResponse("<!DOCTYPE html><title>not found</title><p>No such document.</p>", 404)
        doc, parts = ws.curated(doc_id)
        return HTMLResponse(pages.document_page(doc, parts))

    def fragment(request: Request) -> Response:
        doc_id = _doc_id(ws, request)
        if doc_id is None:
            return _error("no such document", 404)
        return JSONResponse(ws.curated(doc_id)[1])

    async def decide(request: Request) -> Response:
        doc_id = _doc_id(ws, request)
        if doc_id is None:
            return _error("no such document", 404)
        try:
            body = await request.json()
            action, start, end = body["action"], int(body["start"]), int(body["end"])
        except (ValueError, KeyError, TypeError):
            return _error("a decision needs action, start and end", 400)
        if action not in ACTIONS:
            return _error(f"unknown action {action!r}", 400)
        return await run_in_threadpool(_decide, ws, doc_id, action, start, end, body)

    async def undo(request: Request) -> Response:
        doc_id = _doc_id(ws, request)
        if doc_id is None:
            return _error("no such document", 404)
        try:
            line = (await request.json())["line"]
            if not isinstance(line, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            return _error("undo needs the decision's line", 400)
        try:
            removed = await run_in_threadpool(remove_decision, ws.curation, line)
        except NuskhaError as exc:
            return _error(str(exc), 409)
        parts = await run_in_threadpool(ws.curated, doc_id)
        return JSONResponse({"removed": removed, **parts[1]})

    def authority_search(request: Request) -> Response:
        return JSONResponse({"results": search_authority(request.query_params.get("q", ""), ws.authority)})

    async def script(request: Request) -> Response:
        return Response(_script(), media_type="text/javascript; charset=utf-8")

    routes = [Route("/", index), Route("/doc/{doc_id}", document),
              Route("/api/doc/{doc_id}", fragment),
              Route("/api/doc/{doc_id}/decide", decide, methods=["POST"]),
              Route("/api/doc/{doc_id}/undo", undo, methods=["POST"]),
              Route("/api/authority", authority_search),
              Route("/static/review.js", script)]
    app = Starlette(routes=routes)
    app.state.workspace = ws
    return _Guard(app, token)


def _decide(ws: Workspace, doc_id: str, action: str, start: int, end: int, body: dict[str, Any]) -> JSONResponse:
    """Check a decision from the page against the text, write it, and return the redrawn parts."""
    machine = ws.machine(doc_id)
    text = machine.text
    if not 0 <= start < end <= len(text):
        return _error("span outside the text", 400)
    expected = body.get("text")
    if expected is not None and text[start:end] != expected:  # the page and the file disagree: never guess
        return _error("the text at that place is not what the page showed: reload", 409)
    typ = body.get("type")
    if typ not in MENTION_TYPES:
        return _error(f"unknown type {typ!r}", 400)
    to = body.get("to")
    try:
        ws.decisions(doc_id)  # nothing is written while the file has a malformed line
        decision = make_decision(doc_id, text, action, start, end, typ, body.get("ref") or None,
                                 body.get("value"), by=ws.editor, note=body.get("note") or None,
                                 to=(int(to[0]), int(to[1])) if to else None)
        line = append_decision(ws.curation, decision)
    except NuskhaError as exc:
        return _error(str(exc), 409)
    return JSONResponse({"line": line, **ws.curated(doc_id)[1]})


class _Guard:
    """ASGI wrapper: token check, same-origin check of state-changing requests, security headers."""

    def __init__(self, app: Starlette, token: str | None):
        self.app, self.token = app, token
        self.state = app.state

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        set_cookie = False
        if self.token:
            given = request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE) or ""
            if not secrets.compare_digest(given.encode(), self.token.encode()):
                return await _plain(403, "a token is required: open the address nuskha review printed")(
                    scope, receive, send)
            set_cookie = "token" in request.query_params
        if request.method not in ("GET", "HEAD") and request.headers.get(CSRF_HEADER) != "1":
            return await _plain(403, "refused: not a request from the review page")(scope, receive, send)

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer"), (b"cache-control", b"no-store")]
                if set_cookie:
                    headers.append((b"set-cookie", f"{TOKEN_COOKIE}={self.token}; HttpOnly; SameSite=Strict; "
                                                   f"Path=/".encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _plain(status: int, message: str) -> Response:
    return Response(message + "\n", status_code=status, media_type="text/plain; charset=utf-8",
                    headers={"content-security-policy": CSP})


def search_authority(query: str, authority: str | Path | None = None, limit: int = 10) -> list[dict[str, Any]]:
    """Authority records a query names, in any script, as ``nuskha search`` resolves them; then records whose
    label or a variant contains the query (for a name still being typed)."""
    from ..search.query import authority_matcher

    query = query.strip()
    if not query:
        return []
    matcher = authority_matcher(authority)
    records = matcher.authority.records
    out: dict[str, dict[str, Any]] = {}
    for res in matcher.resolve(query):
        rec = records.get(res.ref)
        out[res.ref] = {"ref": res.ref, "type": rec.type if rec else None, "label": rec.label_en if rec else "",
                        "name": res.name, "method": res.method}
    folded = query.casefold()
    for rec in records.values():
        if len(out) >= limit:
            break
        if rec.ref in out:
            continue
        names = [rec.label_en, rec.ref, *(v for vs in rec.variants.values() for v in vs)]
        hit = next((n for n in names if folded in n.casefold()), None)
        if hit is not None:
            out[rec.ref] = {"ref": rec.ref, "type": rec.type, "label": rec.label_en, "name": hit,
                            "method": "substring"}
    return list(out.values())[:limit]


def serve(path: str | Path, curation: str | Path, host: str = "127.0.0.1", port: int = 8765,
          token: str | None = None, authority: str | Path | None = None, editor: str = "",
          on_ready=None) -> None:
    """Run the review app with uvicorn until interrupted. A non-loopback ``host`` gets a token (generated
    when not given)."""
    import uvicorn

    if needs_token(host) and not token:
        token = secrets.token_urlsafe(18)
    app = create_app(path, curation, authority, editor, token)
    if on_ready:
        on_ready(f"http://{host if ':' not in host else f'[{host}]'}:{port}/" + (f"?token={token}" if token else ""))
    uvicorn.run(app, host=host, port=port, log_level="warning")
