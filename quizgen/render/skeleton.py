"""The self-test's questions as data: each question's markup made in the browser from a
skeleton of its shape and the question's own values.

Questions of the same *shape* differ in their texts only. A shape's skeleton is its first
question rendered once through the type's own templates (the deck's own first, as for the
markup), every text replaced by a token: a private-use character, the letter ``q``, a number
and another private-use character, which escaping leaves as it is and a filter that changes
text visibly breaks. While it is rendered, the parts of the data the templates read are
recorded; the shape (``shape_of``, a cheap walk over the data, no Jinja) is then, for those
parts: the lengths of the lists, which texts are empty, the booleans and missing values, and,
where the templates need them, the numbers' values and which texts are equal. The page
carries each skeleton once and each question as its values; ``fill`` (and the page's script,
the same algorithm) puts the values, escaped as markupsafe escapes them, in their tokens'
places.

What a template works out from a text rather than shows (``iso``'s direction, the comparison's
chart, the citation block, the grading key of a choice, an image's ``data:`` URL) is worked out
here, per question, with quizgen's own functions: a direction is carried as 0 or 1, the rest as
*blocks* of markup that the page carries once each, however many questions show them.

A skeleton is trusted only where it gives exactly what Jinja renders: a template that reads
a text (its length, a comparison with a literal, a filter) or computes with a number marks the
skeleton *tainted*; then the type's numbers are taken as they are (a shape per value), and if
that is tainted too, or either of the first two questions of the shape does not come out as
Jinja renders it, the shape's questions are carried as markup, as before.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape
from pydantic import BaseModel

from quizgen.render.common import text_direction

log = logging.getLogger(__name__)

TEXT, END, DIR, BLOCK = "\ue000", "\ue001", "\ue002", "\ue003"
NUMBER = 271828182845  # the question's number while its skeleton is rendered
NUMBER_BASE = 314159265000  # a number of the question's data while its skeleton is rendered
# Operations of a skeleton (an int in its list of parts): value index * 8 + kind.
OP_TEXT, OP_DIR, OP_BLOCK, OP_NUMBER, OP_JSON = range(5)
SHARED = 16  # a text at least this long that several questions show is carried once
_TOKEN = re.compile(f"([{TEXT}{DIR}{BLOCK}])q([0-9]+){END}")
_JSON_TOKEN = re.compile(r'"\\ue003q([0-9]+)\\ue001"')
_JSON_TEXT = re.compile(r"\\ue000q([0-9]+)\\ue001")  # a text's token inside JSON
_LEFTOVER = re.compile(f"[{TEXT}{END}{DIR}{BLOCK}]|\\\\ue00[0-3]|{str(NUMBER_BASE)[:9]}")
_PIECE = re.compile("(?=</?div)")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"}

Path = tuple[str | int, ...]


class Tainted(Exception):
    """A template used a token as more than a text to show."""


def _walk(value: Any, path: Path) -> Any:
    for step in path:
        value = value[step] if isinstance(step, int) else getattr(value, step)
    return value


def _fields(model: BaseModel) -> Iterable[tuple[str, Any]]:
    return ((name, model.__dict__[name]) for name in type(model).model_fields)


Pattern = tuple[str, ...]  # a path with "*" for any index of a list


def _summary(value: Any, seen: dict[object, int] | None, numbers: bool) -> Any:
    """What of ``value`` a template that reads it may act on: for a text, whether it is empty
    and (with ``seen``) which earlier text it equals; a boolean or None as it is; a number's
    value only with ``numbers``; a list's length and its plain values."""
    if isinstance(value, str):
        if not value or seen is None:
            return "s" if value else ""
        return seen.setdefault(value, len(seen)), seen.setdefault(("lower", value.lower()),
                                                                  len(seen))
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return value if numbers else "#"
    if isinstance(value, list | tuple):
        return ("[", len(value), *(_summary(v, seen, numbers) for v in value
                                   if not isinstance(v, BaseModel | list | tuple)))
    if isinstance(value, BaseModel):
        return "("
    return repr(value)


def shape_of(question: BaseModel, read: Iterable[Pattern], *, numbers: bool,
             equal: bool) -> tuple[Any, ...]:
    """What makes two questions render alike but for their texts, given the parts of the
    data that the type's templates ``read``: a cheap walk over the data, no Jinja. With
    ``numbers``, the numbers' values; with ``equal``, which texts are equal."""
    seen: dict[object, int] | None = {} if equal else None
    out: list[Any] = []

    def visit(value: Any, pattern: Pattern) -> None:
        if not pattern:
            out.append(_summary(value, seen, numbers))
            return
        step, rest = pattern[0], pattern[1:]
        if step == "*":
            out.append(len(value))
            for item in value:
                visit(item, rest)
        else:
            visit(getattr(value, step), rest)

    for pattern in read:
        visit(question, pattern)
    return tuple(out)


class Recorder:
    """The values a skeleton's tokens stand for: each a kind ("t" a text, "d" a text's
    direction, "b" a block of markup, "j" a block that is JSON) and how to get it from a
    question."""

    def __init__(self) -> None:
        self.fields: list[tuple[str, Callable[[Any], Any]]] = []
        self.tainted = False
        self.compared = False  # texts compared with each other (``unique``, ``==``)
        self.read: set[Pattern] = set()
        self.texts: list[Text] = []  # the tokens of the data's texts

    def add(self, kind: str, get: Callable[[Any], Any]) -> int:
        self.fields.append((kind, get))
        return len(self.fields) - 1

    def taint(self) -> None:
        self.tainted = True

    def text(self, get: Callable[[Any], Any]) -> Text:
        token = Text(f"{TEXT}q{self.add('t', get)}{END}")
        token.recorder = self
        token.get = get
        return token


def _tainting(name: str) -> Callable[..., Any]:
    method = getattr(str, name)

    def wrapper(self: Text, *args: Any, **kwargs: Any) -> Any:
        self.recorder.taint()
        return method(self, *args, **kwargs)
    return wrapper


class Text(str):
    """A token standing for one of the question's texts: shown, escaped, joined to other text,
    compared with another token, it stands for the text; read in any other way, it taints."""

    recorder: Recorder
    get: Callable[[Any], Any]
    paths: list[Path]  # where a text of the question's data is (the same text at each)

    def __bool__(self) -> bool:
        return True  # an empty text is "" in the skeleton (the shape says which)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Text):
            self.recorder.taint()
        self.recorder.compared = True
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        self.recorder.compared = True
        return str.__hash__(self)

    def lower(self) -> Text:
        """A token for the text lowercased: Jinja's ``unique`` and ``sort`` compare texts so,
        and the shape tells which texts are equal so (``_summary``); shown, it is no token
        (``parse`` refuses it), since the skeleton could not lowercase the text."""
        lowered = Text(str.replace(self, "q", "l", 1))
        lowered.recorder = self.recorder
        return lowered


for _name in ("__len__", "__getitem__", "__iter__", "__contains__", "__lt__", "__le__",
              "__gt__", "__ge__", "__mul__", "__mod__", "upper", "title", "capitalize",
              "casefold", "swapcase", "strip", "lstrip", "rstrip", "split", "rsplit",
              "splitlines", "replace", "startswith", "endswith", "find", "rfind", "index",
              "rindex", "count", "center", "ljust", "rjust", "zfill", "format", "partition",
              "rpartition", "encode", "isdigit", "isalpha", "isspace", "isnumeric", "isupper",
              "islower", "expandtabs", "translate", "removeprefix", "removesuffix"):
    setattr(Text, _name, _tainting(_name))


class _Number:
    """What a number of the data is while a skeleton is rendered: shown, it is a token for
    its text; used in any other way (an index, a comparison, arithmetic), it taints, and its
    value (``NUMBER_BASE`` and more) shows where it leaks into the markup."""

    recorder: Recorder
    get: Callable[[Any], Any]

    def __str__(self) -> str:
        get = self.get
        return str(self.recorder.text(lambda q: str(get(q))))

    def __format__(self, spec: str) -> str:
        if spec:
            self.recorder.taint()
        return str(self)


def _number_class(base: type) -> type:
    def tainting(name: str) -> Callable[..., Any]:
        method = getattr(base, name)

        def wrapper(self: Any, *args: Any) -> Any:
            self.recorder.taint()
            return method(self, *args)
        return wrapper

    names = ("__index__", "__int__", "__float__", "__bool__", "__eq__", "__ne__", "__lt__",
             "__le__", "__gt__", "__ge__", "__add__", "__radd__", "__sub__", "__rsub__",
             "__mul__", "__rmul__", "__truediv__", "__floordiv__", "__mod__", "__neg__",
             "__abs__", "__round__", "__pow__")
    spec = {name: tainting(name) for name in names if hasattr(base, name)}
    spec["__hash__"] = base.__hash__
    return type(f"_{base.__name__.title()}Number", (_Number, base), spec)


_INT = _number_class(int)
_FLOAT = _number_class(float)


class _List(list):
    """A list of the data while a skeleton is rendered: indexed by a number of the data (an
    ordering's ``items[index]`` for each index of ``answer_order``), it gives a token for the
    text found there, question by question."""

    recorder: Recorder
    get: Callable[[Any], Any]

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, _Number) and self and all(isinstance(v, Text) for v in self):
            get, at = self.get, index.get
            return self.recorder.text(lambda q: get(q)[at(q)])
        if isinstance(index, _Number):
            self.recorder.taint()
            return list.__getitem__(self, 0)
        return list.__getitem__(self, index)


class _Model:
    """A question (or a part of one) while a skeleton is rendered: its fields as tokens, and
    every field a template reads recorded (``Recorder.read``), since only those make the
    shape."""

    __slots__ = ("_fields", "_path", "_recorder")

    def __init__(self, fields: dict[str, Any], path: Path, recorder: Recorder) -> None:
        object.__setattr__(self, "_fields", fields)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_recorder", recorder)

    def __getattr__(self, name: str) -> Any:
        fields = object.__getattribute__(self, "_fields")
        if name not in fields:
            raise AttributeError(name)
        path = object.__getattribute__(self, "_path")
        object.__getattribute__(self, "_recorder").read.add(
            tuple("*" if isinstance(step, int) else step for step in (*path, name)))
        return fields[name]

    def __getitem__(self, name: object) -> Any:
        if not isinstance(name, str):
            raise TypeError(name)
        try:
            return self.__getattr__(name)
        except AttributeError:
            raise KeyError(name) from None


def sentinel(question: BaseModel, recorder: Recorder, *, numbers: bool, equal: bool) -> Any:
    """A stand-in of ``question`` for rendering a skeleton: every non-empty text a token
    (with ``equal``, equal texts the same token), every number too unless ``numbers`` (then
    as it is), each list one that can be indexed by such a number. The type stays as it is
    (it picks the templates)."""
    texts: dict[str, Text] = {}

    def getter(path: Path) -> Callable[[Any], Any]:
        return lambda q: _walk(q, path)

    def copy(value: Any, path: Path) -> Any:
        if isinstance(value, str):
            if not value:
                return value
            if not equal:
                return recorder.text(getter(path))
            if value not in texts:
                texts[value] = _data_text(recorder)
            texts[value].paths.append(path)  # its value is taken from one the templates read
            return texts[value]
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int | float):
            if numbers:
                return value
            made = (_INT if isinstance(value, int) else _FLOAT)(NUMBER_BASE + len(recorder.fields))
            made.recorder, made.get = recorder, getter(path)
            recorder.add("t", made.get)  # keeps NUMBER_BASE + index unique
            return made
        if isinstance(value, BaseModel):
            return _Model({name: item if name == "type" and not path else copy(item, (*path, name))
                           for name, item in _fields(value)}, path, recorder)
        if isinstance(value, list | tuple):
            out = _List(copy(item, (*path, i)) for i, item in enumerate(value))
            out.recorder, out.get = recorder, getter(path)
            return out
        return value

    return copy(question, ())


def _data_text(recorder: Recorder) -> Text:
    """A token for a text of the question's data (its paths added by ``sentinel``)."""
    token = recorder.text(lambda q: _walk(q, token.paths[0]))
    token.paths = []
    recorder.texts.append(token)
    return token


class Skeleton:
    """One shape's markup: ``parts``, literal text and operations (``OP_*``: a value's index
    times 4 plus its kind), and how to get the values of a question of the shape."""

    def __init__(self, parts: list[str | int], getters: list[Callable[[Any], Any]],
                 texts: list[int]) -> None:
        self.parts = parts
        self.getters = getters
        self.texts = texts  # the values that are texts


def _covered(path: Path, read: set[Pattern]) -> bool:
    """Whether a template read the text at ``path`` (or the list it is in): only such a text's
    equalities with others are part of the shape."""
    while path and isinstance(path[-1], int):
        path = path[:-1]
    return tuple("*" if isinstance(step, int) else step for step in path) in read


def parse(markup: str, recorder: Recorder) -> Skeleton:
    """The skeleton of ``markup`` rendered from a sentinel question: its tokens as
    operations, each value it uses once. Raises ``Tainted`` where a token was not used as it
    should be (read, changed, or shown as another kind than it is)."""
    used: dict[tuple[str, int], int] = {}
    getters: list[Callable[[Any], Any]] = []

    def value(kind: str, index: int) -> int:
        if (kind, index) not in used:
            used[kind, index] = len(getters)
            getters.append(recorder.fields[index][1])
        return used[kind, index]

    for token in recorder.texts:
        token.paths.sort(key=lambda path: not _covered(path, recorder.read))
    parts: list[str | int] = []
    pattern = re.compile(f"{_JSON_TOKEN.pattern}|{_JSON_TEXT.pattern}|{_TOKEN.pattern}|"
                         f"{NUMBER}")
    at = 0
    for found in pattern.finditer(markup):
        parts.append(markup[at:found.start()])
        at = found.end()
        if found[0] == str(NUMBER):
            parts.append(OP_NUMBER)
            continue
        index = int(found[1] or found[2] or found[4])
        if index >= len(recorder.fields):
            raise Tainted(found[0])
        kind = recorder.fields[index][0]
        if found[1] is not None:  # a block in JSON: the grading key through tojson
            if kind != "j":
                raise Tainted(found[0])
            parts.append(value("j", index) * 8 + OP_BLOCK)
            continue
        if found[2] is not None:  # a text in JSON (tojson), escaped as JSON
            if kind != "t":
                raise Tainted(found[0])
            parts.append(value("t", index) * 8 + OP_JSON)
            continue
        expected = {TEXT: ("t", OP_TEXT), DIR: ("d", OP_DIR), BLOCK: ("b", OP_BLOCK)}[found[3]]
        if kind != expected[0]:
            raise Tainted(found[0])
        parts.append(value(kind, index) * 8 + expected[1])
    parts.append(markup[at:])
    parts = [p for p in parts if p != ""]
    if any(isinstance(p, str) and _LEFTOVER.search(p) for p in parts):
        raise Tainted("a token read or changed by a template")
    return Skeleton(parts, getters, [i for (kind, _), i in used.items() if kind == "t"])


def json_text(text: str) -> str:
    """``text`` as Jinja's ``tojson`` writes it inside a JSON string (ASCII, and no ``<``,
    ``>``, ``&`` or ``'``)."""
    return (json.dumps(text)[1:-1].replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026").replace("'", "\\u0027"))


def fill(parts: list[str | int], values: list[Any], blocks: list[str], number: int,
         texts: list[str] | None = None) -> str:
    """A question's markup: its skeleton's ``parts`` with its ``values`` (texts escaped as
    markupsafe escapes them, or as JSON; a number for a text: the page's shared ``texts``;
    directions 0 or 1; blocks by index) and its ``number``. The page's script does the same
    (``fill`` in templates/html/selftest.js)."""
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        index, kind = divmod(part, 8)
        if kind in (OP_TEXT, OP_JSON):
            text = values[index]
            if not isinstance(text, str):
                text = (texts or [])[text]
            out.append(str(escape(text)) if kind == OP_TEXT else json_text(text))
        elif kind == OP_DIR:
            out.append("rtl" if values[index] else "ltr")
        elif kind == OP_BLOCK:
            out.append(blocks[values[index]])
        else:
            out.append(str(number))
    return "".join(out)


def escape_js_equivalent(text: str) -> str:
    """markupsafe's escape, written as the page's script writes it (for its tests)."""
    return "".join(_ESCAPES.get(c, c) for c in text)


class Questions:
    """The questions of one page as data: skeletons and blocks, each once, and per question its
    shape's index and values (or its markup, where no skeleton gives it exactly).

    ``render(question, number, round)`` is Jinja's markup of one question (questions.html.j2).
    ``install`` puts in the environment's globals, before the templates are loaded, the
    globals that work something out from a text (``iso``, ``key``, ``chart``, ``citations``,
    ``images``): while a skeleton is rendered they make tokens, otherwise they are the real
    ones. (A template module keeps the globals it was made with, so they cannot be swapped
    later.)"""

    CHECKED = 2  # the questions of a shape rendered both ways: the first and the second

    def __init__(self) -> None:
        self.render: Callable[[Any, int, int], str] = lambda q, n, r: ""
        self.shapes: list[list[str | int]] = []
        self.blocks: list[str] = []
        self._block_index: dict[str, int] = {}
        self.cut: list[list[int]] = []  # each block as pieces
        self.pieces: list[str] = []
        self._piece_index: dict[str, int] = {}
        self.texts: list[str] = []  # the texts several questions show, each once
        self._text_index: dict[str, int] = {}
        self._repeated: set[str] = set()
        self._skeletons: dict[tuple[Any, ...], tuple[int, Skeleton] | None] = {}
        self._checked: dict[tuple[Any, ...], int] = {}
        self._strict: set[str] = set()  # the types whose numbers make their shapes
        self._equal: set[str] = set()  # the types whose texts' equalities make them
        self._read: dict[tuple[str, bool, bool], list[Pattern]] = {}  # what the templates read
        self._shape_index: dict[tuple[str | int, ...], int] = {}
        self._recorder: Recorder | None = None
        self._root: Any = None
        self._real: dict[str, Any] = {}
        self._policies: dict[str, Any] = {}
        self.fallbacks = 0

    def install(self, env: Any) -> None:
        """Replace the globals that read a text by ones that make tokens in a skeleton."""
        self._real = {name: env.globals[name] for name in SKELETON_GLOBALS}
        self._policies = env.policies
        env.globals.update(_stand_ins(self))

    def block(self, markup: str) -> int:
        """The index of ``markup`` among the page's blocks (added once). The page carries a
        block as pieces, cut before each ``<div`` and ``</div``, each piece once: citation
        blocks of different passages of one source share the source's line."""
        index = self._block_index.get(markup)
        if index is None:
            index = self._block_index[markup] = len(self.blocks)
            self.blocks.append(markup)
            self.cut.append([self._piece(piece) for piece in _PIECE.split(markup) if piece])
        return index

    def expect(self, questions: Iterable[Any]) -> None:
        """Learn which long texts several of ``questions`` have (a fact's explanation, asked
        by several types): the page carries each of those once, the questions its index."""
        seen: set[str] = set()
        for question in questions:
            for value in question.__dict__.values():
                for text in value if isinstance(value, list) else (value,):
                    if isinstance(text, str) and len(text) >= SHARED:
                        if text in seen:
                            self._repeated.add(text)
                        seen.add(text)

    def _text(self, text: str) -> int:
        return _intern(self.texts, self._text_index, text)

    def _piece(self, text: str) -> int:
        return _intern(self.pieces, self._piece_index, text)

    def record(self, question: Any, number: int, round_: int) -> list[Any] | str:
        """One question as the page carries it: [shape, values...], or its markup."""
        made = self._skeleton(question, round_)
        if made is None:
            self.fallbacks += 1
            return self.render(question, number, round_)
        key, shape, skeleton = made
        values = [get(question) for get in skeleton.getters]
        for index in skeleton.texts:
            if values[index] in self._repeated:
                values[index] = self._text(values[index])
        checked = self._checked.get(key, 0)
        if checked < self.CHECKED:
            self._checked[key] = checked + 1
            markup = self.render(question, number, round_)
            if fill(skeleton.parts, values, self.blocks, number, self.texts) != markup:
                log.debug("self-test: the skeleton of %s differs from its markup; its shape "
                          "is carried as markup", question.id)
                self._skeletons[key] = None
                self._strict.add(question.type)
                self.fallbacks += 1
                return markup
        return [shape, *values]

    def _skeleton(self, question: Any, round_: int,
                  ) -> tuple[tuple[Any, ...], int, Skeleton] | None:
        """The key, shape index and skeleton of ``question``'s shape, made from it if it is
        the first of its shape; None where its shape is carried as markup."""
        kind: tuple[str, bool, bool] = (question.type, question.type in self._strict,
                                         question.type in self._equal)
        read = self._read.setdefault(kind, [])
        key = (round_, *kind, len(read), *shape_of(question, read, numbers=kind[1],
                                                     equal=kind[2]))
        if key not in self._skeletons:
            made = self._make(question, round_, numbers=kind[1], equal=kind[2])
            if made == "compared" or (made == "tainted" and not kind[1]):
                # the templates compare texts (their equalities make the shape), or read
                # numbers (their values make it): again, with what they need
                (self._equal if made == "compared" else self._strict).add(question.type)
                return self._skeleton(question, round_)
            if isinstance(made, str):
                self._skeletons[key] = None
                return None
            shape, skeleton, seen = made
            if not seen <= set(read):
                read += sorted(seen - set(read))  # the shape is made of more of the data
                key = (round_, *kind, len(read), *shape_of(question, read, numbers=kind[1],
                                                             equal=kind[2]))
            self._skeletons[key] = shape, skeleton
        found = self._skeletons[key]
        return None if found is None else (key, *found)

    def _make(self, question: Any, round_: int, *, numbers: bool, equal: bool,
              ) -> tuple[int, Skeleton, set[Pattern]] | str:
        """A new shape's skeleton, from ``question``, and the parts of the data its templates
        read; else why not: "compared" (texts compared, and ``equal`` is off) or "tainted"."""
        recorder = self._recorder = Recorder()
        self._root = sentinel(question, recorder, numbers=numbers, equal=equal)
        try:
            markup = self.render(self._root, NUMBER, round_)
            skeleton = parse(markup, recorder)
        except Exception as exc:  # any failure: the shape goes as markup
            log.debug("self-test: no skeleton for %s (%s: %s)", question.id,
                      type(exc).__name__, exc)
            return "compared" if recorder.compared and not equal else "tainted"
        finally:
            self._recorder = self._root = None
        if recorder.compared and not equal:
            return "compared"
        if recorder.tainted:
            log.debug("self-test: no skeleton for %s: a template reads its data", question.id)
            return "tainted"
        parts = tuple(skeleton.parts)
        if parts not in self._shape_index:
            self._shape_index[parts] = len(self.shapes)
            self.shapes.append(skeleton.parts)
        return self._shape_index[parts], skeleton, recorder.read

    def resolve(self, value: Any) -> Callable[[Any], Any]:
        """How to get, from a question, what ``value`` of a skeleton stands for."""
        if isinstance(value, Text | _Number | _List):
            return value.get
        if value is self._root:
            return lambda q: q
        if isinstance(value, BaseModel) or (isinstance(value, str) and _TOKEN.search(value)):
            assert self._recorder is not None
            self._recorder.taint()  # a part of the question this cannot follow
        return lambda q: value


SKELETON_GLOBALS = ("iso", "key", "chart", "citations", "images", "letters")


def _plain(value: Any) -> bool:
    """Whether ``value`` is JSON of texts (tokens or not), booleans and real numbers only."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and not isinstance(k, Text) and _plain(v)
                   for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in value)
    return not isinstance(value, _Number) and (value is None or isinstance(
        value, str | bool | int | float))


def _stand_ins(questions: Questions) -> dict[str, Any]:
    """The globals of ``Questions.install``: in a skeleton each makes a token whose value
    quizgen works out per question with the real global; otherwise each is the real one."""
    real = questions._real

    def block(kind: str, make: Callable[[Any], str]) -> str:
        recorder = questions._recorder
        assert recorder is not None
        index = recorder.add(kind, lambda q: questions.block(make(q)))
        return f"{BLOCK}q{index}{END}"

    def opaque(name: str) -> Callable[..., Any]:
        function = real[name]

        def call(*args: Any) -> Any:
            if questions._recorder is None:
                return function(*args)
            getters = [questions.resolve(a) for a in args]
            return Markup(block("b", lambda q: str(function(*(g(q) for g in getters)))))
        return call

    def key(q: Any) -> Any:
        recorder = questions._recorder
        if recorder is None:
            return real["key"](q)
        # The key of the question's tokens, where it holds texts and no number of the data
        # (a typed answer's): its texts are the question's own, escaped as JSON by tojson.
        tainted = recorder.tainted
        try:
            made = real["key"](q)
        except Exception:  # the key needs the question's real values
            made = None
        recorder.tainted = tainted
        if made is not None and _plain(made):
            return made
        get = questions.resolve(q)
        policies = questions._policies
        return block("j", lambda x: str(htmlsafe_json_dumps(
            real["key"](get(x)), dumps=policies["json.dumps_function"],
            **policies["json.dumps_kwargs"])))

    def iso(value: Any, cls: str = "", lang: str | None = None,
            direction: str | None = None) -> Markup:
        recorder = questions._recorder
        if recorder is None or direction is not None:
            return real["iso"](value, cls, lang, direction)
        text = str(value)
        found = _TOKEN.fullmatch(text)
        if found and found[1] == TEXT:
            get = recorder.fields[int(found[2])][1]
            index = recorder.add("d", lambda q: int(text_direction(get(q)) == "rtl"))
            direction = f"{DIR}q{index}{END}"
        elif _TOKEN.search(text):
            recorder.taint()  # a token inside other text: its direction is not one value's
        return real["iso"](text, cls, lang, direction)

    class Images(dict):
        def __getitem__(self, file: Any) -> Any:
            if questions._recorder is not None and isinstance(file, Text):
                get = file.get
                return Markup(block("b", lambda q: str(escape(dict.__getitem__(self, get(q))))))
            return dict.__getitem__(self, file)

    class Letters(list):
        def __getitem__(self, index: Any) -> Any:
            recorder = questions._recorder
            if recorder is not None and isinstance(index, _Number):
                at = index.get
                return recorder.text(lambda q: list.__getitem__(self, at(q)))
            return list.__getitem__(self, index)

    return {"iso": iso, "key": key, "chart": opaque("chart"), "citations": opaque("citations"),
            "images": Images(real["images"]), "letters": Letters(real["letters"])}


_CHUNK = re.compile(r'<script type="text/x-quizgen-questions" class="qg-chunk" '
                    r'data-section="([^"]*)" data-round="([^"]*)">(.*?)</script>', re.DOTALL)


def page_questions(page: str) -> list[tuple[str, str, str]]:
    """Every chunk of a written page as (section, round, markup), the data ones filled as the
    page's script fills them: what the tests read."""
    shapes: list[list[str | int]] = []
    blocks: list[str] = []
    pieces: list[str] = []
    texts: list[str] = []
    out = []
    for section, round_, text in _CHUNK.findall(page):
        if not text.startswith("{"):
            out.append((section, round_, text))
            continue
        data = json.loads(text)
        shapes += data["shapes"]
        pieces += data["pieces"]
        blocks += ["".join(pieces[i] for i in cut) for cut in data["blocks"]]
        texts += data["texts"]
        markup = []
        for offset, record in enumerate(data["q"]):
            number = data["first"] + offset
            markup.append(record if isinstance(record, str)
                          else fill(shapes[record[0]], record[1:], blocks, number, texts))
        out.append((section, round_, "".join(markup)))
    return out


def _intern(items: list[str], index: dict[str, int], text: str) -> int:
    """``text``'s place in ``items`` (added at the end the first time; ``index`` finds it)."""
    found = index.get(text)
    if found is None:
        found = index[text] = len(items)
        items.append(text)
    return found
