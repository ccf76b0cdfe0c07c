"""Ordering: events of one group, to be put in the order they happened."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from quizgen.dates import human_date
from quizgen.qtypes.base import QuestionBase
from quizgen.qtypes.engine import Plan, Planning, Rendering
from quizgen.qtypes.groups import group_plans

if TYPE_CHECKING:
    from quizgen.model import Fact
    from quizgen.qtemplates import QuestionTemplate

NAME = "ordering"
POSITION = 50  # where its questions come in a question set, its section on a worksheet
GRADING = "order"  # how the self-test grades it (selftest.js)
GRADER = "types/ordering/grade.js"  # the script that sets graders[GRADING] (templates/)
ANKI_NOTE_TYPE = "arrange"  # its note type (templates/anki/notetypes.yaml)


class OrderingQuestion(QuestionBase):
    """An ordering question."""

    type: Literal["ordering"] = "ordering"
    SHOWN: ClassVar[tuple[str, ...]] = ("prompt", "items")
    STEM: ClassVar[tuple[str, ...]] = SHOWN
    prompt: str
    items: list[str] = Field(min_length=2, description="the events, in the order shown")
    answer_order: list[int] = Field(description="indices of `items` in the right order")
    answer: list[str] = Field(description="the items in the right order")
    dates: list[str | None] = Field(description="each event's date, in the right order")
    date_labels: list[str] = Field(description="each event's date as a reader of the language "
                                   "writes it (\"October 2005\", \"the 1950s\"), in the right "
                                   "order")


Question = OrderingQuestion  # what the registry reads


def plan(template: QuestionTemplate, eligible: list[Fact], planning: Planning) -> list[Plan]:
    """Groups of events with distinct years, shown out of order."""
    return group_plans(template, eligible, planning, name=NAME, by_date=True, pairs=False)


def fields(plan: Plan, r: Rendering) -> dict[str, Any]:
    """The question's own fields in ``r.language``."""
    lang = r.language
    return {"prompt": r.prompt(plan),
            "items": [plan.facts[i].cue[lang] for i in plan.order],  # type: ignore[index]
            "answer_order": [plan.order.index(i) for i in range(len(plan.facts))],
            "answer": [f.cue[lang] for f in plan.facts],  # type: ignore[index]
            "dates": [f.date for f in plan.facts],
            "date_labels": [human_date(f.date, lang, r.catalog) for f in plan.facts]}


def shuffled(question: OrderingQuestion, order: list[int]) -> OrderingQuestion:
    """The question with its items in ``order`` (a worksheet form's)."""
    return question.model_copy(update={
        "items": [question.items[i] for i in order],
        "answer_order": [order.index(i) for i in question.answer_order]})


def option_count(question: OrderingQuestion) -> int:
    """How many options a form may put in another order."""
    return len(question.items)


def anki_fields(q: OrderingQuestion, maker: Any) -> dict[str, str]:
    """The note's own fields (note type ``arrange``): the events with letters, and the answer
    as the sequence of letters and the events numbered in order."""
    text, letters = maker.text, maker.letters
    items = "".join(f'<div class="qg-item"><span class="qg-letter">{text(letters[index])}</span> '
                    f"<bdi>{text(item)}</bdi></div>\n" for index, item in enumerate(q.items))
    # Arrows do not mirror in right-to-left text: the arrow is chosen by the direction.
    arrow = " ← " if maker.direction == "rtl" else " → "
    sequence = arrow.join(text(letters[index]) for index in q.answer_order)
    solution = "".join(
        f'<div class="qg-item"><span class="qg-number">{number}</span> '
        f'<span class="qg-letter">{text(letters[index])}</span> <bdi>{text(q.items[index])}</bdi> '
        f'<bdi class="qg-date">{text(label)}</bdi></div>\n'
        for number, (index, label) in enumerate(zip(q.answer_order, q.date_labels, strict=True),
                                                1))
    return {"Question": text(q.prompt),
            "Items": f'<div class="qg-items">\n{items}</div>',
            "Answer": f'<div class="qg-sequence">{sequence}</div>\n'
                      f'<div class="qg-items qg-solution">\n{solution}</div>'}


def quality(review: Any) -> None:
    """The quality rules of dated items (quizgen.quality)."""
    from quizgen.quality import dated_items_rules

    dated_items_rules(review)


def selftest_key(q: OrderingQuestion) -> dict[str, Any]:
    """What the self-test's grader needs: the items' right order."""
    return {"order": q.answer_order}


def answers(q: OrderingQuestion) -> int:
    """How many answers a student gives (a place for each event): each earns the points
    a worksheet gives one answer of this type (docs/pdf.md, "The header and points")."""
    return len(q.items)


def lms(q: OrderingQuestion, w: Any) -> Any:
    """The LMS formats (quizgen.render.lms.Shapes): the events in the order they happened."""
    return w.sequence(q, q.prompt, q.answer, kind="ordering")
