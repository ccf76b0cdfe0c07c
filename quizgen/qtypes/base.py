"""What every question type shares: the question's common fields, its citations, and the
sources of a question set, as typed models. ``export json`` writes them; renderers read them."""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

log = logging.getLogger(__name__)


class _Out(BaseModel):
    """A model of quizgen's output: no other fields, and validated when it is made."""

    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class Citation(_Out):
    """One passage a question's answer rests on, with its source's entry."""

    fact_id: str
    source: str
    title: str
    title_supplied: bool
    publisher: str | None
    date: str | None
    url: str | None
    locator: str
    locator_text: str = Field(description="the locator in the question set's language")
    quote: str = Field(min_length=1)
    quote_language: str
    quote_direction: str
    statement: str = Field(description="the fact's sentence in the question set's language: what "
                           "the quote supports, for a reader of another language than the quote's")


class QuestionImage(_Out):
    """A picture of one of the question's facts (``image`` in the fact's YAML), in the
    question set's language."""

    fact_id: str
    file: str = Field(description="the image's path inside the deck's media/ folder")
    alt: str = Field(min_length=1, description="what the image shows, in this language")
    credit: str
    license: str
    source: str | None = Field(description="the id of the source the image comes from")


class SourceEntry(_Out):
    """A cited source's full entry (answer keys and deck descriptions list them)."""

    id: str
    title: str
    title_supplied: bool
    publisher: str | None
    date: str | None
    url: str | None
    kind: str
    license: str | None
    language: str
    direction: str


class QuestionBase(_Out):
    """The fields every question has; each type adds its own (its module's ``Question``)."""

    id: str = Field(description="fact id + template id (+ variant): the same in every language "
                    "and for every seed")
    fact_id: str
    fact_ids: list[str] = Field(min_length=1)
    type: str
    template: str
    topic: str
    tags: list[str]
    kinds: list[str] = Field(description="the kinds of the question's facts")
    instructions: str = Field(min_length=1)
    explanation: str = Field(min_length=1, description="for the learner: the facts' sentences "
                             "and their explanations")
    notes: list[str] = Field(default_factory=list, description="the editors' notes of the "
                             "question's facts: for the teacher's key, never shown to a learner")
    sources: list[Citation] = Field(min_length=1)
    images: list[QuestionImage] = Field(default_factory=list, description="the pictures of "
                                        "the question's facts, in their order")

    # The fields a learner reads before answering (a question of several parts overrides
    # ``shown``): what may not show another question's answer.
    SHOWN: ClassVar[tuple[str, ...]] = ("prompt",)
    # The fields that may not show the question's own answers (quality rule giveaway-within):
    # none by default, since many a type shows its answer among its options.
    STEM: ClassVar[tuple[str, ...]] = ()

    def shown(self) -> list[str]:
        """Every text the learner reads before answering."""
        out: list[str] = []
        for name in self.SHOWN:
            value = getattr(self, name)
            out += [str(v) for v in value] if isinstance(value, list) else [str(value)]
        return out

    def json_data(self) -> dict[str, Any]:
        """The question as JSON-ready data: the common fields, the type's own, then the
        images, the explanation and the citations."""
        data = self.model_dump(mode="json")
        data["images"] = data.pop("images")
        data["explanation"] = data.pop("explanation")
        data["notes"] = data.pop("notes")
        data["sources"] = data.pop("sources")
        return data
