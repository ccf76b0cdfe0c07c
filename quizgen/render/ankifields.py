"""What every Anki note's fields share: text escaped for a field, isolated values, citations and
the deck's description, as HTML made with plain string formatting.

A deck cannot override Anki's templates (docs/anki.md: note types are shared by every deck), so
nothing here needs to be a template a deck could replace; and a field is made for every question
of every language, so Jinja's macros and markupsafe's ``Markup`` objects cost most of what
``quizgen anki`` spent on its notes (2 to 3 times what this does). Each value is escaped once,
where it goes into the HTML (``field_text``). The citation markup is the one of
``templates/shared/sources.html.j2``, which the worksheet's key and the self-test render:
``tests/test_anki_fields.py`` renders that template as the Anki fields once did and holds the
two to the same bytes. Each question type's own fields are made by its module's
``anki_fields``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from quizgen.render.common import text_direction

if TYPE_CHECKING:
    from quizgen.qtypes import RenderedSet

log = logging.getLogger(__name__)

_SPECIAL = re.compile(r"[&<>'\"{}]")


def html_text(text: str) -> str:
    """``text`` escaped for HTML, as markupsafe's ``escape`` does it (``'`` as ``&#39;``, ``"``
    as ``&#34;``)."""
    if _SPECIAL.search(text) is None:  # most text: one scan, nothing to replace
        return text
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


def field_text(value: object) -> str:
    """Plain text (or a number) escaped for an Anki field: as HTML, and its braces as character
    references too, since Anki reads ``{{...}}`` in a field as a field reference or a cloze."""
    text = value if type(value) is str else str(value)
    if _SPECIAL.search(text) is None:
        return text
    return html_text(text).replace("{", "&#123;").replace("}", "&#125;")


def isolate(value: object, cls: str = "", lang: str | None = None,
            direction: str | None = None) -> str:
    """``value`` in a ``<bdi>`` whose direction is explicit (``common.html_isolate``, braces
    escaped as in every field)."""
    text = str(value)
    attrs = f' class="{html_text(cls)}"' if cls else ""
    attrs += f' lang="{html_text(lang)}"' if lang else ""
    return f'<bdi{attrs} dir="{direction or text_direction(text)}">{field_text(text)}</bdi>'


def _title(s: dict[str, Any]) -> str:
    """A source's title, a link where it has a URL; a title the editors supplied in brackets."""
    text = f"[{s['title']}]" if s["title_supplied"] else s["title"]
    shown = isolate(text, "qg-title", s["language"], s["direction"])
    return f'<a href="{field_text(s["url"])}">{shown}</a>' if s["url"] else shown


def _short_cite(s: dict[str, Any], t: Callable[..., str]) -> str:
    """Title, publisher and date (``short_cite`` of ``shared/sources.html.j2``)."""
    out = f"{_title(s)} · {isolate(s['publisher'] or t('publisher_unknown'), 'qg-publisher')}"
    return out + (f" · {isolate(s['date'], 'qg-date', None, 'ltr')}" if s["date"] else "")


def full_entry(s: dict[str, Any], t: Callable[..., str]) -> str:
    """A source's full entry (``full_entry`` of ``shared/sources.html.j2``)."""
    out = _short_cite(s, t)
    if s["url"]:
        out += (f' · <a href="{field_text(s["url"])}">'
                f'{isolate(s["url"], "qg-url", None, "ltr")}</a>')
    if s["license"]:
        out += f" · {isolate(s['license'], 'qg-license')}"
    return out


def citations(groups: list[dict[str, Any]], t: Callable[..., str]) -> str:
    """A question's citation block (``citations`` of ``shared/sources.html.j2``): ``groups``
    from ``common.group_citations``."""
    label = field_text(t("sources") if len(groups) > 1 else t("source"))
    out = [f'<div class="qg-sources">\n<div class="qg-label">{label}</div>']
    for s in groups:
        out.append(f'<div class="qg-cite">\n<div class="qg-cite-line">{_short_cite(s, t)}</div>')
        quote_attrs = f'lang="{field_text(s["language"])}" dir="{field_text(s["direction"])}"'
        out += [f'<div class="qg-passage"><span class="qg-locator">{isolate(p["locator_text"])}'
                f'</span>\n<blockquote class="qg-quote" {quote_attrs}>{field_text(p["quote"])}'
                "</blockquote></div>" for p in s["passages"]]
        out.append("</div>")
    out.append("</div>")
    return "".join(out)


def deck_description(qs: RenderedSet, t: Callable[..., str]) -> str:
    """The parent deck's description: the deck's own, then its sources in full."""
    head = (f'<div class="qg-deck" lang="{field_text(qs.language)}" '
            f'dir="{field_text(qs.direction)}">\n')
    own = f"<p>{field_text(qs.description)}</p>" if qs.description else ""
    entries = "".join(f"<p>{full_entry(s.model_dump(), t)}</p>\n" for s in qs.sources)
    return f"{head}{own}<p><b>{field_text(t('sources'))}</b></p>\n{entries}</div>"


# A figure's look is inline: the note types' CSS (templates/anki/card.css) is the same for every
# deck, and a change to it would give every learner's note types, images or not, a new ``mod``.
_IMG_STYLE = "display:block;max-width:100%;max-height:60vh;height:auto;margin:0 auto"
_CAPTION_STYLE = ("font-size:0.7em;color:var(--qg-muted);text-align:center;"
                  "margin-top:0.2rem")


def figure(src: str, *, alt: str, credit: str, license: str) -> str:
    """An image of a card's back (``src``: its name among the package's media), with its alt
    text and, under it in small type, its credit and licence, like a figure's caption."""
    return (f'<figure class="qg-figure" style="margin:0.8rem 0 0">'
            f'<img src="{field_text(src)}" alt="{field_text(alt)}" style="{_IMG_STYLE}">'
            f'<figcaption class="qg-credit" style="{_CAPTION_STYLE}">{isolate(credit)} · '
            f"{isolate(license)}</figcaption></figure>")
