"""What the choice types (one right option among several) share in outputs made in Python:
their Anki fields."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

# The options on a card: rows with their own letters (no <ol> markers, which follow the
# browser's idea of the language). ``{shuffle}`` is set where the options may be shuffled on each
# review (templates/anki/choices.js reads it, and which side this is).
CHOICES = '<div class="qg-choices"{shuffle}>\n{rows}</div>'
SHUFFLE = ' data-shuffle data-card="{card}" data-side="{side}"'
ROW = ('<div class="qg-choice{correct}"><span class="qg-letter">{letter}</span> '
       '<bdi class="qg-choice-text">{choice}</bdi>{mark}</div>\n')
MARK = ' <span class="qg-mark" role="img" aria-label="{label}">✓</span>'


def anki_fields(q: Any, maker: Any) -> dict[str, str]:
    """The note's own fields (note type ``choice``): the options, and on the back the same
    options with the right one marked."""
    from quizgen.qtypes import MODULES

    text = maker.text
    # Options a worksheet may reorder are shuffled on each review too (templates/anki/choices.js);
    # true/false, options in value order and a ratio's scale keep their order.
    module = MODULES[q.type]
    shuffle = getattr(module, "option_count", lambda _: 0)(q) > 1
    card = text(f"{maker.qs.language}:{q.id}") if shuffle else None
    rows = [(text(maker.letters[index]), text(choice)) for index, choice in enumerate(q.choices)]

    def choices(marked: bool) -> str:
        right = q.answer_index if marked else None
        mark = MARK.format(label=text(maker.t("correct_answer"))) if marked else ""
        side = SHUFFLE.format(card=card, side="back" if marked else "front") if card else ""
        return CHOICES.format(shuffle=side, rows="".join(
            ROW.format(letter=letter, choice=choice, correct=" qg-correct" if index == right
                       else "", mark=mark if index == right else "")
            for index, (letter, choice) in enumerate(rows)))

    return {"Question": text(q.prompt), "Choices": choices(False),
            "ChoicesMarked": choices(True),
            "Answer": text(f"{maker.letters[q.answer_index]} {q.answer}")}
