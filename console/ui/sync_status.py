"""The status bar's account of the sync: the link, what waits to be sent, the conflicts, the
cases that left the local copy."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from console.domain.numbering import CENTRE_TZ, spoken_form
from console.sync.api import Left, Link, Stop, SyncState
from console.ui.labels import fill

AGE_REFRESH_MS = 30_000  # "oldest 3 min" stays true to the minute or so
MAX_LEFT_KEPT = 50


def clock_time(moment: datetime | None) -> str:
    return moment.astimezone(CENTRE_TZ).strftime("%H:%M") if moment else "–"


def minutes_since(moment: datetime | None, now: datetime) -> int:
    return max(0, int((now - moment).total_seconds() // 60)) if moment else 0


class SyncStatus(QWidget):
    """Link state, the conflicts button and the line about cases that left, side by side.

    Signals:
    inbox_requested(): the conflicts button was pressed.
    """

    inbox_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status.sync")
        self._state = SyncState(Link.STANDALONE)
        self._enrolled = False
        self._conflicts = 0
        self._left: list[Left] = []
        self.left_label = QLabel(self)
        self.left_label.setObjectName("status.left")
        self.left_label.setProperty("role", "hint")
        self.left_label.hide()
        self.inbox_button = QPushButton(self)
        self.inbox_button.setObjectName("status.conflicts")
        self.inbox_button.setFlat(True)
        self.inbox_button.clicked.connect(self.inbox_requested)
        self.inbox_button.hide()
        self.link_label = QLabel(self)
        self.link_label.setObjectName("status.link")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.left_label)
        layout.addWidget(self.inbox_button)
        layout.addWidget(self.link_label)
        self._ages = QTimer(self)
        self._ages.setInterval(AGE_REFRESH_MS)
        self._ages.timeout.connect(self.retranslate)
        self.retranslate()

    def show_state(self, state: SyncState, enrolled: bool) -> None:
        self._state = state
        self._enrolled = enrolled
        if state.waiting or state.link is Link.OFFLINE:
            self._ages.start()
        else:
            self._ages.stop()
        self.retranslate()

    def show_conflicts(self, count: int) -> None:
        self._conflicts = count
        self.retranslate()

    def show_left(self, left: tuple[Left, ...]) -> None:
        self._left = [*left, *self._left][:MAX_LEFT_KEPT]
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        state = self._state
        self.link_label.setText(self._link_text(state, datetime.now(UTC)))
        self.link_label.setProperty("link", state.link.value)
        self.link_label.setToolTip(state.detail)
        self.link_label.style().polish(self.link_label)
        self.inbox_button.setVisible(self._conflicts > 0)
        self.inbox_button.setText(fill(self.tr("Conflicts: %1 (Ctrl+I)"), self._conflicts))
        self.left_label.setVisible(bool(self._left))
        if self._left:
            latest = spoken_form(self._left[0].case_no)
            more = len(self._left) - 1
            self.left_label.setText(
                fill(self.tr("Left this copy: %1 (+%2 earlier)"), latest, more)
                if more
                else fill(self.tr("Left this copy: %1"), latest)
            )
            self.left_label.setToolTip(
                self.tr("Cases that left this console's copy (reassigned elsewhere or closed):")
                + "\n"
                + "\n".join(spoken_form(c.case_no) for c in self._left)
            )

    def _link_text(self, state: SyncState, now: datetime) -> str:
        if state.link is Link.STANDALONE:
            return self.tr("Local database · no server configured")
        if state.link is Link.SIGNED_OUT and not self._enrolled:
            return self.tr("Not connected to the centre yet")
        if state.link is Link.SIGNED_OUT:
            return self.tr("Signed out · nothing is sent until someone signs in")
        if state.link is Link.STOPPED:
            return self._stopped_text(state.stopped_reason)
        if state.link is Link.SYNCING and state.progress is not None:
            done, total = (f"{n:,}" for n in state.progress)  # 1,100,000 reads at a glance
            if state.downloading and state.progress[1] == 0:  # a server that does not say
                text = fill(self.tr("Downloading cases: %1"), done)
            elif state.downloading:
                text = fill(self.tr("Downloading cases: %1 of %2"), done, total)
            else:
                text = fill(self.tr("Syncing: %1 of %2 changes sent"), done, total)
        elif state.link is Link.OFFLINE:
            text = fill(self.tr("Offline since %1"), clock_time(state.offline_since))
        else:
            text = fill(self.tr("Online · last synced %1"), clock_time(state.last_synced_at))
        if state.waiting:
            minutes = minutes_since(state.oldest_waiting_at, now)
            waiting = f"{state.waiting:,}"
            text += " · " + fill(self.tr("%1 waiting, oldest %2 min"), waiting, minutes)
        return text

    def _stopped_text(self, reason: Stop | None) -> str:
        texts = {
            Stop.ACCOUNT_DISABLED: self.tr(
                "Sync stopped: your account was disabled. Your unsent work is kept; "
                "ask your supervisor."
            ),
            Stop.SIGN_IN_REFUSED: self.tr(
                "Sync stopped: the centre did not accept your sign-in. Your unsent work is "
                "kept; sign in again."
            ),
            Stop.SESSION_ENDED: self.tr("Sync stopped: your session ended. Sign in again."),
            Stop.CONSOLE_RETIRED: self.tr(
                "Sync stopped: the centre retired this workstation. Connect it again (Centre menu)."
            ),
            Stop.PROTOCOL: self.tr(
                "Sync stopped: the server refused a request. Call IT support; the details "
                "are in the log."
            ),
            Stop.SERVER_TOO_OLD: self.tr(
                "Sync stopped: the server is older than this console. Call IT support."
            ),
        }
        if reason is None:
            return self.tr("Sync stopped. Call IT support; the details are in the log.")
        return texts[reason]
