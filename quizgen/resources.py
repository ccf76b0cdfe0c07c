"""Where the bundled content, templates and schemas are, installed or in a checkout."""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

_HERE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """Return the bundled folder ``name`` (content, templates or schemas).

    A wheel carries them inside the package (``quizgen/_bundled``); a checkout or an editable
    install has them at the top of the repository.
    """
    packaged = _HERE / "_bundled" / name
    return packaged if packaged.is_dir() else _HERE.parent / name


def default_content() -> Path:
    """The bundled decks."""
    return bundled("content")
