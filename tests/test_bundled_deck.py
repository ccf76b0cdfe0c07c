"""The bundled Afghanistan–Russia deck: valid, complete in three languages, quotes verified."""

from __future__ import annotations

import json

import jsonschema
import yaml

from conftest import ROOT, SEEDS, locked_version, quizgen, require
from quizgen.content import load_content
from quizgen.model import RTL_LANGUAGES

DECK = ROOT / "content" / "afghanistan-russia"


def test_check_with_sources_reports_the_whole_deck() -> None:
    require(SEEDS.is_dir(), f"the source documents in {SEEDS}")
    run = quizgen("check", "--sources-dir", SEEDS, "--format", "json")
    assert run.code == 0, run.out + run.err
    report = json.loads(run.out)
    assert report["errors"] == []
    [deck] = report["decks"]
    assert deck["id"] == "afghanistan-russia"
    assert isinstance(deck["facts"], int) and deck["facts"] >= 70
    assert deck["sources"] == 3
    assert deck["languages"] == ["en", "ar", "he"]
    assert deck["quotes_checked"] == sum(deck["citations"].values())
    assert set(deck["citations"]) == {"he-wiki", "ar-report-2025", "erem-2024"}


def test_every_fact_cites_its_source_in_the_source_language() -> None:
    [loaded] = load_content(DECK)
    for fact in loaded.facts:
        assert set(fact.text) == {"en", "ar", "he"}, fact.id
        languages = {loaded.sources[c.source].language for c in fact.sources}
        assert languages <= {"he", "ar"}, fact.id
        assert any(c.locator.startswith(("paragraph", "infobox")) for c in fact.sources), fact.id


def test_every_infobox_figure_is_a_fact() -> None:
    [loaded] = load_content(DECK)
    figures = {(f.quantity.measure, f.quantity.subject) for f in loaded.facts if f.quantity}
    for measure in ("area", "population", "gdp", "gdp-per-capita"):
        for country in ("afghanistan", "russia"):
            assert (measure, country) in figures


def test_no_page_furniture_is_quoted() -> None:
    """The Homs headline, blog and copyright lines of the seed pages are not content."""
    [loaded] = load_content(DECK)
    quotes = " ".join(c.quote for f in loaded.facts for c in f.sources)
    for furniture in ("حمص", "اترك تعليقاً", "جميع الحقوق محفوظة", "logo", "رويترز"):
        assert furniture not in quotes


def test_sources_record_only_what_is_known() -> None:
    sources = {s["id"]: s for s in yaml.safe_load((DECK / "sources.yaml").read_text("utf-8"))}
    assert "publisher" not in sources["ar-report-2025"]
    assert "url" not in sources["ar-report-2025"]
    assert sources["ar-report-2025"]["title_supplied"] is True
    assert sources["erem-2024"]["date"] == "2024-10-06"
    assert "url" not in sources["erem-2024"]


def test_rtl_languages_are_known() -> None:
    assert {"ar", "he"} <= RTL_LANGUAGES and "en" not in RTL_LANGUAGES


def test_content_files_name_their_schema_and_validate_against_it() -> None:
    """Editors that follow the `$schema` line check the same rules quizgen does."""
    files = {"deck": [DECK / "deck.yaml"], "sources": [DECK / "sources.yaml"],
             "facts": sorted((DECK / "facts").glob("*.yaml"))}
    for kind, paths in files.items():
        schema = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text("utf-8"))
        for path in paths:
            first = path.read_text("utf-8").splitlines()[0]
            assert first.startswith("# yaml-language-server: $schema="), path
            target = (path.parent / first.split("$schema=", 1)[1]).resolve()
            assert target == (ROOT / "schemas" / f"{kind}.schema.json").resolve(), path
            jsonschema.validate(yaml.safe_load(path.read_text("utf-8")), schema)


def test_schema_files_are_current() -> None:
    """The committed schemas are what `quizgen schema` prints. pydantic writes them, and its
    wording of a schema may change between releases: with another pydantic than uv.lock's
    (`make test-latest`), they must still judge the deck's files alike."""
    import pydantic

    same_writer = locked_version("pydantic") == pydantic.VERSION
    for kind in ("deck", "sources", "facts", "questions"):
        run = quizgen("schema", kind)
        assert run.code == 0
        generated = json.loads(run.out)
        committed = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text("utf-8"))
        if same_writer:
            assert generated == committed, f"run `make schemas` ({kind})"
        paths = {"deck": [DECK / "deck.yaml"], "sources": [DECK / "sources.yaml"],
                 "facts": sorted((DECK / "facts").glob("*.yaml")), "questions": []}[kind]
        for path in paths:
            jsonschema.validate(yaml.safe_load(path.read_text("utf-8")), generated)


def test_schema_rejects_what_check_rejects() -> None:
    schema = json.loads((ROOT / "schemas" / "facts.schema.json").read_text("utf-8"))
    fact = yaml.safe_load((DECK / "facts" / "history.yaml").read_text("utf-8"))[0]
    bad = {**fact, "sorces": fact["sources"]}
    del bad["sources"]
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid([bad])
    assert not validator.is_valid([{**fact, "kind": "evnt"}])

