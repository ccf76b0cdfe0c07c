"""Renderers: each turns a rendered question set (JSON-ready data) into one kind of output."""
