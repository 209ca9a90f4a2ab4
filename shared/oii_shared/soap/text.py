"""Text escaping for XML written by hand on the hot path."""

from __future__ import annotations

import re

# Characters XML 1.0 forbids; they would make the whole response unreadable.
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    if _INVALID_XML_CHARS.search(text):
        text = _INVALID_XML_CHARS.sub("", text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&quot;")
    return text
