"""Comparison: which of two figures is larger, or about how many times larger."""

from __future__ import annotations

import math
import random
import re
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from quizgen.distractors import Key
from quizgen.model import LRI, PDI
from quizgen.qtypes import choices
from quizgen.qtypes.base import QuestionBase
from quizgen.qtypes.engine import Plan, Planning, Rendering
from quizgen.qtypes.engine import rng as engine_rng

if TYPE_CHECKING:
    from quizgen.model import Fact
    from quizgen.qtemplates import QuestionTemplate

NAME = "comparison"
POSITION = 70  # where its questions come in a question set, its section on a worksheet
GRADING = "choice"  # how the self-test grades it (selftest.js)
GRADER = "shared/grade-choice.js"  # the script that sets graders[GRADING] (templates/)
ANKI_NOTE_TYPE = "choice"  # its note type (templates/anki/notetypes.yaml)
# Beyond it, "which is larger?" answers itself, by the figures or by what everyone knows
# (Russia's population against Afghanistan's, 3.3 times: review round 11): a ratio is asked.
OBVIOUS_RATIO = 2.0
# A ratio's options stand this far apart: far enough that a careful estimate tells them apart,
# near enough that "about twice" does not (at x2, 3.3 / 6.6 / 13.2 / 26.4 answered themselves).
RATIO_STEP = 1.5


class Figure(BaseModel):
    """One of the two figures compared, for the answer's bar chart (quizgen.render.chart)."""

    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)
    label: str = Field(min_length=1, description="what the figure is of: the fact's cue")
    value: float = Field(description="the figure as a number, to scale its bar")
    shown: str = Field(min_length=1, description="the figure with its unit as the question set "
                       "prints it (\"17,098,242 km²\")")


class ComparisonQuestion(QuestionBase):
    """A comparison question."""

    type: Literal["comparison"] = "comparison"
    SHOWN: ClassVar[tuple[str, ...]] = ("prompt", "choices")
    prompt: str
    choices: list[str] = Field(min_length=2)
    answer_index: int = Field(ge=0)
    answer: str
    variant: Literal["larger", "ratio"]
    figures: list[Figure] = Field(min_length=2, description="the two figures, larger first: "
                                  "what the answer's bar chart shows")


Question = ComparisonQuestion  # what the registry reads


def plan(template: QuestionTemplate, eligible: list[Fact], planning: Planning) -> list[Plan]:
    """Pairs of figures of one measure (and topic): which is larger, and how many times."""
    groups: dict[tuple[str, str, str], list[Fact]] = {}
    same_topic = template.spec.applies_to.same_topic
    for fact in eligible:
        q = fact.quantity
        topic = fact.topic if same_topic else ""
        groups.setdefault((topic, q.measure, q.unit), []).append(fact)  # type: ignore[union-attr]
    partners = template.spec.applies_to.partners
    plans = []
    for key in sorted(groups):
        facts = sorted(groups[key], key=lambda f: f.id)
        for i, a in enumerate(facts):
            found = 0
            for b in facts[i + 1:]:
                if found == partners:
                    break
                va, vb = a.quantity.value, b.quantity.value  # type: ignore[union-attr]
                if a.quantity.subject == b.quantity.subject or va == vb or min(va, vb) <= 0:  # type: ignore[union-attr]
                    continue
                found += 1
                plans += _comparison_pair(template, a, b, planning.seed)
    return plans


def _comparison_pair(template: QuestionTemplate, a: Fact, b: Fact, seed: int) -> list[Plan]:
    """Which of two figures is larger (unless it answers itself), and about how many times."""
    plans = []
    big, small = (a, b) if a.quantity.value > b.quantity.value else (b, a)  # type: ignore[union-attr]
    ratio = big.quantity.value / small.quantity.value  # type: ignore[union-attr]
    base = f"{a.id}.{template.id}.{b.id}"
    if ratio <= OBVIOUS_RATIO:  # beyond it, "which is larger?" answers itself
        larger = Plan(f"{base}.larger", NAME, template, [a, b])
        rng = engine_rng(seed, larger.id)
        larger.keys = [Key("fact", a.id), Key("fact", b.id)]
        rng.shuffle(larger.keys)
        larger.correct = larger.keys.index(Key("fact", big.id))
        larger.extra = {"variant": "larger"}
        plans.append(larger)
    times = Plan(f"{base}.ratio", NAME, template, [a, b])
    values = _ratio_choices(ratio, engine_rng(seed, times.id))
    if values is not None:
        shown, right = values
        times.extra = {"variant": "ratio", "values": shown, "ratio": ratio,
                       "big": big, "small": small}
        times.correct = shown.index(right)
        plans.append(times)
    return plans


def round_ratio(value: float) -> float:
    """Round a ratio the way people say it: 3.3, 26, 140."""
    if value < 10:
        return round(value, 1)
    digits = math.floor(math.log10(value)) - 1
    return float(round(value, -digits))


def format_ratio(value: float, *, decimal: bool | None = None) -> str:
    """Write a rounded ratio: one decimal for decimal ratios, none for whole ones."""
    decimal = value != int(value) if decimal is None else decimal
    return f"{value:,.1f}" if decimal else f"{round(value):,}"


def _ratio_choices(ratio: float, rng: random.Random) -> tuple[list[str], str] | None:
    """Four ratios in ascending order, the right one at a random place in the series.

    Returns the choices and the right one, or None when no four distinct choices exist.
    """
    if ratio < 1.5:
        return None
    right = round_ratio(ratio)
    whole = right == int(right)
    windows = [w for w in range(4) if right * RATIO_STEP ** -w >= 1.1]
    rng.shuffle(windows)
    for start in windows:
        values = []
        for step in range(-start, 4 - start):
            value = right * RATIO_STEP ** step
            value = float(round(round_ratio(value))) if whole else round(value, 1)
            values.append(format_ratio(value, decimal=not whole))
        if len(set(values)) == 4:
            return values, format_ratio(right, decimal=not whole)
    return None


_UNIT_END = re.compile(r"[.,;:!?\u060c\u061b\u061f(]")
UNIT_WORDS = 4


def figure(fact: Fact, language: str) -> str:
    """The fact's figure with its unit: the answer and the few words after it ("652,230 km²")."""
    marked = fact.marked(language)
    unit = _UNIT_END.split(marked.after, maxsplit=1)[0].strip()
    return f"{marked.answer} {unit}" if unit and len(unit.split()) <= UNIT_WORDS else marked.answer


def fields(plan: Plan, r: Rendering) -> dict[str, Any]:
    """The question's own fields in ``r.language``."""
    lang = r.language
    if plan.extra["variant"] == "larger":
        prompt = r.prompt(plan)
        choices = [r.facts[str(k.ref)].cue[lang] for k in plan.keys]  # type: ignore[index]
    else:
        big, small = plan.extra["big"], plan.extra["small"]
        prompt = plan.template.render(
            "ratio_prompt", lang, big=big.cue[lang], small=small.cue[lang],
            big_value=figure(big, lang), small_value=figure(small, lang))
        choices = plan.extra["values"]
    facts = sorted(plan.facts, key=lambda f: -f.quantity.value)  # type: ignore[union-attr]
    figures = [{"label": f.cue[lang], "value": f.quantity.value,  # type: ignore[index,union-attr]
                "shown": figure(f, lang)} for f in facts]
    return {"prompt": prompt, "choices": choices, "answer_index": plan.correct,
            "answer": choices[plan.correct], "variant": plan.extra["variant"],  # type: ignore[index]
            "figures": figures}


def explain(plan: Plan, r: Rendering) -> str:
    """How a ratio's answer is reached: the division, then the round figure."""
    if plan.extra["variant"] != "ratio":
        return ""
    big, small = plan.extra["big"], plan.extra["small"]
    value = big.quantity.value / small.quantity.value
    exact = f"{value:,.1f}" if value < 10 else f"{round(value):,}"
    # No-break spaces: a division broken over two lines ("17,098,242 ÷" | "652,230 ≈ 26") reads
    # backwards in a right-to-left paragraph, where the next line starts at the other side.
    division = "\u00a0".join([f"{big.quantity.value:,}", "\u00f7", f"{small.quantity.value:,}",
                               "\u2248", exact])
    if r.catalog.direction == "rtl":
        # Arithmetic reads left to right in Hebrew and Arabic too; unisolated, the bidi
        # algorithm would show "3.3 ≈ 43,246,581 ÷ 144,404,939" (LRI ... PDI).
        division = f"{LRI}{division}{PDI}"
    return r.catalog.text("ratio_explanation", division=division,
                          answer=plan.extra["values"][plan.correct])


def shuffled(question: ComparisonQuestion, order: list[int]) -> ComparisonQuestion:
    """The question with its choices in ``order`` (a worksheet form's); a ratio's choices
    keep their ascending scale."""
    if question.variant == "ratio":
        return question
    return question.model_copy(update={"choices": [question.choices[i] for i in order],
                                       "answer_index": order.index(question.answer_index)})


def option_count(question: ComparisonQuestion) -> int:
    """How many options a form may put in another order (none for a ratio's scale)."""
    return 0 if question.variant == "ratio" else len(question.choices)


def anki_fields(q: Any, maker: Any) -> dict[str, str]:
    """The note's own fields (note type ``choice``): on the back, after the options, the bar
    chart of the two figures (no field of its own: the note type stays as it is)."""
    from quizgen.render.chart import bar_chart, describe

    own = choices.anki_fields(q, maker)
    svg = bar_chart(q.figures, direction=maker.direction, title=describe(q.figures, maker.t))
    own["ChoicesMarked"] += f"\n{svg}"
    return own


def selftest_key(q: Any) -> dict[str, Any]:
    """What the self-test's grader needs: the right option."""
    return {"answer_index": q.answer_index}


def gift(q: ComparisonQuestion, w: Any) -> list[str]:
    """GIFT: a multiple choice (quizgen.render.gift)."""
    return [w.choice(q, q.prompt, q.choices, q.answer_index)]


def lms(q: ComparisonQuestion, w: Any) -> Any:
    """The LMS formats (quizgen.render.lms.Shapes): one right answer among the choices."""
    return w.multichoice(q, q.prompt, q.choices, q.answer_index)
