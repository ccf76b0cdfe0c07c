"""Multiple choice: the fact's sentence with its answer among plausible wrong ones."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from quizgen import distractors
from quizgen.distractors import Key
from quizgen.qtypes import choices
from quizgen.qtypes.base import QuestionBase
from quizgen.qtypes.engine import Plan, Planning, Rendering

if TYPE_CHECKING:
    from quizgen.model import Fact
    from quizgen.qtemplates import QuestionTemplate

NAME = "multiple_choice"
POSITION = 30  # where its questions come in a question set, its section on a worksheet
GRADING = "choice"  # how the self-test grades it (selftest.js)
GRADER = "shared/grade-choice.js"  # the script that sets graders[GRADING] (templates/)
ANKI_NOTE_TYPE = "choice"  # its note type (templates/anki/notetypes.yaml)


class MultipleChoiceQuestion(QuestionBase):
    """A multiple-choice question."""

    type: Literal["multiple_choice"] = "multiple_choice"
    SHOWN: ClassVar[tuple[str, ...]] = ("prompt", "text_before", "text_after", "choices")
    STEM: ClassVar[tuple[str, ...]] = ("prompt", "text_before", "text_after")
    prompt: str
    text_before: str
    text_after: str
    answer: str
    choices: list[str] = Field(min_length=2)
    answer_index: int = Field(ge=0)
    ordered: bool = Field(False, description="the choices are numbers or dates, smallest first: "
                          "a worksheet form keeps their order")


Question = MultipleChoiceQuestion  # what the registry reads


def plan(template: QuestionTemplate, eligible: list[Fact], planning: Planning) -> list[Plan]:
    """A multiple choice of every eligible fact with enough plausible wrong answers."""
    from quizgen.qtemplates import ChoiceSpec  # which imports the registry

    spec = template.spec
    choice = spec.choices or ChoiceSpec()
    wanted = choice.count - 1
    plans = []
    for fact in eligible:
        made = Plan(f"{fact.id}.{spec.id}", NAME, template, [fact])
        rng = planning.rng(made.id)
        keys = distractors.choose(fact, wanted, choice.distractors, planning.pool, rng)
        if len(keys) < wanted:
            planning.warn(fact, f"{spec.id}: skipped, {len(keys)} plausible "
                          f"distractor{'s' if len(keys) != 1 else ''} of {wanted} needed; "
                          "add `distractors` to the fact")
            continue
        made.keys = [Key("answer"), *keys]
        rng.shuffle(made.keys)
        ordered = distractors.in_order(made.keys, fact, planning.pool)
        if ordered is not None:
            made.keys = ordered
            made.extra["ordered"] = True
        made.correct = made.keys.index(Key("answer"))
        plans.append(made)
    return plans


def fields(plan: Plan, r: Rendering) -> dict[str, Any]:
    """The question's own fields in ``r.language``."""
    fact = plan.fact
    marked = fact.marked(r.language)
    return {"prompt": r.prompt(plan), "text_before": marked.before, "text_after": marked.after,
            "answer": marked.answer,
            "choices": [distractors.render(k, fact, r.language, r.facts) for k in plan.keys],
            "answer_index": plan.correct, "ordered": bool(plan.extra.get("ordered"))}


def shuffled(question: MultipleChoiceQuestion, order: list[int]) -> MultipleChoiceQuestion:
    """The question with its choices in ``order`` (a worksheet form's)."""
    return question.model_copy(update={"choices": [question.choices[i] for i in order],
                                       "answer_index": order.index(question.answer_index)})


def option_count(question: MultipleChoiceQuestion) -> int:
    """How many options a form may put in another order (none where they are in value order)."""
    return 0 if question.ordered else len(question.choices)


def anki_fields(q: Any, maker: Any) -> dict[str, str]:
    """The note's own fields (note type ``choice``)."""
    return choices.anki_fields(q, maker)


def quality(review: Any) -> None:
    """The quality rules of its options (quizgen.quality)."""
    from quizgen.quality import choice_rules

    choice_rules(review, review.question.choices, review.question.answer_index)


def selftest_key(q: Any) -> dict[str, Any]:
    """What the self-test's grader needs: the right option."""
    return {"answer_index": q.answer_index}


def gift(q: MultipleChoiceQuestion, w: Any) -> list[str]:
    """GIFT: a multiple choice (quizgen.render.gift)."""
    return [w.choice(q, q.prompt, q.choices, q.answer_index)]


def lms(q: MultipleChoiceQuestion, w: Any) -> Any:
    """The LMS formats (quizgen.render.lms.Shapes): one right answer among the choices."""
    return w.multichoice(q, q.prompt, q.choices, q.answer_index)
