"""The console's sync as the rest of the console sees it (`console.sync.api.Sync`): connect the
workstation, sign a user in and out, the state, the outbox and the conflicts inbox.

Calls that talk to the server or read the local database block: the UI makes them from its
background threads, never from the GUI thread, and never from the writer thread, which they
hand their local writes to and wait for.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from console.domain.errors import ValidationFailed
from console.store.outbox import Answered
from console.store.replica import Known
from console.sync.api import (
    Account,
    ArrivalListener,
    Enrolment,
    EnrolRefused,
    Link,
    NotApplied,
    Problem,
    Settings,
    SignInRefused,
    StateListener,
    Stop,
    SyncState,
)
from console.sync.credentials import (
    Console,
    Session,
    enrolment_answered,
    enrolment_id,
    load_secret,
    save_secret,
    verified,
    verifier,
)
from console.sync.engine import Engine, WriteSubmitter
from console.sync.http import Answer, Http, Unreachable
from console.sync.state import Publisher
from console.workstation.local import LocalConsole
from console.workstation.replica import not_applied

log = logging.getLogger(__name__)
ENROL_REFUSALS = {401: "bad_code", 403: "not_allowed", 404: "bad_address", 422: "not_allowed"}


def single_writer() -> ThreadPoolExecutor:
    """One thread for every local write, for a console without a UI: pass its `submit` as
    `open_sync`'s `write`, and shut it down after closing the sync."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-write")


def open_sync(
    local: LocalConsole,
    data_dir: Path,
    write: WriteSubmitter[Any],
    settings: Settings | None = None,
    server_url: str | None = None,
) -> SyncClient:
    """The workstation's sync. Standalone (nothing runs) while no server is configured and
    none is given. Reads the local database: call it where the database was opened."""
    return SyncClient(local, data_dir, write, settings or Settings(), server_url)


class SyncClient:
    def __init__(
        self,
        local: LocalConsole,
        data_dir: Path,
        write: WriteSubmitter[Any],
        settings: Settings,
        server_url: str | None,
    ) -> None:
        self._local, self._data_dir, self._write_job = local, data_dir, write
        self._settings = settings
        linked = local.replica.linked()
        self._enrolment = (
            Enrolment(linked.server_url, linked.client_id, linked.seat_code) if linked else None
        )
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._account: Account | None = None
        # A standalone console sends nothing: nothing of it waits.
        waiting, oldest = local.replica.waiting_count() if linked else (0, None)
        link = Link.SIGNED_OUT if linked or server_url else Link.STANDALONE
        self._publisher = Publisher(SyncState(link, waiting=waiting, oldest_waiting_at=oldest))

    @property
    def enrolment(self) -> Enrolment | None:
        return self._enrolment

    @property
    def account(self) -> Account | None:
        """Who is signed in, if anyone: `offline` until the server has let them in."""
        with self._lock:
            account, engine = self._account, self._engine
        if account is not None and account.offline and engine and engine.session.token:
            return replace(account, offline=False)
        return account

    # Connect ----------------------------------------------------------------------------------

    def connect(
        self, server_url: str, code: str = "", username: str = "", password: str = ""
    ) -> Enrolment:
        url = server_url.strip().rstrip("/")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise EnrolRefused("bad_address")
        http = Http(url, self._settings, self._local.clock.heard)
        try:
            enrolled = self._enrolled(http, code.strip(), username, password, self._data_dir)
        except Unreachable as error:
            raise EnrolRefused("unreachable") from error
        finally:
            http.close()
        if enrolled.status != 201 or "console_secret" not in enrolled.body:
            log.warning("enrolment refused: HTTP %s", enrolled.status)
            busy = enrolled.status == 429 or enrolled.status >= 500  # worth trying again later
            raise EnrolRefused(
                ENROL_REFUSALS.get(enrolled.status, "unreachable" if busy else "bad_address")
            )
        new = enrolled.body
        save_secret(self._data_dir, new["console_secret"])
        enrolment_answered(self._data_dir)

        def adopt() -> None:
            self._local.setup.adopt_enrolment(
                new["client_id"], new["seat_code"], new["last_case_no"]
            )
            self._local.replica.link(url)

        self._write(adopt)
        self._enrolment = Enrolment(url, new["client_id"], new["seat_code"])
        if self._account is None:
            self._publisher.update(link=Link.SIGNED_OUT, stopped_reason=None, detail="")
        return self._enrolment

    @staticmethod
    def _enrolled(http: Http, code: str, username: str, password: str, data_dir: Path) -> Answer:
        if code:
            # With the same id on every try: a try whose answer was lost spent the code, and
            # the server answers the next one again rather than refuse the code as used.
            body = {"code": code, "enrolment_id": enrolment_id(data_dir)}
            return http.call("POST", "/v1/consoles/enrol", body=body)
        login = http.call(
            "POST", "/v1/auth/login", body={"username": username, "password": password}
        )
        if login.status in (401, 422, 429):
            raise EnrolRefused("wrong_credentials")
        if login.status == 403 and login.code == "account_disabled":
            raise EnrolRefused("disabled")
        if not login.ok:
            return login
        token = str(login.body["access_token"])
        try:
            return http.call("POST", "/v1/consoles", body={}, token=token)
        finally:
            http.call("POST", "/v1/auth/logout", token=token)

    # Sign in and out --------------------------------------------------------------------------

    def sign_in(self, username: str, password: str) -> Account:
        if self._enrolment is None:
            raise SignInRefused("not_connected")
        username = username.strip()
        self.sign_out()
        console = Console(self._enrolment.client_id, load_secret(self._data_dir))
        session = Session(username, password, console)
        http = Http(self._enrolment.server_url, self._settings, self._local.clock.heard)
        try:
            account = self._online(http, session, password)
        except Unreachable:
            account = self._offline(username, password)
        finally:
            http.close()
        self._start(session, account)
        return account

    def _online(self, http: Http, session: Session, password: str) -> Account:
        answer = session.log_in(http)
        if answer.status == 429:
            raise SignInRefused("throttled", answer.retry_after)
        if answer.status == 503:
            raise Unreachable("the server is busy")
        if answer.status in (401, 422):
            raise SignInRefused("wrong_credentials")
        if answer.status == 403 and answer.code == "account_disabled":
            self._write(lambda: self._local.replica.forget(session.username))
            raise SignInRefused("disabled")
        if not answer.ok:
            raise SignInRefused("not_allowed")
        me = http.call("GET", "/v1/me", token=session.token).body
        known = Known(session.username, verifier(password), me["display_name"], me["role"])
        self._write(lambda: self._local.replica.remember(known))
        return Account(known.username, known.display_name, known.role, offline=False)

    def _offline(self, username: str, password: str) -> Account:
        known = self._local.replica.known(username)
        if known is None:
            raise SignInRefused("unknown_here_offline")
        if not verified(known.verifier, password):
            raise SignInRefused("wrong_credentials")
        return Account(known.username, known.display_name, known.role, offline=True)

    def _start(self, session: Session, account: Account) -> None:
        assert self._enrolment is not None
        seat, setup = self._enrolment.seat_code, self._local.setup
        try:
            self._write(lambda: setup.configure(seat, account.display_name or account.username))
        except ValidationFailed:  # a display name the seat cannot hold: the user name then
            self._write(lambda: setup.configure(seat, account.username))
        engine = Engine(
            self._local,
            self._write_job,
            self._settings,
            self._enrolment,
            session,
            self._data_dir,
            self._publisher,
            self._on_stopped,
            self._on_enrolled,
        )
        with self._lock:
            self._account, self._engine = account, engine
        link = Link.OFFLINE if account.offline else Link.SYNCING
        self._publisher.update(link=link, stopped_reason=None, detail="")
        engine.start()

    def sign_out(self) -> None:
        with self._lock:
            engine, self._engine, self._account = self._engine, None, None
        if engine is None:
            return
        engine.stop(self._settings.connect_timeout)
        self._log_out(engine.session)
        engine.session.ended()
        if self._publisher.state.link is not Link.STOPPED:
            self._publisher.update(link=Link.SIGNED_OUT, progress=None, downloading=False)

    def _log_out(self, session: Session) -> None:
        """End the session on the server too, if it can be reached."""
        if self._enrolment is None or not session.token:
            return
        http = Http(self._enrolment.server_url, self._settings, self._local.clock.heard)
        try:
            http.call("POST", "/v1/auth/logout", token=session.token)
        except Unreachable:
            pass  # it ends by itself at the end of the shift
        finally:
            http.close()

    def _on_stopped(self, reason: Stop) -> None:
        """The engine stopped for good: a user the server no longer lets in is signed out and
        can no longer sign in here offline; the unsent work stays."""
        if reason not in (Stop.ACCOUNT_DISABLED, Stop.SIGN_IN_REFUSED):
            return
        with self._lock:
            engine, self._engine, account, self._account = self._engine, None, self._account, None
        if account is not None:
            self._write(lambda: self._local.replica.forget(account.username))
        if engine is not None:
            engine.session.ended()

    def _on_enrolled(self, enrolment: Enrolment) -> None:
        self._enrolment = enrolment

    # State ------------------------------------------------------------------------------------

    def subscribe(self, on_state: StateListener, on_arrived: ArrivalListener) -> None:
        self._publisher.subscribe(on_state, on_arrived)

    def state(self) -> SyncState:
        return self._publisher.state

    def waiting(self) -> list[tuple[int, str, str, datetime]]:
        return self._local.replica.waiting()

    def nudge(self) -> None:
        with self._lock:
            engine = self._engine
        if engine is not None:
            engine.nudge()
        elif self._enrolment is not None:
            waiting, oldest = self._local.replica.waiting_count()
            self._publisher.update(waiting=waiting, oldest_waiting_at=oldest)

    def close(self, timeout: float = 5.0) -> None:
        with self._lock:
            engine, self._engine = self._engine, None
        if engine is not None:
            engine.stop(timeout)

    # Problems ---------------------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        return [_problem(answered) for answered in self._local.replica.problems()]

    def apply_mine_again(self, mid: int) -> None:
        operator = self._local.setup.operator()
        if operator is None:
            raise SignInRefused("not_connected")
        self._write(lambda: self._local.replica.apply_again(mid, operator))
        self.nudge()

    def keep_theirs(self, mid: int) -> None:
        self._write(lambda: self._local.replica.resolve(mid))

    def _write(self, job: Any) -> Any:
        return self._write_job(job).result()


def _problem(answered: Answered) -> Problem:
    result = answered.result
    conflicts = result.get("conflicts", [])
    renumbered = [c for c in conflicts if c["field"] == "case_no"]
    if answered.state == "rejected":
        before = answered.before
        lost = [
            NotApplied(name, str(value), str(before.get(name, "")), "")
            for name, value in not_applied(answered).items()
        ]
    else:
        lost = [
            NotApplied(c["field"], str(c["yours"]), str(c["kept"]), str(c["by"]))
            for c in conflicts
            if c["field"] != "case_no"
        ]
    return Problem(
        mid=answered.mid,
        case_id=answered.case_id,
        case_no=str(renumbered[0]["yours"]) if renumbered else answered.case_no,
        mutation=answered.name,
        made_at=answered.created_at,
        answered_at=answered.answered_at,
        rejected=answered.state == "rejected",
        reason=str(result.get("reason", "")),
        field_name=str(result.get("field", "")),
        not_applied=tuple(lost),
        applied=tuple(result.get("applied", ())),
        new_case_no=str(renumbered[0]["kept"]) if renumbered else "",
    )
