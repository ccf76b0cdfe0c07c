"""Matching: cues on the left, their answers shuffled on the right."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import Field

from quizgen.qtypes.base import QuestionBase
from quizgen.qtypes.engine import Plan, Planning, Rendering
from quizgen.qtypes.groups import group_plans

if TYPE_CHECKING:
    from quizgen.model import Fact
    from quizgen.qtemplates import QuestionTemplate

T = TypeVar("T")
Pair = Annotated[list[T], Field(min_length=2, max_length=2)]  # JSON has no tuples

NAME = "matching"
POSITION = 60  # where its questions come in a question set, its section on a worksheet
GRADING = "match"  # how the self-test grades it (selftest.js)
GRADER = "types/matching/grade.js"  # the script that sets graders[GRADING] (templates/)
ANKI_NOTE_TYPE = "arrange"  # its note type (templates/anki/notetypes.yaml)


class MatchingQuestion(QuestionBase):
    """A matching question."""

    type: Literal["matching"] = "matching"
    SHOWN: ClassVar[tuple[str, ...]] = ("prompt", "left", "right")
    STEM: ClassVar[tuple[str, ...]] = ("left",)
    prompt: str
    left: list[str] = Field(min_length=2)
    right: list[str] = Field(min_length=2)
    answer_pairs: list[Pair[int]] = Field(description="[left index, right index] pairs")
    answer: list[Pair[str]] = Field(description="the [left, right] pairs")


Question = MatchingQuestion  # what the registry reads


def plan(template: QuestionTemplate, eligible: list[Fact], planning: Planning) -> list[Plan]:
    """Groups of facts with distinct answers, their answers shuffled apart from their cues."""
    return group_plans(template, eligible, planning, name=NAME, by_date=False, pairs=True)


def fields(plan: Plan, r: Rendering) -> dict[str, Any]:
    """The question's own fields in ``r.language``."""
    lang = r.language
    right_order = plan.extra["right"]
    left = [plan.facts[i].cue[lang] for i in plan.order]  # type: ignore[index]
    right = [plan.facts[i].answer(lang) for i in right_order]
    pairs = [[li, right_order.index(fi)] for li, fi in enumerate(plan.order)]
    return {"prompt": r.prompt(plan), "left": left, "right": right, "answer_pairs": pairs,
            "answer": [[left[li], right[ri]] for li, ri in pairs]}


def shuffled(question: MatchingQuestion, order: list[int]) -> MatchingQuestion:
    """The question with its right-hand partners in ``order`` (a worksheet form's)."""
    return question.model_copy(update={
        "right": [question.right[i] for i in order],
        "answer_pairs": [[left, order.index(right)] for left, right in question.answer_pairs]})


def option_count(question: MatchingQuestion) -> int:
    """How many options a form may put in another order."""
    return len(question.right)


def anki_fields(q: MatchingQuestion, maker: Any) -> dict[str, str]:
    """The note's own fields (note type ``arrange``): the items numbered, their partners
    lettered, and the answer as the matched pairs."""
    text, letters = maker.text, maker.letters
    left = "".join(f'<div class="qg-item"><span class="qg-number">{number}</span> '
                   f"<bdi>{text(item)}</bdi></div>\n" for number, item in enumerate(q.left, 1))
    right = "".join(f'<div class="qg-item"><span class="qg-letter">{text(letters[index])}</span> '
                    f"<bdi>{text(item)}</bdi></div>\n" for index, item in enumerate(q.right))
    # Each pair is one run of text in the card's direction (the item, a dash, its partner), so
    # the partner follows its item in reading order and wraps with it on a narrow screen,
    # instead of being a column of its own that squeezes (a year overlapping the dash at
    # 390 px). A no-break space keeps the dash with the partner when the line breaks.
    pairs = "".join(
        f'<div class="qg-item"><span class="qg-number">{item + 1}</span> '
        f'<span class="qg-letter">{text(letters[partner])}</span> <span class="qg-pair">'
        f'<bdi class="qg-side">{text(q.left[item])}</bdi> <span class="qg-arrow">—</span>&nbsp;'
        f'<bdi class="qg-partner">{text(q.right[partner])}</bdi></span></div>\n'
        for item, partner in q.answer_pairs)
    return {"Question": text(q.prompt),
            "Items": f'<div class="qg-items qg-left">\n{left}</div>\n'
                     f'<div class="qg-items qg-right">\n{right}</div>',
            "Answer": f'<div class="qg-items qg-solution">\n{pairs}</div>'}


def quality(review: Any) -> None:
    """The quality rule of partners (quizgen.quality)."""
    from quizgen.quality import distinct_partners_rules

    distinct_partners_rules(review, review.question.right)


def selftest_key(q: MatchingQuestion) -> dict[str, Any]:
    """What the self-test's grader needs: the right pairs."""
    return {"pairs": q.answer_pairs}


def answers(q: MatchingQuestion) -> int:
    """How many answers a student gives (a pair for each item): each earns the points
    a worksheet gives one answer of this type (docs/pdf.md, "The header and points")."""
    return len(q.left)


def gift(q: MatchingQuestion, w: Any) -> list[str]:
    """GIFT: a matching question (quizgen.render.gift)."""
    return [w.matching(q, q.prompt, [(q.left[li], q.right[ri]) for li, ri in q.answer_pairs])]


def lms(q: MatchingQuestion, w: Any) -> Any:
    """The LMS formats (quizgen.render.lms.Shapes): items each with its partner."""
    return w.pairs(q, q.prompt, [(q.left[li], q.right[ri]) for li, ri in q.answer_pairs],
                   kind="matching")
