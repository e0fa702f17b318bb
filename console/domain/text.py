"""Text as typed: the characters nobody means to type, and those no database can store."""

from __future__ import annotations

import re

_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f"  # C0 and DEL, but tab, line feed, return
_SURROGATES = "\ud800-\udfff"  # alone, they have no UTF-8 form; JSON lets "\ud800" through
# Control characters in a text a person wrote: pasted from another program, never typed.
CONTROL = re.compile(f"[{_CONTROLS}]")
# Text no database can store: PostgreSQL's text holds no NUL, and a lone surrogate could be
# neither stored nor even answered.
UNSTORABLE = re.compile(f"[\x00{_SURROGATES}]")
# What `typed` drops: the controls, a return left alone, C1 controls and lone surrogates.
_UNTYPED = re.compile(f"[{_CONTROLS}\r\x80-\x9f{_SURROGATES}]")


def typed(text: str) -> str:
    """`text` with Windows line breaks made plain and control characters removed."""
    return _UNTYPED.sub("", text.replace("\r\n", "\n"))
