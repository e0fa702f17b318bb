"""The time new work is stamped with: this workstation's clock put right by the centre's.

A console whose clock is hours off would have every case refused by the server, which bounds
a call's time by its own. The sync reads the centre's time off every answer; the offset it
learns is kept in memory for each stamp and in console_meta for the next start, so that work
saved offline after it was learnt is stamped right too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from console.workstation.context import Clock, Units

OFFSET = "centre_clock_offset"  # in console_meta: seconds the centre's clock is ahead of ours
# Smaller differences are the answer's travel and the one-second steps of its Date header.
NOTICEABLE = timedelta(seconds=2)


class CentreClock:
    """Callable as a Clock: the local clock plus the last known offset to the centre's."""

    def __init__(self, local: Clock, units: Units) -> None:
        self._local, self._units = local, units
        with units.read() as uow:
            stored = uow.meta.get(OFFSET)
        self._offset = self._kept = timedelta(seconds=float(stored or 0))

    def __call__(self) -> datetime:
        return self._local() + self._offset

    @property
    def offset(self) -> timedelta:
        return self._offset

    def heard(self, centre_now: datetime) -> None:
        """The centre's time, as an answer just told it; the offset follows it when it differs
        noticeably from the one known."""
        offset = centre_now - self._local()
        if abs(offset - self._offset) >= NOTICEABLE:
            self._offset = offset

    @property
    def unkept(self) -> bool:
        """The offset changed since it was last stored."""
        return self._offset != self._kept

    def keep(self) -> None:
        """Store the offset for the next start (on the writer thread)."""
        offset = self._offset
        with self._units.write() as uow:
            uow.meta.set(OFFSET, repr(offset.total_seconds()))
            uow.commit()
        self._kept = offset
