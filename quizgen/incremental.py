"""Skip outputs whose inputs did not change since quizgen wrote them.

The inputs of a command's outputs for one deck are: every file of the deck folder, the command
and its options, quizgen itself (its version, code and bundled templates), ``SOURCE_DATE_EPOCH``
when it is set, and files named by options (``--sources-dir`` documents, ``--previous``
packages). Their digest is recorded beside the outputs in ``<out>/.quizgen-state`` (JSON), with each
output's size and modification time. A later run with the same digest, whose outputs are all still
there as written, has nothing to do for that deck, and says so; ``--force`` rebuilds anyway.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from quizgen import __version__
from quizgen.errors import QuizgenError, display_path
from quizgen.files import FileFault, FileTooLarge, present, read_regular
from quizgen.files import digest as file_digest
from quizgen.output import reason, write_atomic
from quizgen.resources import bundled

log = logging.getLogger(__name__)

STATE_FILE = ".quizgen-state"
STATE_FORMAT = 1
MAX_STATE = 64 * 2**20  # a state of 10,000 decks is a few MB
_PACKAGE = Path(__file__).resolve().parent


def _files(folder: Path) -> list[Path]:
    """Every file under ``folder`` that can be an input, in a stable order."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


def _hash_files(digest: Any, root: Path, files: Iterable[Path]) -> None:
    for path in files:
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(file_digest(path))


@functools.cache
def code_stamp() -> str:
    """quizgen's version, code and bundled templates as one digest: a new quizgen (or an edited
    checkout) rebuilds everything."""
    digest = hashlib.sha256(__version__.encode())
    _hash_files(digest, _PACKAGE, _files(_PACKAGE))
    templates = bundled("templates")
    if not templates.is_relative_to(_PACKAGE):
        _hash_files(digest, templates, _files(templates))
    return digest.hexdigest()


def inputs_digest(folder: Path) -> bytes:
    """The digest of quizgen itself (``code_stamp``) and every file under ``folder``, by name
    and content, and of the names of everything else there (a FIFO, a dangling link: check
    reports them, so their going away must be seen)."""
    digest = hashlib.sha256(code_stamp().encode())
    folder = folder.resolve()
    _hash_files(digest, folder, _files(folder))
    others = sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                    if not p.is_file() and not p.is_dir())
    digest.update(json.dumps(others).encode())
    return digest.digest()


class BuildState:
    """What ``out`` holds, and which decks' outputs a command must make again."""

    def __init__(self, out: Path, command: str, options: dict[str, Any], *, force: bool,
                 extra_inputs: Iterable[Path] = ()) -> None:
        self.out = out
        self.path = out / STATE_FILE
        self.command = command
        self.force = force
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip() or None
        self.options = {**options, "SOURCE_DATE_EPOCH": epoch}
        self.extra = sorted(extra_inputs)
        self.entries = self._read()
        self._digests: dict[Path, str] = {}
        self._fresh: list[tuple[Path, list[str]]] = []

    def _read(self) -> dict[str, Any]:
        """The state quizgen recorded; none when there is no state file or it is not one
        quizgen wrote. What is not a file at all (a FIFO, which would block the reader, a
        device, a dangling link) is an error: quizgen would replace it."""
        if not present(self.path):
            return {}
        try:
            data = json.loads(read_regular(self.path, MAX_STATE).decode("utf-8"))
        except FileTooLarge:
            return {}
        except FileFault as exc:
            raise QuizgenError(f"{display_path(self.path)}: cannot read quizgen's record of "
                               f"its outputs: {exc}; remove it (the next build makes every "
                               "output again)") from None
        except (ValueError, RecursionError):
            return {}
        if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}

    def _key(self, deck_dir: Path) -> str:
        return f"{self.command} {deck_dir.resolve()}"

    def digest(self, deck_dir: Path) -> str:
        """The digest of every input of this command's outputs for the deck at ``deck_dir``."""
        deck_dir = deck_dir.resolve()
        if deck_dir not in self._digests:
            digest = hashlib.sha256()
            digest.update(json.dumps([code_stamp(), self.command, self.options],
                                     sort_keys=True, default=str).encode())
            out = self.out.resolve()  # outputs written inside the deck are not its inputs
            _hash_files(digest, deck_dir, [p for p in _files(deck_dir)
                                           if not p.resolve().is_relative_to(out)])
            for path in self.extra:
                digest.update(str(path.resolve()).encode() + b"\0")
                digest.update(file_digest(path))
            self._digests[deck_dir] = digest.hexdigest()
        return self._digests[deck_dir]

    def _written(self, name: str) -> list[int] | None:
        try:
            info = (self.out / name).stat()
        except OSError:
            return None
        return [info.st_size, info.st_mtime_ns]

    def up_to_date(self, deck_dir: Path) -> list[str] | None:
        """The deck's outputs when none needs making again, else None."""
        if self.force:
            return None
        entry = self.entries.get(self._key(deck_dir))
        if not isinstance(entry, dict) or entry.get("inputs") != self.digest(deck_dir):
            return None
        outputs = entry.get("outputs")
        if not isinstance(outputs, dict) or not outputs:
            return None
        if any(self._written(name) != written for name, written in outputs.items()):
            return None
        return sorted(outputs)

    def stale(self, deck_dirs: Iterable[Path]) -> list[Path]:
        """The decks whose outputs must be made again; ``say_up_to_date`` names the others."""
        out = []
        for deck_dir in deck_dirs:
            self.digest(deck_dir)  # the inputs as they are now, before anything is read
            names = self.up_to_date(deck_dir)
            if names is None:
                out.append(deck_dir.resolve())
            else:
                self._fresh.append((deck_dir, names))
        return out

    def say_up_to_date(self) -> None:
        """Say which decks ``stale`` found up to date, and that nothing is made for them."""
        for deck_dir, names in self._fresh:
            click.echo(f"up to date: {display_path(deck_dir)} ({len(names)} "
                       f"file{'s' if len(names) != 1 else ''} in {display_path(self.out)}; "
                       "its inputs did not change since they were written; --force rebuilds)")

    def record(self, deck_dir: Path, names: Iterable[str]) -> None:
        """Note the outputs just written for the deck at ``deck_dir``."""
        written = {name: self._written(name) for name in sorted(names)}
        self.entries[self._key(deck_dir)] = {
            "inputs": self.digest(deck_dir),
            "outputs": {name: value for name, value in written.items() if value is not None}}

    def save(self) -> None:
        """Write the state file (atomically, like every output)."""
        data = {"format": STATE_FORMAT, "entries": self.entries}
        text = (json.dumps(data, indent=1, sort_keys=True) + "\n").encode()
        try:
            write_atomic(self.path, text)
        except OSError as exc:  # the outputs are written: the next run only rebuilds them
            log.warning("cannot record the build in %s (%s): the next run builds again",
                        self.path, reason(exc))
