"""Dates as a reader writes them: "October 2005", "27 September 2022", "1954–1978", "the 1950s",
in the reader's language, from a fact's ``date`` (YYYY, YYYY-MM, YYYY-MM-DD or a period
START/END). The patterns are the catalog's ``date_format.*`` strings; month names are those
quizgen writes generated dates with (``quizgen/data/month_names.json``)."""

from __future__ import annotations

import json
import logging
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizgen.catalog import Catalog

log = logging.getLogger(__name__)


@cache
def month_families() -> dict[str, list[list[str]]]:
    """Per language, the families of month names quizgen writes (each January to December):
    a generated date takes the family its answer uses."""
    text = resources.files("quizgen").joinpath("data/month_names.json").read_text("utf-8")
    return {lang: families for lang, families in json.loads(text).items()
            if not lang.startswith("$")}


def month_names() -> dict[str, list[str]]:
    """Per language, the months January to December (the first family of names listed)."""
    return {lang: families[0] for lang, families in month_families().items()}


def human_date(value: str | None, language: str, catalog: Catalog) -> str:
    """``value`` written for a reader of ``language``; empty for no date. A language without
    month names keeps a month's date as it is written in the fact."""
    if not value:
        return ""
    if "/" in value:
        start, end = value.split("/")
        if len(start) == len(end) == 4 and start.endswith("0") and int(end) - int(start) == 9:
            return catalog.text("date_format.decade", start=start)
        return catalog.text("date_format.period", start=human_date(start, language, catalog),
                            end=human_date(end, language, catalog))
    parts = value.split("-")
    names = month_names().get(language)
    if len(parts) == 1 or names is None:
        return value
    month = names[int(parts[1]) - 1]
    if len(parts) == 2:
        return catalog.text("date_format.month_year", month=month, year=parts[0])
    return catalog.text("date_format.day_month_year", day=int(parts[2]), month=month,
                        year=parts[0])
