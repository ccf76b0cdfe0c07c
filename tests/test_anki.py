"""``quizgen anki`` against the real Anki backend: import, render every card, update in place."""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, quizgen, require

try:
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
except ImportError:  # pragma: no cover - the test extras install it
    Collection = None

pytestmark = pytest.mark.slow

DECK = "afghanistan-russia"
BUNDLED = ROOT / "content" / DECK
EPOCH = "1760000000"
WROTE = re.compile(r"wrote (\S+) \((\d+) notes, (\d+) cards; (\d+) new, (\d+) changed, "
                   r"(\d+) unchanged\)")
SCHEDULING = ("select id, nid, did, type, queue, due, ivl, factor, reps, lapses, left, odue "
              "from cards")


def needs_anki() -> None:
    require(Collection is not None, "the anki package (pip install anki)")


def build(content: Path, out: Path, *args: str, epoch: str = EPOCH) -> dict[str, tuple[int, ...]]:
    """Run ``quizgen anki``; return what it said it wrote, by file name."""
    run = quizgen("anki", "--content", content, "--out", out, *args,
                  env={"SOURCE_DATE_EPOCH": epoch})
    assert run.code == 0, run.err
    wrote = {Path(m[1]).name: tuple(int(x) for x in m.groups()[1:])
             for m in WROTE.finditer(run.out)}
    assert wrote, run.out
    return wrote


def import_package(col: Collection, path: Path):  # -> ImportLogWithChanges
    """Import as a learner does, with Anki's default options (update notes if newer)."""
    return col.import_anki_package(ImportAnkiPackageRequest(
        package_path=str(path), options=ImportAnkiPackageOptions())).log


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The bundled deck's packages, built once for this module."""
    out = tmp_path_factory.mktemp("anki")
    return out, build(BUNDLED, out)


@pytest.mark.parametrize("language", ["en", "ar", "he"])
def test_every_card_imports_and_renders(packages: tuple[Path, dict], tmp_path: Path,
                                        language: str) -> None:
    needs_anki()
    out, wrote = packages
    name = f"{DECK}.{language}.apkg"
    notes, cards = wrote[name][:2]
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        log = import_package(col, out / name)
        assert len(log.new) == notes
        assert col.note_count() == notes
        assert col.card_count() == cards
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            question, answer = card.question(), card.answer()
            for side in (question, answer):
                assert "{{" not in side and "}}" not in side
                assert "template has a problem" not in side.lower()
                assert f'lang="{language}"' in side
                if language in {"ar", "he"}:
                    assert 'dir="rtl"' in side
            assert 'class="qg-quote"' in answer, card.note()["QuestionId"]
            assert 'class="qg-quote"' not in question
        names = [d.name for d in col.decks.all_names_and_ids()]
        assert sum(n.count("::") == 2 for n in names) == 6  # one subdeck per topic
        assert all(n.startswith("quizgen::") for n in names if "::" in n), names
    finally:
        col.close()


def test_a_learners_deck_of_the_same_name_keeps_to_itself(packages: tuple[Path, dict],
                                                          tmp_path: Path) -> None:
    """Anki's importer puts a package's deck into the collection's deck of the same name: a
    learner's own deck named as quizgen's deck would take in its cards (and lose its own when
    they are deleted). quizgen's decks are under "quizgen::", and the learner's stays alone."""
    needs_anki()
    out, _ = packages
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        own = col.decks.id("Afghanistan–Russia relations")
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"], note["Back"] = "my own card", "mine"
        col.add_note(note, own)
        import_package(col, out / "afghanistan-russia.en.apkg")
        assert list(col.decks.cids(own, children=True)) == list(note.card_ids())
        ours = col.decks.id_for_name("quizgen::Afghanistan–Russia relations")
        assert ours and ours != own
        assert len(col.decks.cids(ours, children=True)) == col.card_count() - 1
    finally:
        col.close()


def test_cards_of_each_note_type(packages: tuple[Path, dict], tmp_path: Path) -> None:
    """Cloze uses Anki's own cloze; multiple choice marks the right option on the back only."""
    needs_anki()
    out, _ = packages
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(col, out / f"{DECK}.en.apkg")
        cloze = col.find_notes("tag:type::cloze")
        assert cloze
        for nid in cloze[:10]:
            note = col.get_note(nid)
            [hidden] = re.findall(r"\{\{c1::(.*?)\}\}", note["Text"])
            hidden, _, hint = hidden.partition("::")  # a date's blank says what it asks
            card = note.cards()[0]
            assert f"[{hint or '...'}]" in card.question(), card.question()
            assert hidden not in _text(card.question())
            assert _text(hidden) in _text(card.answer())
        (cid,) = col.find_cards(
            '"QuestionId:taliban-off-russian-terrorist-list-2024.multiple-choice"')
        card = col.get_card(cid)
        assert "qg-correct\"" not in card.question() and "qg-correct\"" in card.answer()
        note = card.note()
        assert set(note.tags) >= {"topic::taliban-rapprochement", "type::multiple-choice",
                                  "kind::statement", "source::erem-2024", "taliban"}
        # A name gets a reverse card; a year does not.
        reverse = col.find_cards('"QuestionId:kabulov-special-representative.short-answer"')
        assert len(reverse) == 2
        years = [col.get_note(n) for n in col.find_notes("tag:type::short-answer")]
        years = [n for n in years if re.fullmatch(r"\d{4}", _text(n["Answer"]))]
        assert years and all(len(n.cards()) == 1 for n in years)
    finally:
        col.close()


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html.split("</style>")[-1])


def test_same_input_same_bytes(tmp_path: Path) -> None:
    first = build(BUNDLED, tmp_path / "a", "--lang", "he")
    build(BUNDLED, tmp_path / "b", "--lang", "he")
    name = f"{DECK}.he.apkg"
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    # Rebuilt over itself (forced: its inputs did not change): every note unchanged, and still
    # the same bytes.
    again = build(BUNDLED, tmp_path / "a", "--lang", "he", "--force")
    assert again[name][2:] == (0, 0, first[name][0])
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    # Another build time changes nothing either: unchanged notes keep their time.
    build(BUNDLED, tmp_path / "a", "--lang", "he", epoch="1800000000")
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _notes(col: Collection) -> dict[str, tuple]:
    return {row[0]: tuple(row[1:]) for row in col.db.all(
        "select guid, id, mid, mod, flds, tags from notes")}


def test_update_keeps_review_history(tmp_path: Path) -> None:
    """Edit a fact's text and another fact's source; re-import into the studied collection."""
    needs_anki()
    content = tmp_path / "content" / DECK
    shutil.copytree(BUNDLED, content)
    first = build(content, tmp_path / "v1", "--lang", "en")
    name = f"{DECK}.en.apkg"
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(col, tmp_path / "v1" / name)
        studied = [*col.find_cards('"QuestionId:russia-taliban-warm-phase.*"'),
                   *col.find_cards('"QuestionId:moscow-improves-ties-after-us-withdrawal.*"'),
                   *col.find_cards("tag:topic::figures")[:5]]
        for rating, cid in enumerate(studied):
            card = col.get_card(cid)
            card.start_timer()
            states = col._backend.get_scheduling_states(card.id)
            col.sched.answer_card(col.sched.build_answer(card=card, states=states,
                                                         rating=rating % 4))
        scheduling = col.db.all(SCHEDULING)
        revlog = col.db.all("select * from revlog")
        assert len(revlog) == len(studied)
        before = _notes(col)

        _edit(content / "facts" / "erem-2024.yaml",
              "    en: In recent years, relations between Russia and the Taliban entered",
              "    en: In recent years, relations between Russia and the Taliban have entered")
        _edit(content / "facts" / "erem-2024.yaml",
              "    quote: وبدأت موسكو تحسين علاقاتها مع طالبان بعد سيطرتها على مقاليد الحكم في "
              "البلاد؛ إثر الانسحاب الأمريكي في العام 2021",
              "    quote: إثر الانسحاب الأمريكي في العام 2021")
        # Same build time as the first build: edited notes must still come out newer.
        second = build(content, tmp_path / "v2", "--lang", "en", "--previous", tmp_path / "v1")
        notes, cards, new, changed, unchanged = second[name]
        assert (notes, cards, new) == (first[name][0], first[name][1], 0)
        assert 0 < changed < 20 and changed + unchanged == notes, second

        log = import_package(col, tmp_path / "v2" / name)
        assert len(log.new) == 0
        assert len(log.updated) == changed
        after = _notes(col)
        assert after.keys() == before.keys()
        assert col.card_count() == cards
        edited = {guid for guid in after if after[guid] != before[guid]}
        assert len(edited) == changed
        ids = {col.get_note(after[g][0])["QuestionId"] for g in edited}
        assert "russia-taliban-warm-phase.word-bank" in ids
        assert "moscow-improves-ties-after-us-withdrawal.multiple-choice" in ids
        assert all(after[g][2] > before[g][2] for g in edited)  # newer mod
        passage = col.get_note(
            col.find_notes('"QuestionId:russia-taliban-warm-phase.word-bank"')[0])
        assert "have entered" in " ".join(passage.fields)
        year = col.get_note(col.find_notes(
            '"QuestionId:moscow-improves-ties-after-us-withdrawal.multiple-choice"')[0])
        assert "سيطرتها على مقاليد" not in year["Sources"]
        assert "إثر الانسحاب الأمريكي في العام 2021" in year["Sources"]
        assert col.db.all(SCHEDULING) == scheduling
        assert col.db.all("select * from revlog") == revlog
    finally:
        col.close()


def test_bad_previous_package_is_a_warning(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{DECK}.en.apkg").write_bytes(b"not a zip")
    run = quizgen("anki", "--lang", "en", "--out", out, env={"SOURCE_DATE_EPOCH": EPOCH})
    assert run.code == 0, run.err
    assert [line for line in run.err.splitlines()
            if f"{DECK}.en.apkg" in line and ": warning: " in line and "previous package" in line]
    assert "Traceback" not in run.err


PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body class="{body}">{html}</body></html>"""
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
SHOWN = {"ar": "afghanistan-area.comparison.russia-area.ratio",
         "he": "us-invasion-2001.ordering"}


@pytest.mark.parametrize("language", ["ar", "he"])
def test_cards_in_chromium(packages: tuple[Path, dict], tmp_path: Path, browser,
                           language: str) -> None:
    """An Arabic and a Hebrew card as Anki renders them, at desktop and phone width, day and
    night; the screenshots land in build/screenshots/ to be looked at."""
    needs_anki()
    from conftest import SCREENSHOTS

    out, _ = packages
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(col, out / f"{DECK}.{language}.apkg")
        (cid,) = col.find_cards(f'"QuestionId:{SHOWN[language]}"')
        card = col.get_card(cid)
        sides = {"front": card.question(), "back": card.answer()}
    finally:
        col.close()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, (width, height) in SIZES.items():
        page = browser.new_page(viewport={"width": width, "height": height})
        try:
            for side, html in sides.items():
                for mode, body in (("day", "card card1"), ("night", "card card1 nightMode")):
                    page.set_content(PAGE.format(body=body, html=html))
                    assert page.evaluate("getComputedStyle(document.querySelector('.qg'))"
                                         ".direction") == "rtl"
                    overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
                    assert overflow <= 0, f"{language} {side} {size}: {overflow}px too wide"
                    if side == "back":
                        assert page.locator(".qg-quote").first.is_visible()
                        if ".comparison." in SHOWN[language]:  # its figures' bar chart
                            assert page.locator("svg.qg-chart").is_visible()
                    if mode == "night":
                        color = page.evaluate("getComputedStyle(document.body).backgroundColor")
                        assert color == "rgb(30, 31, 33)"
                    page.screenshot(path=str(SCREENSHOTS / f"anki-{language}-{side}-{size}-"
                                             f"{mode}.png"), full_page=True)
        finally:
            page.close()


def test_ids_not_derived_is_refused() -> None:
    # build_package hands genanki the derived ids in the order genanki asks for them; if a
    # genanki release asked in another order, notes would get other ids and learners would lose
    # their history on the next import. That must stop the build, not pass silently.
    import sqlite3

    from quizgen.render.anki import _check_ids

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT)")
    conn.execute("CREATE TABLE cards (id INTEGER PRIMARY KEY, nid INTEGER, ord INTEGER)")
    conn.executemany("INSERT INTO notes VALUES (?, ?)", [(11, "a"), (12, "b")])
    conn.executemany("INSERT INTO cards VALUES (?, ?, ?)", [(21, 11, 0), (22, 12, 0)])
    _check_ids(conn, {"a": 11, "b": 12}, {"a:0": 21, "b:0": 22})
    with pytest.raises(RuntimeError, match="derived"):
        _check_ids(conn, {"a": 12, "b": 11}, {"a:0": 21, "b:0": 22})
    with pytest.raises(RuntimeError, match="derived"):
        _check_ids(conn, {"a": 11, "b": 12}, {"a:0": 22, "b:0": 21})


# Where every piece of text of an element lies on the page: its lines' boxes, in order.
TEXT_BOXES = """el => { const r = document.createRange(); r.selectNodeContents(el);
  return [...r.getClientRects()].filter(b => b.width > 0)
    .map(b => ({left: b.left, right: b.right, top: b.top, bottom: b.bottom})); }"""
PAIR_PARTS = (".qg-number", ".qg-letter", ".qg-side", ".qg-arrow", ".qg-partner")


def _follows(before: list[dict], after: list[dict], rtl: bool) -> bool:
    """Whether text ``after`` starts where a reader gets after reading text ``before``: further
    along the same line, or on a later line."""
    last, first = before[-1], after[0]
    if first["top"] >= last["bottom"] - 2:
        return True
    same_line = abs(first["top"] - last["top"]) < 4 or abs(first["bottom"] - last["bottom"]) < 4
    if rtl:
        return same_line and first["right"] <= last["left"] + 0.5
    return same_line and first["left"] >= last["right"] - 0.5


@pytest.mark.parametrize("language", ["ar", "he"])
def test_matching_backs_read_in_order(packages: tuple[Path, dict], tmp_path: Path, browser,
                                      language: str) -> None:
    """Every matching card's back at phone and desktop width: nothing wider than the screen,
    and each pair reads number, letter, item, dash, partner in the card's direction, with no
    text over another."""
    needs_anki()
    out, _ = packages
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(col, out / f"{DECK}.{language}.apkg")
        backs = {col.get_card(cid).note()["QuestionId"]: col.get_card(cid).answer()
                 for cid in col.find_cards("tag:type::matching")}
    finally:
        col.close()
    assert backs
    for size, (width, height) in SIZES.items():
        page = browser.new_page(viewport={"width": width, "height": height})
        try:
            for qid, html in backs.items():
                page.set_content(PAGE.format(body="card card1", html=html))
                where = f"{language} {size} {qid}"
                assert page.evaluate("document.documentElement.scrollWidth") <= width, where
                wide = page.evaluate("""[...document.querySelectorAll('.qg *')]
                    .filter(e => { const b = e.getBoundingClientRect();
                                   return b.width > 0
                                       && (b.left < -0.5 || b.right > innerWidth + 0.5); })
                    .map(e => e.outerHTML.slice(0, 80))""")
                assert not wide, f"{where}: wider than the screen: {wide}"
                rows = page.locator(".qg-solution .qg-item")
                assert rows.count() >= 3, where
                for row in rows.all():
                    boxes = [row.locator(part).evaluate(TEXT_BOXES) for part in PAIR_PARTS]
                    for (a, b), (before, after) in zip(itertools.pairwise(PAIR_PARTS),
                                                       itertools.pairwise(boxes), strict=True):
                        assert _follows(before, after, rtl=True), \
                            f"{where}: {b} does not follow {a} in {row.inner_text()!r}"
        finally:
            page.close()


# Math.random made predictable by a seed, before the card's script runs.
SEEDED_RANDOM = """(() => { let s = %d >>> 0;
  Math.random = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
})();"""
# Anki desktop keeps the page and swaps the card's HTML in, running its scripts again.
SWAP = """html => { document.body.innerHTML = html;
  for (const old of document.querySelectorAll('script')) {
    const script = document.createElement('script');
    script.text = old.text;
    old.replaceWith(script);
  } }"""
NO_STORAGE = "Object.defineProperty(window, 'sessionStorage', {get() { throw new Error('off'); }});"
SHOWN_OPTIONS = """() => [...document.querySelectorAll('.qg-choice')].map(row => ({
  letter: row.querySelector('.qg-letter').textContent,
  text: row.querySelector('.qg-choice-text').textContent,
  marked: !!row.querySelector('.qg-mark')}))"""


SHUFFLED = '<div class="qg-choices" data-shuffle'


def _choice_sides(packages: tuple[Path, dict], tmp_path: Path, language: str,
                  query: str) -> list[tuple[str, str, str, str]]:
    """The front and back of every card ``query`` finds, as Anki renders them, the right
    option's text and the question id."""
    out, _ = packages
    col = Collection(str(tmp_path / f"collection-{language}.anki2"))
    try:
        import_package(col, out / f"{DECK}.{language}.apkg")
        cards = [col.get_card(cid) for cid in col.find_cards(query)]
        return [(card.question(), card.answer(),
                 _text(card.note()["Answer"]).split(" ", 1)[1], card.note()["QuestionId"])
                for card in cards]
    finally:
        col.close()


@pytest.mark.parametrize("language", ["en", "he"])
def test_choices_shuffled_on_each_review(packages: tuple[Path, dict], tmp_path: Path, browser,
                                         language: str) -> None:
    """A multiple-choice card through the real backend in Chromium, its script running: the
    order changes from review to review, front and back agree, the ✓ stays on the right option
    (whether the back is a new page, as in AnkiDroid, or the same page, as in Anki desktop), and
    without JavaScript the card is right in its stored order."""
    needs_anki()
    sides = _choice_sides(packages, tmp_path, language, "tag:type::multiple-choice")
    # Options in value order (years, figures) keep it; the others are shuffled.
    assert any(SHUFFLED not in card[0] for card in sides)
    front, back, right, _ = next(card for card in sides if SHUFFLED in card[0])
    assert SHUFFLED in back
    letters = None
    orders = set()
    for seed in range(1, 9):
        for reload in (True, False):
            context = browser.new_context(viewport={"width": 390, "height": 844})
            try:
                context.add_init_script(SEEDED_RANDOM % seed)
                page = context.new_page()
                if reload:  # each side a new page: the order goes through sessionStorage
                    page.route("https://card.test/**", lambda route: route.fulfill(
                        content_type="text/html; charset=utf-8", body=PAGE.format(
                            body="card card1",
                            html=front if route.request.url.endswith("/front") else back)))
                    page.goto("https://card.test/front")
                    shown_front = page.evaluate(SHOWN_OPTIONS)
                    page.goto("https://card.test/back")
                else:  # one page, no sessionStorage: the order goes through a window variable
                    context.add_init_script(NO_STORAGE)
                    page.set_content(PAGE.format(body="card card1", html=""))
                    page.evaluate(SWAP, front)
                    shown_front = page.evaluate(SHOWN_OPTIONS)
                    page.evaluate(SWAP, back)
                shown_back = page.evaluate(SHOWN_OPTIONS)
            finally:
                context.close()
            texts = [o["text"] for o in shown_front]
            assert texts == [o["text"] for o in shown_back], (seed, reload)
            letters = letters or sorted(o["letter"] for o in shown_front)
            assert [o["letter"] for o in shown_front] == letters  # A, B, C by place
            assert [o["letter"] for o in shown_back] == letters
            assert not any(o["marked"] for o in shown_front)
            assert [o["text"] for o in shown_back if o["marked"]] == [right], (seed, reload)
            orders.add(tuple(texts))
    assert len(orders) > 3, orders

    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_content(PAGE.format(body="card card1", html=front))
        stored = page.evaluate(SHOWN_OPTIONS)
        page.set_content(PAGE.format(body="card card1", html=back))
        shown_back = page.evaluate(SHOWN_OPTIONS)
    finally:
        context.close()
    assert [o["text"] for o in stored] == [o["text"] for o in shown_back]
    assert [o["text"] for o in shown_back if o["marked"]] == [right]


def test_which_choices_are_shuffled(packages: tuple[Path, dict], tmp_path: Path) -> None:
    """True before false on every review: shuffling two fixed words only confuses; a
    comparison's two names are shuffled, a ratio's scale is not."""
    needs_anki()
    sides = _choice_sides(packages, tmp_path, "en", "tag:type::true-false")
    assert sides and not any(SHUFFLED in front + back for front, back, _, _ in sides)
    sides = _choice_sides(packages, tmp_path, "en", "tag:type::comparison")
    assert any(qid.endswith(".ratio") for _, _, _, qid in sides)
    for front, back, _, qid in sides:
        assert (SHUFFLED in front) == (SHUFFLED in back) == (not qid.endswith(".ratio")), qid
