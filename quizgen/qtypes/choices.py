"""What the choice types (one right option among several) share in outputs made in Python:
their Anki fields."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def anki_fields(q: Any, maker: Any) -> dict[str, str]:
    """The note's own fields (note type ``choice``): the options, and on the back the same
    options with the right one marked."""
    macros = maker.template("shared/anki-choices.html.j2")
    return {"Question": maker.text(q.prompt),
            "Choices": str(macros.choices(q, maker.letters, maker.t)),
            "ChoicesMarked": str(macros.choices(q, maker.letters, maker.t, marked=True)),
            "Answer": maker.text(f"{maker.letters[q.answer_index]} {q.answer}")}
