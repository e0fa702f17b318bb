"""What the status bar says for each state of the sync, including those a test cannot cheaply
bring about with a real server (a first download of a million cases, a server too old)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from console.domain.numbering import CENTRE_TZ
from console.sync.api import Left, Link, Stop, SyncState
from console.ui.sync_status import SyncStatus


def hhmm(moment: datetime) -> str:
    return moment.astimezone(CENTRE_TZ).strftime("%H:%M")


@pytest.fixture
def status(qtbot: QtBot) -> SyncStatus:
    widget = SyncStatus()
    qtbot.addWidget(widget)
    return widget


def states(now: datetime) -> list[tuple[SyncState, str]]:
    """Each state and what the bar says of it, at `now` (ages are counted from the clock)."""
    return [
        (SyncState(Link.ONLINE, last_synced_at=now), f"Online · last synced {hhmm(now)}"),
        (
            SyncState(
                Link.OFFLINE,
                offline_since=now - timedelta(minutes=12),
                waiting=3,
                oldest_waiting_at=now - timedelta(minutes=11, seconds=5),
            ),
            f"Offline since {hhmm(now - timedelta(minutes=12))} · 3 waiting, oldest 11 min",
        ),
        (
            SyncState(Link.SYNCING, progress=(40, 120), waiting=80, oldest_waiting_at=now),
            "Syncing: 40 of 120 changes sent · 80 waiting, oldest 0 min",
        ),
        (
            SyncState(Link.SYNCING, progress=(35_000, 1_100_000), downloading=True),
            "Downloading cases: 35,000 of 1,100,000",
        ),
        (  # a server that does not say how many cases its download brings
            SyncState(Link.SYNCING, progress=(2_000, 0), downloading=True),
            "Downloading cases: 2,000",
        ),
        (
            SyncState(Link.STOPPED, stopped_reason=Stop.CONSOLE_RETIRED),
            "Sync stopped: the centre retired this workstation. Connect it again (Centre menu).",
        ),
        (
            SyncState(Link.STOPPED, stopped_reason=Stop.SERVER_TOO_OLD),
            "Sync stopped: the server is older than this console. Call IT support.",
        ),
    ]


@pytest.mark.parametrize("which", range(len(states(datetime.now(UTC)))))
def test_the_status_bar_says_where_the_sync_stands_and_what_to_do(
    status: SyncStatus, which: int
) -> None:
    state, says = states(datetime.now(UTC))[which]
    status.show_state(state, enrolled=True)
    assert status.link_label.text() == says


def test_cases_that_left_are_named_newest_first_with_the_rest_in_the_tooltip(
    status: SyncStatus,
) -> None:
    status.show_left((Left("a", "2612010420001"),))
    status.show_left((Left("b", "2612020420007"), Left("c", "2612020420008")))
    assert status.left_label.text() == "Left this copy: 261202 042 0007 (+2 earlier)"
    assert "261201 042 0001" in status.left_label.toolTip()
