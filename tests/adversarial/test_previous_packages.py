"""Hostile previous packages (issue 18, item 3): each one ends, within the time limit, in the
documented warning naming the file, and the build goes on as without a previous package.

Each case is a real package quizgen wrote, then damaged: its collection edited with SQLite, its
archive rewritten or forged by hand. The command runs in a subprocess with a time limit and a
cap on the size of any file it writes (a zip bomb would pass it), so a hang, a runaway
extraction or a traceback fails the case.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import sqlite3
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import BASE_DECK, ROOT

LIMIT_SECONDS = 30
WRITE_CAP = 1 << 30  # no file the command writes may grow past 1 GiB
PACKAGE = "sample.en.apkg"
EPOCH = "1760000000"


def run_quizgen(*args: str | Path, tmp: Path, env: dict[str, str] | None = None,
                limit: float = LIMIT_SECONDS) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would, with a time limit and a cap on the size of written files;
    its temporary files go to ``tmp`` (checked empty afterwards by the callers)."""
    tmp.mkdir(exist_ok=True)

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (WRITE_CAP, WRITE_CAP))

    return subprocess.run(
        [sys.executable, "-m", "quizgen", *map(str, args)], cwd=ROOT, capture_output=True,
        text=True, timeout=limit, preexec_fn=limits,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp),
             "SOURCE_DATE_EPOCH": EPOCH, **(env or {})})


@pytest.fixture(scope="module")
def genuine(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A package quizgen wrote for the sample deck, in English."""
    out = tmp_path_factory.mktemp("genuine")
    run = run_quizgen("anki", "--content", BASE_DECK, "--out", out, "--lang", "en",
                      tmp=out / "tmp")
    assert run.returncode == 0, run.stderr
    return (out / PACKAGE).read_bytes()


def collection(package: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return archive.read("collection.anki2")


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def edited(package: bytes, tmp: Path, *statements: str | tuple[str, tuple[object, ...]]) -> bytes:
    """The package with its collection changed by SQL ``statements``."""
    path = tmp / "edit.anki2"
    path.write_bytes(collection(package))
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            sql, params = statement if isinstance(statement, tuple) else (statement, ())
            conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()
    data = path.read_bytes()
    path.unlink()
    return zipped({"collection.anki2": data, "media": b"{}"})


def models_set(value: object) -> Callable[[bytes, Path], bytes]:
    """The package with ``col.models`` replaced by ``value`` (a string is stored as is)."""
    text = value if isinstance(value, str) else json.dumps(value)
    return lambda package, tmp: edited(package, tmp, ("UPDATE col SET models = ?", (text,)))


def models_edit(change: Callable[[dict], None]) -> Callable[[bytes, Path], bytes]:
    """The package with each of its note types changed by ``change``."""
    def make(package: bytes, tmp: Path) -> bytes:
        path = tmp / "models.anki2"
        path.write_bytes(collection(package))
        conn = sqlite3.connect(path)
        (text,) = conn.execute("SELECT models FROM col").fetchone()
        conn.close()
        path.unlink()
        models = json.loads(text)
        for model in models.values():
            change(model)
        return models_set(json.dumps(models))(package, tmp)
    return make


def note_mod(value: object) -> Callable[[bytes, Path], bytes]:
    return lambda package, tmp: edited(package, tmp, ("UPDATE notes SET mod = ?", (value,)))


RECURSIVE = ("WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) "
             "SELECT x AS id, 'g' || x AS guid, 1 AS mid, x AS mod, '' AS tags, '' AS flds "
             "FROM r")
SILENT = RECURSIVE + " WHERE x < 0"  # never yields a row, never ends


def bomb(declared: int, *, lie: bool = False) -> Callable[[bytes, Path], bytes]:
    """A zip whose collection.anki2 inflates to ``declared`` bytes of zeros from a few MB (made
    by repeating one fully flushed deflate block); with ``lie``, the archive declares 64 KB."""
    def make(package: bytes, tmp: Path) -> bytes:
        chunk = 1 << 20
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        block = packer.compress(bytes(chunk)) + packer.flush(zlib.Z_FULL_FLUSH)
        stream = block * (declared // chunk) + packer.flush()
        size = 65536 if lie else declared
        name = b"collection.anki2"
        local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, 0,
                            len(stream), size, len(name), 0) + name
        central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, 0,
                              len(stream), size, len(name), 0, 0, 0, 0, 0o644 << 16, 0) + name
        end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central),
                          len(local) + len(stream), 0)
        return local + stream + central + end
    return make


def many_members(package: bytes, tmp: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("collection.anki2", collection(package))
        for index in range(20_000):
            archive.writestr(str(index), b"")
    return buffer.getvalue()


CASES: dict[str, Callable[[bytes, Path], bytes]] = {
    # The collection's tables
    "notes-recursive-view": lambda p, t: edited(p, t, "DROP TABLE notes",
                                                f"CREATE VIEW notes AS {RECURSIVE}"),
    "notes-silent-recursive-view": lambda p, t: edited(p, t, "DROP TABLE notes",
                                                       f"CREATE VIEW notes AS {SILENT}"),
    "col-recursive-view": lambda p, t: edited(
        p, t, "ALTER TABLE col RENAME TO col_", "CREATE VIEW col AS WITH RECURSIVE r(x) AS "
        "(SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT 'x' AS models FROM r WHERE x < 0"),
    "notes-missing": lambda p, t: edited(p, t, "DROP TABLE notes"),
    "notes-computed-column": lambda p, t: edited(
        p, t, "ALTER TABLE notes DROP COLUMN flds",
        "ALTER TABLE notes ADD COLUMN flds text AS (printf('%.*c', 900000000, 'x'))"),
    "notes-wrong-types": lambda p, t: edited(p, t, "UPDATE notes SET guid = x'00', mid = 'm'"),
    "notes-huge-field": lambda p, t: edited(  # random, so that it passes the ratio check
        p, t, "UPDATE notes SET flds = hex(randomblob(18000000)) WHERE rowid IN "
        "(SELECT rowid FROM notes LIMIT 1)"),
    # Note types
    "models-list": models_set([]),
    "models-string": models_set("just text"),
    "models-null": models_set(None),
    "models-not-json": models_set("{"),
    "models-deep": models_set("[" * 100_000 + "]" * 100_000),
    "models-of-lists": models_set({"1": []}),
    "models-without-fields": models_edit(lambda m: m.pop("flds")),
    "models-fields-of-strings": models_edit(lambda m: m.update(flds=["a", "b"])),
    "models-id-text": models_edit(lambda m: m.update(id="one")),
    "models-mod-text": models_edit(lambda m: m.update(mod="soon")),
    "models-mod-2200": models_edit(lambda m: m.update(mod=7_258_118_400)),
    "models-mod-int64": models_edit(lambda m: m.update(mod=2**63 - 1)),
    "models-mod-huge": models_edit(lambda m: m.update(mod=10**30)),
    "models-mod-negative": models_edit(lambda m: m.update(mod=-5)),
    # Notes' times
    "note-mod-text": note_mod("soon"),
    "note-mod-real": note_mod(1.5),
    "note-mod-null": lambda p, t: edited(p, t, "DROP TABLE notes", "CREATE TABLE notes "
                                         "(guid, mid, mod, tags, flds)",
                                         "INSERT INTO notes VALUES ('g', 1, NULL, '', '')"),
    "note-mod-2200": note_mod(7_258_118_400),
    "note-mod-int64": note_mod(2**63 - 1),
    "note-mod-negative": note_mod(-5),
    # The archive
    "zip-bomb": bomb(3_900_000_000),
    "zip-bomb-declared-small": bomb(3_900_000_000, lie=True),
    "zip-bomb-under-the-size-cap": bomb(400 * 2**20),
    "zip-many-members": many_members,
    "zip-truncated": lambda p, t: p[: len(p) // 2],
    "zip-no-collection": lambda p, t: zipped({"media": b"{}"}),
    "zip-anki-2.1.50": lambda p, t: zipped({"collection.anki21b": b"\x28\xb5\x2f\xfd" * 100,
                                            "media": b""}),
    "collection-not-sqlite": lambda p, t: zipped({"collection.anki2": b"SQLite format 3\x00"
                                                  + os.urandom(8192)}),
    "collection-text": lambda p, t: zipped({"collection.anki2": b"hello"}),
    "not-a-zip": lambda p, t: b"not a zip",
    "empty": lambda p, t: b"",
}


def _assert_built_as_new(run: subprocess.CompletedProcess[str], out: Path, tmp: Path) -> None:
    err = run.stderr
    assert run.returncode == 0, err
    assert "Traceback" not in err and "internal error" not in err, err
    warned = [line for line in err.splitlines()
              if PACKAGE in line and ": warning: " in line and "previous package" in line]
    assert len(warned) == 1, err
    assert f"{PACKAGE} (7 notes, 7 cards; 7 new, 0 changed, 0 unchanged)" in run.stdout
    with zipfile.ZipFile(out / PACKAGE) as archive:  # the new package replaced the hostile one
        assert archive.testzip() is None
        assert "collection.anki2" in archive.namelist()
    assert not list(tmp.glob("quizgen-anki-*")), "temporary files left behind"


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_previous_package_is_a_warning(case: str, genuine: bytes,
                                               tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / PACKAGE).write_bytes(CASES[case](genuine, tmp_path))
    tmp = tmp_path / "tmp"
    run = run_quizgen("anki", "--content", BASE_DECK, "--out", out, "--lang", "en", tmp=tmp)
    _assert_built_as_new(run, out, tmp)


@pytest.mark.parametrize("case", ["notes-recursive-view", "zip-bomb"])
def test_the_next_build_is_whole_again(case: str, genuine: bytes, tmp_path: Path) -> None:
    """After the warning, the package written in its place is the next build's previous one:
    every note keeps its time."""
    out = tmp_path / "out"
    out.mkdir()
    (out / PACKAGE).write_bytes(CASES[case](genuine, tmp_path))
    tmp = tmp_path / "tmp"
    first = run_quizgen("anki", "--content", BASE_DECK, "--out", out, "--lang", "en", tmp=tmp)
    _assert_built_as_new(first, out, tmp)
    again = run_quizgen("anki", "--content", BASE_DECK, "--out", out, "--lang", "en", "--force",
                        tmp=tmp)
    assert again.returncode == 0 and "previous package" not in again.stderr, again.stderr
    assert "7 unchanged" in again.stdout


@pytest.mark.slow  # makes PDFs too
@pytest.mark.parametrize("case", ["notes-recursive-view", "zip-bomb", "models-list"])
def test_hostile_previous_package_in_build(case: str, genuine: bytes, tmp_path: Path) -> None:
    """``quizgen build`` reads the package in --out the same way, and --previous elsewhere."""
    out = tmp_path / "out"
    out.mkdir()
    (out / PACKAGE).write_bytes(CASES[case](genuine, tmp_path))
    tmp = tmp_path / "tmp"
    # A whole build makes PDFs too, which takes longer than the reading on a busy machine: the
    # limit here catches a hang; the `anki` cases hold the reading to LIMIT_SECONDS.
    run = run_quizgen("build", "--content", BASE_DECK, "--out", out, "--lang", "en", "-q",
                      tmp=tmp, limit=4 * LIMIT_SECONDS)
    _assert_built_as_new(run, out, tmp)
    assert (out / "sample.en.html").is_file() and (out / "sample.en.json").is_file()


def test_hostile_package_given_by_previous(genuine: bytes, tmp_path: Path) -> None:
    previous = tmp_path / "released"
    previous.mkdir()
    (previous / PACKAGE).write_bytes(CASES["notes-recursive-view"](genuine, tmp_path))
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    run = run_quizgen("anki", "--content", BASE_DECK, "--out", out, "--lang", "en",
                      "--previous", previous, tmp=tmp)
    _assert_built_as_new(run, out, tmp)


@pytest.mark.parametrize("kind", ["fifo", "device", "dangling", "loop"])
def test_previous_that_is_not_a_file_is_an_error(kind: str, tmp_path: Path) -> None:
    """A FIFO would block the reader, /dev/zero never ends: one line naming it, exit 1, and it
    stays where it is."""
    out = tmp_path / "out"
    out.mkdir()
    target = out / PACKAGE
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":
        target.symlink_to("/dev/zero")
    elif kind == "dangling":
        target.symlink_to(tmp_path / "gone.apkg")
    else:
        target.symlink_to(target)
    tmp = tmp_path / "tmp"
    run = run_quizgen("anki", "--content", BASE_DECK, "--out", out, "--lang", "en", tmp=tmp)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert [line for line in run.stderr.splitlines() if PACKAGE in line]
    assert os.path.lexists(target) and not target.is_file()
    assert sorted(p.name for p in out.iterdir()) == [PACKAGE]


def test_oversized_previous_is_not_read(tmp_path: Path) -> None:
    """A 3 GB (sparse) package: refused by its size, before a byte is read."""
    out = tmp_path / "out"
    out.mkdir()
    with (out / PACKAGE).open("wb") as handle:
        handle.truncate(3 * 2**30)
    tmp = tmp_path / "tmp"
    started = time.monotonic()
    run = run_quizgen("anki", "--content", BASE_DECK, "--out", out, "--lang", "en", tmp=tmp)
    _assert_built_as_new(run, out, tmp)
    assert time.monotonic() - started < LIMIT_SECONDS


def test_sqlite_budget_stops_an_endless_query(genuine: bytes, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The step and time budget holds on its own, even if the schema check let a view by."""
    from quizgen.render import previous

    monkeypatch.setattr(previous, "_check_schema", lambda conn: None)
    monkeypatch.setattr(previous, "MAX_SECONDS", 2.0)
    path = tmp_path / PACKAGE
    path.write_bytes(CASES["notes-silent-recursive-view"](genuine, tmp_path))
    started = time.monotonic()
    with pytest.raises(previous.Unusable):
        previous.read_previous(path)
    assert time.monotonic() - started < 10


def test_damaged_packages_are_unusable_never_an_exception(genuine: bytes, tmp_path: Path) -> None:
    """Random damage, to the archive's bytes or to the collection's inside a sound archive: the
    reader says ``Unusable`` (the warning) or reads it, never raises anything else, and is
    quick."""
    import random

    from quizgen.render.previous import Unusable, read_previous

    rnd = random.Random(18)
    inner = collection(genuine)
    path = tmp_path / PACKAGE
    for _ in range(300):
        if rnd.random() < 0.5:
            damaged = bytearray(genuine)
            for _ in range(rnd.randint(1, 20)):
                damaged[rnd.randrange(len(damaged))] = rnd.randrange(256)
            path.write_bytes(bytes(damaged))
        else:
            damaged = bytearray(inner)
            for _ in range(rnd.randint(1, 50)):
                damaged[rnd.randrange(len(damaged))] = rnd.randrange(256)
            path.write_bytes(zipped({"collection.anki2": bytes(damaged), "media": b"{}"}))
        started = time.monotonic()
        with contextlib.suppress(Unusable):
            read_previous(path)
        assert time.monotonic() - started < 5
