"""The bounded Jinja sandbox that a deck's own templates run in: question templates' prompts and
a deck's output templates.

Jinja's sandbox keeps a template away from Python's internals; this one also bounds what a
template may cost, so that content from other people can neither hang a build nor exhaust the
machine's memory. Each render (one ``Template.render``, with everything it includes, extends or
calls) has an account (``_Meter``): steps (loop items, calls, operators, filters, attribute and
item lookups), characters produced, call depth, output size and a deadline, all in ``LIMITS``.
Every operator is intercepted (``call_binop``), which also stops Jinja's optimizer folding
``10 ** (10 ** 10)`` while compiling; repetition, concatenation, joins, padding, formatting and
the filters that can grow a value check the size they would make before making it. Compiling
refuses templates nested deeper than ``LIMITS.nesting`` at the line where it happens, before
Python's recursion limit is reached. A violation is a ``LimitError`` (a ``TemplateError``) that
the callers turn into a located message.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from jinja2 import Template, TemplateRuntimeError, TemplateSyntaxError, nodes, pass_context
from jinja2.environment import TemplateModule
from jinja2.exceptions import UndefinedError
from jinja2.filters import make_attrgetter
from jinja2.parser import Parser
from jinja2.runtime import Context, LoopContext, Undefined, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter
from jinja2.utils import _PassArg
from markupsafe import EscapeFormatter, Markup

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """What one render of a deck's template may cost. Generous for real templates: quizgen's
    own, rendering a deck of 10,000 facts, stay far below every one of them."""

    steps: int = 5_000_000  # loop items, calls, operators, filters, lookups, per render
    seconds: float = 20.0  # wall-clock time of one render
    output: int = 100_000_000  # characters one render returns
    produced: int = 200_000_000  # characters made on the way (expressions output, loops' text)
    value: int = 4_000_000  # characters or items of one value a template makes
    range: int = 100_000  # items of one range()
    int_bits: int = 4_096  # bits of one integer a template makes by * or **
    format_width: int = 10_000  # a format's width or precision
    depth: int = 50  # calls (macros, caller, includes, recursive loops) inside each other
    nesting: int = 40  # syntax nested inside itself (parentheses, blocks, filters...)
    template_chars: int = 2_000_000  # characters of one template


LIMITS = Limits()
CHARS_PER_STEP = 32  # a value made or read of this many characters or items costs one step
LOOP_FILTER = "quizgen_loop"  # internal: every for loop's items, counted
CONCAT_FILTER = "quizgen_concat"  # internal: ~, bounded


class LimitError(TemplateRuntimeError):
    """A template went over one of the sandbox's limits. ``filename`` and ``lineno``: where,
    when no template frame in the traceback says it (the whole output's size)."""

    def __init__(self, message: str, filename: str | None = None,
                 lineno: int | None = None) -> None:
        super().__init__(message)
        self.filename = filename
        self.lineno = lineno


class LackingError(UndefinedError):
    """A template lacks a macro or name another one uses; ``template``: its name."""

    template = ""


class _Meter:
    """One render's account."""

    def __init__(self, limits: Limits, filename: str | None) -> None:
        self.limits = limits
        self.filename = filename
        self.steps = 0
        self.produced = 0
        self.depth = 0
        self.deadline = time.monotonic() + limits.seconds

    def step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > self.limits.steps:
            raise LimitError(f"the template took more than {self.limits.steps:,} steps (loop "
                             "items, calls, operators, filters); make it do less")
        if self.steps & 0x3FF < count and time.monotonic() > self.deadline:
            raise LimitError(f"the template took longer than {self.limits.seconds:g} seconds "
                             "to render; make it do less")

    def produce(self, count: int) -> None:
        if count >= CHARS_PER_STEP:  # making a long value takes time too
            self.step(count // CHARS_PER_STEP)
        self.produced += count
        if self.produced > self.limits.produced:
            raise LimitError(f"the template made more than {self.limits.produced:,} characters "
                             "of text; make it output less")

    def enter(self) -> None:
        self.depth += 1
        if self.depth > self.limits.depth:
            self.depth -= 1
            raise LimitError(f"calls nested more than {self.limits.depth} deep (a macro, include "
                             "or loop calling itself?); end the recursion sooner")


def _length(value: object) -> int:
    if isinstance(value, str):
        return str.__len__(value)  # not a subclass's own (the self-test's tokens count reads)
    if isinstance(value, (bytes, bytearray, list, tuple, dict, set, frozenset, range)):
        return len(value)
    return 0


def _text_length(value: object) -> int:
    """About how many characters ``str(value)`` has, without making it for the common cases."""
    if isinstance(value, str):
        return str.__len__(value)  # as _length
    if isinstance(value, bool) or value is None:
        return 5
    if isinstance(value, int):
        return value.bit_length() // 3 + 2
    if isinstance(value, float):
        return 24
    if isinstance(value, (bytes, bytearray)):
        return 4 * len(value) + 3
    return len(str(value))


class _BoundedFormatter(SandboxedFormatter):
    """``str.format`` in a template: widths and precisions bounded, the result too."""

    def __init__(self, env: BoundedSandbox, **kwargs: Any) -> None:
        super().__init__(env, **kwargs)
        self._bounded = env
        self._made = 0

    def format_field(self, value: Any, format_spec: str) -> Any:
        self._bounded.check_spec(format_spec)
        out = super().format_field(value, format_spec)
        self._made += len(out)
        if self._made > self._bounded.limits.value:
            raise LimitError(f"a format would make more than {self._bounded.limits.value:,} "
                             "characters")
        self._bounded.meter().produce(len(out))
        return out


class _BoundedEscapeFormatter(_BoundedFormatter, EscapeFormatter):
    pass


_SPEC_NUMBERS = re.compile(r"(\d+)")
# printf-style: %[(key)][flags][width][.precision][length]type
_PRINTF = re.compile(r"%(?:\(([^)]*)\))?([#0 +-]*)(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.)", re.S)


def _items(value: Iterable[Any], limit: int) -> list[Any]:
    out = []
    for item in value:
        out.append(item)
        if len(out) > limit:
            raise LimitError(f"more than {limit:,} items in one value")
    return out


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with the costs of a render bounded (see the module)."""

    intercepted_binops = frozenset(("+", "-", "*", "/", "//", "%", "**"))
    intercepted_unops = frozenset(("+", "-"))

    def __init__(self, *args: Any, limits: Limits = LIMITS, **kwargs: Any) -> None:
        kwargs.setdefault("optimized", False)  # no constant folding while compiling
        super().__init__(*args, **kwargs)
        self.limits = limits
        self._local = threading.local()
        self.globals["range"] = self._range
        self.globals.pop("lipsum", None)  # made-up text: of no use in a deck, and unbounded
        for name, func in list(self.filters.items()):
            self.filters[name] = self._bounded_filter(name, func)
        self.filters[LOOP_FILTER] = self._loop
        self.filters[CONCAT_FILTER] = self._concat
        if self.finalize is None:
            self.finalize = self._finalize

    # -- the account of the render under way ----------------------------------------------

    def meter(self) -> _Meter:
        """The account of the render under way. A macro that Python calls outside any render
        (quizgen does not) is counted in one account of its own for the environment's life,
        without a deadline."""
        meter = getattr(self._local, "meter", None)
        if meter is None:
            meter = getattr(self._local, "loose", None)
            if meter is None:
                meter = self._local.loose = _Meter(replace(self.limits, seconds=math.inf),
                                                   None)
        return meter

    def _metered(self, template: Template, func: Callable[[Context], Iterator[str]],
                 ) -> Callable[[Context], Iterator[str]]:
        env = self

        def root(context: Context) -> Iterator[str]:
            outer = getattr(env._local, "meter", None)
            meter = outer or _Meter(env.limits, template.filename)
            if outer is None:
                env._local.meter = meter
            try:
                meter.enter()
                try:
                    produced = func(context)
                    total = 0
                    for chunk in produced:
                        if outer is None:
                            total += len(chunk)
                            if total > env.limits.output:
                                frame = produced.gi_frame  # type: ignore[attr-defined]
                                line = (template.get_corresponding_lineno(frame.f_lineno)
                                        if frame is not None else None)
                                raise LimitError(
                                    f"the template's output went over {env.limits.output:,} "
                                    "characters; make it output less", template.filename, line)
                        yield chunk
                    if outer is None:
                        log.debug("rendered %s: %d steps, %d characters made, %d output, "
                                  "%.3f s", template.name, meter.steps, meter.produced, total,
                                  env.limits.seconds - meter.deadline + time.monotonic())
                finally:
                    meter.depth -= 1
            finally:
                if outer is None:
                    env._local.meter = None

        return root

    # -- what the sandbox intercepts ------------------------------------------------------

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """Operators, their results' size bounded before they are made."""
        meter = self.meter()
        meter.step()
        limit = self.limits.value
        if operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and (
                    right > self.limits.int_bits or
                    right * (abs(left).bit_length() - 1) > self.limits.int_bits):
                raise LimitError(f"{left} ** {right} is too large (more than "
                                 f"{self.limits.int_bits:,} bits)")
        elif operator == "*":
            sized, count = (left, right) if isinstance(right, int) else (right, left)
            if isinstance(count, int) and not isinstance(count, bool):
                if isinstance(sized, int):
                    if sized.bit_length() + count.bit_length() > self.limits.int_bits:
                        raise LimitError(f"a product of more than {self.limits.int_bits:,} "
                                         "bits")
                elif _length(sized) * max(count, 0) > limit:
                    raise LimitError(f"repeating a value of {_length(sized):,} characters or "
                                     f"items {count:,} times makes more than {limit:,}")
        elif operator == "+":
            if _length(left) + _length(right) > limit:
                raise LimitError(f"joining values would make more than {limit:,} characters "
                                 "or items")
        elif operator == "%" and isinstance(left, str):
            self.check_printf(left, right)
        result = self.binop_table[operator](left, right)
        meter.produce(_length(result))
        return result

    def call_unop(self, context: Context, operator: str, arg: Any) -> Any:
        """Unary operators: counted."""
        self.meter().step()
        return self.unop_table[operator](arg)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Attribute lookups: counted; a template's macro that is not there says which."""
        self.meter().step()
        value = super().getattr(obj, attribute)
        if isinstance(value, Undefined) and isinstance(obj, TemplateModule):
            name = str(obj.__name__)
            return self.undefined(f"the template {name} has no macro or name {attribute!r}",
                                  obj=obj, name=attribute,
                                  exc=type("Lacking", (LackingError,), {"template": name}))
        return value

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Item lookups: counted."""
        self.meter().step()
        return super().getitem(obj, argument)

    def call(__self, __context: Context, __obj: Any, *args: Any,
             **kwargs: Any) -> Any:
        """Calls: counted, nested at most ``depth`` deep, methods of strings and numbers that
        would make a large value refused before they make it."""
        meter = __self.meter()
        meter.step()
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, (str, bytes, bytearray)) and args and \
                getattr(__obj, "__name__", "") == "join" and \
                not isinstance(args[0], (list, tuple, str)):
            args = (_items(args[0], __self.limits.value), *args[1:])
        if isinstance(owner, (str, bytes, bytearray, int)) and not isinstance(owner, bool):
            __self._check_method(owner, getattr(__obj, "__name__", ""), args, kwargs)
        if isinstance(__obj, LoopContext) and args:  # a recursive loop's next level
            args = (__self._loop(__context, args[0]), *args[1:])
        meter.enter()
        try:
            result = super().call(__context, __obj, *args, **kwargs)
        finally:
            meter.depth -= 1
        if owner is not None:
            size = _length(result)
            if size > __self.limits.value and size > _length(owner):
                raise LimitError(f"a value of {size:,} characters or items; at most "
                                 f"{__self.limits.value:,}")
            meter.produce(size)
        return result

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``str.format`` and ``format_map``, through the bounded formatter."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        owner = value.__self__
        formatter: _BoundedFormatter = (
            _BoundedEscapeFormatter(self, escape=owner.escape) if isinstance(owner, Markup)
            else _BoundedFormatter(self))
        kind = type(owner)
        is_map = value.__name__ == "format_map"

        def bounded(*args: Any, **kwargs: Any) -> str:
            if is_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                kwargs = args[0]
                args = ()
            formatter._made = 0
            return kind(formatter.vformat(owner, args, kwargs))

        return bounded

    # -- checks -----------------------------------------------------------------------------

    def check_spec(self, spec: str) -> None:
        """A format spec's width and precision within ``format_width``."""
        for number in _SPEC_NUMBERS.findall(spec):
            if len(number) > 6 or int(number) > self.limits.format_width:
                raise LimitError(f"a width or precision of {number} in a format; at most "
                                 f"{self.limits.format_width:,}")

    def check_printf(self, text: str, args: Any) -> None:
        """``text % args``: widths bounded, and the result's size estimated before making it."""
        positional = args if isinstance(args, tuple) else (args,)
        index = 0
        total = len(text)
        for key, _flags, width, precision, kind in _PRINTF.findall(text):
            if kind == "%":
                continue
            for number in (width, precision):
                if number == "*":
                    raise LimitError("a % format may not take its width or precision from its "
                                     "values; write the number")
                if number and (len(number) > 6 or int(number) > self.limits.format_width):
                    raise LimitError(f"a width or precision of {number} in a format; at most "
                                     f"{self.limits.format_width:,}")
            if key and isinstance(args, Mapping):
                value = args.get(key, "")
            elif index < len(positional):
                value, index = positional[index], index + 1
            else:
                value = ""
            total += max(int(width or 0), int(precision or 0), _text_length(value)) + 8
            if total > self.limits.value:
                raise LimitError(f"a % format would make more than {self.limits.value:,} "
                                 "characters")

    def _check_method(self, owner: Any, name: str, args: tuple[Any, ...],
                      kwargs: dict[str, Any]) -> None:
        limit = self.limits.value
        size = _length(owner)
        given = [*args, *kwargs.values()]
        grown = 0
        if name in ("center", "ljust", "rjust", "zfill") and given:
            grown = given[0] if isinstance(given[0], int) else 0
        elif name == "expandtabs":
            tab = given[0] if given and isinstance(given[0], int) else 8
            grown = size * max(tab, 1)
        elif name == "replace" and len(given) >= 2:
            old, new = given[0], given[1]
            grown = size + (size // max(_length(old), 1) + 1) * _length(new)
        elif name == "join" and given:
            items = given[0]
            if len(items) > limit:
                raise LimitError(f"joining more than {limit:,} items")
            grown = sum(_text_length(i) for i in items) + size * max(len(items) - 1, 0)
        elif name == "translate" and given and isinstance(given[0], Mapping):
            widest = max((_text_length(v) for v in given[0].values()), default=1)
            grown = size * max(widest, 1)
        elif name == "to_bytes" and given and isinstance(given[0], int):
            grown = given[0]
        if grown > limit:
            raise LimitError(f"{type(owner).__name__}.{name} would make a value of {grown:,} "
                             f"characters or items; at most {limit:,}")

    # -- globals and filters ---------------------------------------------------------------

    def _range(self, *args: int) -> range:
        found = range(*args)
        if len(found) > self.limits.range:
            raise LimitError(f"range() of {len(found):,} items; at most {self.limits.range:,}")
        return found

    @pass_context
    def _loop(self, context: Context, items: Any, weight: int = 0) -> Iterator[Any]:
        """A for loop's items, each counted as a step and ``weight`` characters (the loop
        body's own text)."""
        meter = self.meter()
        for item in items:
            meter.step()
            if weight:
                meter.produce(weight)
            yield item

    @pass_context
    def _concat(self, context: Context, items: list[Any]) -> str:
        """``a ~ b``: its size checked before it is made."""
        meter = self.meter()
        meter.step()
        total = sum(_text_length(i) for i in items)
        if total > self.limits.value:
            raise LimitError(f"joining values with ~ would make more than {self.limits.value:,} "
                             "characters")
        meter.produce(total)
        join = markup_join if context.eval_ctx.autoescape else str_join
        return join(items)

    @pass_context
    def _finalize(self, context: Context, value: Any) -> Any:
        """Every ``{{ ... }}`` output: its characters counted."""
        if isinstance(value, str) or not hasattr(value, "__html__"):
            self.meter().produce(_text_length(value))
        return value

    def _bounded_filter(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        pass_arg = _PassArg.from_obj(func)
        guard = _GUARDS.get(name)
        env = self

        @pass_context
        def bounded(context: Context, *args: Any, **kwargs: Any) -> Any:
            meter = env.meter()
            meter.step()
            if name == "sum":
                return env._sum(context, *args, **kwargs)
            if guard is not None:
                args, kwargs = guard(env, *args, **kwargs) or (args, kwargs)
            if pass_arg is _PassArg.context:
                result = func(context, *args, **kwargs)
            elif pass_arg is _PassArg.eval_context:
                result = func(context.eval_ctx, *args, **kwargs)
            elif pass_arg is _PassArg.environment:
                result = func(env, *args, **kwargs)
            else:
                result = func(*args, **kwargs)
            size = _length(result)
            given = _length(args[0]) if args else 0
            if size > env.limits.value and size > given:
                raise LimitError(f"the filter {name} made a value of {size:,} characters or "
                                 f"items; at most {env.limits.value:,}")
            meter.step(given // CHARS_PER_STEP)  # reading a long value takes time too
            meter.produce(size)
            return result

        bounded.__name__ = getattr(func, "__name__", name)
        bounded.__doc__ = func.__doc__
        return bounded

    def _sum(self, context: Context, iterable: Iterable[Any], attribute: Any = None,
             start: Any = 0) -> Any:
        """``sum``, each addition an operator of its own (lists and strings add up in size)."""
        total = start
        pick = make_attrgetter(self, attribute) if attribute is not None else None
        for item in iterable:
            total = self.call_binop(context, "+", total, pick(item) if pick else item)
        return total

    # -- compiling --------------------------------------------------------------------------

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Parse, refusing nesting deeper than ``nesting`` at its line, and count loops."""
        if len(source) > self.limits.template_chars:
            raise TemplateSyntaxError(f"the template is longer than {self.limits.template_chars:,}"
                                      " characters", 1, name, filename)
        parser = Parser(self, source, name, filename)
        try:
            tree = parser.parse()
        except (RecursionError, MemoryError):
            raise TemplateSyntaxError(
                f"syntax nested too deeply (at most {self.limits.nesting} levels)",
                parser.stream.current.lineno, name, filename) from None
        except ValueError as exc:  # a number literal too long to read
            raise TemplateSyntaxError(f"cannot read the template: {exc}",
                                      parser.stream.current.lineno, name, filename) from None
        _instrument(tree, self.limits, name, filename)
        tree.set_environment(self)
        return tree

    def _generate(self, source: nodes.Template, name: str | None, filename: str | None,
                  defer_init: bool = False) -> str:
        try:
            return super()._generate(source, name, filename, defer_init)
        except (RecursionError, MemoryError):
            raise TemplateSyntaxError(f"syntax nested too deeply (at most {self.limits.nesting} "
                                      "levels)", 1, name, filename) from None

    def _compile(self, source: str, filename: str) -> Any:
        try:
            return super()._compile(source, filename)
        except (RecursionError, MemoryError, SyntaxError):
            raise TemplateSyntaxError(f"syntax nested too deeply (at most {self.limits.nesting} "
                                      "levels)", 1, None, filename) from None


class _BoundedTemplate(Template):
    """A template whose every render is metered by its environment."""

    @classmethod
    def _from_namespace(cls, environment: Any, namespace: Any, globals: Any) -> Template:
        made = super()._from_namespace(environment, namespace, globals)
        made.root_render_func = environment._metered(made, made.root_render_func)
        return made


BoundedSandbox.template_class = _BoundedTemplate


# Filters that can make a value much larger than their input: what they would make is checked
# first (the result of every filter is checked after, too).
def _guard_width(env: BoundedSandbox, value: Any = "", width: Any = 80, *_: Any,
                 **__: Any) -> None:
    if isinstance(width, int) and width > env.limits.value:
        raise LimitError(f"a width of {width:,}; at most {env.limits.value:,}")


def _guard_indent(env: BoundedSandbox, value: Any = "", width: Any = 4, *_: Any,
                  **__: Any) -> None:
    text = str(value)
    step = len(width) if isinstance(width, str) else (width if isinstance(width, int) else 0)
    if len(text) + (text.count("\n") + 1) * max(step, 0) > env.limits.value:
        raise LimitError(f"indenting would make more than {env.limits.value:,} characters")


def _guard_count(env: BoundedSandbox, value: Any = None, count: Any = 1, *_: Any,
                 **__: Any) -> None:
    if isinstance(count, int) and count > env.limits.range:
        raise LimitError(f"a count of {count:,}; at most {env.limits.range:,}")


def _guard_replace(env: BoundedSandbox, value: Any = "", old: Any = "", new: Any = "",
                   *_: Any, **__: Any) -> None:
    size = _text_length(value)
    grown = size + (size // max(_length(str(old)), 1) + 1) * _text_length(new)
    if grown > env.limits.value:
        raise LimitError(f"replacing would make more than {env.limits.value:,} characters")


def _guard_join(env: BoundedSandbox, value: Any = (), d: Any = "", attribute: Any = None,
                ) -> tuple[tuple[Any, ...], dict[str, Any]]:
    items = _items(value, env.limits.value)
    if attribute is not None:
        pick = make_attrgetter(env, attribute)
        items = [pick(i) for i in items]
    grown = sum(_text_length(i) for i in items) + max(len(items) - 1, 0) * _text_length(d)
    if grown > env.limits.value:
        raise LimitError(f"joining would make more than {env.limits.value:,} characters")
    return (items, d), {}


def _guard_format(env: BoundedSandbox, value: Any = "", *args: Any, **kwargs: Any) -> None:
    env.check_printf(str(value), kwargs if kwargs else tuple(args))


def _guard_wordwrap(env: BoundedSandbox, value: Any = "", width: Any = 79, *args: Any,
                    **kwargs: Any) -> None:
    wrap = kwargs.get("wrapstring", args[1] if len(args) > 1 else "\n") or "\n"
    if _text_length(value) * (1 + _text_length(wrap)) > env.limits.value:
        raise LimitError(f"wrapping would make more than {env.limits.value:,} characters")


def _guard_urlize(env: BoundedSandbox, value: Any = "", *args: Any, **kwargs: Any) -> None:
    extra = sum(_text_length(v) for v in (*args, *kwargs.values()) if isinstance(v, str))
    if _text_length(value) * (3 + extra) > env.limits.value:
        raise LimitError(f"urlize would make more than {env.limits.value:,} characters")


_GUARDS: dict[str, Callable[..., tuple[tuple[Any, ...], dict[str, Any]] | None]] = {
    "center": _guard_width, "indent": _guard_indent, "batch": _guard_count,
    "slice": _guard_count, "replace": _guard_replace, "join": _guard_join,
    "format": _guard_format, "wordwrap": _guard_wordwrap, "urlize": _guard_urlize,
}


def _static_text(body: list[nodes.Node]) -> int:
    """Characters of plain text a body outputs itself (not counting nested loops' bodies)."""
    total = 0
    stack: list[nodes.Node] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.TemplateData):
            total += len(node.data)
        elif not isinstance(node, (nodes.For, nodes.Macro, nodes.CallBlock)):
            stack.extend(node.iter_child_nodes())
    return total


def _instrument(tree: nodes.Template, limits: Limits, name: str | None,
                filename: str | None) -> None:
    """Refuse nesting deeper than ``limits.nesting``; count every for loop's items (and their
    text) and bound every ``~``. Walks the tree without recursion."""
    stack: list[tuple[nodes.Node, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limits.nesting:
            raise TemplateSyntaxError(f"syntax nested more than {limits.nesting} levels deep; "
                                      "split it up (a macro, a variable set first)",
                                      node.lineno or 1, name, filename)
        for field in node.fields:
            value = getattr(node, field, None)
            if isinstance(value, nodes.Concat):
                setattr(node, field, _concat_node(value))
            elif isinstance(value, list):
                value[:] = [_concat_node(v) if isinstance(v, nodes.Concat) else v for v in value]
        if isinstance(node, nodes.For):
            weight = _static_text(node.body)
            node.iter = nodes.Filter(node.iter, LOOP_FILTER, [nodes.Const(weight)], [], None,
                                     None, lineno=node.lineno)
        stack.extend((child, depth + 1) for child in node.iter_child_nodes())


def _concat_node(node: nodes.Concat) -> nodes.Expr:
    return nodes.Filter(nodes.List(node.nodes, lineno=node.lineno), CONCAT_FILTER, [], [], None,
                        None, lineno=node.lineno)
