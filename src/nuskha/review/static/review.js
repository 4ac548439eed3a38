// nuskha review page: keys and buttons turn into decisions POSTed to the app, which writes them to the curation
// file and sends back the redrawn (server-escaped) document, queue and status. Offsets are Python string indices
// (code points), so lengths here are counted in code points too, never in UTF-16 units.
"use strict";
(function () {
  const main = document.querySelector("main.review");
  if (!main) return;
  const docId = main.dataset.doc;
  const api = "/api/doc/" + encodeURIComponent(docId);
  const TYPES = ["person", "place", "group", "date", "troops"];
  const el = (id) => document.getElementById(id);
  const article = el("article"), queueBox = el("queue"), statusBox = el("status");
  const message = el("message"), current = el("current"), chooser = el("type-chooser");
  const relinkBox = el("relink"), relinkInput = el("relink-q"), relinkList = el("relink-results");
  const undoStack = [];  // the lines this tab wrote, last on top
  let selected = null;   // {start, end, type, ref, text}
  let mode = null;       // null | "retype" | "add" | "relink"
  let pendingAdd = null; // {start, end, text} of a selection waiting for its type
  let relinkResults = [], relinkIndex = 0, relinkTimer = null;

  const cpLen = (s) => Array.from(s).length;
  const say = (text, bad) => { message.textContent = text; message.classList.toggle("bad", !!bad); };

  function markAt(start, end) {
    return article.querySelector(`mark.m[data-start="${start}"][data-end="${end}"]`);
  }

  function select(start, end, scroll) {
    article.querySelectorAll("mark.selected").forEach((m) => m.classList.remove("selected"));
    queueBox.querySelectorAll("li.q-item.active").forEach((li) => li.classList.remove("active"));
    const mark = markAt(start, end);
    const li = queueBox.querySelector(`li.q-item[data-start="${start}"][data-end="${end}"]`);
    const src = mark || li;
    if (!src) { selected = null; current.textContent = ""; return; }
    selected = {start: start, end: end, type: src.dataset.type, ref: (mark && mark.dataset.ref) || null,
                text: (mark || li.querySelector("mark")).textContent};
    if (mark) { mark.classList.add("selected"); if (scroll) mark.scrollIntoView({block: "center"}); }
    if (li) li.classList.add("active");
    current.textContent = `${selected.text} — ${selected.type} ${selected.ref || ""}`;
  }

  function queueItems() { return Array.from(queueBox.querySelectorAll("li.q-item")); }

  function step(delta) {
    const items = queueItems();
    if (!items.length) { say("The queue is empty."); return; }
    let i = items.findIndex((li) => li.classList.contains("active"));
    i = i < 0 ? 0 : Math.min(items.length - 1, Math.max(0, i + delta));
    select(+items[i].dataset.start, +items[i].dataset.end, true);
  }

  function redraw(parts) {
    const keep = selected;
    article.innerHTML = parts.article;
    queueBox.innerHTML = parts.queue;
    statusBox.innerHTML = parts.status;
    if (keep && markAt(keep.start, keep.end)) select(keep.start, keep.end, false);
    else { selected = null; current.textContent = ""; step(0); }
  }

  async function post(path, body) {
    const res = await fetch(api + path, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-Nuskha-Review": "1"}, body: JSON.stringify(body)});
    const data = await res.json().catch(() => ({error: res.statusText}));
    if (!res.ok) throw new Error(data.error || res.statusText);
    return data;
  }

  async function decide(action, fields) {
    const target = fields.span || selected;
    if (!target) { say("Select a mention first (j / k, or click one).", true); return; }
    const body = {action: action, start: target.start, end: target.end, text: target.text,
                  type: fields.type || target.type, ref: "ref" in fields ? fields.ref : target.ref};
    try {
      const data = await post("/decide", body);
      undoStack.push(data.line);
      const nextSel = action === "reject" ? null : {start: body.start, end: body.end};
      redraw(data);
      if (nextSel && markAt(nextSel.start, nextSel.end) && action !== "accept") select(nextSel.start, nextSel.end);
      else if (action === "accept" || action === "reject") step(0);
      say(`${action}: ${body.text}`);
      document.body.dataset.decisions = String(undoStack.length);
    } catch (err) { say(err.message, true); }
  }

  async function undo() {
    const line = undoStack.pop();
    if (!line) { say("Nothing of yours to undo in this tab.", true); return; }
    try {
      const data = await post("/undo", {line: line});
      redraw(data);
      say(data.removed ? "Undone." : "Already gone from the file.");
      document.body.dataset.decisions = String(undoStack.length);
    } catch (err) { undoStack.push(line); say(err.message, true); }
  }

  // --- the text selection as offsets of the original ------------------------------------------------------
  function offsetIn(p, node, offset) {
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    let count = +p.dataset.start;
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      if (t === node) return count + cpLen(t.data.slice(0, offset));
      count += cpLen(t.data);
    }
    if (node.nodeType === Node.ELEMENT_NODE) {  // a boundary between children
      const before = document.createRange();
      before.setStart(p, 0);
      before.setEnd(node, offset);
      return +p.dataset.start + cpLen(before.toString());
    }
    return null;
  }

  function selectionSpan() {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
    const range = sel.getRangeAt(0);
    const p1 = range.startContainer.parentElement && range.startContainer.parentElement.closest("p.text");
    const p2 = range.endContainer.parentElement && range.endContainer.parentElement.closest("p.text");
    const pa = range.startContainer.nodeType === Node.ELEMENT_NODE ? range.startContainer.closest("p.text") : p1;
    const pb = range.endContainer.nodeType === Node.ELEMENT_NODE ? range.endContainer.closest("p.text") : p2;
    if (!pa || pa !== pb) return null;
    let start = offsetIn(pa, range.startContainer, range.startOffset);
    let end = offsetIn(pa, range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return null;
    let chars = Array.from(range.toString());
    while (chars.length && /\s/u.test(chars[0])) { chars.shift(); start += 1; }
    while (chars.length && /\s/u.test(chars[chars.length - 1])) { chars.pop(); end -= 1; }
    if (!chars.length) return null;
    return {start: start, end: end, text: chars.join("")};
  }

  // --- modes: type chooser, relink search ------------------------------------------------------------------
  function setMode(m) {
    mode = m;
    chooser.hidden = !(m === "retype" || m === "add");
    relinkBox.hidden = m !== "relink";
    if (m === "relink") { relinkInput.value = ""; relinkList.textContent = ""; relinkResults = []; relinkInput.focus(); }
    if (m === null) { pendingAdd = null; }
  }

  function chooseType(type) {
    if (mode === "retype") { setMode(null); decide("retype", {type: type, ref: null}); }
    else if (mode === "add" && pendingAdd) { const span = pendingAdd; setMode(null); decide("add", {span: span, type: type, ref: null}); }
  }

  function drawResults() {
    relinkList.textContent = "";
    relinkResults.forEach((r, i) => {
      const li = document.createElement("li");
      li.className = "r-item" + (i === relinkIndex ? " active" : "");
      li.dataset.ref = r.ref;
      li.textContent = `${r.name} — ${r.label || r.ref} (${r.ref}, ${r.type || "?"})`;
      li.addEventListener("click", () => pickResult(i));
      relinkList.appendChild(li);
    });
  }

  function pickResult(i) {
    const r = relinkResults[i];
    if (!r) return;
    setMode(null);
    decide("relink", {ref: r.ref});
  }

  relinkInput.addEventListener("input", () => {
    clearTimeout(relinkTimer);
    relinkTimer = setTimeout(async () => {
      const q = relinkInput.value;
      const res = await fetch("/api/authority?q=" + encodeURIComponent(q), {credentials: "same-origin"});
      const data = await res.json();
      if (relinkInput.value !== q) return;
      relinkResults = data.results; relinkIndex = 0; drawResults();
      relinkBox.dataset.query = q;
    }, 120);
  });
  relinkInput.addEventListener("keydown", (e) => {
    if (e.key === "Enter") { e.preventDefault(); pickResult(relinkIndex); }
    else if (e.key === "Escape") { setMode(null); }
    else if (e.key === "ArrowDown") { e.preventDefault(); relinkIndex = Math.min(relinkResults.length - 1, relinkIndex + 1); drawResults(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); relinkIndex = Math.max(0, relinkIndex - 1); drawResults(); }
    e.stopPropagation();
  });

  function startAdd() {
    const span = selectionSpan();
    if (!span) { say("Select some text of one paragraph first.", true); return; }
    pendingAdd = span;
    setMode("add");
    say(`Type of “${span.text}”: 1-5`);
  }

  const actions = {
    accept: () => decide("accept", {}),
    reject: () => decide("reject", {}),
    retype: () => { if (!selected) { say("Select a mention first.", true); return; } setMode("retype"); say("New type: 1-5"); },
    relink: () => { if (!selected) { say("Select a mention first.", true); return; } setMode("relink"); },
    add: startAdd,
    undo: undo,
  };

  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.target === relinkInput) return;
    if (mode === "retype" || mode === "add") {
      const n = parseInt(e.key, 10);
      if (n >= 1 && n <= TYPES.length) { e.preventDefault(); chooseType(TYPES[n - 1]); return; }
      if (e.key === "Escape") { setMode(null); say(""); return; }
    }
    const map = {j: () => step(1), ArrowDown: () => step(1), k: () => step(-1), ArrowUp: () => step(-1),
                 a: actions.accept, r: actions.reject, t: actions.retype, l: actions.relink, n: actions.add,
                 u: actions.undo, Escape: () => setMode(null)};
    const f = map[e.key];
    if (f) { e.preventDefault(); f(); }
  });

  document.querySelectorAll(".toolbar button[data-action]").forEach((b) =>
    b.addEventListener("mousedown", (e) => e.preventDefault()));  // keep the text selection for "add"
  document.querySelectorAll(".toolbar button[data-action]").forEach((b) =>
    b.addEventListener("click", () => actions[b.dataset.action]()));
  chooser.querySelectorAll("button.type-choice").forEach((b) =>
    b.addEventListener("click", () => chooseType(b.dataset.type)));
  article.addEventListener("click", (e) => {
    const mark = e.target.closest("mark.m");
    if (mark) select(+mark.dataset.start, +mark.dataset.end, false);
  });
  queueBox.addEventListener("click", (e) => {
    const li = e.target.closest("li.q-item");
    if (li) select(+li.dataset.start, +li.dataset.end, true);
  });
  step(0);
  document.body.dataset.ready = "1";
})();
