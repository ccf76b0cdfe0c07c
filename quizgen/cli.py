"""The ``quizgen`` command line: options and one call per command, nothing heavy imported."""

from __future__ import annotations

import functools
import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from quizgen import __version__
from quizgen.commands.formats import EXPORTS, ROUND, WORKSHEET_COUNT

log = logging.getLogger(__name__)

_state = {"verbose": False}


def _set_verbose(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:
        _state["verbose"] = True
        logging.getLogger("quizgen").setLevel(logging.DEBUG)
    return value


def _content(given: Path | None) -> Path:
    """``--content``, or what is found where the command runs (see ``resources.discover``)."""
    if given is not None:
        return given
    from quizgen.resources import discover

    try:
        here = Path.cwd()
    except OSError:  # the working folder was deleted
        here = Path("/nonexistent")
    found, bundled = discover(here)
    if bundled:
        click.echo(f"no deck in {here}: reading the bundled decks (run quizgen in a deck folder, "
                   "or pass --content PATH)", err=True)
    return found


def common_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options every command that reads decks takes: --content, --strict and -v."""

    @click.option("--strict", is_flag=True,
                  help="Count warnings as errors: exit 1, and write nothing.")
    @click.option("--content", type=click.Path(path_type=Path), default=None,
                  help="A deck folder, or a folder of deck folders. Default: the deck folder "
                  "you are in, or the deck folders here, else the bundled decks.")
    @click.option("-v", "--verbose", is_flag=True, expose_value=False, is_eager=True,
                  callback=_set_verbose, help="Say more, and show a traceback on errors.")
    @functools.wraps(func)
    def wrapper(*args: Any, content: Path | None, **kwargs: Any) -> Any:
        return func(*args, content=_content(content), **kwargs)

    return wrapper


def output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options of the commands that write outputs: --out, --lang, --seed, --force."""
    func = click.option(
        "--force", is_flag=True,
        help="Make every output again, even those whose inputs did not change.")(func)
    func = click.option(
        "--seed", type=int, default=0, show_default=True,
        help="Drives every random choice: the same seed gives the same output.")(func)
    func = click.option("--lang", default=None, metavar="LANG",
                        help="Only this language (default: every language of each deck).")(func)
    return click.option("--out", type=click.Path(path_type=Path), default=Path("build"),
                        show_default=True, help="Folder to write into.")(func)


def selection_options(default_count: int | str | None = None, *,
                      per_format: bool = False) -> Callable[..., Any]:
    """Options that choose questions; the same options choose the same questions everywhere.
    ``per_format``: without --count, each output format takes its own default (build)."""
    return functools.partial(_selection_options, default_count=default_count,
                             per_format=per_format)


def _selection_options(func: Callable[..., Any], default_count: int | str | None,
                       per_format: bool) -> Callable[..., Any]:
    default = (f"{WORKSHEET_COUNT} on worksheets, a round in self-tests, all elsewhere"
               if per_format else "all" if default_count is None else str(default_count))
    func = click.option("--count", default=None, metavar="N|round|all",
                        help="How many questions, balanced over topics and types; round: one "
                        "per fact, none giving another away "
                        f"[default: {default}].")(func)
    func = click.option("--types", default=None, metavar="T1,T2",
                        help="Question types, by name (docs/questions.md lists them; an "
                        "unknown name gets the deck's list).")(func)
    func = click.option("--tags", default=None, metavar="T1,T2",
                        help="Only questions about facts with one of these tags.")(func)
    func = click.option("--topics", default=None, metavar="T1,T2",
                        help="Only questions of these topics.")(func)

    @functools.wraps(func)
    def wrapper(*args: Any, topics: str | None, tags: str | None, types: str | None,
                count: str | None, **kwargs: Any) -> Any:
        from quizgen.select import PER_FORMAT, parse_count, parse_list

        chosen = PER_FORMAT if per_format and count is None else parse_count(count, default_count)
        selection = {"topics": parse_list(topics), "tags": parse_list(tags),
                     "types": parse_list(types), "count": chosen}
        return func(*args, selection=selection, **kwargs)

    return wrapper


_sources_dir = click.option(
    "--sources-dir", type=click.Path(path_type=Path, file_okay=False, exists=True), default=None,
    help="Folder with the sources' local texts: check that every quote occurs in its source.")


_quiet = click.option("-q", "--quiet", is_flag=True, help="No progress bar.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="quizgen", message="%(prog)s, version %(version)s")
@click.option("-v", "--verbose", is_flag=True, expose_value=False, is_eager=True,
              callback=_set_verbose, help="Say more, and show a traceback on errors.")
def cli() -> None:
    """Turn curated, source-cited facts into Anki decks, worksheets and self-tests."""


@cli.command()
@common_options
@_sources_dir
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="A readable summary, or a JSON report.")
def check(content: Path, sources_dir: Path | None, output_format: str, strict: bool) -> None:
    """Validate the content and report every problem with its file, line and column."""
    from quizgen.commands import check as command

    command.run(content=content, sources_dir=sources_dir, output_format=output_format,
                strict=strict)


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
def new(folder: Path) -> None:
    """Start a deck: write FOLDER with a deck, its sources, three facts and their document."""
    from quizgen.commands import new as command

    command.run(folder=folder)


@cli.command()
@click.argument("kind", type=click.Choice(["deck", "sources", "facts", "questions"]),
                default="facts")
def schema(kind: str) -> None:
    """Print the JSON Schema of deck.yaml, sources.yaml, a facts file or a question set."""
    from quizgen.commands import schema as command

    command.run(kind=kind)


@cli.command()
@click.argument("output_format", metavar="FORMAT", type=click.Choice(EXPORTS))
@common_options
@output_options
@selection_options()
def export(output_format: str, content: Path, out: Path, lang: str | None, seed: int,
           force: bool, selection: dict, strict: bool) -> None:
    """Write the question set as FORMAT: <out>/<deck>.<lang>.json (json), .gift (GIFT, for
    Moodle and other LMSs), .moodle.xml (Moodle XML), .qti.zip (an IMS QTI 2.1 package),
    .canvas.zip (QTI 1.2 for Canvas Classic Quizzes), per language."""
    from quizgen.commands import export as command

    command.run(content=content, out=out, lang=lang, seed=seed, selection=selection,
                output_format=output_format, force=force, strict=strict)


@cli.command()
@common_options
@output_options
@selection_options()
@click.option("--previous", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder with the packages learners last imported (default: --out). Notes that "
              "did not change keep their time in them, so Anki leaves them alone.")
def anki(content: Path, out: Path, lang: str | None, seed: int, force: bool, selection: dict,
         previous: Path | None, strict: bool) -> None:
    """Write an Anki package per deck and language: <out>/<deck>.<lang>.apkg."""
    from quizgen.commands import anki as command

    command.run(content=content, out=out, lang=lang, seed=seed, selection=selection,
                previous=previous, force=force, strict=strict)


_versions = click.option(
    "--versions", type=click.IntRange(1, 26), default=1, show_default=True,
    help="Worksheet forms with their own question and option order, each with its own key.")
_paper = click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4",
                      show_default=True, help="The worksheets' paper size.")


@cli.command()
@common_options
@output_options
@selection_options(default_count=WORKSHEET_COUNT)
@_versions
@_paper
@_quiet
@click.option("--school", default=None, help="Printed above the title [default: the deck's "
              "print: school].")
@click.option("--class", "class_", default=None, help="Printed in the class field [default: the "
              "deck's print: class; else a line to write on].")
@click.option("--teacher", default=None, help="The teacher's name, in the header.")
@click.option("--date", default=None, help="Printed in the date field [default: a line to "
              "write on].")
@click.option("--instructions", multiple=True, metavar="[LANG:]TEXT",
              help="A paragraph for the students under the header; `he:TEXT` for one language "
              "only, repeat for others [default: the deck's print: instructions in each "
              "language].")
def pdf(content: Path, out: Path, lang: str | None, seed: int, force: bool, selection: dict,
        versions: int, paper: str, quiet: bool, strict: bool, school: str | None,
        class_: str | None, teacher: str | None, date: str | None,
        instructions: tuple[str, ...]) -> None:
    """Write worksheets and answer keys: <out>/<deck>.<lang>[.<form>].{worksheet,key}.pdf."""
    from quizgen.commands import pdf as command

    command.run(content=content, out=out, lang=lang, seed=seed, selection=selection,
                versions=versions, paper=paper, quiet=quiet, force=force, strict=strict,
                header={"school": school, "class_": class_, "teacher": teacher, "date": date,
                        "instructions": instructions or None})


@cli.command()
@common_options
@output_options
@selection_options(default_count=ROUND)
def html(content: Path, out: Path, lang: str | None, seed: int, force: bool,
         selection: dict, strict: bool) -> None:
    """Write an offline self-test per deck and language: <out>/<deck>.<lang>.html."""
    from quizgen.commands import html as command

    command.run(content=content, out=out, lang=lang, seed=seed, selection=selection,
                force=force, strict=strict)


@cli.command()
@common_options
@output_options
@selection_options(default_count=None, per_format=True)
@_versions
@_paper
@_sources_dir
@_quiet
def build(content: Path, out: Path, lang: str | None, seed: int, force: bool, selection: dict,
          versions: int, paper: str, sources_dir: Path | None, quiet: bool,
          strict: bool) -> None:
    """Validate, then build every output of every deck into --out."""
    from quizgen.commands import build as command

    command.run(content=content, out=out, lang=lang, seed=seed, selection=selection,
                versions=versions, paper=paper, sources_dir=sources_dir, quiet=quiet,
                force=force, strict=strict)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; turn unexpected failures into one line unless -v asks for the traceback."""
    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.WARNING)
    try:
        cli.main(args=argv, prog_name="quizgen", standalone_mode=False)
    except click.ClickException as exc:
        if _state["verbose"]:
            traceback.print_exc()
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except SystemExit:
        raise
    except Exception as exc:
        if _state["verbose"]:
            raise
        click.echo(f"quizgen: internal error: {type(exc).__name__}: {exc}\n"
                   "Run the command again with -v to see the traceback, and please report it.",
                   err=True)
        sys.exit(1)
