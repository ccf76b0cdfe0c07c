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

    text, letters = maker.text, maker.letters
    # Options a worksheet may reorder are shuffled on each review too (templates/anki/choices.js);
    # true/false, options in value order and a ratio's scale keep their order.
    module = MODULES[q.type]
    shuffle = getattr(module, "option_count", lambda _: 0)(q) > 1
    card = text(f"{maker.qs.language}:{q.id}") if shuffle else None
    label = text(maker.t("correct_answer"))

    def choices(marked: bool) -> str:
        """The options as rows with their own letters (no <ol> markers, which follow the
        browser's idea of the language); ``marked``: the right one marked, for the back."""
        right = q.answer_index if marked else -1
        # Where the options may be shuffled: templates/anki/choices.js reads the card and side.
        side = "back" if marked else "front"
        shuffled = f' data-shuffle data-card="{card}" data-side="{side}"' if card else ""
        rows = "".join(
            f'<div class="qg-choice{" qg-correct" if index == right else ""}">'
            f'<span class="qg-letter">{text(letters[index])}</span> '
            f'<bdi class="qg-choice-text">{text(choice)}</bdi>'
            + (f' <span class="qg-mark" role="img" aria-label="{label}">✓</span>'
               if index == right else "")
            + "</div>\n" for index, choice in enumerate(q.choices))
        return f'<div class="qg-choices"{shuffled}>\n{rows}</div>'

    return {"Question": text(q.prompt), "Choices": choices(False),
            "ChoicesMarked": choices(True),
            "Answer": text(f"{letters[q.answer_index]} {q.answer}")}
