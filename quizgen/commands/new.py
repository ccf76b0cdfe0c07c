"""``quizgen new``: a deck folder to start from, which checks clean and builds."""

from __future__ import annotations

import logging
import re
import shlex
import shutil
import tempfile
from pathlib import Path

import click

from quizgen.errors import QuizgenError, display_path
from quizgen.output import umask
from quizgen.resources import bundled

log = logging.getLogger(__name__)


def deck_id(folder: Path) -> str:
    """The deck id a folder name gives: lower-case letters and digits joined by hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", folder.name.lower()).strip("-")
    return slug or "my-deck"


def run(*, folder: Path) -> None:
    """Write the starter deck into ``folder``, which must not exist yet (or be empty)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise QuizgenError(f"{display_path(folder)} already exists and is not an empty folder; "
                           "name a new folder for the deck")
    scaffold = bundled("templates") / "new-deck"
    parent = folder.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        # Made beside its place and renamed into it: never a half-written deck.
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
        try:
            shutil.copytree(scaffold, staging, dirs_exist_ok=True)
            deck_file = staging / "deck.yaml"
            deck_file.write_text(deck_file.read_text(encoding="utf-8").replace(
                "DECK_ID", deck_id(folder)), encoding="utf-8")
            staging.chmod(0o777 & ~umask())
            if folder.is_dir():
                folder.rmdir()  # empty, checked above
            staging.rename(folder)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    except OSError as exc:
        raise QuizgenError(f"cannot write {display_path(folder)}: {exc.strerror}") from None
    click.echo(f"wrote {display_path(folder)}: deck {deck_id(folder)}, 3 facts from one "
               "document. Next:")
    click.echo(f"  cd {shlex.quote(display_path(folder))}")
    click.echo("  quizgen check --sources-dir documents   # validate, and verify every quote")
    click.echo("  quizgen build                           # every output, into build/")

