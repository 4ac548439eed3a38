"""Value agreement for date and troop mentions (called by :mod:`nuskha.evaluate.mentions` on exact-span pairs).

Dates: every calendar field the gold value gives (``hijri``, ``hijri_end``, ``ce``, ``ce_end``, ``era``,
``era_date``, ``era_date_end``) must match the system's, compared numerically part by part ("615" == "0615",
ANNOTATION.md leaves gold years unpadded), and ``qualifier`` must be equal. Computed fields the system adds
(``gregorian``, ``gregorian_end``, ``check``, ``century``) are not compared.

Troops: ``quantity``, ``approx`` and ``bound`` must be equal (the figure a historian reads); ``unit`` only when
asked (``with_unit=True``).
"""
from __future__ import annotations

from typing import Any

DATE_FIELDS = ("hijri", "hijri_end", "ce", "ce_end", "era_date", "era_date_end")
TROOP_FIELDS = ("quantity", "approx", "bound")


def date_parts(text: Any) -> tuple[int, ...] | None:
    """``"615"`` -> ``(615,)``, ``"0616-12-04"`` -> ``(616, 12, 4)``; None for None; the string itself if odd."""
    if text is None:
        return None
    try:
        return tuple(int(p) for p in str(text).split("-"))
    except ValueError:
        return (str(text),)  # type: ignore[return-value]


def date_values_agree(gold: dict[str, Any] | None, system: dict[str, Any] | None) -> bool:
    """Do two date values say the same thing (see the module docstring)?"""
    if gold is None or system is None:
        return gold is system
    for key in DATE_FIELDS:
        if key in gold and date_parts(gold[key]) != date_parts(system.get(key)):
            return False
    if gold.get("era") != system.get("era") and ("era" in gold or "era" in system):
        return False
    return gold.get("qualifier") == system.get("qualifier")


def troop_values_agree(gold: dict[str, Any] | None, system: dict[str, Any] | None, with_unit: bool = False) -> bool:
    """Same quantity, approx flag and bound (and unit, if asked)?"""
    if gold is None or system is None:
        return gold is system
    fields = TROOP_FIELDS + (("unit",) if with_unit else ())
    return all(gold.get(k) == system.get(k) for k in fields)


def values_agree(type_: str, gold: Any, system: Any) -> bool:
    """The agreement test for a mention type: dates and troops as above, anything else by equality."""
    if type_ == "date":
        return date_values_agree(gold, system)
    if type_ == "troops":
        return troop_values_agree(gold, system)
    return gold == system
