"""One module per quizgen command; the CLI imports each only when its command runs."""
