"""What the console's sync offers the rest of the console: its state, what it brought, the
conflicts it found, and the calls that connect a workstation and sign a user in.

Callbacks run on the sync's own threads; the UI turns them into queued Qt signals. Nothing
here waits on the GUI thread, and nothing the GUI thread calls waits on the network: every
call below that talks to the server is made from a background thread (the UI's task runner).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from console.domain.cases import Badge

__all__ = ["Badge"]  # a case row's sync state lives in the domain, with the row


class Link(StrEnum):
    """How the console stands with the centre, as the status bar says it."""

    STANDALONE = "standalone"  # no server configured: today's behaviour, nothing to show
    SIGNED_OUT = "signed_out"  # connected workstation, nobody signed in
    ONLINE = "online"  # in touch, nothing waiting
    SYNCING = "syncing"  # sending or downloading: see `progress`
    OFFLINE = "offline"  # the server cannot be reached since `offline_since`; retrying
    STOPPED = "stopped"  # retrying will not help: see `stopped_reason`


class Stop(StrEnum):
    """Why sync stopped, each with a message the UI words and a thing the user can do."""

    ACCOUNT_DISABLED = "account_disabled"  # signed out; unsent work kept
    # The centre refused a sign-in let in offline (another password, a retired console):
    # signed out; unsent work kept.
    SIGN_IN_REFUSED = "sign_in_refused"
    SESSION_ENDED = "session_ended"  # sign in again
    CONSOLE_RETIRED = "console_retired"  # the centre retired this workstation: connect again
    PROTOCOL = "protocol"  # the server refused a request as malformed: a bug, logged
    SERVER_TOO_OLD = "server_too_old"


@dataclass(frozen=True)
class SyncState:
    link: Link
    last_synced_at: datetime | None = None  # the last time push and pull both completed
    offline_since: datetime | None = None
    waiting: int = 0  # outbox mutations not yet acknowledged
    oldest_waiting_at: datetime | None = None
    # SYNCING: n of m mutations sent, or cases downloaded of the scope's m (0: not known)
    progress: tuple[int, int] | None = None
    downloading: bool = False  # SYNCING: a download of the scope: the first, a reset, resumed
    stopped_reason: Stop | None = None
    detail: str = ""  # for the log and the tooltip, never the only explanation


@dataclass(frozen=True)
class Left:
    """A case that left this console's local copy (reassigned away, closed long ago)."""

    case_id: str
    case_no: str


@dataclass(frozen=True)
class Arrived:
    """What one applied page or live message changed in the local copy."""

    case_ids: frozenset[str]  # created or changed: refresh any view that shows them
    left: tuple[Left, ...] = ()
    conflicts: int = 0  # new conflicts or rejections found among push results


@dataclass(frozen=True)
class NotApplied:
    field: str
    mine: str
    kept: str  # the server's value, kept
    by: str  # who set it on the server


@dataclass(frozen=True)
class Problem:
    """A conflict or a rejection, for the conflicts inbox."""

    mid: int
    case_id: str
    case_no: str
    mutation: str  # "case.update", "case.create", "case.add_note"…
    made_at: datetime  # when the user made the change, on this console
    answered_at: datetime
    rejected: bool  # False: a conflict (some fields kept the server's value)
    reason: str = ""  # rejection: the server's reason code
    field_name: str = ""  # rejection for bad input: which field
    not_applied: tuple[NotApplied, ...] = ()
    applied: tuple[str, ...] = ()  # fields of the same change that were applied
    new_case_no: str = ""  # a create renumbered by the server: read this number to the caller


@dataclass(frozen=True)
class Account:
    """Who signed in."""

    username: str
    display_name: str
    role: str  # "call_taker", "supervisor", "admin"…
    offline: bool  # signed in against the local verifier; checked again when the server is back


@dataclass(frozen=True)
class Enrolment:
    server_url: str
    client_id: str
    seat_code: str


class SignInRefused(Exception):
    """reason: wrong_credentials | unknown_here_offline | disabled | throttled | unreachable
    | not_connected | not_allowed (an account that works without a console, an agency's);
    retry_after seconds when throttled."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class EnrolRefused(Exception):
    """reason: unreachable | bad_code | not_allowed | wrong_credentials | disabled |
    bad_address."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


StateListener = Callable[[SyncState], None]
ArrivalListener = Callable[[Arrived], None]


class Sync(Protocol):
    """The console's sync, one per workstation, made by `console.sync.open_sync`."""

    @property
    def enrolment(self) -> Enrolment | None: ...  # None: standalone

    def connect(
        self, server_url: str, code: str = "", username: str = "", password: str = ""
    ) -> Enrolment:
        """Enrol this workstation with an enrolment code, or with a supervisor's or admin's
        sign-in. Blocking (network): call from a background thread. Raises EnrolRefused."""
        ...

    def sign_in(self, username: str, password: str) -> Account:
        """Online when the server answers, else against the local verifier of a user who has
        signed in here before. Blocking. Raises SignInRefused. Starts syncing."""
        ...

    def sign_out(self) -> None:
        """Stops syncing; unsent work stays in the outbox for the next sign-in."""
        ...

    def subscribe(self, on_state: StateListener, on_arrived: ArrivalListener) -> None: ...

    def state(self) -> SyncState: ...

    def waiting(self) -> list[tuple[int, str, str, datetime]]:
        """The outbox's unsent mutations: (mid, name, case_no, made_at), oldest first; read
        from the local database (call from a background thread)."""
        ...

    def problems(self) -> list[Problem]:
        """Unresolved conflicts and rejections, newest first (background thread)."""
        ...

    def apply_mine_again(self, mid: int) -> None:
        """A new change with the values that were not applied, on top of the case's current
        version; the problem is resolved (background thread)."""
        ...

    def keep_theirs(self, mid: int) -> None:
        """Resolve the problem, keeping the server's values (background thread)."""
        ...

    def nudge(self) -> None:
        """Something was saved locally: send it now rather than at the next tick."""
        ...

    def close(self, timeout: float = 5.0) -> None: ...


@dataclass
class Settings:
    """Timeouts and pacing; tests shorten them."""

    connect_timeout: float = 3.05
    read_timeout: float = 30.0
    backoff_first: float = 0.5
    backoff_cap: float = 30.0
    batch: int = 100
    page: int = 1000
    poll_fallback: float = 5.0  # when the live channel is down but the server answers
    live: bool = True
    extra_headers: dict[str, str] = field(default_factory=dict)
