"""The previous package: what a learner last imported, read with limits.

A previous package is an input like any other, and may be damaged or hostile: a zip bomb, a
collection whose ``notes`` is an endless SQLite view, note types that are not what quizgen
writes. Every step is bounded (the file's size, the archive's members and their sizes and
ratios, the bytes actually extracted, the SQLite steps and time, the rows) and every value is
checked; anything else is ``Unusable``, which ``quizgen anki`` and ``quizgen build`` report as a
warning naming the file before building as if there were no previous package. See docs/anki.md.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import sqlite3
import struct
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from quizgen.files import FileTooLarge, read_regular
from quizgen.output import MAX_TIME, reason, remove_stale_temp_dirs, temp_prefix

log = logging.getLogger(__name__)

COLLECTION = "collection.anki2"
# Generous for quizgen's own packages (a 10,000-fact deck: about 35,000 notes, a 20 MB package
# holding an 80 MB collection), far below what hurts a machine.
MAX_PACKAGE = 256 * 2**20  # the .apkg file
MAX_MEMBERS = 10_000  # quizgen writes two, and one more for each image file
MAX_NAME = 255
MAX_COLLECTION = 512 * 2**20  # the collection, declared and as extracted
MAX_RATIO = 100  # collection bytes per compressed byte (an SQLite file deflates about 5:1)
MAX_NOTES = 200_000
MAX_NOTE_TYPES = 1000
MAX_VALUE = 32 * 2**20  # any one string or blob SQLite hands over (the note types' JSON)
MAX_STEPS = 200_000_000  # SQLite virtual machine steps for the whole read
MAX_SECONDS = 5.0
_CHECK_EVERY = 10_000  # SQLite steps between two looks at the budget
_SQLITE_MAGIC = b"SQLite format 3\x00"
_NEEDED = {"notes": {"guid", "mid", "mod", "tags", "flds"}, "col": {"models"}}


class Unusable(Exception):
    """The previous package cannot be used; ``str()`` says why, in words."""


@dataclass
class Previous:
    """What the previous package held: each note's content (as a digest) and mod, each note
    type's mod."""

    notes: dict[str, tuple[bytes, int]] = field(default_factory=dict)
    note_types: dict[int, tuple[str, int]] = field(default_factory=dict)


def note_content(mid: int, flds: str, tags: str) -> bytes:
    """What makes a note changed for Anki's importer, as a digest (a large collection's fields
    are too much to hold)."""
    return hashlib.sha256(f"{mid}\x00{flds}\x00{tags}".encode()).digest()


def signature(model: dict[str, Any]) -> str:
    """What makes two versions of a note type the same for Anki's importer."""
    return json.dumps({"name": model["name"], "css": model["css"], "type": model["type"],
                       "flds": [(f["name"], f["rtl"]) for f in model["flds"]],
                       "tmpls": [(t["name"], t["qfmt"], t["afmt"]) for t in model["tmpls"]]},
                      ensure_ascii=False, sort_keys=True)


def read_previous(path: Path) -> Previous:
    """The notes and note types of the package quizgen wrote at ``path``; ``Unusable`` when it
    is anything else. A ``FileFault`` (a FIFO, a device, a dangling link) is left to the caller:
    that is not a package at all."""
    try:
        data = read_regular(path, MAX_PACKAGE)
    except FileTooLarge as exc:
        raise Unusable(f"it is {exc.size / 2**20:.0f} MiB; a package quizgen wrote holds at most "
                       f"{MAX_PACKAGE // 2**20} MiB") from None
    remove_stale_temp_dirs()
    try:
        with tempfile.TemporaryDirectory(prefix=temp_prefix()) as tmp:
            collection = Path(tmp) / COLLECTION
            _extract(data, collection)
            return _read_collection(collection)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, struct.error, zlib.error,
            NotImplementedError, ValueError) as exc:  # ValueError: a member name not UTF-8
        log.debug("previous package %s: %r", path, exc)
        raise Unusable("it is not a zip archive quizgen can read (damaged, or compressed "
                       "another way)") from None
    except OSError as exc:
        raise Unusable(f"its collection cannot be extracted: {reason(exc)}") from None


def _members(data: bytes) -> None:
    """Refuse an archive with too many members before Python's zipfile reads its directory:
    the end record says how many, and how large the directory is."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 0xFFFF))
    if end < 0 or len(data) < end + 22:
        raise Unusable("it is not a zip archive (an Anki package is one)")
    count, size = struct.unpack_from("<HL", data, end + 10)
    if count > MAX_MEMBERS:
        raise Unusable(f"its archive has {count} members; quizgen writes 2 and one per image")
    if size > MAX_MEMBERS * (46 + MAX_NAME + 64):  # a member's record, name and extra field
        raise Unusable("its archive's directory is larger than a package's can be")


def _extract(data: bytes, target: Path) -> None:
    """Copy the collection out of the package, checking the archive before and the bytes as
    they come (a declared size can lie)."""
    _members(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise Unusable(f"its archive has {len(infos)} members; quizgen writes 2 and one "
                           "per image")
        if any(len(info.filename) > MAX_NAME for info in infos):
            raise Unusable("its archive has a member with a name too long for a package")
        names = [info.filename for info in infos]
        if COLLECTION not in names:
            newer = " (a package of Anki 2.1.50 or newer, not one quizgen wrote)" if any(
                n in names for n in ("collection.anki21b", "collection.anki21")) else ""
            raise Unusable(f"it holds no {COLLECTION}{newer}")
        if names.count(COLLECTION) > 1:
            raise Unusable(f"its archive holds {COLLECTION} twice")
        info = archive.getinfo(COLLECTION)
        if info.flag_bits & 0x1:
            raise Unusable("its collection is encrypted; quizgen writes none")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Unusable("its collection is compressed in a way quizgen does not write")
        if info.file_size > MAX_COLLECTION:
            raise Unusable(f"its collection would be {info.file_size / 2**20:.0f} MiB; quizgen "
                           f"reads at most {MAX_COLLECTION // 2**20} MiB")
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > MAX_RATIO:
            raise Unusable(f"its collection would be {ratio:.0f} times the size of its "
                           f"compressed bytes (a zip bomb?); quizgen's are at most {MAX_RATIO}")
        limit = min(info.file_size, MAX_COLLECTION)
        written = 0
        with archive.open(info) as member, target.open("wb") as copy:
            while block := member.read(1 << 20):
                written += len(block)
                if written > limit:
                    raise Unusable("its collection is larger than its archive declares")
                copy.write(block)


class _Budget:
    """SQLite's progress handler: stop a query that takes too many steps or too long."""

    def __init__(self) -> None:
        self.steps = 0
        self.deadline = time.monotonic() + MAX_SECONDS
        self.exceeded = False

    def __call__(self) -> int:
        self.steps += _CHECK_EVERY
        if self.steps > MAX_STEPS or time.monotonic() > self.deadline:
            self.exceeded = True
            return 1  # interrupts the statement
        return 0


def _read_collection(path: Path) -> Previous:
    with path.open("rb") as handle:
        if handle.read(len(_SQLITE_MAGIC)) != _SQLITE_MAGIC:
            raise Unusable("its collection is not an SQLite database")
    # Read-only and immutable: SQLite writes nothing, not even a journal, and takes no lock.
    uri = f"file:{quote(str(path))}?mode=ro&immutable=1"
    budget = _Budget()
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        raise Unusable("its collection is not an SQLite database quizgen can open") from None
    try:
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE)
        conn.set_progress_handler(budget, _CHECK_EVERY)
        conn.execute("PRAGMA trusted_schema = OFF")  # no functions with side effects in views
        conn.execute("PRAGMA query_only = ON")
        _check_schema(conn)
        previous = Previous()
        rows = conn.execute("SELECT guid, mid, flds, tags, mod FROM notes LIMIT ?",
                            (MAX_NOTES + 1,))
        for count, (guid, mid, flds, tags, mod) in enumerate(rows, 1):
            if count > MAX_NOTES:
                raise Unusable(f"it holds more than {MAX_NOTES:,} notes")
            if not (isinstance(guid, str) and type(mid) is int and isinstance(flds, str)
                    and isinstance(tags, str)):
                raise Unusable("a note's guid, note type, fields or tags are not of the types "
                               "Anki writes")
            previous.notes[guid] = (note_content(mid, flds, tags), _time(mod, "a note's"))
        found = conn.execute("SELECT models FROM col LIMIT 2").fetchall()
        if len(found) != 1 or not isinstance(found[0][0], str):
            raise Unusable("its collection has no single row of note types")
        previous.note_types = _note_types(found[0][0])
        return previous
    except sqlite3.Error as exc:
        log.debug("previous collection: %r", exc)
        if budget.exceeded:
            raise Unusable(f"reading its collection took more than {MAX_SECONDS:g} s or "
                           f"{MAX_STEPS:,} SQLite steps (quizgen's own take a fraction of "
                           "that)") from None
        raise Unusable("its collection is not an SQLite database quizgen can read") from None
    finally:
        conn.close()


def _check_schema(conn: sqlite3.Connection) -> None:
    """``notes`` and ``col`` are plain tables with the columns quizgen reads: not views (which
    can recurse for ever), virtual tables or columns computed on reading."""
    kinds = {name: (kind, sql or "") for kind, name, sql in conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name IN ('notes', 'col') LIMIT 4")}
    for table, needed in _NEEDED.items():
        kind, sql = kinds.get(table, ("missing", ""))
        if kind != "table" or not sql.upper().lstrip().startswith("CREATE TABLE"):
            what = "missing" if kind == "missing" else f"a {kind}, not a plain table"
            raise Unusable(f"its collection's {table} table is {what}")
        columns = {name: hidden for _, name, _, _, _, _, hidden in conn.execute(
            f"PRAGMA table_xinfo({table})")}
        if not needed <= columns.keys():
            raise Unusable(f"its collection's {table} table lacks the columns Anki writes")
        if any(columns.values()):
            raise Unusable(f"its collection's {table} table has computed columns")


def _time(value: object, whose: str) -> int:
    if type(value) is not int:
        raise Unusable(f"{whose} modification time is {type(value).__name__}, not a whole "
                       "number of seconds")
    if not 0 <= value <= MAX_TIME:
        raise Unusable(f"{whose} modification time {value} is not a time between 1970 and "
                       "2099")
    return value


def _note_types(text: str) -> dict[int, tuple[str, int]]:
    """Each note type's signature and mod, from ``col.models``: a JSON object of note types,
    each one with the fields quizgen writes."""
    try:
        models = json.loads(text)
    except (ValueError, RecursionError):
        raise Unusable("its note types are not valid JSON") from None
    if not isinstance(models, dict) or len(models) > MAX_NOTE_TYPES:
        raise Unusable("its note types are not a JSON object of note types")
    out = {}
    for model in models.values():
        if not _is_note_type(model):
            raise Unusable("a note type in it lacks the fields Anki writes, or has them of "
                           "other types")
        out[_note_type_id(model["id"])] = (signature(model), _time(model["mod"], "a note type's"))
    return out


def _note_type_id(value: object) -> int:
    """A note type's id: a whole number, which Anki writes as a string of digits."""
    if type(value) is int and 0 < value < 2**63:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    raise Unusable("a note type's id is not a whole number")


def _is_note_type(model: object) -> bool:
    def strings(item: object, *keys: str) -> bool:
        return isinstance(item, dict) and all(isinstance(item.get(k), str) for k in keys)

    return (strings(model, "name", "css") and isinstance(model, dict)
            and type(model.get("type")) is int
            and isinstance(model.get("flds"), list) and isinstance(model.get("tmpls"), list)
            and all(strings(f, "name") and type(f.get("rtl")) is bool for f in model["flds"])
            and all(strings(t, "name", "qfmt", "afmt") for t in model["tmpls"]))
