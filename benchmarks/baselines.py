"""The floors quizgen is measured against: the libraries it builds on, doing the same work alone.

``dump-notes`` and ``dump-html`` prepare the work outside the timing: the Anki notes quizgen makes
of a deck (fields, tags, GUIDs, note types, decks) and the HTML of its worksheets and keys.
``genanki`` and ``weasyprint`` then do only what the library does with them: genanki writes the
same notes into packages, WeasyPrint renders the same HTML into PDFs. ``run.py`` times those two
in their own processes, as it times quizgen's commands.

    python benchmarks/baselines.py dump-notes DECK notes.json
    python benchmarks/baselines.py genanki notes.json OUT_DIR
    python benchmarks/baselines.py dump-html DECK COUNT LANG HTML_DIR
    python benchmarks/baselines.py weasyprint HTML_DIR OUT_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _planned(deck: Path, count: int | None) -> list:
    from quizgen.commands.planning import EVERYTHING, plan
    from quizgen.content import load_content

    return plan(load_content(deck), seed=0, selection={**EVERYTHING, "count": count})


def dump_notes(deck: Path, target: Path) -> None:
    """The notes ``quizgen anki`` makes of ``deck``, every language, as JSON."""
    import genanki

    from quizgen.commands.planning import each_language
    from quizgen.render.anki import NoteMaker, deck_id

    packages = []
    for planned, language, data, catalog in each_language(_planned(deck, None), None):
        maker = NoteMaker(data, catalog)
        title = data.title.replace("::", ":")
        decks = [{"id": deck_id(data.deck, language), "name": title,
                  "description": maker.description()}]
        decks += [{"id": deck_id(data.deck, language, topic),
                   "name": f"{title}::{name.replace('::', ':')}", "description": ""}
                  for topic, name in data.topics.items()]
        models = {}
        for key, model in maker.models.items():
            models[key] = {"id": model.model_id, "name": model.name, "fields": model.fields,
                           "templates": model.templates, "css": model.css,
                           "cloze": model.model_type == genanki.Model.CLOZE}
        notes = [{"model": n.note_type.key, "fields": n.fields, "tags": n.tags, "guid": n.guid,
                  "deck": deck_id(data.deck, language, n.topic)} for n in maker.notes()]
        packages.append({"name": f"{planned.loaded.deck.id}.{language}.apkg", "decks": decks,
                         "models": models, "notes": notes})
    target.write_text(json.dumps(packages, ensure_ascii=False), encoding="utf-8")


def write_genanki(notes_file: Path, out: Path) -> None:
    """Write the dumped notes with genanki alone: one package per language."""
    import genanki

    out.mkdir(parents=True, exist_ok=True)
    for package in json.loads(notes_file.read_text(encoding="utf-8")):
        models = {key: genanki.Model(
            m["id"], m["name"], fields=m["fields"], templates=m["templates"], css=m["css"],
            model_type=genanki.Model.CLOZE if m["cloze"] else genanki.Model.FRONT_BACK)
            for key, m in package["models"].items()}
        decks = {d["id"]: genanki.Deck(d["id"], d["name"], description=d["description"])
                 for d in package["decks"]}
        for position, note in enumerate(package["notes"], start=1):
            decks[note["deck"]].add_note(genanki.Note(
                model=models[note["model"]], fields=note["fields"], tags=note["tags"],
                guid=note["guid"], due=position))
        genanki.Package(list(decks.values())).write_to_file(str(out / package["name"]))


def dump_html(deck: Path, count: int, language: str, out: Path) -> None:
    """The HTML of the worksheet and key ``quizgen pdf --count COUNT --lang LANG`` renders."""
    from quizgen.commands.planning import each_language
    from quizgen.render.pdf import Renderer, created

    out.mkdir(parents=True, exist_ok=True)
    for _, _, data, catalog in each_language(_planned(deck, count), language):
        for document in Renderer(data, catalog).documents(
                versions=1, paper="a4", seed=0, created=created(0)):
            (out / (document.name[:-4] + ".html")).write_text(document.html, encoding="utf-8")


def render_weasyprint(html_dir: Path, out: Path) -> None:
    """Render every HTML file with WeasyPrint's own defaults."""
    from weasyprint import HTML

    from quizgen.resources import bundled

    out.mkdir(parents=True, exist_ok=True)
    base = (bundled("templates") / "pdf").as_uri() + "/"
    for page in sorted(html_dir.glob("*.html")):
        HTML(string=page.read_text(encoding="utf-8"), base_url=base).write_pdf(
            out / (page.stem + ".pdf"), pdf_tags=True)  # tagged, as quizgen's


def main(argv: list[str]) -> None:
    command, *args = argv
    if command == "dump-notes":
        dump_notes(Path(args[0]), Path(args[1]))
    elif command == "genanki":
        write_genanki(Path(args[0]), Path(args[1]))
    elif command == "dump-html":
        dump_html(Path(args[0]), int(args[1]), args[2], Path(args[3]))
    elif command == "weasyprint":
        render_weasyprint(Path(args[0]), Path(args[1]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
