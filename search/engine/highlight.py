"""Snippets: a few fragments of a release around the query's words, HTML-escaped, matches in <mark>."""

from __future__ import annotations

from html import escape

from whoosh import highlight

MAX_HIGHLIGHT_CHARS = 60_000  # a 20 MB release must not stall a result page
SNIPPET_FALLBACK_CHARS = 240


class MarkFormatter(highlight.HtmlFormatter):
    """Plain `<mark>word</mark>`, the word as the reader wrote it; everything else escaped."""

    template = "<%(tag)s>%(t)s</%(tag)s>"

    def __init__(self):
        super().__init__(tagname="mark", between=" … ")


_fragmenter = highlight.ContextFragmenter(maxchars=220, surround=70)


def snippet(text: str, words: set[str], analyzer, top: int = 2) -> str:
    """Fragments of `text` around `words` (analysed terms), or the start of the text if none occurs."""
    text = text[:MAX_HIGHLIGHT_CHARS]
    if words:
        marked = highlight.highlight(text, frozenset(words), analyzer, _fragmenter, MarkFormatter(), top=top)
        if marked:
            return marked
    return escape(shorten(text, SNIPPET_FALLBACK_CHARS))


def mark_all(text: str, words: set[str], analyzer) -> str:
    """The whole text, escaped, with every occurrence of `words` in <mark>."""
    if not words:
        return escape(text)
    marked = highlight.highlight(
        text, frozenset(words), analyzer, highlight.WholeFragmenter(), MarkFormatter(), top=1
    )
    return marked or escape(text)


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"
