"""True or false: the fact's sentence, or the same sentence with a wrong answer in it."""

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

NAME = "true_false"
POSITION = 40  # where its questions come in a question set, its section on a worksheet
GRADING = "choice"  # how the self-test grades it (selftest.js)
GRADER = "shared/grade-choice.js"  # the script that sets graders[GRADING] (templates/)
ANKI_NOTE_TYPE = "choice"  # its note type (templates/anki/notetypes.yaml)


class TrueFalseQuestion(QuestionBase):
    """A true-or-false question."""

    type: Literal["true_false"] = "true_false"
    SHOWN: ClassVar[tuple[str, ...]] = ("prompt", "choices")
    prompt: str
    choices: list[str] = Field(min_length=2, max_length=2)
    answer_index: int = Field(ge=0, le=1)
    answer: str
    statement_is_true: bool


Question = TrueFalseQuestion  # what the registry reads


def plan(template: QuestionTemplate, eligible: list[Fact], planning: Planning) -> list[Plan]:
    """A statement of every eligible fact: itself, or with a plausible wrong answer in it."""
    from quizgen.qtemplates import ChoiceSpec  # which imports the registry

    spec = template.spec
    choice = spec.choices or ChoiceSpec()
    plans = []
    for fact in eligible:
        made = Plan(f"{fact.id}.{spec.id}", NAME, template, [fact])
        rng = planning.rng(made.id)
        keys = distractors.choose(fact, 1, choice.distractors, planning.pool, rng)
        if not keys:  # always "True": a learner who notices scores without knowing
            planning.warn(fact, f"[true-false-no-false] {spec.id}: skipped, no plausible "
                          "wrong answer to make the statement false; add `distractors` to the "
                          "fact")
            continue
        made.truth = rng.random() < 0.5
        made.keys = [Key("answer")] if made.truth else keys[:1]
        plans.append(made)
    return plans


def fields(plan: Plan, r: Rendering) -> dict[str, Any]:
    """The question's own fields in ``r.language``."""
    fact = plan.fact
    marked = fact.marked(r.language)
    shown = distractors.render(plan.keys[0], fact, r.language, r.facts)
    choices = [r.catalog.text("true"), r.catalog.text("false")]
    index = 0 if plan.truth else 1
    return {"prompt": r.prompt(plan, statement=marked.before + str(shown) + marked.after),
            "choices": choices, "answer_index": index, "answer": choices[index],
            "statement_is_true": plan.truth}


def anki_fields(q: Any, maker: Any) -> dict[str, str]:
    """The note's own fields (note type ``choice``)."""
    return choices.anki_fields(q, maker)


def selftest_key(q: Any) -> dict[str, Any]:
    """What the self-test's grader needs: the right option."""
    return {"answer_index": q.answer_index}


def gift(q: TrueFalseQuestion, w: Any) -> list[str]:
    """GIFT: a true-false question (quizgen.render.gift)."""
    return [w.true_false(q, q.prompt, q.statement_is_true)]


def lms(q: TrueFalseQuestion, w: Any) -> Any:
    """The LMS formats (quizgen.render.lms.Shapes): a statement to judge true or false."""
    return w.truefalse(q, q.prompt, q.statement_is_true)
