"""The bounded sandbox (quizgen/sandbox.py) in-process: what real templates do still works, byte
for byte; each limit stops what goes over it, quickly, before the value is made."""

from __future__ import annotations

import time

import pytest
from jinja2 import StrictUndefined, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from quizgen.sandbox import BoundedSandbox, LimitError, Limits

# What templates really do: the result must be the one Jinja's own sandbox gives.
ORDINARY = [
    "{{ 2 ** 10 }} {{ -3 }} {{ 7 // 2 }} {{ 7 % 3 }} {{ 1 / 4 }} {{ 2 * 3.5 }}",
    '{{ "ab" * 3 }} {{ [1, 2] + [3] }} {{ "a" ~ 1 ~ none }} {{ [0] * 4 }}',
    '{{ "%05.2f|%s|%(x)s" % (3.14159, "b", 1) if false else "%05.2f|%s" % (3.14159, "b") }}',
    '{{ "%(a)s-%(b)d" % {"a": "x", "b": 2} }} {{ "{:>5}|{:.2f}".format("a", 2) }}',
    '{{ "{a}".format_map({"a": 1}) }} {{ "%d%%"|format(5) }}',
    "{{ range(5)|sum }} {{ [[1], [2]]|sum(start=[]) }} {{ items|join(', ') }}",
    "{{ items|join(', ', attribute='n') if false else items|map('upper')|join('/') }}",
    '{{ "a\nb"|indent(2, first=true) }} {{ "x"|center(7) }} {{ "aa bb cc"|wordwrap(3) }}',
    "{{ [1, 2, 3]|batch(2)|list }} {{ [1, 2, 3]|slice(2)|list }} {{ 'a-b'|replace('-', '+') }}",
    "{% for i in range(3) %}{{ loop.index }}{{ ',' if not loop.last }}{% endfor %}",
    "{% set ns = namespace(n=0) %}{% for i in range(4) %}{% set ns.n = ns.n + i %}{% endfor %}"
    "{{ ns.n }}",
    "{% macro f(n) %}{% if n %}{{ n }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(10) }}",
    "{% for x in tree recursive %}[{{ x.n }}{{ loop(x.c) }}]{% endfor %}",
    "{{ 'abc'.upper() }} {{ 'a,b'.split(',') }} {{ ', '.join(items) }} {{ 'x'.ljust(3) }}|",
    "{{ (5).to_bytes(2, 'big') }} {{ 'ab'.translate({97: 'z'}) }} {{ 'a\tb'.expandtabs(4) }}",
    "{% macro m() %}{{ caller(1) }}{% endmacro %}{% call(x) m() %}{{ x }}{% endcall %}",
]
CONTEXT = {"items": ["a", "b"], "tree": [{"n": 1, "c": [{"n": 2, "c": []}]}]}


@pytest.mark.parametrize("autoescape", [False, True])
@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_templates_render_as_in_jinjas_sandbox(text: str, autoescape: bool) -> None:
    plain = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=autoescape)
    bounded = BoundedSandbox(undefined=StrictUndefined, autoescape=autoescape)
    assert bounded.from_string(text).render(CONTEXT) == plain.from_string(text).render(CONTEXT)


# Variants of the review's cases beyond the subprocess corpus: each must stop, fast.
HOSTILE = [
    '{{ "{:{w}}".format(1, w=999999999) }}',
    '{{ "%*d" % (999999999, 1) }}',
    '{{ ("%(k)s" * 100000) % {"k": "y" * 1000} }}',
    '{{ "{0}{0}{0}{0}{0}{0}{0}{0}".format("y" * 1000000) }}',
    '{{ ("{0}" * 100000).format("y" * 1000) }}',
    "{{ (1).to_bytes(10 ** 9, 'big') }}",
    '{{ ("x" * 100000).translate({120: "y" * 100000}) }}',
    '{{ ("\t" * 1000).expandtabs(10 ** 6) }}',
    '{{ "x".zfill(10 ** 9) }} ',
    '{{ ("x" * 1000).replace("x", "y" * 100000) }}',
    "{{ ([[1]] * 100000)|sum(start=[])|length }}",
    "{{ [1]|slice(10 ** 9)|list }}",
    '{{ ("http://a. " * 100000)|urlize(target="x" * 1000) }}',
    '{{ (range(100000)|list) * 100 }}',
    '{% set s = "x" * 4000000 %}{{ s + s }}',
    '{% set ns = namespace(l=[1]) %}{% for i in range(30) %}{% set ns.l = ns.l + ns.l %}'
    "{% endfor %}",
    "{% set ns = namespace(n=2) %}{% for i in range(30) %}{% set ns.n = ns.n ** 2 %}{% endfor %}",
    "{% for x in [1] recursive %}{{ loop([x]) }}{% endfor %}",
    '{% macro d(s) %}{{ s }}{{ s }}{{ s }}{{ s }}{% endmacro %}{{ d(d(d(d(d(d(d(d(d(d(d(d(d('
    'd("x" * 100))))))))))))))|length }}',
    "{% for i in range(100000) %}{% for j in range(100000) if j > i %}{% endfor %}{% endfor %}",
    "{% for a in 'x' * 100000 %}{% for b in 'x' * 100000 %}{% endfor %}{% endfor %}",
    "{% for a in range(100000)|list %}{{ range(100000)|list|length }}{% endfor %}",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_templates_stop_quickly(text: str) -> None:
    env = BoundedSandbox(undefined=StrictUndefined)
    start = time.monotonic()
    with pytest.raises(LimitError):
        env.from_string(text).render()
    assert time.monotonic() - start < 20


@pytest.mark.parametrize("text", [
    "{{ " + "(" * 10000 + "1" + ")" * 10000 + " }}",
    "{{ " + "not " * 10000 + "1 }}",
    "{{ " + "-" * 10000 + "1 }}",
    "{{ x" + ".y" * 10000 + " }}",
    "{{ [" * 5000 + "]" * 5000 + " }}",
    "{% for i in x %}" * 200 + "{% endfor %}" * 200,
    "{% macro m() %}" * 200 + "{% endmacro %}" * 200,
    "{{ " + "9" * 5000 + " }}",
])
def test_deep_syntax_is_a_located_syntax_error(text: str) -> None:
    env = BoundedSandbox()
    with pytest.raises(TemplateSyntaxError) as caught:
        env.from_string("\n\n" + text)
    assert caught.value.lineno == 3


def test_each_limit_stops_its_own_excess() -> None:
    def fails(limits: Limits, text: str) -> None:
        with pytest.raises(LimitError):
            BoundedSandbox(limits=limits).from_string(text).render()

    fails(Limits(steps=1000), "{% for i in range(2000) %}{% endfor %}")
    BoundedSandbox(limits=Limits(steps=1000)).from_string(
        "{% for i in range(900) %}{% endfor %}").render()
    fails(Limits(seconds=0.0), "{% for i in range(5000) %}{% endfor %}")
    fails(Limits(output=1000), "{% for i in range(20) %}" + "x" * 100 + "{% endfor %}")
    fails(Limits(output=1000), "{{ 'x' * 1001 }}")
    fails(Limits(produced=1000, output=10**9), "{% macro m() %}{% for i in range(20) %}"
          + "x" * 100 + "{% endfor %}{% endmacro %}{{ m()|length }}")
    fails(Limits(value=1000), "{{ 'x' * 1001 }}")
    fails(Limits(range=10), "{{ range(11)|list }}")
    fails(Limits(depth=5), "{% macro m(n) %}{{ m(n + 1) if n < 10 }}{% endmacro %}{{ m(0) }}")
    BoundedSandbox(limits=Limits(depth=20)).from_string(
        "{% macro m(n) %}{{ m(n + 1) if n < 10 }}{% endmacro %}{{ m(0) }}").render()
    fails(Limits(int_bits=100), "{{ 2 ** 101 }}")
    fails(Limits(format_width=10), "{{ '%11d' % 1 }}")
    with pytest.raises(TemplateSyntaxError):
        BoundedSandbox(limits=Limits(nesting=5)).from_string("{{ 1|abs|abs|abs|abs|abs }}")
    with pytest.raises(TemplateSyntaxError):
        BoundedSandbox(limits=Limits(template_chars=10)).from_string("x" * 11)


def test_nothing_is_computed_while_compiling() -> None:
    """Operators are intercepted and filters run at render only: compiling is quick."""
    env = BoundedSandbox()
    start = time.monotonic()
    env.from_string('{{ 10 ** (10 ** 10) }}{{ "x" * 10 ** 10 }}{{ "x"|center(10 ** 10) }}'
                    "{{ range(10 ** 10)|length }}")
    assert time.monotonic() - start < 5


def test_renders_have_their_own_account() -> None:
    """The budget is per render: many renders that each stay within it all succeed."""
    env = BoundedSandbox(limits=Limits(steps=1000))
    template = env.from_string("{% for i in range(900) %}{% endfor %}")
    for _ in range(5):
        template.render()
