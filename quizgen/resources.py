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


def deck_root(folder: Path) -> Path | None:
    """The deck folder ``folder`` is in: itself or the nearest parent holding a deck.yaml."""
    for candidate in (folder, *folder.parents):
        if (candidate / "deck.yaml").is_file():
            return candidate
    return None


def discover(here: Path) -> tuple[Path, bool]:
    """The content a command reads when no --content is given, and whether it is the bundled
    decks: the deck folder ``here`` is in (like git finding its repository), else ``here`` when
    it holds deck folders, else the bundled decks."""
    root = deck_root(here)
    if root is not None:
        return root, False
    try:
        if any((child / "deck.yaml").is_file() for child in here.iterdir() if child.is_dir()):
            return here, False
    except OSError:  # an unreadable or vanished working folder: nothing of the user's here
        pass
    return default_content(), True
