"""Word bank: a passage of several sentences of one topic, each with a blank, and a box of their
answers with a wrong word for each blank, of its form, shuffled.

A passage's answers are all of one kind (``KINDS``: times, quantities, places, or one answer
type), so that no blank is filled by elimination and no answer reads as true in another's
sentence ("The treaty was signed in 1921" and "... in Riverford" both are). A passage never gives
itself away: no sentence shows another sentence's answer or an extra word, no two answers (or
accepted alternatives) are the same, in any language. The extra words are distractors of the
passage's facts (``choices.distractors`` of the template, as for multiple choice), valid for
every blank at once: wrong for each, and in no sentence.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from quizgen import distractors
from quizgen.distractors import Key
from quizgen.matching import normalize_answer
from quizgen.qtypes.base import QuestionBase
from quizgen.qtypes.engine import BLANK, Plan, Planning, Rendering

if TYPE_CHECKING:
    from collections.abc import Sequence

    from quizgen.model import Fact
    from quizgen.qtemplates import QuestionTemplate

NAME = "word_bank"
POSITION = 15  # where its questions come in a question set, its section on a worksheet
GRADING = "bank"  # how the self-test grades it (selftest.js)
GRADER = "types/word_bank/grade.js"  # the script that sets graders[GRADING] (templates/)
ANKI_NOTE_TYPE = "arrange"  # its note type (templates/anki/notetypes.yaml)

OPEN = 4  # passages of one topic and kind filled at a time
PER_FACT = 3  # wrong words looked for among each fact's distractors, at most
HINT_LENGTH = 4  # an answer's word this long or longer, shown in another sentence, hints at it
MAX_WORDS = 3  # a bank holds words and short phrases: longer answers are left to other types
KINDS = {"year": "time", "date": "time", "number": "quantity", "money": "quantity",
         "place": "place", "country": "place"}  # answer types that share a bank; others alone


class Gap(BaseModel):
    """One sentence of the passage, split around its blank."""

    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)

    text_before: str
    text_after: str
    answer: str
    answer_index: int = Field(ge=0, description="the answer's place in `bank`")
    accepted_answers: list[str] = Field(
        min_length=1, description="every typed answer that counts as right (the answer first), "
        "compared as docs/answer-matching.md says")


class WordBankQuestion(QuestionBase):
    """A word-bank question."""

    type: Literal["word_bank"] = "word_bank"
    prompt: str
    bank: list[str] = Field(min_length=3, description="the answers and the extra words, "
                            "in the order shown")
    sentences: list[Gap] = Field(min_length=2, description="the passage, in its order")
    answer: list[str] = Field(description="each sentence's answer, in the passage's order")
    unused: list[str] = Field(min_length=1, description="the extra words, in the bank's order")

    def shown(self) -> list[str]:
        """The prompt, the bank and the sentences around their blanks."""
        return [self.prompt, *self.bank,
                *(part for s in self.sentences for part in (s.text_before, s.text_after))]


Question = WordBankQuestion  # what the registry reads


def plan(template: QuestionTemplate, eligible: list[Fact], planning: Planning) -> list[Plan]:
    """Passages of a topic's facts whose answers are of one kind (in date order where every one
    has a date), each with its shuffled bank."""
    from quizgen.qtemplates import ChoiceSpec  # which imports the registry

    spec = template.spec
    group = spec.group
    if group is None:
        return []
    languages = planning.languages
    sources = (spec.choices or ChoiceSpec()).distractors
    groups: dict[tuple[str, str], list[Fact]] = {}
    for fact in eligible:
        if all(len(fact.answer(lang).split()) <= MAX_WORDS for lang in languages):
            kind = KINDS.get(fact.answer_type, fact.answer_type)
            if kind == "quantity" and not any(c.isdigit() for c in fact.answer(languages[0])):
                kind = "quantity in words"  # "three" among "25" and "50" shows its blank
            groups.setdefault((fact.topic if group.by == "topic" else "", kind), []).append(fact)
    plans = []
    for key in sorted(groups):
        facts = groups[key]
        if all(f.date for f in facts):
            facts = sorted(facts, key=lambda f: (f.date or "", f.id))
        blanks = [_Blank(fact, languages) for fact in facts]
        for passage in _passages(blanks, group.min, group.max):
            chunk = [b.fact for b in passage]
            qid = f"{chunk[0].id}.{spec.id}"
            rng = planning.rng(qid)
            extras = _extras(passage, sources, planning, rng)
            if not extras:
                planning.warn(chunk[0], f"{spec.id}: skipped a passage of {len(chunk)} "
                              "sentences, no extra word is wrong for every blank; add "
                              "`distractors` to its facts")
                continue
            made = Plan(qid, NAME, template, chunk)
            bank: list[tuple[int, Key | None]] = [(i, None) for i in range(len(chunk))]
            bank += extras
            order = list(range(len(bank)))
            while _in_passage_order(order, len(chunk)):
                rng.shuffle(order)
            made.extra["bank"] = [bank[i] for i in order]
            plans.append(made)
    return plans


def _in_passage_order(order: list[int], answers: int) -> bool:
    """Whether the answers stand in the bank in the order of their sentences (a give-away)."""
    shown = [i for i in order if i < answers]
    return shown == sorted(shown)


def _shows(text: str, words: Iterable[str]) -> bool:
    """Whether the folded ``text`` holds one of the folded ``words`` as whole words."""
    padded = f" {text} "
    return any(f" {w} " in padded for w in words if w)


class _Blank:
    """One fact as a blank of a passage, folded once in every language: its answers (the
    answer and the accepted alternatives), the sentence around the blank, and the answer's own
    words that its sentence does not show (a sentence holding one of those hints at it)."""

    def __init__(self, fact: Fact, languages: Sequence[str]) -> None:
        self.fact = fact
        self.passages = {(c.source, c.locator) for c in fact.sources}
        self.answers: dict[str, set[str]] = {}
        self.shown: dict[str, str] = {}
        self.hints: dict[str, set[str]] = {}
        for lang in languages:
            marked = fact.marked(lang)
            accepted = (fact.accept or {}).get(lang, [])
            self.answers[lang] = {normalize_answer(x) for x in [marked.answer, *accepted]}
            self.shown[lang] = normalize_answer(f"{marked.before} {marked.after}")
            own = set(self.shown[lang].split())
            self.hints[lang] = {word for answer in self.answers[lang] for word in answer.split()
                                if len(word) >= HINT_LENGTH and word not in own}

    def clashes(self, other: _Blank) -> bool:
        """Whether the two cannot share a passage: drawn from one passage of a source (two
        items of one list: each fits the other's blank), one answer for both, or one's sentence
        showing the other's answer or one of its own words."""
        return bool(self.passages & other.passages) or any(
            self.answers[lang] & other.answers[lang]
                   or _shows(self.shown[lang], other.answers[lang] | other.hints[lang])
                   or _shows(other.shown[lang], self.answers[lang] | self.hints[lang])
                   for lang in self.answers)


def _passages(blanks: list[_Blank], low: int, high: int) -> list[list[_Blank]]:
    """Blanks in passages of ``low`` to ``high``, of about equal size, in their order. Each
    blank joins the first open passage it does not clash with, or opens one (at most ``OPEN``
    at a time: a blank that fits none is left to the other types); one pass, so a topic of
    thousands of facts costs what its facts do."""
    if len(blanks) < low:
        return []
    size = math.ceil(len(blanks) / math.ceil(len(blanks) / high))
    done: list[list[_Blank]] = []
    growing: list[list[_Blank]] = []
    for blank in blanks:
        home = next((p for p in growing if not any(blank.clashes(b) for b in p)), None)
        if home is None:
            if len(growing) == OPEN:
                continue
            home = []
            growing.append(home)
        home.append(blank)
        if len(home) == size:
            growing.remove(home)
            done.append(home)
    done += [p for p in growing if len(p) >= low]
    position = {id(b): i for i, b in enumerate(blanks)}
    return sorted(done, key=lambda p: position[id(p[0])])


def _extras(passage: list[_Blank], sources: Sequence[str], planning: Planning,
            rng: random.Random) -> list[tuple[int, Key]]:
    """A wrong word per blank, each of its blank's form (digits, letters, article), taken from
    its own fact's distractors first (which fit its sentence), else from another fact's; a
    blank no wrong word of its form fits goes without, and no word is of a form no blank has.
    So every blank has at least one competitor that looks like its answer, and none is filled
    by elimination or by its form alone."""
    languages, facts = planning.languages, planning.pool.facts
    chunk = [b.fact for b in passage]
    taken = {lang: set().union(*(b.answers[lang] for b in passage)) for lang in languages}
    for lang in languages:  # a spare word may fit any blank: none true of one
        taken[lang] |= {normalize_answer(x) for fact in chunk
                        for x in (fact.never_offer or {}).get(lang, [])}
    sentences = {lang: " ".join(b.shown[lang] for b in passage) for lang in languages}
    shapes = [_shape(f, languages) for f in chunk]
    articles = {lang: {_article(f.answer(lang), lang) for f in chunk} for lang in languages}
    start = rng.randrange(len(chunk))
    order = [*range(start, len(chunk)), *range(start)]
    found: dict[int, list[tuple[Key, tuple[object, ...]]]] = {i: [] for i in order}
    for index in order:
        for key in distractors.candidates(chunk[index], sources, planning.pool, rng):
            if len(found[index]) == PER_FACT:
                break
            texts = {lang: distractors.render(key, chunk[index], lang, facts)
                     for lang in languages}
            if any(not t or len(t.split()) > MAX_WORDS for t in texts.values()):
                continue
            folded = {lang: normalize_answer(str(t)) for lang, t in texts.items()}
            if any(not f or f in taken[lang] or _shows(sentences[lang], {f})
                   for lang, f in folded.items()):
                continue
            if any(_shared_word(f, taken[lang]) for lang, f in folded.items()):
                continue  # "tourism" beside "tourism links": the two point at each other
            if any(_article(str(texts[lang]), lang) not in articles[lang] for lang in languages):
                continue  # "a military alliance" where no blank takes "a": ruled out by form
            shape = tuple(_form(str(texts[lang]), lang) for lang in languages)
            if shape not in shapes:
                continue  # a date among years fits no blank: ruled out by its form
            found[index].append((key, shape))
            for lang, f in folded.items():
                taken[lang].add(f)
    chosen: list[tuple[int, Key]] = []
    for index in order:  # each blank its own fact's word of its form, else another fact's
        for source in [index, *(i for i in order if i != index)]:
            pick = next((n for n, (_, shape) in enumerate(found[source])
                         if shape == shapes[index]), None)
            if pick is not None:
                key, _ = found[source].pop(pick)
                chosen.append((source, key))
                break
    return chosen


SHARED_WORD = 4  # letters a word needs to tie two words of a bank together


def _shared_word(folded: str, taken: set[str]) -> bool:
    """Whether ``folded`` has a long word in common with a word already in the bank."""
    mine = {w for w in folded.split()
            if len(w) >= SHARED_WORD and not any(c.isdigit() for c in w)}  # a year may recur
    return any(mine & set(other.split()) for other in taken)


# Where a language writes its definite article visibly enough to be a form of its own: the one
# definite entry of a bank ("the sanctions", "العقوبات") fits the one blank whose grammar wants
# it. (Hebrew's ה is also the first letter of many words, so it is not read as one.)
ARTICLES = {"en": ("the ",), "ar": ("ال", "وال", "بال", "لل")}


INDEFINITE = {"en": ("a ", "an ")}


def _article(text: str, language: str) -> str:
    """Which article an entry opens with, where the language writes one as a word."""
    folded = text.casefold()
    if folded.startswith(ARTICLES.get(language, ())):
        return "definite"
    return "indefinite" if folded.startswith(INDEFINITE.get(language, ())) else ""


def _form(text: str, language: str) -> tuple[object, ...]:
    """What a word looks like at a glance: its digit runs, whether it has letters too ("July
    1993" is not a year), and whether it begins with a definite article."""
    return (distractors.shape(text), any(c.isalpha() for c in text),
            _article(text, language) == "definite")


def _shape(fact: Fact, languages: Sequence[str]) -> tuple[object, ...]:
    return tuple(_form(fact.answer(lang), lang) for lang in languages)


def fields(plan: Plan, r: Rendering) -> dict[str, Any]:
    """The question's own fields in ``r.language``."""
    lang = r.language
    bank: list[str] = []
    place: dict[int, int] = {}
    unused: list[str] = []
    for position, (index, key) in enumerate(plan.extra["bank"]):
        fact = plan.facts[index]
        if key is None:
            bank.append(fact.answer(lang))
            place[index] = position
        else:
            word = str(distractors.render(key, fact, lang, r.facts))
            bank.append(word)
            unused.append(word)
    gaps = []
    for index, fact in enumerate(plan.facts):
        marked = fact.marked(lang)
        gaps.append({"text_before": marked.before, "text_after": marked.after,
                     "answer": marked.answer, "answer_index": place[index],
                     "accepted_answers": [marked.answer, *(fact.accept or {}).get(lang, [])]})
    return {"prompt": r.prompt(plan, blank=BLANK, unused=len(unused)), "bank": bank,
            "sentences": gaps, "answer": [g["answer"] for g in gaps], "unused": unused}


def shuffled(question: WordBankQuestion, order: list[int]) -> WordBankQuestion:
    """The question with its bank in ``order`` (a worksheet form's)."""
    bank = [question.bank[i] for i in order]
    gaps = [gap.model_copy(update={"answer_index": order.index(gap.answer_index)})
            for gap in question.sentences]
    unused = [word for word in bank if word in question.unused]
    return question.model_copy(update={"bank": bank, "sentences": gaps, "unused": unused})


def option_count(question: WordBankQuestion) -> int:
    """How many options a form may put in another order."""
    return len(question.bank)


# The bank's box: Anki's note type style is shared by every type, so its style is inline.
BANK_STYLE = "border: 1px solid currentColor; border-radius: 6px; padding: 4px 10px; margin: 8px 0;"
WORD_STYLE = "display: inline-block; margin-inline-end: 1.2em;"


def anki_fields(q: WordBankQuestion, maker: Any) -> dict[str, str]:
    """The note's own fields (note type ``arrange``): the bank in a box and the passage with
    numbered blanks; on the back the passage with each blank filled in."""
    text = maker.text
    bank = " ".join(f'<span class="qg-item" style="{WORD_STYLE}"><bdi>{text(word)}</bdi></span>'
                    for word in q.bank)
    passage = "".join(
        f'<div class="qg-item"><span class="qg-number">{number}</span> <span>'
        f'{text(s.text_before)}<span class="qg-blank">{BLANK}</span>{text(s.text_after)}'
        "</span></div>\n" for number, s in enumerate(q.sentences, 1))
    filled = "".join(
        f'<div class="qg-item"><span class="qg-number">{number}</span> <span>'
        f"{text(s.text_before)}<b><bdi>{text(s.answer)}</bdi></b>{text(s.text_after)}"
        "</span></div>\n" for number, s in enumerate(q.sentences, 1))
    return {"Question": text(q.prompt),
            "Items": f'<div class="qg-items qg-bank" style="{BANK_STYLE}">\n{bank}</div>\n'
                     f'<div class="qg-items qg-passage">\n{passage}</div>',
            "Answer": f'<div class="qg-items qg-solution">\n{filled}</div>'}


def anki_explanation(q: WordBankQuestion) -> str:
    """Nothing: the back of the card is the passage in full already, and the notes are in the
    sources' quotes."""
    return ""


def selftest_key(q: WordBankQuestion) -> dict[str, Any]:
    """What the self-test's grader needs: each blank's word in the bank, and what else counts
    as right when typed."""
    return {"blanks": [g.answer_index for g in q.sentences]}


def answers(q: WordBankQuestion) -> int:
    """How many answers a student gives (a word for each blank): each earns the points
    a worksheet gives one answer of this type (docs/pdf.md, "The header and points")."""
    return len(q.sentences)


def gift(q: WordBankQuestion, w: Any) -> list[str]:
    """GIFT has no word bank: a multiple choice for each sentence, the bank's words the options
    in its blank, each titled with the passage's id and the sentence's number
    (quizgen.render.gift)."""
    return [w.gap_choice(q, gap.text_before, q.bank, gap.answer_index, gap.text_after,
                         title=f"{q.id}.{number}")
            for number, gap in enumerate(q.sentences, start=1)]


def lms(q: WordBankQuestion, w: Any) -> Any:
    """The LMS formats (quizgen.render.lms.Shapes): the passage's blanks each a choice of the
    bank's words."""
    return w.gapselect(q, q.prompt,
                       [(g.text_before, g.answer_index, g.text_after) for g in q.sentences],
                       q.bank)
