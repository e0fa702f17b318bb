"""Text as typed, without the characters nobody means to type."""

from __future__ import annotations

import re

# Control characters (a tab and line breaks stay) and lone surrogates: pasted from other
# programs now and then, invisible on screen, and NUL cannot be stored by PostgreSQL at all.
_UNTYPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def typed(text: str) -> str:
    """`text` with Windows line breaks made plain and control characters removed."""
    return _UNTYPED.sub("", text.replace("\r\n", "\n"))
