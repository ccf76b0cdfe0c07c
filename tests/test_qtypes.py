"""Question types are plug-ins: one module and one template folder each, found without a list,
and named by no other code or template (docs/questions.md, "How a type is made")."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from quizgen.qtypes import MODULES, TYPES

ROOT = Path(__file__).resolve().parent.parent
# Anki's own words that happen to be a type's name: its cloze syntax and the class it gives a
# cloze deletion (templates/anki/, pinned).
ANKI_WORDS = re.compile(r"\{\{cloze:|\.cloze\b")
COMMENTS = {  # what is prose, not code, in each kind of file
    ".j2": re.compile(r"\{#.*?#\}", re.DOTALL),
    ".js": re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL),
    ".css": re.compile(r"/\*.*?\*/", re.DOTALL),
    ".yaml": re.compile(r"(?m)^\s*#[^\n]*|\s#\s[^\n]*"),
}


def _python_strings(path: Path) -> str:
    """A module's string constants that read as code (no spaces: names, keys, paths), docstrings
    and messages left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body and isinstance(node.body[0], ast.Expr)}
    return "\n".join(node.value for node in ast.walk(tree)
                     if isinstance(node, ast.Constant) and isinstance(node.value, str)
                     and id(node) not in docs and not re.search(r"\s", node.value))


def _code(path: Path) -> str:
    if path.suffix == ".py":
        return _python_strings(path)
    if path.suffix == ".json":
        return re.sub(r'"\$comment": "[^"]*"', "", path.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    comments = COMMENTS.get(path.suffix) or COMMENTS.get(path.suffixes[-1] if path.suffixes
                                                         else "")
    text = comments.sub("", text) if comments else text
    return ANKI_WORDS.sub("", text)


def _files() -> list[Path]:
    return [p for folder in ("quizgen", "templates") for p in sorted((ROOT / folder).rglob("*"))
            if p.is_file() and p.suffix in {".py", ".j2", ".js", ".css", ".yaml", ".json"}
            and "__pycache__" not in p.parts]


def test_the_registry_finds_every_type_module() -> None:
    assert TYPES, "no question types found"
    for name, module in MODULES.items():
        assert Path(module.__file__).stem == name  # type: ignore[arg-type]
        assert (ROOT / "templates" / "types" / name).is_dir()
    folders = {p.name for p in (ROOT / "templates" / "types").iterdir() if p.is_dir()}
    assert folders == set(TYPES)
    positions = [MODULES[name].POSITION for name in TYPES]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)


@pytest.mark.parametrize("name", TYPES)
def test_no_other_code_names_a_type(name: str) -> None:
    own = {ROOT / "quizgen" / "qtypes" / f"{name}.py"}
    folder = ROOT / "templates" / "types" / name
    word = re.compile(r"(?<![\w-])(" + re.escape(name) + "|" + re.escape(name.replace("_", "-"))
                      + r")(?![\w-])")
    naming = [p.relative_to(ROOT).as_posix() for p in _files()
              if p not in own and not p.is_relative_to(folder) and word.search(_code(p))]
    # The one file allowed: the Anki note types, global and pinned, whose keys (from which
    # their ids are made) include "cloze".
    assert set(naming) <= {"templates/anki/notetypes.yaml"}, naming


def test_the_docs_list_every_type_in_the_registrys_order() -> None:
    text = (ROOT / "docs" / "questions.md").read_text(encoding="utf-8")
    table = text.split("## Question types", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| `(\w+)` \|", table, flags=re.MULTILINE)
    assert listed == list(TYPES)
