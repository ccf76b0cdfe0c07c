"""The located YAML reader: positions, refusals and normalization."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from quizgen.yamlread import MAX_DEPTH, read_yaml


def read(tmp_path: Path, text: str | bytes):
    path = tmp_path / "f.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return read_yaml(path)


def messages(tmp_path: Path, text: str | bytes) -> list[str]:
    return [f"{p.line}:{p.column}: {p.message}" for p in read(tmp_path, text)[1]]


def test_positions_of_values_and_keys(tmp_path: Path) -> None:
    located, problems = read(tmp_path, "- id: a\n  text:\n    en: hi\n")
    assert problems == []
    assert located.data == [{"id": "a", "text": {"en": "hi"}}]
    assert located.mark((0, "text", "en")) == (3, 9)
    assert located.mark((0, "text", "en"), key=True) == (3, 5)
    assert located.mark((0, "missing", "deeper")) == (1, 3)


def test_keys_stay_text_and_dates_stay_text(tmp_path: Path) -> None:
    located, _ = read(tmp_path, "no: Norwegian\nyes: 2024-10-06\n")
    assert located.data == {"no": "Norwegian", "yes": "2024-10-06"}


def test_plain_booleans_and_numbers_remember_what_was_written(tmp_path: Path) -> None:
    located, _ = read(tmp_path, "a: no\nb: 'no'\nc: 012\n")
    assert located.data == {"a": False, "b": "no", "c": 10}  # YAML 1.1 octal
    assert located.plain == {("a",): "no", ("c",): "012"}


def test_text_is_nfc_normalized(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "שָׁלוֹם café")
    located, _ = read(tmp_path, f"t: {decomposed}\n")
    assert located.data["t"] == unicodedata.normalize("NFC", decomposed)
    assert located.data["t"] != decomposed


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    located, problems = read(tmp_path, b"\xef\xbb\xbfa: 1\n")
    assert problems == [] and located.data == {"a": 1}


@pytest.mark.parametrize(("text", "expected"), [
    ("- &a {x: 1}\n- *a\n", "2:3: alias *a is not supported"),
    ("a: &b 1\nc: *b\n", "2:4: alias *b is not supported"),
    ("a: !!python/object:os.system x\n", "1:4: the YAML tag tag:yaml.org,2002:python/object"),
    ("a: 1\n---\nb: 2\n", "2:1: a second YAML document"),
    ("a: {x: 1}\n<<: {y: 2}\n", "2:1: merge keys (<<) are not supported"),
    ("x: \"\\u202e\"\n", "1:4: bidirectional control character U+202E"),
    ("x: a\u2066b\n", "1:5: bidirectional control character U+2066 (LEFT-TO-RIGHT ISOLATE)"),
    ("x: \"bell\\a\"\n", "1:4: control character U+0007 (written as an escape)"),
])
def test_refusals_are_located(tmp_path: Path, text: str, expected: str) -> None:
    found = messages(tmp_path, text)
    assert any(m.startswith(expected) for m in found), found


DEEP = f"nested more than {MAX_DEPTH} levels deep; content files need only a few levels"


@pytest.mark.parametrize("text", [
    "[" * 100_000 + "]" * 100_000,  # libyaml may meet its own limit first, while looking ahead
    "[" * 40 + "]" * 40,
    "{a: " * 40 + "}" * 40,
    "[\n" * 40 + "]\n" * 40,
    "- " * 40 + "x\n",
    "".join(" " * i + "a:\n" for i in range(40)) + " " * 40 + "b\n",
])
def test_deep_nesting_is_refused_without_recursion(tmp_path: Path, text: str) -> None:
    [found] = messages(tmp_path, text)
    assert found.endswith(f": {DEEP}")


def test_deep_nesting_message_and_place_whichever_layer_notices(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parser may stop at a nesting limit of its own before the reader's check sees the
    level: the message is still quizgen's, at the first level too deep."""
    text = "a: 'x [[[ # not counted'  # [[[[\nb: " + "[" * 50 + "]" * 50 + "\n"
    brackets = text.index("[" * 50) - text.index("b") + 1  # their first column on line 2
    [found] = messages(tmp_path, text)  # the mapping is a level too: the 32nd bracket is deeper
    assert found == f"2:{brackets + MAX_DEPTH - 1}: {DEEP}"

    def parser_gives_up(text: str, Loader: object) -> Iterator[object]:
        mark = yaml.Mark("f.yaml", len(text) - 60, 1, 1, None, None)
        raise yaml.MarkedYAMLError("while parsing", mark, "any wording at all", mark)
        yield  # a generator, like yaml.parse

    monkeypatch.setattr("quizgen.yamlread.yaml.parse", parser_gives_up)
    assert messages(tmp_path, text) == [f"2:{brackets + MAX_DEPTH}: {DEEP}"]
    # A syntax error that is not about nesting keeps the parser's place and detail.
    [found] = messages(tmp_path, "a: [1, 2" + " " * 60 + "\n")
    assert found.startswith("2:2: YAML syntax error: ") and "any wording at all" in found


def test_alias_bomb_is_refused_at_the_first_alias(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}]" for i in range(9)]
    found = messages(tmp_path, "\n".join(lines) + "\n")
    assert found == ["2:8: alias *a is not supported: content must read the same to every "
                     "tool; write the value out"]


def test_duplicate_key_keeps_reading_and_names_both_lines(tmp_path: Path) -> None:
    located, problems = read(tmp_path, "a: 1\nb:\n  c: 2\n  c: {d: 3}\nb: 4\n")
    assert [(p.line, p.column) for p in problems] == [(4, 3), (5, 1)]
    assert 'duplicate key "c" (first on line 3)' in problems[0].message
    assert located.data == {"a": 1, "b": {"c": 2}}


def test_oversized_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("quizgen.yamlread.MAX_BYTES", 10)
    assert "a content file may hold at most" in messages(tmp_path, "a: 12345678901\n")[0]


BUILT_IN = sorted(p for folder in ("content", "templates", "tests/fixtures/base")
                  for p in (Path(__file__).resolve().parent.parent / folder).rglob("*.yaml"))


@pytest.mark.parametrize("path", BUILT_IN, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_built_in_yaml_reads_the_same_with_either_parser(path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """libyaml's parser and PyYAML's own (used where PyYAML is built without libyaml) disagree
    on some plain scalars (``{en: in which year?, ...}``): quizgen's own files read the same."""
    from quizgen import yamlread

    raw = path.read_bytes()
    fast, problems = yamlread._parse(raw, str(path))
    assert problems == [] and fast is not None
    monkeypatch.setattr(yamlread, "_Loader", yaml.SafeLoader)
    pure, problems = yamlread._parse(raw, str(path))
    assert problems == [] and pure is not None
    assert pure.data == fast.data and pure.marks == fast.marks
