"""Read YAML into plain Python values, keeping the line and column of every key and value.

PyYAML's own loaders forget where a value came from, silently keep the last of two equal keys
and expand aliases without limit. This reader walks PyYAML's event stream (libyaml's C parser
when it is installed) with an explicit stack instead, so that it can:

- record the position of every value and every mapping key, for located messages;
- refuse duplicate keys, naming both lines;
- refuse aliases, merge keys and custom tags (content must read the same to every tool);
- refuse nesting deeper than any content file needs, without recursion;
- keep mapping keys as the text written (``no:`` is Norwegian, not ``False``);
- keep dates as text, and remember the raw text of plain scalars so that a validator can say
  "you wrote ``no``, which YAML reads as false; quote it".
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from pathlib import Path
from typing import Any, Protocol

import yaml
import yaml.constructor
import yaml.resolver

from quizgen.errors import Problem
from quizgen.files import FileFault, FileTooLarge, read_regular
from quizgen.parsecache import cached

log = logging.getLogger(__name__)

try:  # libyaml's parser is several times faster; the events are the same.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

PathKey = tuple[str | int, ...]


class Mark(Protocol):
    """A place in the text, as both of PyYAML's parsers give it (0-based)."""

    line: int
    column: int
    index: int

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_TAG = "tag:yaml.org,2002:"
_KNOWN_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null")}

_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()


def _key(path: PathKey) -> str:
    """A path as the parse cache keeps it: its JSON text."""
    return json.dumps(list(path), ensure_ascii=False, separators=(",", ":"))


def _shallow(path: PathKey) -> bool:
    """A position kept for a whole file's life: an item's own (level 1) and its id's."""
    return len(path) <= 1 or (len(path) == 2 and path[1] == "id")


class Located:
    """A parsed YAML file: its data, and where each part of it was written.

    ``marks`` holds the position of every value, ``key_marks`` of every mapping key, ``plain`` the
    text of plain scalars YAML read as something else than text. Positions are only needed for
    messages, so a file loaded from the parse cache keeps those below its items packed until a
    message asks for one.
    """

    __slots__ = ("_deep", "_key_marks", "_marks", "_packed", "_plain", "data", "file")

    def __init__(self, file: str, data: object) -> None:
        self.file = file
        self.data = data
        self._marks: dict[PathKey, tuple[int, int]] = {}
        self._key_marks: dict[PathKey, tuple[int, int]] = {}
        self._plain: dict[PathKey, str] = {}
        self._packed: bytes | None = None
        self._deep: dict[str, dict[str, Any]] | None = None

    def cache_entry(self) -> tuple[dict[str, object], bytes]:
        """The file as plain data for the parse cache (``from_cache_entry`` reads it back):
        JSON types, and the positions below the items packed as one JSON text that is read
        when a message asks for one of them. The file's name is not kept: an entry serves every
        spelling of the path."""
        if self._packed is not None:
            shallow, packed = self._marks, self._packed
        else:
            deep = self._deep_parts()
            shallow = {p: m for p, m in self._marks.items() if _shallow(p)}
            deep["m"].update({_key(p): list(m) for p, m in self._marks.items()
                              if not _shallow(p)})
            deep["k"].update({_key(p): list(m) for p, m in self._key_marks.items()})
            deep["p"].update({_key(p): t for p, t in self._plain.items()})
            packed = json.dumps(deep, ensure_ascii=False, separators=(",", ":")).encode()
        return {"data": self.data,
                "marks": [[list(p), *m] for p, m in shallow.items()]}, packed

    @classmethod
    def from_cache_entry(cls, file: str, entry: dict[str, Any], packed: bytes) -> Located:
        """A file read back from ``cache_entry``'s data, named ``file``."""
        located = cls(file, entry["data"])
        located._marks = {tuple(p): (line, column) for p, line, column in entry["marks"]}
        located._packed = packed
        return located

    def _deep_parts(self) -> dict[str, dict[str, Any]]:
        """The packed positions (values', keys', plain texts'), by ``_key`` of their paths."""
        if self._packed is not None:
            self._deep = json.loads(self._packed)
            self._packed = None
        return self._deep if self._deep is not None else {"m": {}, "k": {}, "p": {}}

    def _merged(self, part: str, into: dict[PathKey, Any]) -> dict[PathKey, Any]:
        deep = self._deep_parts().get(part)
        if deep:
            into.update({tuple(json.loads(k)): tuple(v) if part != "p" else v
                         for k, v in deep.items()})
            deep.clear()
        return into

    @property
    def marks(self) -> dict[PathKey, tuple[int, int]]:
        """The (line, column) of every value, by path."""
        return self._merged("m", self._marks)

    @property
    def key_marks(self) -> dict[PathKey, tuple[int, int]]:
        """The (line, column) of every mapping key, by the path of its value."""
        return self._merged("k", self._key_marks)

    @property
    def plain(self) -> dict[PathKey, str]:
        """The text written of plain scalars that YAML read as another type than text."""
        return self._merged("p", self._plain)

    def _find(self, part: str, path: PathKey) -> tuple[int, int] | None:
        own = self._key_marks if part == "k" else self._marks
        if path in own:
            return own[path]
        found = self._deep_parts()[part].get(_key(path)) if path else None
        return (found[0], found[1]) if found else None

    def mark(self, path: PathKey, *, key: bool = False) -> tuple[int, int]:
        """Return the (line, column) of ``path``, or of its nearest recorded ancestor."""
        path = tuple(path)
        if key and (found := self._find("k", path)):
            return found
        while path:
            if found := self._find("m", path):
                return found
            path = path[:-1]
        return self._marks.get((), (1, 1))

    def prune(self) -> None:
        """Forget the data, and every position but the items' own and their ids', once
        validation is done: positions are half of a loaded deck's memory, and later messages
        point at whole facts, which ``mark`` finds by walking up."""
        self.data = None
        self._marks = {p: m for p, m in self._marks.items() if _shallow(p)}
        self._key_marks, self._plain, self._packed, self._deep = {}, {}, None, None

    def problem(self, path: PathKey, message: str, *, fact: str | None = None,
                key: bool = False, severity: str = "error") -> Problem:
        """Return a problem located at ``path`` in this file."""
        line, column = self.mark(path, key=key)
        return Problem(self.file, line, column, message, fact, severity)


class _Frame:
    __slots__ = ("container", "duplicates", "key", "path", "seen", "skip_value")

    def __init__(self, container: dict | list, path: PathKey) -> None:
        self.container = container
        self.path = path
        self.key: str | None = None
        self.seen: dict[str, int] = {}
        self.duplicates = 0  # duplicate keys so far: their values get paths of their own
        self.skip_value = False  # the pending key is a duplicate: drop its value


class _Abort(Exception):
    """Stop reading this file; the problem is already recorded."""


def _pos(mark: Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def char_name(char: str) -> str:
    """Return ``U+202E (RIGHT-TO-LEFT OVERRIDE)`` for a character, for messages."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} ({name})" if name else f"U+{ord(char):04X}"


def read_yaml(path: Path) -> tuple[Located | None, list[Problem]]:
    """Read one YAML file; return its located data (None if unreadable) and its problems."""
    file = str(path)
    try:
        raw = read_regular(path, MAX_BYTES)
    except FileTooLarge as exc:
        return None, [_too_large(file, exc.size)]
    except FileFault as exc:
        return None, [Problem(file, 1, 1, f"cannot read the file: {exc}; content files are "
                              "regular files of YAML text")]
    return cached(path, raw, lambda: _parse(raw, file), encode=_cache_entry,
                  decode=lambda entry, packed: _from_cache_entry(file, entry, packed))


def _cache_entry(result: tuple[Located | None, list[Problem]]) -> tuple[object, bytes]:
    located, problems = result
    entry, packed = located.cache_entry() if located is not None else (None, b"")
    return {"located": entry, "problems": [[p.line, p.column, p.message, p.fact, p.severity]
                                           for p in problems]}, packed


def _from_cache_entry(file: str, entry: dict[str, Any],
                      packed: bytes) -> tuple[Located | None, list[Problem]]:
    located = entry["located"]
    return (Located.from_cache_entry(file, located, packed) if located is not None else None,
            [Problem(file, *fields) for fields in entry["problems"]])


def _parse(raw: bytes, file: str) -> tuple[Located | None, list[Problem]]:
    text, problems = decode_text(raw, file)
    if text is None:
        return None, problems
    reader = _Reader(file, text)
    try:
        reader.run()
    except _Abort:
        return None, problems + reader.problems
    if not reader.has_document or reader.located.data is None:
        problems.append(Problem(file, 1, 1, "the file is empty; write the YAML content "
                                "described in docs/content-format.md, or delete the file"))
        return None, problems
    return reader.located, problems + reader.problems


def _too_large(file: str, size: int) -> Problem:
    return Problem(file, 1, 1, f"the file is {size / 2**20:.1f} MiB; a content file may hold at "
                   f"most {MAX_BYTES // 2**20} MiB: split it")


def decode_text(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """Decode a content file's bytes as UTF-8 text, refusing binary and oversized files."""
    if len(raw) > MAX_BYTES:
        return None, [_too_large(file, len(raw))]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        return None, [Problem(file, line, nul - (raw.rfind(b"\n", 0, nul) + 1) + 1,
                              "this is a binary file (it holds a NUL byte), not YAML text; "
                              "content files are UTF-8 text")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8")
        line, column = _line_col(good, len(good))
        return None, [Problem(file, line, column,
                              f"not valid UTF-8: byte 0x{raw[exc.start]:02X} cannot start or "
                              "continue a character here; save the file as UTF-8")]
    problems = []
    for match in _CONTROL.finditer(text):
        line, column = _line_col(text, match.start())
        problems.append(Problem(file, line, column,
                                f"control character {char_name(match.group())} is not allowed "
                                "in content; delete it"))
    if problems:
        return None, problems
    for match in _BIDI.finditer(text):
        line, column = _line_col(text, match.start())
        problems.append(Problem(file, line, column,
                                f"bidirectional control character {char_name(match.group())} "
                                "can make text display in another order than it is stored; "
                                "delete it (quizgen sets the direction of every text itself)"))
    return text, problems


_DEEP = f"nested more than {MAX_DEPTH} levels deep; content files need only a few levels"
_FLOW = re.compile(r"""[\[\]{}'"#\n\\]""")


def _too_deep(text: str, end: int) -> int | None:
    """Where the brackets of flow collections in ``text[:end]`` first open a level deeper than
    MAX_DEPTH, if they do: the parser may meet its own nesting limit while it looks ahead, before
    any event reaches the reader's check. Quoted text and comments are skipped."""
    depth, quote, skip_to = 0, "", 0
    for match in _FLOW.finditer(text, 0, end):
        i, char = match.start(), match.group()
        if i < skip_to:
            continue
        if quote:
            if char == "\\" and quote == '"':
                skip_to = i + 2
            elif char == quote:
                if quote == "'" and text.startswith("'", i + 1):
                    skip_to = i + 2  # '' is a quote inside single quotes
                else:
                    quote = ""
            continue
        before = text[i - 1] if i else "\n"
        if char in "'\"" and before in " \t\n[{,:":
            quote = char
        elif char == "#" and before in " \t\n":
            newline = text.find("\n", i)
            skip_to = newline if newline >= 0 else end
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return i
        elif char in "]}":
            depth = max(depth - 1, 0)
    return None


class _Reader:
    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.text = text
        self.located = Located(file, None)
        self.problems: list[Problem] = []
        self.stack: list[_Frame] = []
        self.has_document = False
        self.documents = 0

    def fail(self, mark: Mark | None, message: str) -> None:
        line, column = _pos(mark)
        self.problems.append(Problem(self.file, line, column, message))

    def fail_at(self, index: int, message: str) -> None:
        line, column = _line_col(self.text, index)
        self.problems.append(Problem(self.file, line, column, message))

    def run(self) -> None:
        try:
            for event in yaml.parse(self.text, Loader=_Loader):
                self.handle(event)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            deep = _too_deep(self.text, mark.index + 1 if mark is not None else len(self.text))
            if deep is not None:  # the parser's own nesting limit, met while looking ahead
                self.fail_at(deep, _DEEP)
                raise _Abort from None
            what = " ".join(str(p) for p in (exc.context, exc.problem) if p)
            self.fail(mark, f"YAML syntax error: {what}; check the indentation, and quote text "
                      "that contains ': ' or starts with a special character")
            raise _Abort from None
        except yaml.YAMLError as exc:
            self.fail(None, f"YAML error: {exc}")
            raise _Abort from None

    def child_path(self, mark: Mark | None) -> PathKey:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        if top.key is None:
            self.fail(mark, "a mapping key must be plain text, not a list or mapping")
            raise _Abort
        if top.skip_value:
            return (*top.path, f"#duplicate{top.duplicates}", top.key)
        return (*top.path, top.key)

    def handle(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.fail(event.start_mark, "a second YAML document ('---') in one file; "
                          "quizgen reads one document per file: split it or remove the '---'")
                raise _Abort
            return
        if isinstance(event, yaml.AliasEvent):
            self.fail(event.start_mark, f"alias *{event.anchor} is not supported: content "
                      "must read the same to every tool; write the value out")
            raise _Abort
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if self.stack and isinstance(self.stack[-1].container, dict) \
                    and self.stack[-1].key is None:
                self.fail(event.start_mark, "a mapping key must be plain text, "
                          "not a list or mapping")
                raise _Abort
            self.check_tag(event, "map" if isinstance(event, yaml.MappingStartEvent) else "seq")
            if len(self.stack) >= MAX_DEPTH:
                self.fail(event.start_mark, _DEEP)
                raise _Abort
            path = self.child_path(event.start_mark)
            self.located.marks[path] = _pos(event.start_mark)
            container: dict | list = {} if isinstance(event, yaml.MappingStartEvent) else []
            self.stack.append(_Frame(container, path))
            return
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack.pop()
            self.add(frame.container, frame.path)
            return
        if isinstance(event, yaml.ScalarEvent):
            self.scalar(event)

    def check_tag(self, event: yaml.Event, kind: str) -> None:
        tag = getattr(event, "tag", None)
        allowed = {"map": _TAG + "map", "seq": _TAG + "seq"}.get(kind)
        if tag and tag != "!" and tag not in _KNOWN_TAGS and tag != allowed:
            self.fail(event.start_mark, f"the YAML tag {tag} is not supported in content; "
                      "remove it")
            raise _Abort

    def scalar(self, event: yaml.ScalarEvent) -> None:
        top = self.stack[-1] if self.stack else None
        value_text = unicodedata.normalize("NFC", event.value)
        if isinstance(top, _Frame) and isinstance(top.container, dict) and top.key is None:
            # A mapping key: always the text written.
            if event.tag == _TAG + "merge" or (event.value == "<<" and not event.style):
                self.fail(event.start_mark, "merge keys (<<) are not supported; "
                          "write the keys out")
                raise _Abort
            key_mark = _pos(event.start_mark)
            first = top.seen.get(value_text)
            if first is not None:
                self.fail(event.start_mark, f'duplicate key "{value_text}" (first on line '
                          f"{first}); YAML would silently keep only the last one: "
                          "remove or rename one of them")
                top.duplicates += 1
                top.skip_value = True
            else:
                top.seen[value_text] = key_mark[0]
                self.located.key_marks[(*top.path, value_text)] = key_mark
            top.key = value_text
            return
        self.check_tag(event, "scalar")
        path = self.child_path(event.start_mark)
        self.located.marks[path] = _pos(event.start_mark)
        value = self.construct(event, value_text)
        if not event.style and not isinstance(value, str):  # plain: None, or '' from libyaml
            self.located.plain[path] = event.value
        if isinstance(value, str):
            bad = _CONTROL.search(value)
            if bad:
                self.fail(event.start_mark, f"control character {char_name(bad.group())} "
                          "(written as an escape) is not allowed in content; delete it")
            bidi = _BIDI.search(value)
            start, end = event.start_mark, event.end_mark
            written = self.text[start.index : end.index] if start and end else value
            if bidi and not _BIDI.search(written):  # else decode_text reported it already
                self.fail(event.start_mark, f"bidirectional control character "
                          f"{char_name(bidi.group())} (written as an escape) is not allowed; "
                          "delete it")
        self.add(value, path)

    def construct(self, event: yaml.ScalarEvent, text: str) -> object:
        tag = event.tag
        if not tag or tag == "!":
            tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        node = yaml.ScalarNode(tag, event.value)
        if tag == _TAG + "bool":
            return _constructor.construct_yaml_bool(node)
        if tag == _TAG + "int":
            return _constructor.construct_yaml_int(node)
        if tag == _TAG + "float":
            return _constructor.construct_yaml_float(node)
        if tag == _TAG + "null":
            return None
        return text  # str, and timestamps kept as the text written

    def add(self, value: object, path: PathKey) -> None:
        self.has_document = True
        if not self.stack:
            self.located.data = value
            return
        top = self.stack[-1]
        if isinstance(top.container, list):
            top.container.append(value)
            return
        if not top.skip_value:
            top.container[top.key] = value
        top.key = None
        top.skip_value = False
