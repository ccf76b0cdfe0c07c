"""``quizgen html`` driven in real headless Chromium (Debian's, through Playwright)."""

from __future__ import annotations

import functools
import http.server
import json
import math
import threading
from pathlib import Path

import pytest

from conftest import ROOT, SCREENSHOTS, quizgen

pytestmark = pytest.mark.slow

DECK = "afghanistan-russia"
CASES = json.loads((ROOT / "tests" / "data" / "answer_matching_cases.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The self-tests with every question (every type) and the JSON export, same seed."""
    out = tmp_path_factory.mktemp("html")
    for command in (("html", "--count", "all"), ("export", "json")):
        run = quizgen(*command, "--out", out, "--seed", "3")
        assert run.code == 0, run.err
    return out


def questions(site: Path, language: str) -> list[dict]:
    return json.loads((site / f"{DECK}.{language}.json").read_text("utf-8"))["questions"]


def open_page(browser, site: Path, language: str, *, width: int = 1280, height: int = 900,
              **options):
    """A fresh page with the self-test loaded from disk; records errors and requests.
    ``options``: more of the browser context's (``color_scheme="dark"``)."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    page.problems = []
    page.requests = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    url = (site / f"{DECK}.{language}.html").as_uri()
    page.goto(url)
    page.wait_for_selector("html[data-complete=true]", state="attached")
    page.url_loaded = url
    return page


def box(page, qid: str):
    return page.locator(f'[data-question-id="{qid}"]')


ON_SCREEN = "els => els.filter(e => e.checkVisibility()).map(e => e.dataset.questionId)"


def on_screen(page) -> list[str]:
    """The ids of the questions on screen: those of the page shown."""
    return page.locator("[data-question-id]").evaluate_all(ON_SCREEN)


def reach(page, qid: str) -> None:
    """Turn the pages ("Previous page", "Next page", pressed with Enter), as a learner does, until
    the question is on screen; fails when no page holds it."""
    target = box(page, qid)
    wanted = int(target.locator(".qg-num").text_content())
    while not target.is_visible():
        first = int(page.locator("[data-question-id]:visible .qg-num").first.text_content())
        button = page.locator("#qg-previous" if wanted < first else "#qg-next")
        assert button.is_visible() and button.is_enabled(), f"{qid} is on no page"
        button.focus()
        page.keyboard.press("Enter")  # from the keyboard (each_page clicks)


def reach_first(page, selector: str):
    """The first element ``selector`` finds, its question's page shown."""
    found = page.locator(selector).first
    qid = found.evaluate("e => e.closest('[data-question-id]')?.dataset.questionId ?? null")
    if qid:
        reach(page, qid)
    return found


def shoot(page, target, path: Path) -> None:
    """A picture of the element ``target`` (cut from a picture of the whole page, where the
    element is): Playwright's own element screenshot waits for two animation frames with the
    same box and timed out once on a loaded CI machine (he-dark) with nothing moving."""
    target.scroll_into_view_if_needed()
    x, y, width, height = target.evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return [r.left + scrollX, r.top + scrollY, r.width, r.height]; }")
    assert width > 0 and height > 0, f"nothing to see for {path.name}"
    page.screenshot(path=str(path), full_page=True, animations="disabled",
                    clip={"x": x, "y": y, "width": width, "height": height})


def each_page(page):
    """Shows each page of the round in turn, from the first ("Previous page" until it is
    disabled, then "Next page" until it is), and yields the ids of its questions on screen."""
    pager = page.locator(".qg-pager")
    while pager.is_visible() and page.locator("#qg-previous").is_enabled():
        page.locator("#qg-previous").click()
    yield on_screen(page)
    while pager.is_visible() and page.locator("#qg-next").is_enabled():
        page.locator("#qg-next").click()
        yield on_screen(page)


def pages_of(page) -> list[list[str]]:
    """The questions on screen on each page of the round, from the first."""
    return list(each_page(page))


def page_sizes(n: int) -> list[int]:
    """The pages of ``n`` questions (docs/html.md, "Pages"): pages of ten, a remainder of one or
    two spread over the others, every page within one question of the others."""
    count = max(1, math.ceil((n - 2) / 10))
    return [n // count + (i < n % count) for i in range(count)]


def up_buttons(item, q: dict):
    """The "move up" buttons to press, one at a time, until the items are in the right order."""
    for position, index in enumerate(q["answer_order"]):
        while item.locator("[data-item]").evaluate_all(
                "els => els.map(e => Number(e.dataset.item))").index(index) != position:
            yield item.locator(f'[data-item="{index}"] button[data-move=up]')


def answer_right(page, q: dict) -> None:
    """Answer one question correctly, the way a user does (its page shown, then clicks, typing,
    selects)."""
    reach(page, q["id"])
    item = box(page, q["id"])
    if q["type"] in {"cloze", "short_answer"}:
        item.locator("input[type=text]").fill(q["answer"])
    elif q["type"] in {"multiple_choice", "true_false", "comparison"}:
        item.locator(f'input[type=radio][value="{q["answer_index"]}"]').check()
    elif q["type"] == "ordering":
        for button in up_buttons(item, q):
            button.click()
    elif q["type"] == "word_bank":
        for blank, sentence in enumerate(q["sentences"]):
            item.locator("select").nth(blank).select_option(str(sentence["answer_index"]))
    else:
        for left, right in q["answer_pairs"]:
            item.locator("select").nth(left).select_option(str(right))


@pytest.mark.parametrize("language", ["en", "ar", "he"])
def test_page_loads_alone_and_holds_every_question(browser, site: Path, language: str) -> None:
    page = open_page(browser, site, language)
    try:
        assert page.problems == []
        assert page.requests == [page.url_loaded]
        ids = page.locator("[data-question-id]").evaluate_all(
            "els => els.map(e => e.dataset.questionId)")
        assert ids == [q["id"] for q in questions(site, language)]
        html = page.locator("html")
        assert html.get_attribute("lang") == language
        assert html.get_attribute("dir") == ("ltr" if language == "en" else "rtl")
        assert page.locator("form").count() == 1
    finally:
        page.context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_all_right_scores_total_and_none_scores_zero(browser, site: Path, language: str) -> None:
    qs = questions(site, language)
    page = open_page(browser, site, language)
    try:
        page.locator("button[type=submit]").click()
        assert page.locator("#qg-score").get_attribute("data-score") == f"0/{len(qs)}"
        assert page.locator('[data-result="unanswered"]').count() == len(qs)
        for q in qs:
            answer_right(page, q)
        page.locator("button[type=submit]").click()
        assert page.locator("#qg-score").get_attribute("data-score") == f"{len(qs)}/{len(qs)}"
        reach(page, qs[0]["id"])
        first = box(page, qs[0]["id"])
        assert first.get_attribute("data-result") == "right"
        assert first.locator(".qg-feedback .qg-quote").first.is_visible()
        assert page.problems == []
    finally:
        page.context.close()


def test_answer_matching_agrees_with_python(browser, site: Path) -> None:
    """The shared corpus through the page's own JavaScript: browser and Python agree."""
    page = open_page(browser, site, "en")
    try:
        for typed, expected, want, why in CASES["cases"]:
            got = page.evaluate("([t, e]) => window.quizgenMatch.answersMatch(t, e, [])",
                                [typed, expected])
            assert got is want, why
        for typed, expected, accepted, want, why in CASES["accepted_cases"]:
            got = page.evaluate("([t, e, a]) => window.quizgenMatch.answersMatch(t, e, a)",
                                [typed, expected, accepted])
            assert got is want, why
        for typed, expected, accepted, context, language, want, why in CASES["question_cases"]:
            got = page.evaluate("([t, e, a, c, l]) => "
                                "window.quizgenMatch.answersMatch(t, e, a, c, l)",
                                [typed, expected, accepted, context, language])
            assert got is want, why
    finally:
        page.context.close()


def test_keyboard_alone_answers_one_question_of_each_type(browser, site: Path) -> None:
    qs = questions(site, "he")
    page = open_page(browser, site, "he")
    keys = page.keyboard
    try:
        done = set()
        for q in qs:
            if q["type"] in done:
                continue
            done.add(q["type"])
            reach(page, q["id"])
            item = box(page, q["id"])
            # Start from the previous question's end: Tab must lead into this question.
            item.evaluate("e => { const b = document.createElement('button'); b.type = 'button';"
                          " b.id = 'qg-start'; e.before(b); b.focus(); }")
            keys.press("Tab")
            if q["type"] in {"cloze", "short_answer"}:
                keys.type(q["answer"])
            elif q["type"] in {"multiple_choice", "true_false", "comparison"}:
                keys.press("Space")  # the first option
                for _ in range(q["answer_index"]):
                    keys.press("ArrowDown")
            elif q["type"] == "ordering":
                for button in up_buttons(item, q):
                    # Reach the button with Tab from the question's first button.
                    item.locator("button").first.focus()
                    for _ in range(item.locator("button").evaluate_all(
                            "(els, t) => els.indexOf(t)", button.element_handle())):
                        keys.press("Tab")
                    keys.press("Enter")
                    assert page.evaluate("document.activeElement.dataset.move") == "up"
            elif q["type"] == "word_bank":
                for blank, sentence in enumerate(q["sentences"]):
                    for _ in range(sentence["answer_index"] + 1):
                        keys.press("ArrowDown")
                    assert item.locator("select").nth(blank).input_value() == str(
                        sentence["answer_index"])
                    if blank < len(q["sentences"]) - 1:
                        keys.press("Tab")
            else:
                for left, right in q["answer_pairs"]:
                    for _ in range(right + 1):
                        keys.press("ArrowDown")
                    assert item.locator("select").nth(left).input_value() == str(right)
                    if left < len(q["answer_pairs"]) - 1:
                        keys.press("Tab")
            page.evaluate("document.getElementById('qg-start').remove()")
            assert item.evaluate("(e) => e.contains(document.activeElement)"), q["id"]
        page.locator("button[type=submit]").focus()
        keys.press("Enter")
        for q in qs:
            if box(page, q["id"]).get_attribute("data-result") == "right":
                done.discard(q["type"])
        assert not done, f"answered by keyboard but not right: {done}"
        assert page.evaluate("document.activeElement.id") == "qg-score"
    finally:
        page.context.close()


def test_answers_survive_a_reload_and_retry_keeps_the_missed(browser, site: Path) -> None:
    qs = questions(site, "ar")
    page = open_page(browser, site, "ar")
    try:
        answer_right(page, qs[0])
        answer_right(page, qs[1])
        page.reload()
        page.wait_for_selector("html[data-complete=true]", state="attached")
        page.locator("button[type=submit]").click()
        assert page.locator("#qg-score").get_attribute("data-score") == f"2/{len(qs)}"
        page.locator("#qg-retry").click()
        assert box(page, qs[0]["id"]).is_hidden()
        assert box(page, qs[2]["id"]).is_visible()  # the first missed, on the first page
        kept = [qid for ids in pages_of(page) for qid in ids]
        assert kept == [q["id"] for q in qs[2:]]
        answer_right(page, qs[2])
        page.locator("button[type=submit]").click()
        assert page.locator("#qg-score").get_attribute("data-score") == f"1/{len(qs) - 2}"
        page.locator("#qg-shuffle").click()
        reach(page, qs[0]["id"])  # back in play, on one of the pages
        assert page.locator("#qg-score").is_hidden()
        assert page.problems == []
    finally:
        page.context.close()


def test_page_works_from_a_web_server(browser, site: Path) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    context = browser.new_context()
    try:
        page = context.new_page()
        problems, requests = [], []
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("request", lambda r: requests.append(r.url))
        url = f"http://127.0.0.1:{server.server_address[1]}/{DECK}.he.html"
        page.goto(url)
        page.wait_for_selector("html[data-ready=true]")
        page.locator("button[type=submit]").click()
        assert page.locator("#qg-score").get_attribute("data-score").startswith("0/")
        assert problems == [] and requests == [url]
    finally:
        context.close()
        server.shutdown()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["ar", "he"])
def test_screenshots(browser, site: Path, language: str, scheme: str) -> None:
    """The page at desktop and phone width before and after checking (a mix of right, partly
    right, wrong and unanswered), written to build/screenshots/ to be looked at: the top of the
    first page and the bar, a wrong choice, a partly right matching and ordering, an unanswered
    matching, the page buttons, the sources."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    qs = questions(site, language)
    for name, (width, height) in {"desktop": (1280, 900), "phone": (390, 844)}.items():
        page = open_page(browser, site, language, width=width, height=height,
                         color_scheme=scheme)
        stem = f"html-{language}-{name}" + ("-dark" if scheme == "dark" else "")
        try:
            answer_a_mix(page, qs)
            ordering = next(q for q in qs if q["type"] == "ordering")
            reach(page, ordering["id"])
            box(page, ordering["id"]).locator("button[data-move=down]").first.click()
            for state in ("before", "after"):
                if state == "after":
                    page.locator("button[type=submit]").click()
                for number, _ in enumerate(each_page(page), 1):  # nothing too wide on any page
                    overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
                    assert overflow <= 0, f"{language} {name} {state} page {number}: {overflow}px"
                reach(page, qs[0]["id"])  # the first page
                page.evaluate("window.scrollTo(0, 0)")
                page.screenshot(path=str(SCREENSHOTS / f"{stem}-{state}.png"))
                page.evaluate("window.scrollTo(0, document.body.scrollHeight / 3)")
                page.screenshot(path=str(SCREENSHOTS / f"{stem}-{state}-scrolled.png"))
            for part, selector in {
                    "wrong": '[data-type="multiple_choice"]:has(.qg-mark[data-mark=wrong])',
                    "matching": '[data-type="matching"][data-result="partial"]',
                    "unanswered": '[data-type="matching"][data-result="unanswered"]',
                    "ordering": f'[data-question-id="{ordering["id"]}"]',
                    "pager": ".qg-pager",
                    "sources": "footer"}.items():
                shoot(page, reach_first(page, selector), SCREENSHOTS / f"{stem}-{part}.png")
        finally:
            page.context.close()


def test_content_is_text_never_markup(browser, sample_deck: Path, tmp_path: Path) -> None:
    """HTML and script typed into a fact show as the author typed them and never run."""
    hostile = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> {{ 7*7 }}'
    facts = sample_deck / "facts" / "a.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "signed their treaty in", f"signed their {hostile} treaty in"), encoding="utf-8")
    run = quizgen("html", "--content", sample_deck, "--out", tmp_path, "--lang", "en")
    assert run.code == 0, run.err
    context = browser.new_context()
    try:
        page = context.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto((tmp_path / "sample.en.html").as_uri())
        # Every question chunk inserted (they come when the browser is idle), not only the first.
        page.wait_for_selector("html[data-complete=true]", state="attached")
        assert page.evaluate("window.__pwned") is None
        assert page.locator("script").count() == 2  # the data block and quizgen's own script
        assert page.locator("img").count() == 0
        assert hostile in page.locator("body").inner_text()
        assert requests == [(tmp_path / "sample.en.html").as_uri()]
    finally:
        context.close()


def test_enter_in_a_text_box_grades_nothing(browser, site: Path) -> None:
    """Enter in an answer box confirms that answer and moves to the next field; only the check
    button grades the test."""
    qs = questions(site, "ar")
    page = open_page(browser, site, "ar")
    try:
        q = next(q for q in qs if q["type"] == "cloze")
        field = box(page, q["id"]).locator("input[type=text]")
        field.fill(q["answer"])
        field.press("Enter")
        assert page.locator("#qg-score").is_hidden()
        assert page.locator("[data-result]").count() == 0
        assert field.input_value() == q["answer"]
        # Focus moved on to the next field: the first of the next question's.
        after = box(page, qs[qs.index(q) + 1]["id"]).locator("input, select").first
        assert after.evaluate("e => e === document.activeElement")
        page.locator("button[type=submit]").click()
        assert box(page, q["id"]).get_attribute("data-result") == "right"
    finally:
        page.context.close()


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_right_options_letter_stands_apart_from_its_text(browser, site: Path,
                                                               language: str) -> None:
    """Feedback reads "B · diplomatic forum", never "Bdiplomatic forum" (in Arabic, a letter
    glued to the next word joins it: ب + منتدى would read بمنتدى)."""
    qs = questions(site, language)
    page = open_page(browser, site, language)
    try:
        q = next(q for q in qs if q["type"] == "multiple_choice")
        page.locator("button[type=submit]").click()
        reach(page, q["id"])
        shown = box(page, q["id"]).locator(".qg-correct-answer").inner_text()
        letter = box(page, q["id"]).locator(".qg-choices .qg-letter").nth(
            q["answer_index"]).inner_text()
        assert " ".join(shown.split()).endswith(f"{letter} · {q['answer']}"), shown
    finally:
        page.context.close()


@pytest.mark.parametrize("language", ["he", "ar"])
@pytest.mark.parametrize("width", [390, 1280])
def test_a_ratios_division_reads_left_to_right_on_one_line(browser, site: Path, language: str,
                                                            width: int) -> None:
    """In a right-to-left explanation "17,098,242 ÷ 652,230 ≈ 26" keeps its order, and does not
    break over two lines (where the second half would start at the other side)."""
    page = open_page(browser, site, language, width=width)
    try:
        page.locator("button[type=submit]").click()
        reach(page, "afghanistan-area.comparison.russia-area.ratio")
        feedback = box(page, "afghanistan-area.comparison.russia-area.ratio").locator(
            ".qg-feedback")
        places = feedback.evaluate("""(fb) => {
          const walker = document.createTreeWalker(fb, NodeFilter.SHOW_TEXT);
          for (let node; (node = walker.nextNode());) {
            const t = node.textContent, sign = t.indexOf("\u00f7");
            if (sign < 0) continue;
            const start = t.lastIndexOf("17,098,242", sign);  // the sentence before names it too
            return ["17,098,242", "\u00f7", "652,230", "\u2248"].map((token) => {
              const at = t.indexOf(token, start), range = document.createRange();
              range.setStart(node, at);
              range.setEnd(node, at + token.length);
              const rect = range.getClientRects()[0];
              return [rect.x, rect.y];
            });
          }
          return null;
        }""")
        assert places, "no division in the ratio's explanation"
        assert len({round(y) for _, y in places}) == 1, places  # one line
        assert [x for x, _ in places] == sorted(x for x, _ in places), places  # left to right
    finally:
        page.context.close()


def test_the_default_page_is_a_round(browser, tmp_path: Path) -> None:
    """Without --count, a page holds a round: one question per fact, the questions `export
    json --count round` chooses."""
    for command in (("html",), ("export", "json", "--count", "round")):
        run = quizgen(*command, "--out", tmp_path, "--seed", "3", "--lang", "he")
        assert run.code == 0, run.err
    qs = questions(tmp_path, "he")
    asked = [fid for q in qs for fid in q["fact_ids"]]
    assert len(asked) == len(set(asked))
    page = open_page(browser, tmp_path, "he")
    try:
        ids = page.locator('[data-question-id][data-round="0"]').evaluate_all(
            "els => els.map(e => e.dataset.questionId)")
        assert ids == [q["id"] for q in qs]
        assert page.problems == []
    finally:
        page.context.close()


SHOWN_IDS = "els => els.filter(e => !e.hidden).map(e => e.dataset.questionId)"


def test_a_new_round_asks_other_questions_and_grades_them_alone(browser, tmp_path: Path) -> None:
    """The default page holds three rounds; "New round" shows the next: questions no earlier
    round asked (a fact comes back as another type), numbered from 1, graded alone."""
    run = quizgen("html", "--out", tmp_path, "--seed", "5", "--lang", "ar")
    assert run.code == 0, run.err
    assert "3 rounds of" in run.out
    page = open_page(browser, tmp_path, "ar")
    try:
        rounds = []
        for n in range(3):
            shown = page.locator("[data-question-id]").evaluate_all(SHOWN_IDS)
            assert shown, n
            rounds.append(shown)
            assert page.locator("#qg-round-status").text_content() == f"الجولة {n + 1} من 3"
            numbers = page.locator("[data-question-id]:not([hidden]) .qg-num").all_text_contents()
            assert numbers == [str(i) for i in range(1, len(shown) + 1)]
            paged = []
            for ids in each_page(page):  # every question of the round on one page, in order
                paged += ids
                for section in page.locator(".qg-section").all():
                    has = section.locator("[data-question-id]:visible").count() > 0
                    assert section.is_visible() == has
            assert paged == shown, n
            assert [len(ids) for ids in pages_of(page)] == page_sizes(len(shown))
            page.locator("button[type=submit]").click()
            assert page.locator("#qg-score").get_attribute("data-score") == f"0/{len(shown)}"
            page.locator("#qg-round").click()
            assert page.locator("#qg-score").is_hidden()
        assert not set(rounds[0]) & set(rounds[1]) and not set(rounds[1]) & set(rounds[2])
        assert not set(rounds[0]) & set(rounds[2])
        # Each round asks a fact at most once; a fact asked again comes as another question.
        for shown in rounds:
            facts = [qid.split(".")[0] for qid in shown]
            assert len(facts) == len(set(facts))
        assert page.locator("[data-question-id]").evaluate_all(SHOWN_IDS) == rounds[0]
        assert page.problems == []
    finally:
        page.context.close()


@pytest.mark.parametrize("language", ["en", "he"])
def test_choice_options_are_marked_with_words_after_checking(browser, site: Path,
                                                             language: str) -> None:
    """After checking, the option chosen and the right one carry ✓ or ✗ and words ("Your
    answer", "Correct answer" in the page's language), not a colour alone."""
    from quizgen.catalog import load_catalog

    catalog, _ = load_catalog(language)
    yours, right = catalog.text("your_answer"), catalog.text("correct_answer")
    qs = questions(site, language)
    wrong = next(q for q in qs if q["type"] == "multiple_choice")
    good = next(q for q in qs if q["type"] == "true_false")
    untouched = next(q for q in qs if q["type"] == "comparison")
    page = open_page(browser, site, language)

    def marks(q: dict) -> dict[int, str]:
        reach(page, q["id"])  # read on its page, as shown
        assert box(page, q["id"]).locator(".qg-mark").first.is_visible(), q["id"]
        labels = box(page, q["id"]).locator(".qg-choices label")
        return {int(label.locator("input").get_attribute("value")):
                " ".join(label.locator(".qg-mark").inner_text().split())
                for label in labels.all() if label.locator(".qg-mark").count()}

    try:
        chosen = (wrong["answer_index"] + 1) % len(wrong["choices"])
        reach(page, wrong["id"])
        box(page, wrong["id"]).locator(f'input[type=radio][value="{chosen}"]').check()
        answer_right(page, good)
        page.locator("button[type=submit]").click()
        assert marks(wrong) == {chosen: f"✗ {yours}", wrong["answer_index"]: f"✓ {right}"}
        assert marks(good) == {good["answer_index"]: f"✓ {yours}"}
        assert marks(untouched) == {untouched["answer_index"]: f"✓ {right}"}
        page.locator("#qg-shuffle").click()
        assert page.locator(".qg-mark").count() == 0
        assert page.problems == []
    finally:
        page.context.close()


def tenths(value: float) -> str:
    """A score as the page writes it: to a tenth, without a trailing ".0"."""
    rounded = math.floor(value * 10 + 0.5) / 10
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_rows_are_marked_and_earn_partial_credit(browser, site: Path, language: str) -> None:
    """Matching, ordering and word bank: each pair, place and blank is marked ✓/✗, the verdict
    counts them ("Partly correct · 4 of 6 pairs"), the score adds the share right, and "Retry the
    ones I missed" keeps the partly right."""
    from quizgen.catalog import load_catalog

    catalog, _ = load_catalog(language)
    qs = questions(site, language)
    matching = next(q for q in qs if q["type"] == "matching" and len(q["answer_pairs"]) > 2)
    ordering = next(q for q in qs if q["type"] == "ordering" and len(q["items"]) > 2)
    bank = next(q for q in qs if q["type"] == "word_bank" and len(q["sentences"]) > 1)
    page = open_page(browser, site, language)
    try:
        for q in (matching, ordering, bank):
            answer_right(page, q)
        # Two pairs swapped, the first two events swapped, one blank wrong.
        (l1, r1), (l2, r2) = matching["answer_pairs"][:2]
        reach(page, matching["id"])
        selects = box(page, matching["id"]).locator("select")
        selects.nth(l1).select_option(str(r2))
        selects.nth(l2).select_option(str(r1))
        reach(page, ordering["id"])
        box(page, ordering["id"]).locator("[data-item] button[data-move=down]").first.click()
        wrong_word = next(i for i in range(len(bank["bank"]))
                          if i != bank["sentences"][0]["answer_index"])
        reach(page, bank["id"])
        box(page, bank["id"]).locator("select").first.select_option(str(wrong_word))
        page.locator("button[type=submit]").click()

        expected = {matching["id"]: ("pairs_right", len(matching["answer_pairs"]), 2),
                    ordering["id"]: ("in_place", len(ordering["items"]), 2),
                    bank["id"]: ("word_bank.blanks_right", len(bank["sentences"]), 1)}
        points = 0.0
        for qid, (key, rows, wrong) in expected.items():
            reach(page, qid)
            item = box(page, qid)
            assert item.get_attribute("data-result") == "partial"
            verdict = item.locator(".qg-verdict").inner_text()
            assert verdict == (f"{catalog.text('partly_correct')} · "
                               f"{catalog.text(key, right=rows - wrong, total=rows)}"), verdict
            signs = item.locator(".qg-mark [aria-hidden=true]").all_inner_texts()
            assert sorted(signs) == sorted(["✓"] * (rows - wrong) + ["✗"] * wrong), qid
            words = item.locator(".qg-mark .qg-sr").all_text_contents()
            assert words.count(catalog.text("incorrect")) == wrong, qid
            points += (rows - wrong) / rows
        assert page.locator("#qg-score").get_attribute("data-score") == (
            f"{tenths(points)}/{len(qs)}")
        page.locator("#qg-retry").click()
        for qid in expected:
            reach(page, qid)  # kept, on one of the retry's pages
        assert page.problems == []
    finally:
        page.context.close()


@pytest.mark.parametrize("language", ["en", "ar", "he"])
def test_progress_count_and_check_button_within_reach_on_a_phone(browser, site: Path,
                                                                 language: str) -> None:
    """At 390 px the bar with the check button and "2 of 246 answered" (a polite live region)
    stays on screen wherever the page is scrolled, and takes little of it."""
    from quizgen.catalog import load_catalog

    catalog, _ = load_catalog(language)
    qs = questions(site, language)
    page = open_page(browser, site, language, width=390, height=844)
    progress = page.locator("#qg-progress")
    try:
        assert progress.get_attribute("aria-live") == "polite"
        assert progress.text_content() == catalog.text("answered_of", n=0, total=len(qs))
        assert page.locator(".qg-actions #qg-page-status").is_visible()  # "Page 1 of 25" too
        answer_right(page, next(q for q in qs if q["type"] == "cloze"))
        answer_right(page, next(q for q in qs if q["type"] == "multiple_choice"))
        matching = next(q for q in qs if q["type"] == "matching")
        reach(page, matching["id"])
        box(page, matching["id"]).locator("select").first.select_option("0")  # one pair of many
        assert progress.text_content() == catalog.text("answered_of", n=2, total=len(qs))
        button = page.locator("button[type=submit]")
        for state in ("before", "after"):
            for share in (0, 0.25, 0.5, 0.75, 1):
                page.evaluate("s => window.scrollTo(0, s * document.body.scrollHeight)", share)
                where = button.evaluate("""b => {
                  const r = b.getBoundingClientRect();
                  const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                  return {top: r.top, bottom: r.bottom, hit: b.contains(hit),
                          bar: b.closest('.qg-actions').getBoundingClientRect().height};
                }""")
                assert where["hit"] and where["top"] >= 0 and where["bottom"] <= 844, (
                    state, share, where)
                assert where["bar"] <= 0.15 * 844, (state, where)
            button.click()
        assert page.problems == []
    finally:
        page.context.close()


TITLE_PLACES = """boxes => boxes.map(b => {
  const legend = b.querySelector(':scope > legend').getBoundingClientRect();
  const line = parseFloat(getComputedStyle(b).lineHeight);
  return {gap: legend.top - b.getBoundingClientRect().top
               - parseFloat(getComputedStyle(b).borderTopWidth),
          lines: Math.round(legend.height / line)};
})"""


@pytest.mark.parametrize("language", ["ar", "he"])
def test_question_titles_stay_inside_their_box(browser, site: Path, language: str) -> None:
    """At 390 px a question's title, of one line or several, is laid out inside its box, below
    the border, never across it (every question, measured on its page)."""
    page = open_page(browser, site, language, width=390, height=844)
    try:
        places = []
        for _ in each_page(page):
            places += page.locator("fieldset.qg-q:visible").evaluate_all(TITLE_PLACES)
        assert len(places) == len(questions(site, language))
        assert max(p["lines"] for p in places) >= 2  # titles of two lines and more are there
        assert [p for p in places if p["gap"] < 0] == []
    finally:
        page.context.close()


@pytest.mark.parametrize("language", ["en", "he"])
def test_source_links_are_short_and_whole(browser, site: Path, language: str) -> None:
    """A source's address shows as its host name, on one line ("he.wikipedia.org"), never as a
    URL broken mid-word at 390 px ("http" / "s://...")."""
    page = open_page(browser, site, language, width=390, height=844)
    try:
        links = page.locator("a").evaluate_all("""links => links.map(a => {
          const range = document.createRange();
          range.selectNodeContents(a);
          const lines = new Set(Array.from(range.getClientRects(), r => Math.round(r.top)));
          return {text: a.textContent, host: new URL(a.href).hostname,
                  url: a.classList.contains('qg-url'), lines: lines.size};
        })""")
        assert links and not [a for a in links if "://" in a["text"]]
        urls = [a for a in links if a["url"]]
        assert urls and all(a["text"] == a["host"] and a["lines"] == 1 for a in urls), urls
    finally:
        page.context.close()


def luminance(rgb: str) -> float:
    """The relative luminance (WCAG 2.1) of a CSS ``rgb(...)``/``rgba(...)`` colour."""
    parts = [float(x) / 255 for x in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in parts)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """The contrast ratio (WCAG 2.1) of two CSS colours."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def answer_a_mix(page, qs: list[dict]) -> None:
    """Every third question right, a matching partly right, an option chosen wrong, the rest
    left: after checking, the page shows every kind of verdict and mark, "Not answered" too.
    Ends on the page of the wrong option."""
    for q in qs[::3]:
        answer_right(page, q)
    matching = next(q for q in qs[1::3] if q["type"] == "matching")
    left, right = matching["answer_pairs"][0]
    reach(page, matching["id"])
    box(page, matching["id"]).locator("select").nth(left).select_option(str(right))
    choice = next(q for q in qs[1::3] if q["type"] == "multiple_choice")
    wrong = (choice["answer_index"] + 1) % len(choice["choices"])
    reach(page, choice["id"])
    box(page, choice["id"]).locator(f'input[type=radio][value="{wrong}"]').check()


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.length, where: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("language", ["en", "ar", "he"])
def test_axe_finds_nothing_serious(browser, site: Path, axe: str, language: str, width: int,
                                   scheme: str) -> None:
    """axe-core (npm, tests/js) in Chromium: no serious or critical violation on the page, in
    either palette, at desktop and phone width, before checking (the first page and the next)
    and after (a mix of right, partly right, wrong and unanswered questions; the pages that show
    each verdict and, at phone width, each type of question)."""
    from quizgen.catalog import load_catalog

    catalog, _ = load_catalog(language)
    qs = questions(site, language)
    page = open_page(browser, site, language, width=width, height=900 if width > 480 else 844,
                     color_scheme=scheme, bypass_csp=True)  # the CSP would refuse axe's script
    try:
        background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
        assert (luminance(background) < 0.05) == (scheme == "dark"), background
        page.add_script_tag(content=axe)
        found = {"before": page.evaluate(AXE_RUN)}
        page.locator("#qg-next").click()
        assert page.locator("#qg-page-status").text_content() == catalog.text(
            "page", page=2, pages=len(page_sizes(len(qs))))
        found["next page"] = page.evaluate(AXE_RUN)
        answer_a_mix(page, qs)
        page.locator("button[type=submit]").click()
        # The pages that show each verdict and, at phone width, each type of question, marked,
        # each page once (axe takes seconds a page).
        kinds = sorted({q["type"] for q in qs}) if width < 480 else []
        for selector in [*(f'[data-result="{result}"]' for result in ("wrong", "partial",
                                                                     "unanswered")),
                         *(f'[data-type="{kind}"]' for kind in kinds)]:
            reach_first(page, selector)
            shown = page.locator("#qg-page-status").text_content()
            if f"after, {shown}" not in found:
                found[f"after, {shown}"] = page.evaluate(AXE_RUN)
        serious = {state: [v for v in violations if v["impact"] in {"serious", "critical"}]
                   for state, violations in found.items()}
        assert serious == {state: [] for state in found}
        assert page.problems == []
    finally:
        page.context.close()


FOCUS_RING = """(el) => {
  el.focus();
  const style = getComputedStyle(el);
  let under = el.parentElement;  // the ring is drawn outside the element, on what holds it
  while (under && getComputedStyle(under).backgroundColor.replace(/\\s/g, "")
         .match(/^(transparent|rgba\\(0,0,0,0\\))$/)) under = under.parentElement;
  return {focused: document.activeElement === el, visible: el.matches(":focus-visible"),
          color: style.outlineColor, width: parseFloat(style.outlineWidth),
          line: style.outlineStyle,
          under: under ? getComputedStyle(under).backgroundColor : "rgb(255, 255, 255)"};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_focus_ring_stands_out_from_every_background(browser, site: Path,
                                                         scheme: str) -> None:
    """The focus ring contrasts at least 3:1 with what it is drawn on: the page, an option's
    panel, a right or wrong option's tint, the sources' panel, the bar, the title a new page
    puts focus on (WCAG 2.1 AA, 1.4.11). Each target is looked at on its page."""
    qs = questions(site, "he")
    page = open_page(browser, site, "he", color_scheme=scheme)
    try:
        answer_a_mix(page, qs)
        page.locator("button[type=submit]").click()
        page.keyboard.press("Tab")  # focus from the keyboard: the ring shows
        targets = {
            "text box": '[data-type="cloze"] input[type=text]',
            "option": ".qg-choices label:not(:has(.qg-mark)) input",
            "right option": '.qg-choices label:has(.qg-mark[data-mark="right"]) input',
            "wrong option": '.qg-choices label:has(.qg-mark[data-mark="wrong"]) input',
            "partner list": ".qg-match select",
            "move button": ".qg-order button[data-move]",
            "blank's list": ".qg-passage select",
            "source link": ".qg-sources a",
            "check button": "button[type=submit]",
            "retry button": "#qg-retry",
            "footer link": "footer a",
            "previous page": "#qg-previous",
            "next page": "#qg-next",
            "question title": "legend:focus",
        }
        weak = {}
        for name, selector in targets.items():
            if name == "previous page":
                reach(page, qs[-1]["id"])  # the last page: both buttons there, Previous enabled
            elif name == "next page":
                reach(page, qs[0]["id"])  # the first page: Next enabled
            elif name == "question title":  # where "Next page" pressed with Enter puts focus
                page.keyboard.press("Enter")
            ring = reach_first(page, selector).evaluate(FOCUS_RING)
            assert ring["focused"] and ring["visible"], name
            assert ring["line"] == "solid" and ring["width"] >= 3, (name, ring)
            ratio = contrast(ring["color"], ring["under"])
            if ratio < 3:
                weak[name] = (round(ratio, 2), ring["color"], ring["under"])
        assert weak == {}
    finally:
        page.context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_moving_an_event_announces_its_new_place(browser, site: Path, language: str) -> None:
    """The ordering's live region says which event moved and where to: "…: now 2 of 5"."""
    from quizgen.catalog import load_catalog

    catalog, _ = load_catalog(language)
    q = next(q for q in questions(site, language) if q["type"] == "ordering")
    page = open_page(browser, site, language)
    try:
        reach(page, q["id"])
        item = box(page, q["id"])
        first = item.locator("[data-item]").first
        text = first.locator(".qg-item-text").inner_text()
        first.locator("button[data-move=down]").click()
        status = item.locator(".qg-status")
        assert status.get_attribute("aria-live") == "polite"
        assert status.text_content() == catalog.text("moved_to", item=text, n=2,
                                                     total=len(q["items"]))
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_printed_page_is_black_on_white_with_boxes_for_the_order(browser, site: Path,
                                                                 scheme: str) -> None:
    """Printed (from a dark screen too): the whole round, every page of it; the question numbers
    are black, not white on a background the browser does not print; headings keep with what
    follows; each event of an ordering has a box to write its number in."""
    qs = questions(site, "ar")
    q = next(q for q in qs if q["type"] == "ordering")
    page = open_page(browser, site, "ar", color_scheme=scheme)
    try:
        page.locator("#qg-next").click()  # the second page shown, the whole round printed
        page.emulate_media(media="print")
        assert on_screen(page) == [q["id"] for q in qs]
        assert page.locator(".qg-pager").is_hidden()
        printed = page.evaluate("""() => {
          const style = (sel, pseudo) => getComputedStyle(document.querySelector(sel), pseudo);
          return {text: style("html").color, number: style(".qg-num").color,
                  heading: style(".qg-section h2").breakAfter,
                  box: style('[data-type="ordering"] [data-item]', "::before").borderTopWidth,
                  boxWidth: style('[data-type="ordering"] [data-item]', "::before").width};
        }""")
        assert luminance(printed["text"]) < 0.05 and luminance(printed["number"]) < 0.05, printed
        assert printed["heading"] == "avoid", printed
        assert float(printed["box"].removesuffix("px")) >= 1, printed
        assert float(printed["boxWidth"].removesuffix("px")) >= 20, printed
        assert box(page, q["id"]).locator("button[data-move]").first.is_hidden()
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def rounds_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default self-tests (three rounds) and the first round's questions as JSON."""
    out = tmp_path_factory.mktemp("rounds")
    for command in (("html",), ("export", "json", "--count", "round")):
        run = quizgen(*command, "--out", out, "--seed", "3")
        assert run.code == 0, run.err
    return out


@pytest.mark.parametrize("language", ["en", "he"])
def test_a_round_is_shown_a_page_at_a_time(browser, rounds_site: Path, language: str) -> None:
    """A round of about 30 questions shows about ten at a time: "Next page" (pressed with Enter)
    reaches every question of the round once, in order; the page status says where ("Page 2 of
    3", a polite live region), focus goes to the page's first question's title, numbers and the
    progress count run over the whole round, and "Previous page" goes back."""
    from quizgen.catalog import load_catalog

    catalog, _ = load_catalog(language)
    qs = questions(rounds_site, language)
    sizes = page_sizes(len(qs))
    assert len(sizes) >= 3 and max(sizes) <= 12 and min(sizes) >= 3, sizes
    page = open_page(browser, rounds_site, language, width=390, height=844)
    status = page.locator("#qg-page-status")
    progress = page.locator("#qg-progress")
    try:
        assert status.get_attribute("aria-live") == "polite"
        answer_right(page, qs[0])
        seen = []
        for index, size in enumerate(sizes):
            if index:
                page.locator("#qg-next").focus()
                page.keyboard.press("Enter")
            shown = on_screen(page)
            assert len(shown) == size, (index, shown)
            assert status.text_content() == catalog.text("page", page=index + 1,
                                                         pages=len(sizes))
            assert progress.text_content() == catalog.text("answered_of", n=1, total=len(qs))
            numbers = page.locator("[data-question-id]:visible .qg-num").all_text_contents()
            assert numbers == [str(n) for n in range(len(seen) + 1, len(seen) + size + 1)]
            if index:  # focus on the first question's title, on screen
                focused = page.evaluate("""() => {
                  const e = document.activeElement, r = e.getBoundingClientRect();
                  return {tag: e.tagName, id: e.closest('[data-question-id]')?.dataset.questionId,
                          visible: e.matches(':focus-visible'), top: r.top,
                          bottom: r.bottom, height: innerHeight};
                }""")
                assert focused["tag"] == "LEGEND" and focused["id"] == shown[0], focused
                assert focused["visible"], focused
                assert focused["top"] >= 0 and focused["bottom"] <= focused["height"], focused
            for section in page.locator(".qg-section").all():
                has = section.locator("[data-question-id]:visible").count() > 0
                assert section.is_visible() == has
            assert page.locator("#qg-previous").is_enabled() == (index > 0)
            seen += shown
        assert seen == [q["id"] for q in qs]  # every question of the round, once, in order
        assert page.locator("#qg-next").is_disabled()
        page.locator("#qg-previous").click()
        assert on_screen(page) == seen[-sizes[-1] - sizes[-2]:-sizes[-1]]
        assert status.text_content() == catalog.text("page", page=len(sizes) - 1,
                                                     pages=len(sizes))
        assert page.problems == []
    finally:
        page.context.close()


PAGES = {12: [12], 13: [7, 6], 22: [11, 11], 23: [8, 8, 7]}


@pytest.mark.parametrize("count", PAGES)
def test_pages_spread_the_questions_evenly(browser, tmp_path: Path, count: int) -> None:
    """12 questions are one page, with no page buttons or status; 13 are two pages of 7 and 6,
    never a page of 10 and one of 3; 22 are two of 11, not a third page of 2; 23 are three."""
    run = quizgen("html", "--count", count, "--out", tmp_path, "--seed", "3", "--lang", "en")
    assert run.code == 0, run.err
    assert f"self-test, {count} questions" in run.out
    page = open_page(browser, tmp_path, "en")
    try:
        sizes = [len(ids) for ids in pages_of(page)]
        assert sizes == PAGES[count] == page_sizes(count)
        assert page.locator(".qg-pager").is_visible() == (count > 12)
        assert page.locator("#qg-page-status").is_visible() == (count > 12)
    finally:
        page.context.close()


def test_checking_grades_every_page_and_retry_pages_the_missed(browser, rounds_site: Path) -> None:
    """"Check my answers" on the second page grades the whole round (questions answered on the
    first and the last page too); the learner stays on the page, and every page shows its
    questions marked. A retry, a new shuffle and a new round start at page 1, paged alike."""
    from quizgen.catalog import load_catalog

    catalog, _ = load_catalog("ar")
    qs = questions(rounds_site, "ar")
    page = open_page(browser, rounds_site, "ar")
    status = page.locator("#qg-page-status")
    try:
        answer_right(page, qs[0])
        answer_right(page, qs[-1])
        reach(page, qs[len(qs) // 2]["id"])
        shown = on_screen(page)
        assert qs[0]["id"] not in shown and qs[-1]["id"] not in shown
        page.locator("button[type=submit]").click()
        assert page.locator("#qg-score").get_attribute("data-score") == f"2/{len(qs)}"
        assert on_screen(page) == shown
        marked = []
        for ids in each_page(page):
            for qid in ids:
                item = box(page, qid)
                assert item.locator(".qg-verdict").is_visible(), qid
                assert item.locator(".qg-correct-answer").is_visible(), qid
                marked.append((qid, item.get_attribute("data-result")))
        assert marked == [(q["id"], "right" if q in (qs[0], qs[-1]) else "unanswered")
                          for q in qs]
        page.locator("#qg-retry").click()
        assert status.text_content() == catalog.text(
            "page", page=1, pages=len(page_sizes(len(qs) - 2)))
        missed = [q["id"] for q in qs[1:-1]]
        paged = pages_of(page)
        assert [qid for ids in paged for qid in ids] == missed
        assert [len(ids) for ids in paged] == page_sizes(len(missed))
        page.locator("#qg-shuffle").click()
        first_page = catalog.text("page", page=1, pages=len(page_sizes(len(qs))))
        assert status.text_content() == first_page
        paged = [qid for ids in pages_of(page) for qid in ids]
        assert sorted(paged) == sorted(q["id"] for q in qs)
        page.locator("#qg-round").click()  # from the last page
        second = page.locator("[data-question-id]").evaluate_all(SHOWN_IDS)
        first_page = catalog.text("page", page=1, pages=len(page_sizes(len(second))))
        assert status.text_content() == first_page
        assert [qid for ids in pages_of(page) for qid in ids] == second
        assert page.problems == []
    finally:
        page.context.close()


def test_enter_never_turns_the_page(browser, site: Path) -> None:
    """Enter in the last text field of a page keeps the answer, grades nothing and stays on the
    page: only "Next page" turns it."""
    qs = questions(site, "ar")
    by_id = {q["id"]: q for q in qs}
    page = open_page(browser, site, "ar")
    status = page.locator("#qg-page-status")
    try:
        for shown in each_page(page):
            last = box(page, shown[-1])
            if last.locator("input, select").last.evaluate("e => e.type") == "text":
                break
        else:
            raise AssertionError("no page ends with a text field")
        before = status.text_content()
        field = last.locator("input[type=text]").last
        field.fill(by_id[shown[-1]]["answer"])
        field.press("Enter")
        assert on_screen(page) == shown and status.text_content() == before
        assert field.evaluate("e => e === document.activeElement")  # no next field on the page
        assert page.locator("#qg-score").is_hidden()
        assert page.locator("[data-result]").count() == 0
        assert field.input_value() == by_id[shown[-1]]["answer"]
    finally:
        page.context.close()


@pytest.mark.parametrize("language", ["en", "ar", "he"])
def test_unanswered_questions_are_marked_not_answered(browser, site: Path,
                                                     language: str) -> None:
    """After checking, a question left untouched says "Not answered" (in the page's language), not
    "Incorrect", and none of its rows carries ✗; it earns nothing and counts in the total. A
    matching answered in part is graded: its empty rows are wrong."""
    from quizgen.catalog import load_catalog

    catalog, _ = load_catalog(language)
    qs = questions(site, language)
    untouched = {kind: next(q for q in qs if q["type"] == kind)
                 for kind in ("cloze", "short_answer", "multiple_choice", "true_false",
                              "comparison", "matching", "ordering", "word_bank")}
    part = next(q for q in qs if q["type"] == "matching" and len(q["answer_pairs"]) > 2
                and q is not untouched["matching"])
    page = open_page(browser, site, language)
    try:
        left, right = part["answer_pairs"][0]
        reach(page, part["id"])
        box(page, part["id"]).locator("select").nth(left).select_option(str(right))
        page.locator("button[type=submit]").click()
        pairs = len(part["answer_pairs"])
        assert page.locator("#qg-score").get_attribute("data-score") == (
            f"{tenths(1 / pairs)}/{len(qs)}")
        assert page.locator('[data-result="wrong"]').count() == 0
        assert page.locator('[data-result="unanswered"]').count() == len(qs) - 1
        for kind, q in untouched.items():
            reach(page, q["id"])
            item = box(page, q["id"])
            assert item.get_attribute("data-result") == "unanswered", kind
            verdict = item.locator(".qg-verdict")
            assert verdict.is_visible() and verdict.inner_text() == catalog.text("not_answered")
            assert item.locator('.qg-mark[data-mark="wrong"]').count() == 0, kind
            assert catalog.text("incorrect") not in item.locator(".qg-mark").all_text_contents()
            assert item.locator(".qg-correct-answer").is_visible(), kind
        reach(page, part["id"])
        item = box(page, part["id"])
        assert item.get_attribute("data-result") == "partial"
        assert item.locator(".qg-verdict").inner_text() == (
            f"{catalog.text('partly_correct')} · "
            f"{catalog.text('pairs_right', right=1, total=pairs)}")
        words = item.locator(".qg-mark .qg-sr").all_text_contents()
        assert words.count(catalog.text("incorrect")) == pairs - 1
        assert page.problems == []
    finally:
        page.context.close()
