"""A per-user cache of parsed YAML files, so that a deck of many files is read again only where
it changed, and of results computed from a whole deck (``remembered``: what planning a deck's
questions finds, which ``quizgen check`` says again while the deck and quizgen are unchanged).

Reading YAML with every position kept (``yamlread``) is most of the time of ``quizgen check`` on
a large deck: libyaml's events alone take over a second for 10,000 facts. The result depends only
on the file's bytes and the reader's code, so it is kept, one entry per file, in
``$QUIZGEN_CACHE_DIR`` (default ``$XDG_CACHE_HOME/quizgen/parsed``, else
``~/.cache/quizgen/parsed``); ``QUIZGEN_CACHE_DIR=`` (empty) turns it off. The folder can be
deleted at any time.

An entry is data, never code: JSON (and the JSON of the positions below a file's items, read
only when a message needs one of them), behind a header that names the format, the file's identity
(its resolved path, its bytes and the reader's code) and a checksum of the JSON. It is read only
from a folder and a file that belong to the user and that nobody else can write, and only when
both hashes agree; anything else is ignored and written again. Loading a planted entry can at
worst give wrong positions in messages for a file with exactly the bytes it names.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from quizgen import __version__

log = logging.getLogger(__name__)

ENV = "QUIZGEN_CACHE_DIR"
FORMAT = b"quizgen-parsed-3\n"
# Smaller files parse faster than an entry loads.
MIN_BYTES = 64 * 1024
DIGEST = 32  # bytes of a SHA-256


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is off."""
    value = os.environ.get(ENV)
    if value is not None:
        return Path(value) if value.strip() else None
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "quizgen" / "parsed"


@functools.cache
def _code() -> bytes:
    """What a parse depends on besides the file: the reader's code, PyYAML, Python."""
    digest = hashlib.sha256(FORMAT + __version__.encode() + sys.version.encode()
                            + yaml.__version__.encode()
                            + str(hasattr(yaml, "CSafeLoader")).encode())
    here = Path(__file__).resolve().parent
    for name in ("yamlread.py", "errors.py", "parsecache.py"):
        digest.update(hashlib.sha256((here / name).read_bytes()).digest())
    return digest.digest()


def cached(path: Path, raw: bytes, parse: Callable[[], Any], *,
           encode: Callable[[Any], tuple[object, bytes]],
           decode: Callable[[Any, bytes], Any]) -> Any:
    """``parse()``'s result for the file at ``path`` holding ``raw``: from the cache when an
    entry for exactly these bytes and this code is there, else parsed and stored. ``encode``
    turns a result into JSON data and a text kept as it is (read later, if at all: positions
    for messages), ``decode`` the two back into a result for ``path``."""
    if len(raw) < MIN_BYTES:
        return parse()
    where = os.fsencode(os.path.realpath(path))
    return _cached(_code() + where, _code() + where + b"\0" + raw, parse, encode=encode,
                   decode=decode)


def remembered(name: str, inputs: bytes, compute: Callable[[], Any], *,
               encode: Callable[[Any], tuple[object, bytes]],
               decode: Callable[[Any, bytes], Any]) -> Any:
    """``compute()``'s result, kept in the same folder under ``name`` (one entry per name) for
    ``inputs``: the digest of everything the result depends on (the files it reads and the code
    that computes it), which the caller makes."""
    return _cached(*_result_keys(name, inputs), compute, encode=encode, decode=decode)


def recall(name: str, inputs: bytes) -> Any:
    """The JSON data kept under ``name`` for ``inputs`` (``keep``), or None."""
    folder = cache_dir()
    if folder is None or not _private(folder):
        return None
    slot, key = _slot(folder, *_result_keys(name, inputs))
    payload = _read(slot, key)
    if payload is None:
        return None
    try:
        size = int.from_bytes(payload[:8], "big")
        return _loads(payload[8:8 + size])
    except ValueError as exc:
        log.debug("parse cache: ignoring %s: %s", slot, exc)
        return None


def keep(name: str, inputs: bytes, data: object) -> None:
    """Keep JSON ``data`` under ``name`` for ``inputs`` (the one entry of ``name``)."""
    folder = cache_dir()
    if folder is not None and _private(folder):
        slot, key = _slot(folder, *_result_keys(name, inputs))
        _store(folder, slot, key, (data, b""))


def _result_keys(name: str, inputs: bytes) -> tuple[bytes, bytes]:
    return b"result\0" + name.encode(), b"result\0" + name.encode() + b"\0" + inputs


def _slot(folder: Path, identity: bytes, material: bytes) -> tuple[Path, bytes]:
    """The entry file of ``identity`` and the key an entry made from ``material`` carries."""
    return (folder / hashlib.sha256(FORMAT + identity).hexdigest(),
            hashlib.sha256(FORMAT + material).digest())


def _cached(identity: bytes, material: bytes, compute: Callable[[], Any], *,
            encode: Callable[[Any], tuple[object, bytes]],
            decode: Callable[[Any, bytes], Any]) -> Any:
    """The entry for ``identity`` if it was made from ``material``, else ``compute()``, kept."""
    folder = cache_dir()
    if folder is None or not _private(folder):
        return compute()
    slot, key = _slot(folder, identity, material)
    payload = _read(slot, key)
    if payload is not None:
        try:
            size = int.from_bytes(payload[:8], "big")
            return decode(_loads(payload[8:8 + size]), payload[8 + size:])
        except Exception as exc:  # a well-formed entry of another shape: made again
            log.debug("parse cache: ignoring %s: %s", slot, exc)
    result = compute()
    _store(folder, slot, key, encode(result))
    return result


_LONG_NUMBER = re.compile(rb"[0-9]{19}")  # maybe beyond 64 bits, which orjson reads as a float


def _loads(text: bytes) -> Any:
    """An entry's JSON: orjson reads it in a third of the time, the same values, except an
    integer beyond 64 bits (a float to orjson) and a lone surrogate (refused): where the text
    may hold either, Python's reader reads it."""
    import orjson

    if _LONG_NUMBER.search(text) is None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


def _read(slot: Path, key: bytes) -> bytes | None:
    """The JSON of the entry at ``slot`` if it is the user's own regular file, not writable by
    others, made for ``key``, with a payload that matches its checksum; else None."""
    try:
        fd = os.open(slot, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as entry:
            info = os.fstat(entry.fileno())
            if not _owned(info) or not stat.S_ISREG(info.st_mode):
                log.debug("parse cache: ignoring %s: not the user's own private file", slot)
                return None
            head = entry.read(len(FORMAT) + 2 * DIGEST)
            if head[:len(FORMAT)] != FORMAT or head[len(FORMAT):len(FORMAT) + DIGEST] != key:
                return None
            payload = entry.read()
    except OSError as exc:
        log.debug("parse cache: ignoring %s: %s", slot, exc)
        return None
    if hashlib.sha256(payload).digest() != head[len(FORMAT) + DIGEST:]:
        log.debug("parse cache: ignoring %s: its checksum does not match", slot)
        return None
    return payload


def _owned(info: os.stat_result) -> bool:
    """Whether a file or folder belongs to the user and nobody else can write to it."""
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return mine and not info.st_mode & 0o022


@functools.cache
def _private(folder: Path) -> bool:
    """Use only a folder of the user's that nobody else can write to."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = folder.stat()
    except OSError as exc:
        log.debug("parse cache: cannot use %s: %s", folder, exc)
        return False
    if not _owned(info):
        log.warning("parse cache off: %s can be written by other users; make it private "
                    "(chmod 700) or set %s to another folder", folder, ENV)
        return False
    return True


def _store(folder: Path, slot: Path, key: bytes, entry: tuple[object, bytes]) -> None:
    data, blob = entry
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False).encode()
        if json.loads(text) != data:  # a mapping with keys of other types than text
            log.debug("parse cache: %s is not kept: its data is not plain JSON", slot)
            return
    except (TypeError, ValueError) as exc:
        log.debug("parse cache: %s is not kept: %s", slot, exc)
        return
    payload = len(text).to_bytes(8, "big") + text + blob
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(FORMAT + key + hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, slot)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.debug("parse cache: cannot write %s: %s", slot, exc)
