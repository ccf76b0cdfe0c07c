"""Anki packages: one ``.apkg`` per deck language, with quizgen's own note types.

Identity never comes from text: note type ids from (note type, language), deck ids from (deck,
language, topic), note GUIDs and note ids from (deck, language, question id). A note's ``mod``
decides whether Anki's importer updates it (only when newer), so a note keeps the ``mod`` it had in
the previous package when its fields, tags and note type did not change, and gets the build time
otherwise. See docs/anki.md.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import shutil
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import genanki
import yaml

from quizgen.catalog import Catalog
from quizgen.images import packaged
from quizgen.output import remove_stale_temp_dirs, temp_prefix
from quizgen.qtypes import MODULES, RenderedSet
from quizgen.qtypes.base import QuestionBase
from quizgen.render.ankifields import citations, deck_description, field_text, figure
from quizgen.render.common import Citations
from quizgen.render.previous import COLLECTION, Previous, note_content, signature
from quizgen.resources import bundled

log = logging.getLogger(__name__)

NOTE_TYPE_OF = {name: module.ANKI_NOTE_TYPE for name, module in MODULES.items()}
# A reverse card ("who or what is this?") makes sense where the answer names something.
# Note and card ids are Anki's creation times in milliseconds; quizgen's derived ids fall between
# 2001-09-09 and 2020-09-13, so they never look like notes made in the future.
ID_LOW, ID_HIGH = 1_000_000_000_000, 1_600_000_000_000
# Where a card template takes a script of templates/anki (a card cannot load a file).
SCRIPT = re.compile(r"/\*quizgen:([\w-]+\.js)\*/")


@dataclass(frozen=True)
class NoteType:
    """One of quizgen's note types, in one language."""

    key: str
    language: str
    direction: str
    name: str
    fields: tuple[str, ...]
    templates: tuple[dict[str, str], ...]
    cloze: bool
    css: str

    @property
    def id(self) -> int:
        """The note type's id: pinned forever by (note type, language)."""
        return stable_int("notetype", self.key, self.language, low=1 << 30, high=1 << 31)

    def model(self) -> genanki.Model:
        """This note type as a genanki model."""
        def fill(html: str) -> str:
            return html.replace("__LANG__", self.language).replace("__DIR__", self.direction)

        rtl = self.direction == "rtl"
        return genanki.Model(
            self.id, f"{self.name} ({self.language})",
            fields=[{"name": name, "rtl": rtl, "font": "Arial", "size": 20}
                    for name in self.fields],
            templates=[{"name": t["name"], "qfmt": fill(t["front"]), "afmt": fill(t["back"])}
                       for t in self.templates],
            css=self.css,
            model_type=genanki.Model.CLOZE if self.cloze else genanki.Model.FRONT_BACK,
            sort_field_index=0)


def stable_int(*parts: object, low: int, high: int) -> int:
    """A number in [low, high) that depends only on ``parts``."""
    digest = hashlib.sha256(":".join(["quizgen", *map(str, parts)]).encode()).digest()
    return low + int.from_bytes(digest[:8], "big") % (high - low)


def note_types(language: str, direction: str) -> dict[str, NoteType]:
    """quizgen's note types in ``language``, from ``templates/anki``."""
    folder = bundled("templates") / "anki"
    spec = yaml.safe_load((folder / "notetypes.yaml").read_text(encoding="utf-8"))
    css = (folder / "card.css").read_text(encoding="utf-8")

    def inline(html: str) -> str:
        return SCRIPT.sub(lambda m: _script(folder / m[1]), html)

    return {key: NoteType(key, language, direction, value["name"], tuple(value["fields"]),
                          tuple({**t, "front": inline(t["front"]), "back": inline(t["back"])}
                                for t in value["templates"]),
                          bool(value.get("cloze_deletions")), css)
            for key, value in spec.items()}


def _script(path: Path) -> str:
    """A card script's text, to inline in a card template: Anki would read ``{{`` or ``}}`` in it
    as a field, and ``</script`` would end it early."""
    text = path.read_text(encoding="utf-8")
    for bad in ("{{", "}}", "</script"):
        if bad in text:
            raise ValueError(f"{path}: a card script cannot hold {bad!r}")
    return text


def note_guid(deck: str, language: str, question_id: str) -> str:
    """A note's GUID: from the deck, its language and the question id, never from text."""
    return str(genanki.guid_for("quizgen", deck, language, question_id))


ROOT_DECK = "quizgen"  # every quizgen deck is a subdeck of this one in a learner's collection


def deck_id(deck: str, language: str, topic: str | None = None) -> int:
    """The Anki deck id of a deck language, or of one of its topics."""
    return stable_int("deck", deck, language, topic or "", low=1 << 30, high=1 << 31)


@dataclass
class Note:
    """One question as an Anki note."""

    guid: str
    note_type: NoteType
    fields: list[str]
    tags: list[str]
    topic: str


@dataclass
class Package:
    """A built package and what is in it."""

    data: bytes
    notes: int
    cards: int
    new: int
    changed: int
    unchanged: int


def tag(text: str) -> str:
    """``text`` as one Anki tag: no spaces, no quotes."""
    return "_".join(text.replace('"', "").split())


def tags_for(question: QuestionBase) -> list[str]:
    """Topic, question type, kinds of fact, sources and the facts' own tags."""
    tags = [f"topic::{question.topic}", f"type::{question.type.replace('_', '-')}"]
    tags += [f"kind::{kind}" for kind in question.kinds]
    tags += [f"source::{s}" for s in dict.fromkeys(c.source for c in question.sources)]
    tags += question.tags
    return [tag(t) for t in dict.fromkeys(tags)]


class Media:
    """A deck's image files as a package's media: each file named by a hash of its bytes
    (``quizgen-<20 hex digits>.<ext>``, ``quizgen.images.package_name``), so that it never
    takes the name of a learner's own file or another deck's, a file several notes show is in
    the package once, and a changed image is a new name, hence a changed field.
    Each file is read once and copied to ``staging``, from where the package is zipped."""

    def __init__(self, folder: Path | None, staging: Path) -> None:
        self.folder = folder
        self.staging = staging
        self.names: dict[str, str] = {}  # a file of media/ -> its name in the package

    def name(self, file: str) -> str:
        """The package's name for ``file`` (a path inside the deck's ``media/``)."""
        known = self.names.get(file)
        if known is not None:
            return known
        name, data = packaged(self.folder, file)
        staged = self.staging / name
        if not staged.exists():
            self.staging.mkdir(exist_ok=True)
            staged.write_bytes(data)
        self.names[file] = name
        return name

    def files(self) -> list[Path]:
        """The staged files, in the order of their names."""
        return sorted(self.staging.iterdir()) if self.staging.is_dir() else []


def _explanation(question: Any) -> str:
    """The explanation, less what the card shows already (a type's ``anki_explanation``)."""
    own = getattr(MODULES[question.type], "anki_explanation", None)
    text: str = own(question) if own is not None else question.explanation
    return text


class NoteMaker:
    """Turns the questions of one rendered question set into notes."""

    def __init__(self, question_set: RenderedSet, catalog: Catalog,
                 media: Media | None = None) -> None:
        self.qs = question_set
        self.media = media
        self.catalog = catalog
        self.types = note_types(question_set.language, question_set.direction)
        self.models = {key: note_type.model() for key, note_type in self.types.items()}
        self.citations = Citations(question_set, self.t, citations)
        self.letters = catalog.letters()
        self.direction = question_set.direction

    @staticmethod
    def text(value: object) -> str:
        """Plain text (or a number) escaped for a field, braces too (``ankifields.field_text``):
        what a type's ``anki_fields`` puts each of its values through, once, where it goes into
        the field's HTML."""
        return field_text(value)

    def t(self, key: str, **fields: object) -> str:
        """A catalog string."""
        return self.catalog.text(key, **fields)

    def note(self, q: Any) -> Note:  # one of the types' Question models
        """The note of question ``q``."""
        kind = NOTE_TYPE_OF[q.type]
        text = self.text
        common = {
            "Instructions": text(q.instructions),
            "Explanation": text(_explanation(q)),
            "Sources": self.figures(q) + self.citations(q),
            "QuestionId": text(q.id),
        }
        values = MODULES[q.type].anki_fields(q, self)
        values.update(common)
        note_type = self.types[kind]
        return Note(note_guid(self.qs.deck, self.qs.language, q.id), note_type,
                    [values[name] for name in note_type.fields], tags_for(q), q.topic)

    def figures(self, q: QuestionBase) -> str:
        """The images of the question's facts, for the back of its cards only (a picture or its
        alt text can show the answer): each file once, at the head of the Sources field, which
        every note type shows on the back after the answer and explanation."""
        if not q.images:
            return ""
        if self.media is None:
            raise ValueError(f"question {q.id} has images, and its package no media")
        shown: dict[str, str] = {}
        for image in q.images:
            if image.file not in shown:
                shown[image.file] = figure(self.media.name(image.file), alt=image.alt,
                                           credit=image.credit, license=image.license)
        return "".join(shown.values())

    def notes(self) -> list[Note]:
        """Every question's note, in the question set's order."""
        return [self.note(q) for q in self.qs.questions]

    def description(self) -> str:
        """The parent deck's description: the deck's own, then its sources in full."""
        return deck_description(self.qs, self.t)


def _newer(previous_mod: int | None, now: int) -> int:
    return now if previous_mod is None else max(now, previous_mod + 1)


class _Ids:
    """Derived note and card ids, never two alike (a clash moves to the next derivation),
    handed out deck by deck in the order genanki asks for them: each note's, then its cards'."""

    def __init__(self) -> None:
        self.notes: dict[str, int] = {}
        self.cards: dict[str, int] = {}
        self._taken: dict[str, set[int]] = {"note": set(), "card": set()}

    def _derive(self, salt: str, key: str) -> int:
        taken, attempt = self._taken[salt], 0
        while (value := stable_int(salt, key, attempt, low=ID_LOW, high=ID_HIGH)) in taken:
            attempt += 1
        taken.add(value)
        return value

    def for_notes(self, notes: list[genanki.Note]) -> Iterator[int]:
        """The ids genanki will ask for while writing ``notes``, in that order."""
        order = []
        for note in notes:
            self.notes[note.guid] = self._derive("note", note.guid)
            for card in sorted(note.cards, key=lambda c: c.ord):
                key = f"{note.guid}:{card.ord}"
                self.cards[key] = self._derive("card", key)
            order += [self.notes[note.guid],
                      *(self.cards[f"{note.guid}:{c.ord}"] for c in note.cards)]
        return iter(order)


def build_package(question_set: RenderedSet, *, catalog: Catalog, now: int,
                  previous: Previous | None = None, media: Path | None = None) -> Package:
    """Build the ``.apkg`` of one rendered question set, in memory; ``media`` is the deck's
    ``media/`` folder, where the facts' images are.

    Notes are made and written one topic (Anki subdeck) at a time, so a large deck never holds
    all of its notes at once.
    """
    previous = previous or Previous()
    deck, language = question_set.deck, question_set.language
    # Under a deck of quizgen's own: Anki's importer puts a package's deck into the learner's
    # deck of the same name, so a deck titled as one of the learner's would take in (and, once
    # deleted, take away) the learner's own cards.
    title = f"{ROOT_DECK}::{question_set.title.replace('::', ':')}"
    questions = question_set.questions
    # A lazy question set (QuestionSet.render) knows its topics without rendering a question.
    topics = getattr(questions, "topics", None) or [q.topic for q in questions]
    by_topic: dict[str, list[int]] = {topic: [] for topic in question_set.topics}
    for index, topic in enumerate(topics):
        by_topic[topic].append(index)
    ids = _Ids()
    remove_stale_temp_dirs()
    with tempfile.TemporaryDirectory(prefix=temp_prefix()) as tmp:
        maker = NoteMaker(question_set, catalog, Media(media, Path(tmp) / "media"))
        # A file, not an in-memory database: a 35,000-note collection is about 80 MB, which
        # stays in the page cache instead of the process, and is zipped straight from disk.
        path = Path(tmp) / COLLECTION
        conn = sqlite3.connect(path)
        try:
            # A scratch file: no journal, no waiting for the disk.
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            cursor = conn.cursor()
            parent = genanki.Deck(deck_id(deck, language), title,
                                  description=maker.description())
            genanki.Package([parent]).write_to_db(cursor, now, iter(()))
            for topic, name in question_set.topics.items():
                if not by_topic[topic]:
                    continue
                subdeck = genanki.Deck(deck_id(deck, language, topic),
                                       f"{title}::{name.replace('::', ':')}")
                for index in by_topic[topic]:
                    note = maker.note(questions[index])
                    subdeck.add_note(genanki.Note(
                        model=maker.models[note.note_type.key], fields=note.fields,
                        tags=note.tags, guid=note.guid, due=index + 1))
                subdeck.write_to_db(cursor, now, ids.for_notes(subdeck.notes))
            _check_ids(conn, ids.notes, ids.cards)
            counts = _stamp(conn, previous, now)
            conn.commit()
            conn.execute("VACUUM")
        finally:
            conn.close()
        newest = counts.pop("newest")
        data = _zip(path, newest, maker.media.files() if maker.media else [])
    return Package(data, len(ids.notes), len(ids.cards), **counts)


def _check_ids(conn: sqlite3.Connection, note_ids: dict[str, int],
               card_ids: dict[str, int]) -> None:
    """Fail loudly if genanki stopped asking for ids in the order ``build_package`` expects:
    learners' review history hangs on these ids."""
    notes = dict(conn.execute("SELECT guid, id FROM notes"))
    cards = {f"{guid}:{ord_}": id_ for id_, guid, ord_ in conn.execute(
        "SELECT cards.id, notes.guid, cards.ord FROM cards JOIN notes ON notes.id = cards.nid")}
    if notes != note_ids or cards != card_ids:
        raise RuntimeError("genanki wrote notes or cards with other ids than the derived ones; "
                           "this genanki version is not supported")


def _stamp(conn: sqlite3.Connection, previous: Previous, now: int) -> dict[str, int]:
    """Give notes, their cards and the note types their own ``mod`` (genanki stamps ``now`` on
    all): an unchanged one keeps the previous package's, a changed one is newer than it.

    Returns how many notes were new, changed or unchanged, and the newest mod of all.
    """
    counts = {"new": 0, "changed": 0, "unchanged": 0}
    kept = []
    # Row by row: the fields of a large collection are too much to hold at once.
    for id_, guid, mid, flds, tags in conn.execute("SELECT id, guid, mid, flds, tags FROM notes"):
        before = previous.notes.get(guid)
        if before is None:
            counts["new"] += 1
            continue
        if before[0] == note_content(mid, flds, tags):
            mod, counts["unchanged"] = before[1], counts["unchanged"] + 1
        else:
            mod, counts["changed"] = _newer(before[1], now), counts["changed"] + 1
        if mod != now:
            kept.append((mod, id_))
    conn.executemany("UPDATE notes SET mod = ? WHERE id = ?", kept)
    conn.executemany("UPDATE cards SET mod = ? WHERE nid = ?", kept)
    (models_json,) = conn.execute("SELECT models FROM col").fetchone()
    models = json.loads(models_json)
    for model in models.values():
        before_type = previous.note_types.get(int(model["id"]))
        if before_type is not None and before_type[0] == signature(model):
            model["mod"] = before_type[1]
        else:
            model["mod"] = _newer(before_type[1] if before_type else None, now)
    conn.execute("UPDATE col SET models = ?",
                 (json.dumps(models, ensure_ascii=False, sort_keys=True),))
    # The package is as old as its newest note or note type, whatever the time of the build.
    (newest_note,) = conn.execute("SELECT coalesce(max(mod), 0) FROM notes").fetchone()
    counts["newest"] = max([newest_note, *(int(m["mod"]) for m in models.values())])
    return counts


def _zip(collection: Path, when: int, media: list[Path]) -> bytes:
    """The package, with fixed member times: the collection, the media list (Anki's: member
    number -> file name; ``{}`` when there is none) and the media files, members ``0``, ``1``,
    ... in the order of their names."""
    stamp = time.gmtime(max(when, 315532800))[:6]  # zip times start in 1980
    listing = json.dumps({str(i): f.name for i, f in enumerate(media)})
    members = [(COLLECTION, collection), ("media", None),
               *((str(i), f) for i, f in enumerate(media))]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, path in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with archive.open(info, "w") as member:
                if path is None:
                    member.write(listing.encode())
                else:
                    with path.open("rb") as source:
                        shutil.copyfileobj(source, member, 1 << 20)
    return buffer.getvalue()
