"""Text that XML 1.0 (and so HTML and the Atom feed) can carry.

XML forbids the C0 control characters except tab, newline and carriage return, the non-characters U+FFFE and
U+FFFF, and lone surrogates (which UTF-8 cannot even encode). A release, a query or a facet value can hold any of
them; a strict parser rejects the whole feed for one, and a NUL in a page is read differently by different
browsers. So every text a feed or page is built from passes through `xml_safe`: forbidden characters are
dropped, a lone surrogate becomes U+FFFD (a character was there, it could not be read).
"""

from __future__ import annotations

import re

from markupsafe import Markup

CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SURROGATES = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def xml_safe(text: str) -> str:
    return SURROGATES.sub(REPLACEMENT, CONTROLS.sub("", text))


def finalize(value):
    """Jinja's `finalize`: every `{{ value }}` of a template, escaped text or markup, made XML-safe."""
    if isinstance(value, Markup):
        return Markup(xml_safe(str(value)))
    if isinstance(value, str):
        return xml_safe(value)
    return value
