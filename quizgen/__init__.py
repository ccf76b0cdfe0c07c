"""quizgen: curated, source-cited facts -> Anki decks, worksheets and offline self-tests."""

__version__ = "0.1.0"
