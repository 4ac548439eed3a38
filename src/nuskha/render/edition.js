/* The edition's behaviour: tooltips on hover/focus, a pinned detail panel, original/regularised readings, and
   the parallel view's entity highlighting. Data comes from <script type="application/json" id="nuskha-data">;
   every string is inserted with textContent, never as markup. */
(function () {
  "use strict";
  var node = document.getElementById("nuskha-data");
  var data = node ? JSON.parse(node.textContent) : {entities: {}, mentions: []};
  var LANG = {ar: ["ar", "rtl"], kk: ["kk", "ltr"], ru: ["ru", "ltr"], latn: ["en", "ltr"]};
  var NAMES = {ar: "Arabic", kk: "Kazakh", ru: "Russian", latn: "Latin"};

  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    return e;
  }

  function describe(box, mark, withLinks) {
    box.textContent = "";
    var m = data.mentions[+mark.getAttribute("data-i")] || {type: mark.getAttribute("data-type"), values: []};
    var e = m.ref ? data.entities[m.ref] : null;
    box.appendChild(el("div", e ? e.label : m.text, {"class": "tip-label", lang: "en", dir: "ltr"}));
    box.appendChild(el("div", m.type + (e && !e.known ? " · provisional ref " + m.ref : ""), {"class": "tip-type"}));
    if (e) {
      for (var col in e.names) {
        var row = el("div", "", {"class": "tip-names"});
        row.appendChild(el("span", NAMES[col] + ": ", {"class": "tip-key"}));
        row.appendChild(el("span", e.names[col].join(" · "), {lang: LANG[col][0], dir: LANG[col][1]}));
        box.appendChild(row);
      }
      var links = el("div", "", {"class": "tip-links"});
      [["Wikidata", e.wikidata], ["GeoNames", e.geonames], ["URI", e.uri]].forEach(function (l) {
        if (!l[1]) return;
        if (withLinks) links.appendChild(el("a", l[0], {href: l[1], rel: "external"}));
        else links.appendChild(el("span", l[0] + " ", {"class": "tip-key"}));
      });
      if (links.childNodes.length) box.appendChild(links);
    }
    if (m.values && m.values.length) {
      var dl = el("dl", "", {"class": "tip-values"});
      m.values.forEach(function (v) { dl.appendChild(el("dt", v[0])); dl.appendChild(el("dd", v[1])); });
      box.appendChild(dl);
    }
    box.appendChild(el("div", "source " + m.source + ", certainty " + m.cert, {"class": "tip-source"}));
  }

  var tip = document.getElementById("tip");
  var info = document.getElementById("info");

  function show(mark) {
    if (!tip) return;
    describe(tip, mark, false);
    tip.hidden = false;
    var r = mark.getBoundingClientRect();
    var left = Math.min(Math.max(8, r.left + window.scrollX), window.scrollX + document.documentElement.clientWidth
                        - tip.offsetWidth - 8);
    tip.style.left = left + "px";
    tip.style.top = (r.bottom + window.scrollY + 6) + "px";
  }
  function hide() { if (tip) tip.hidden = true; }
  function markOf(target) { return target && target.closest ? target.closest("mark.m") : null; }

  document.addEventListener("mouseover", function (ev) { var m = markOf(ev.target); if (m) show(m); });
  document.addEventListener("mouseout", function (ev) { if (markOf(ev.target)) hide(); });
  document.addEventListener("focusin", function (ev) { var m = markOf(ev.target); if (m) show(m); else hide(); });
  document.addEventListener("focusout", function (ev) { if (markOf(ev.target)) hide(); });

  function choose(mark) {
    if (info) { describe(info, mark, true); info.hidden = false; }
    var key = mark.getAttribute("data-align");
    if (key) highlight(key);
  }
  document.addEventListener("click", function (ev) {
    var m = markOf(ev.target);
    if (m) { choose(m); return; }
    var b = ev.target.closest ? ev.target.closest("button[data-align]") : null;
    if (b) highlight(b.getAttribute("data-align"));
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { hide(); return; }
    var m = markOf(ev.target);
    if (m && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); choose(m); }
  });

  /* Parallel view: every mark of the chosen entity, on both sides, gets .hl; the first of each side scrolls in. */
  function highlight(key) {
    var marks = document.querySelectorAll("mark.m");
    for (var i = 0; i < marks.length; i++) marks[i].classList.toggle("hl", marks[i].getAttribute("data-align") === key);
    var buttons = document.querySelectorAll("button[data-align]");
    for (var j = 0; j < buttons.length; j++)
      buttons[j].setAttribute("aria-pressed", buttons[j].getAttribute("data-align") === key ? "true" : "false");
    var sides = document.querySelectorAll(".side");
    for (var s = 0; s < sides.length; s++) {
      var first = sides[s].querySelector("mark.hl");  /* scroll the column only, not the page */
      if (first) sides[s].scrollTop += first.getBoundingClientRect().top - sides[s].getBoundingClientRect().top - 60;
    }
  }

  /* Original / regularised readings. */
  var toggle = document.getElementById("reading");
  if (toggle) toggle.addEventListener("click", function () {
    var on = document.body.classList.toggle("show-reg");
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
  });
})();
