"""The intake draft: autosaved while the call-taker types, restored after a crash."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from console.workstation.context import Clock, Units

DRAFT_SLOT = "intake"


@dataclass(frozen=True)
class Draft:
    fields: dict[str, Any]
    saved_at: datetime


class DraftService:
    def __init__(self, units: Units, clock: Clock) -> None:
        self._units = units
        self._clock = clock

    def save(self, fields: dict[str, Any]) -> None:
        """Durable when this returns: the same synchronous commit as a saved case."""
        with self._units.write() as uow:
            uow.drafts.save(DRAFT_SLOT, json.dumps(fields, ensure_ascii=False), self._clock())
            uow.commit()

    def load(self) -> Draft | None:
        with self._units.read() as uow:
            stored = uow.drafts.load(DRAFT_SLOT)
        if stored is None:
            return None
        payload, saved_at = stored
        return Draft(json.loads(payload), saved_at)

    def discard(self) -> None:
        with self._units.write() as uow:
            uow.drafts.clear(DRAFT_SLOT)
            uow.commit()
