"""What the choice types (one right option among several) share in outputs made in Python:
their Anki fields."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def anki_fields(q: Any, maker: Any) -> dict[str, str]:
    """The note's own fields (note type ``choice``): the options, and on the back the same
    options with the right one marked."""
    from quizgen.qtypes import MODULES

    macros = maker.template("shared/anki-choices.html.j2")
    # Options a worksheet may reorder are shuffled on each review too (templates/anki/choices.js);
    # true/false, options in value order and a ratio's scale keep their order.
    module = MODULES[q.type]
    shuffle = getattr(module, "option_count", lambda _: 0)(q) > 1
    card = f"{maker.qs.language}:{q.id}" if shuffle else None
    return {"Question": maker.text(q.prompt),
            "Choices": str(macros.choices(q, maker.letters, maker.t, card=card)),
            "ChoicesMarked": str(macros.choices(q, maker.letters, maker.t, marked=True,
                                                card=card)),
            "Answer": maker.text(f"{maker.letters[q.answer_index]} {q.answer}")}
