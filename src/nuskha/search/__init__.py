"""Cross-language, cross-script entity search over an embedded SQLite FTS5 index.

>>> from nuskha.search import build_index, search   # doctest: +SKIP
>>> build_index("corpus", "index.sqlite")           # doctest: +SKIP
>>> [h.text for h in search("Temur Malik", "index.sqlite").hits]   # doctest: +SKIP
['تيمور ملك', 'ТемірМәлікпен', 'Темір-Мәлік']
"""
from __future__ import annotations

from .index import build_index, index_documents
from .query import Hit, Searcher, SearchResult, search

__all__ = ["Hit", "Searcher", "SearchResult", "build_index", "index_documents", "search"]
