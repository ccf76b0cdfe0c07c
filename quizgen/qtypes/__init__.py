"""The question types: one module each in this package, found here and named nowhere else.

A type's module holds its typed ``Question`` model (the fields renderers and ``export json``
read), its planning and rendering, and its hooks for each output; its output templates are in
``templates/types/<type>/`` (docs/questions.md, "How a type is made"). A module of this package
is a type when it has ``NAME``, ``POSITION`` and ``Question``; nothing else lists them. What
lists types (the question-set schema, the order of a question set and of a worksheet's sections,
the question templates' ``type``, the catalogs' type strings) comes from ``TYPES``.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from quizgen.qtypes.base import QuestionBase, SourceEntry

log = logging.getLogger(__name__)



def _discover() -> dict[str, ModuleType]:
    """The type modules of this package, in their ``POSITION`` order."""
    modules = [importlib.import_module(f"{__name__}.{info.name}")
               for info in pkgutil.iter_modules(__path__)]
    types = [m for m in modules if all(hasattr(m, a) for a in ("NAME", "POSITION", "Question"))]
    return {m.NAME: m for m in sorted(types, key=lambda m: (m.POSITION, m.NAME))}


# The registry, in the order a question set lists its questions and a worksheet its sections.
MODULES: dict[str, ModuleType] = _discover()
TYPES: tuple[str, ...] = tuple(MODULES)

# One of the types' questions, told apart by its `type`.
AnyQuestion: Any = Annotated[Union[tuple(m.Question for m in MODULES.values())],  # noqa: UP007
                             Field(discriminator="type")]


class RenderedSet(BaseModel):
    """One deck's question set in one language: what ``export json`` writes."""

    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)

    deck: str
    title: str
    description: str | None = Field(description="the deck's description in this language")
    language: str
    direction: str
    seed: int
    topics: dict[str, str] = Field(description="topic id -> its title in this language, in the "
                                   "deck's order")
    sources: list[SourceEntry] = Field(description="full entries of the sources the chosen "
                                       "questions cite, in sources.yaml order")
    if TYPE_CHECKING:  # the base's fields; each is one of the types' models
        questions: Sequence[QuestionBase]
    else:
        questions: list[AnyQuestion]

    def json_data(self) -> dict[str, Any]:
        """The set as JSON-ready data, in the order of ``schemas/questions.schema.json``."""
        data = self.model_dump(mode="json", exclude={"questions"})
        data["questions"] = [q.json_data() for q in self.questions]
        return data


QUESTION: TypeAdapter[Any] = TypeAdapter(AnyQuestion)


def question(data: dict[str, Any]) -> QuestionBase:
    """A rendered question as its type's model, every field validated (pydantic's validation
    is compiled: about 15 µs a question, half of what building it unvalidated costs)."""
    made: QuestionBase = QUESTION.validate_python(data)
    return made
