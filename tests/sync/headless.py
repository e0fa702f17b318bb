"""A headless workstation with what the kill, restore and conflict tests do on it: sign in
(connecting first if need be), add notes and edit cases on the writer thread as the case window
does, and wait until everything saved is acknowledged and the pull has caught up."""

from __future__ import annotations

import time
from pathlib import Path

from console.sync.api import Link, Settings
from tests.forms import COMPLAINT
from tests.sync.engines import Workstation

SYNCED_TIMEOUT_S = 60.0


class HeadlessConsole(Workstation):
    def __init__(self, folder: Path, settings: Settings, server_url: str) -> None:
        super().__init__(folder, settings, server_url)
        self.server_url = server_url
        self.changed_at = 0.0  # when the last change was saved here, or the last sign-in made

    def sign_in(self, username: str, password: str, enroller: str = "") -> None:
        """Sign in, connecting the workstation first (with the sign-in of `enroller`, a
        supervisor with the same password) if it is not connected yet."""
        if self.sync.enrolment is None:
            self.sync.connect(self.server_url, username=enroller, password=password)
        self.changed_at = time.time()
        self.sync.sign_in(username, password)

    def take_call(self, description: str = COMPLAINT.description, phone: str = "") -> str:
        self.changed_at = time.time()
        return super().take_call(description, phone)

    def note(self, case_id: str, text: str) -> str:
        self.changed_at = time.time()
        note = self.writer.submit(self.local.cases.add_note, case_id, text, self.operator)
        self.sync.nudge()
        return note.result().id

    def edit(self, case_id: str, **changes: str) -> None:
        self.changed_at = time.time()
        self.writer.submit(self.local.cases.edit, case_id, changes, self.operator).result()
        self.sync.nudge()

    def apply_mine_again(self, mid: int) -> None:
        self.changed_at = time.time()
        self.sync.apply_mine_again(mid)

    def keep_theirs(self, mid: int) -> None:
        self.changed_at = time.time()
        self.sync.keep_theirs(mid)

    def case_no(self, case_id: str) -> str:
        return self.local.cases.detail(case_id).summary.case_no

    def until_synced(self, timeout: float = SYNCED_TIMEOUT_S) -> None:
        """Until everything saved so far is acknowledged, in a round of sync that ended after
        the last change (so its pull has caught up with it too)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.sync.state()
            if state.link is Link.STOPPED:
                raise AssertionError(f"sync stopped: {state.stopped_reason} {state.detail}")
            synced_at = state.last_synced_at.timestamp() if state.last_synced_at else 0.0
            idle = state.link is Link.ONLINE and not state.waiting and not state.downloading
            if idle and synced_at >= self.changed_at:
                return
            time.sleep(0.02)
        raise AssertionError(f"not synced within {timeout:.0f} s: {self.sync.state()}")
