"""The offline self-test: one self-contained HTML page per deck language.

CSS and JavaScript are inline; a Content-Security-Policy allows only those two (by hash) and
``data:`` images, so the page makes no request and no injected script could run. The facts'
images are inline too, as ``data:`` URLs, shown with the answer. The questions are carried as
data, skeletons of their shapes and their texts, that the page's script fills
(``quizgen.render.skeleton``). The grading rules are ``quizgen/data/answer_matching.json``, the
same the Python engine uses.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from quizgen.catalog import Catalog
from quizgen.matching import rules
from quizgen.qtypes import MODULES, RenderedSet
from quizgen.render.chart import chart
from quizgen.render.common import (
    Citations,
    deck_templates,
    environment,
    html_isolate,
    image_urls,
    template_citations,
    type_styles,
    type_templates,
)
from quizgen.render.forms import SECTION_ORDER, sections
from quizgen.render.skeleton import Questions
from quizgen.resources import bundled

log = logging.getLogger(__name__)

CHUNK = 40  # questions the page's script inserts at a time

def _answer(question: Any) -> dict[str, Any]:
    """What the script needs to grade one question: its grader, the type's key for it and, for
    a typed answer, the question's text, whose words the answer may repeat (a cloze's prompt
    holds its blank: docs/answer-matching.md)."""
    module = MODULES[question.type]
    key = {"type": module.GRADING, **module.selftest_key(question)}
    if module.GRADING == "text":
        key["context"] = question.prompt
    return key


def host(url: str) -> str:
    """A link's short text: the host name of ``url`` (``he.wikipedia.org``), or the URL when it
    has none."""
    return urlsplit(url).hostname or url


def script_json(value: object) -> Markup:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` left to close it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                  .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _raw_chunk(html: str) -> Markup:
    """Question markup to hold inside a ``<script>`` element, which ends at the first
    ``</script``. Content in it is escaped (a ``<`` typed by an author is ``&lt;``), so only the
    templates' own markup could end it early; refuse to write a page where it would."""
    lowered = html.lower()
    if "</script" in lowered or "<script" in lowered or "<!--" in lowered:
        raise ValueError("question markup would end its <script> element early")
    return Markup(html)


@functools.cache
def page_script() -> str:
    """The self-test's script: selftest.js with the grader of every question type's kind (each
    type's GRADER, quizgen's own: a deck cannot bring a script)."""
    templates = bundled("templates")
    graders = dict.fromkeys(module.GRADER for module in MODULES.values())
    parts = [(templates / path).read_text(encoding="utf-8") for path in graders]
    script = (templates / "html" / "selftest.js").read_text(encoding="utf-8")
    return script.replace("/* graders */\n", "".join(parts), 1)


def _data_chunk(carried: Questions, part: list[Any], first: int, round_: int) -> Markup:
    """A chunk of questions as data (quizgen.render.skeleton): the skeletons, pieces, blocks
    and shared texts it is the first to use, then each question's shape and values (or its
    markup)."""
    shapes, blocks = len(carried.shapes), len(carried.cut)
    pieces, texts = len(carried.pieces), len(carried.texts)
    records = [carried.record(q, first + i, round_) for i, q in enumerate(part)]
    return script_json({"first": first, "shapes": carried.shapes[shapes:],
                        "pieces": carried.pieces[pieces:], "blocks": carried.cut[blocks:],
                        "texts": carried.texts[texts:], "q": records})


def _own_questions_template(deck_root: Path | None) -> bool:
    """Whether the deck brings its own questions.html.j2, whose loop over a chunk's questions
    may join them in its own way: its chunks are then markup, rendered whole."""
    own = deck_templates(deck_root)
    return own is not None and (own / "html" / "questions.html.j2").is_file()


def render_page(question_set: RenderedSet, catalog: Catalog, *,
                deck_root: Path | None = None, rounds: list[list[str]] | None = None,
                markup: bool = False) -> str:
    """The page of one rendered question set (the deck's own templates looked up first).
    ``rounds``: the question ids of each round, the first shown at once, each numbered from 1
    (default: one round of every question). ``markup``: carry the questions as markup, as
    Jinja renders them, rather than as data (the tests compare the two)."""
    folder = bundled("templates") / "html"
    style = (folder / "selftest.css").read_text(encoding="utf-8") + type_styles("selftest")
    images = image_urls(question_set, deck_root)
    if images:  # only then, so that a page without images keeps its bytes (and style hash)
        style += (folder / "selftest-images.css").read_text(encoding="utf-8")
    script = page_script()
    csp = (f"default-src 'none'; style-src {_hash(style)}; script-src {_hash(script)}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    env = environment(deck_root=deck_root)
    env.globals.update(iso=html_isolate, t=catalog.text, letters=catalog.letters(),
                       qs=question_set, key=_answer, host=host, images=images)
    env.globals["citations"] = Citations(question_set, catalog.text, template_citations(env))
    env.globals["chart"] = chart  # a comparison's bar chart
    carried = Questions()
    as_data = not markup and not _own_questions_template(deck_root)
    if as_data:
        carried.expect(question_set.questions)
        carried.install(env)  # before the types' templates are loaded (see Questions)
    env.globals["types"] = type_templates(env, "selftest")
    questions = env.get_template("html/questions.html.j2")
    carried.render = lambda q, n, r: questions.render(questions=[q], first=n, round=r)
    by_id = {q.id: q for q in question_set.questions}
    rounds = rounds or [list(by_id)]
    chunks = []
    seen: set[str] = set()
    for index, ids in enumerate(rounds):
        number = 1
        for kind, group in sections([by_id[i] for i in ids], seed=question_set.seed):
            seen.add(kind)
            for start in range(0, len(group), CHUNK):
                part = group[start:start + CHUNK]
                html = (_data_chunk(carried, part, number, index) if as_data else _raw_chunk(
                    questions.render(questions=part, first=number, round=index)))
                chunks.append({"section": kind, "round": index, "html": html})
                number += len(part)
    data = {"deck": question_set.deck, "language": question_set.language,
            "rules": {k: v for k, v in rules().items() if not k.startswith("$")},
            "strings": {"correct": catalog.text("correct"),
                        "incorrect": catalog.text("incorrect"),
                        "partly": catalog.text("partly_correct"), "score": catalog.text("score"),
                        "not_answered": catalog.text("not_answered"),
                        "your_answer": catalog.text("your_answer"),
                        "correct_answer": catalog.text("correct_answer"),
                        "question": catalog.raw("question"),
                        "answered": catalog.raw("answered_of"), "page": catalog.raw("page")},
            "total": len(rounds[0]), "sizes": [len(ids) for ids in rounds], "rounds": len(rounds),
            "round_label": catalog.raw("round_of")}
    return env.get_template("html/selftest.html.j2").render(
        kinds=[kind for kind in SECTION_ORDER if kind in seen], first=chunks[:1], rest=chunks[1:],
        rounds=len(rounds), total=len(rounds[0]),
        style=Markup(style), script=Markup(script), csp=csp, data=script_json(data))
