"""``nuskha review``: the browser page where a philologist accepts, rejects, retypes, relinks and adds mentions.

:mod:`nuskha.review.app` is the Starlette app and its safety checks, :mod:`nuskha.review.page` the HTML (built on
:mod:`nuskha.render`), ``static/review.js`` the keys. Decisions go to the curation file (:mod:`nuskha.curation`).
"""
