"""A per-user cache of parsed YAML files, so that a deck of many files is read again only where
it changed.

Reading YAML with every position kept (``yamlread``) is most of the time of ``quizgen check`` on
a large deck: libyaml's events alone take over a second for 10,000 facts. The result depends only
on the file's bytes, its path (named in messages) and the reader's code, so it is kept, one entry
per file, in ``$QUIZGEN_CACHE_DIR`` (default ``$XDG_CACHE_HOME/quizgen/parsed``, else
``~/.cache/quizgen/parsed``); ``QUIZGEN_CACHE_DIR=`` (empty) turns it off. An entry whose digest
does not match, or that cannot be read, is ignored and written again. The folder can be deleted at
any time.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from quizgen import __version__

log = logging.getLogger(__name__)

ENV = "QUIZGEN_CACHE_DIR"
FORMAT = b"quizgen-parsed-1"
# Smaller files parse faster than an entry loads.
MIN_BYTES = 64 * 1024


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


def cached(path: Path, raw: bytes, parse: Callable[[], Any]) -> Any:
    """``parse()``'s result for the file at ``path`` holding ``raw``: from the cache when an
    entry for exactly these bytes and this code is there, else parsed and stored."""
    folder = cache_dir()
    if folder is None or len(raw) < MIN_BYTES or not _private(folder):
        return parse()
    file = str(path)
    slot = folder / hashlib.sha256(_code() + os.path.abspath(file).encode()).hexdigest()
    key = hashlib.sha256(_code() + file.encode() + b"\0" + raw).digest()
    try:
        with slot.open("rb") as entry:
            if entry.read(len(key)) == key:
                # The user's own cache, in a folder only they can write: see SECURITY.md.
                return pickle.load(entry)
    except FileNotFoundError:
        pass
    except Exception as exc:  # a damaged entry is parsed again, never fatal
        log.debug("parse cache: ignoring %s: %s", slot, exc)
    result = parse()
    _store(folder, slot, key, result)
    return result


@functools.cache
def _private(folder: Path) -> bool:
    """Entries are pickles: use only a folder that nobody else can write to."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = folder.stat()
    except OSError as exc:
        log.debug("parse cache: cannot use %s: %s", folder, exc)
        return False
    if info.st_mode & 0o022 or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
        log.warning("parse cache off: %s can be written by other users; make it private "
                    "(chmod 700) or set %s to another folder", folder, ENV)
        return False
    return True


def _store(folder: Path, slot: Path, key: bytes, result: Any) -> None:
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(key)
                pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, slot)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError) as exc:
        log.debug("parse cache: cannot write %s: %s", slot, exc)
