"""The sync's threads while a user is signed in: the engine pushes the outbox, pulls the scope
and waits; the watcher asks the server to say when there is something to pull.

Every answer of SYNC.md has its move here: results stored on their outbox rows, `gap` sends
again from the number asked (or renews the enrolment if those are forgotten here),
`mid_reused` renews the enrolment and sends again, 413 halves the batch, 408 sends again, 429
and 503 wait as told, 401 refreshes the session, 422 stops.
No answer at all is "offline": tried again after a growing, jittered wait.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import requests

from console.domain.clock import utc_now
from console.store.outbox import Queued
from console.sync.api import Arrived, Enrolment, Left, Link, Settings, Stop
from console.sync.credentials import Console, Session, save_secret
from console.sync.http import DEFAULT_WAIT, Answer, Http, Unreachable, encoded_size
from console.sync.live import Behind, Live, LiveRefused
from console.sync.state import Publisher
from console.workstation.local import LocalConsole
from console.workstation.replica import PRUNE_CHUNK, Applied

log = logging.getLogger(__name__)
T = TypeVar("T")
WriteSubmitter = Callable[[Callable[[], T]], "Future[T]"]
MAX_BODY = 6_000_000  # bytes of a push, as the server takes them
# Changes a transaction of the writer thread stores at most: a page is stored in parts of this
# size, and a call-taker's save queued behind one waits for it.
WRITE_PART = 250
# Longest silence of a sound live stream: the server's heartbeat comes every 15 s.
LIVE_SILENCE = 40.0
POKE_LONGEST = 25.0  # seconds the server holds a long poll at most
FIRST_LOOK = 1.0  # seconds between looks for the first download's end, to follow on from it
PROBLEMS = ("conflict", "rejected")
PRUNE_EVERY = 3600.0  # seconds between two clear-outs of the outbox's old answers


class Stopped(Exception):
    """Trying again will not help."""

    def __init__(self, reason: Stop, detail: str = "") -> None:
        super().__init__(detail or reason.value)
        self.reason = reason


class RetryLater(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"asked to wait {seconds:g} s")
        self.seconds = seconds


class Engine:
    def __init__(
        self,
        local: LocalConsole,
        write: WriteSubmitter[Any],
        settings: Settings,
        enrolment: Enrolment,
        session: Session,
        data_dir: Path,
        publisher: Publisher,
        on_stopped: Callable[[Stop], None],
        on_enrolled: Callable[[Enrolment], None],
    ) -> None:
        self._local, self._write_job, self._settings = local, write, settings
        self._enrolment, self._data_dir = enrolment, data_dir
        self.session = session
        self._publisher = publisher
        self._on_stopped, self._on_enrolled = on_stopped, on_enrolled
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._cycled = threading.Event()
        self._live: Live | None = None
        self._pruned_at: float | None = None
        self._threads = [
            threading.Thread(target=self._run, name="sync-engine", daemon=True),
            threading.Thread(target=self._watch, name="sync-watch", daemon=True),
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def nudge(self) -> None:
        self._wake.set()

    def stop(self, timeout: float) -> None:
        """Stop both threads, waiting at most `timeout` seconds for the engine to finish; the
        watcher ends with its long poll, unwaited for: it writes nothing."""
        self._stop.set()
        self._wake.set()
        self._cycled.set()
        live = self._live
        if live is not None:
            live.close()
        engine = self._threads[0]
        if engine is not threading.current_thread():
            engine.join(timeout)

    # The engine's loop ----------------------------------------------------------------------

    def _run(self) -> None:
        http = Http(self._enrolment.server_url, self._settings, self._local.clock.heard)
        failures = 0
        try:
            while not self._stop.is_set():
                try:
                    self._cycle(http)
                    failures, pause = 0, self._settings.poll_fallback * 6
                except Unreachable as error:
                    pause = self._backoff(failures)
                    failures += 1
                    self._offline(str(error))
                except RetryLater as wait:
                    pause = wait.seconds
                    self._publisher.update(detail=str(wait))
                except Stopped as stopped:
                    self._stopped(stopped)
                    return
                self._wake.wait(pause)
                self._wake.clear()
        except Exception as error:  # a bug: said, logged, and the console goes on locally
            log.exception("sync stopped")
            self._stopped(Stopped(Stop.PROTOCOL, type(error).__name__))
        finally:
            http.close()

    def _cycle(self, http: Http) -> None:
        if self._stop.is_set():
            return
        if not self.session.token:
            self._log_in(http)
        if self._local.clock.unkept:  # the centre's time, as its answers tell it, for next start
            self._write(self._local.clock.keep)
        self._push_all(http)
        self._pull_all(http)
        self._prune()
        waiting, oldest = self._local.replica.waiting_count()
        self._publisher.update(
            link=Link.ONLINE,
            last_synced_at=utc_now(),
            offline_since=None,
            waiting=waiting,
            oldest_waiting_at=oldest,
            progress=None,
            downloading=False,
            stopped_reason=None,
            detail="",
        )
        self._cycled.set()

    def _prune(self) -> None:
        """Forget the outbox's long-settled mutations, at the first cycle and hourly after, a
        chunk per write: a save queued meanwhile waits for one chunk at most."""
        now = time.monotonic()
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        while not self._stop.is_set() and self._write(self._local.replica.prune) == PRUNE_CHUNK:
            pass

    def _backoff(self, failures: int) -> float:
        """Capped exponential, the upper half of it drawn at random: consoles that lost the
        server together do not come back together."""
        first, cap = self._settings.backoff_first, self._settings.backoff_cap
        ceiling = min(cap, first * 2.0 ** min(failures, 30))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def _offline(self, detail: str) -> None:
        state = self._publisher.state
        waiting, oldest = self._local.replica.waiting_count()
        self._publisher.update(
            link=Link.OFFLINE,
            offline_since=state.offline_since or utc_now(),
            waiting=waiting,
            oldest_waiting_at=oldest,
            progress=None,
            downloading=False,
            detail=detail,
        )

    def _stopped(self, stopped: Stopped) -> None:
        log.warning("sync stopped: %s (%s)", stopped.reason.value, stopped)
        self._publisher.update(
            link=Link.STOPPED,
            stopped_reason=stopped.reason,
            progress=None,
            downloading=False,
            detail=str(stopped),
        )
        self._on_stopped(stopped.reason)

    def _write(self, job: Callable[[], T]) -> T:
        result: T = self._write_job(job).result()
        return result

    # The session ------------------------------------------------------------------------------

    def _log_in(self, http: Http) -> None:
        """Sign in online: after a sign-in against the local verifier, or a new enrolment."""
        answer = self.session.log_in(http)
        if answer.status == 403 and answer.code == "account_disabled":
            raise Stopped(Stop.ACCOUNT_DISABLED, "the server says this account is disabled")
        if answer.status == 401:
            raise Stopped(Stop.SIGN_IN_REFUSED, "the server no longer lets this user in here")
        self._refused(answer)

    def _authed(self, http: Http, method: str, path: str, **kwargs: Any) -> Answer:
        answer = http.call(method, path, token=self.session.token, **kwargs)
        if answer.status == 401:
            refreshed = self.session.refresh(http)
            if refreshed.status == 401:
                raise Stopped(Stop.SESSION_ENDED, "the session ended")
            self._refused(refreshed)
            answer = http.call(method, path, token=self.session.token, **kwargs)
            if answer.status == 401:
                raise Stopped(Stop.SESSION_ENDED, "the session ended")
        self._refused(answer)
        return answer

    @staticmethod
    def _refused(answer: Answer) -> None:
        """Raise for the answers that mean: not now, or never like this."""
        if answer.status in (429, 503):
            raise RetryLater(answer.retry_after or DEFAULT_WAIT)
        if answer.status == 422:
            log.error("the server refused a request as malformed: %s", answer.body)
            raise Stopped(Stop.PROTOCOL, "the server refused a request as malformed")
        if answer.status == 403:
            raise Stopped(Stop.PROTOCOL, f"refused: {answer.code}")

    # Push -------------------------------------------------------------------------------------

    def _push_all(self, http: Http) -> None:
        """Send what waits, in order, as far as it went when the round began: calls taken
        meanwhile go in the next round, after a pull, so that a console whose outbox never
        empties still receives the centre's changes."""
        total, _ = self._local.replica.waiting_count()
        sent, count, start = 0, self._settings.batch, None
        limit = MAX_BODY
        while not self._stop.is_set():
            if sent >= total:
                if sent:
                    self._wake.set()  # more may have come: another round at once
                return
            batch = self._local.replica.next_batch(min(count, total - sent), start)
            if not batch:
                return
            if start is not None and batch[0].mid > start:
                # The server lost numbers it had answered (its database went back in time)
                # and this console no longer keeps them: go on as a new console.
                self._renew(http, "the server lost mutations no longer kept here")
                (total, _), sent, start = self._local.replica.waiting_count(), 0, None
                continue
            body = self._body(batch, limit)
            self._publisher.update(link=Link.SYNCING, progress=(sent, max(total, sent)))
            answer = self._authed(http, "POST", "/v1/sync/push", body=body)
            if answer.ok:
                shipped = batch[: len(body["mutations"])]
                sent += len(shipped)
                self._answered(shipped, answer.body["results"])
                count, start = self._settings.batch, None
            elif answer.status == 409 and answer.code == "gap":
                start = int(answer.body["expected"])
            elif answer.status == 409 and answer.code == "mid_reused":
                self._renew(http, "mutation number reuse")
                (total, _), sent, start = self._local.replica.waiting_count(), 0, None
            elif answer.status == 413:
                count = max(1, len(body["mutations"]) // 2)
                limit //= 2
            elif answer.status != 408:
                raise Stopped(Stop.PROTOCOL, f"push answered {answer.status} {answer.code}")

    def _body(self, batch: list[Queued], limit: int) -> dict[str, Any]:
        mutations = [{"mid": q.mid, "name": q.name, "args": q.args} for q in batch]
        body = {"client_id": self.session.console.client_id, "mutations": mutations}
        while len(mutations) > 1 and encoded_size(body) > limit:
            del mutations[len(mutations) // 2 :]
        return body

    def _answered(self, batch: list[Queued], results: list[dict[str, Any]]) -> None:
        changed = self._write(lambda: self._local.replica.record(batch, results))
        sent = {str(q.args.get("case_id") or q.args.get("id") or "") for q in batch}
        problems = sum(1 for r in results if r.get("status") in PROBLEMS)
        self._publisher.arrived(Arrived(frozenset((changed | sent) - {""}), (), problems))

    def _renew(self, http: Http, why: str) -> None:
        """This database or the server's went back in time: a new enrolment on the same seat,
        the unsent work numbered again for it, a new sign-in (SYNC.md)."""
        answer = self._authed(http, "POST", "/v1/consoles/renew")
        if answer.status != 201:
            raise Stopped(Stop.CONSOLE_RETIRED, f"renewal answered {answer.status}")
        new = answer.body
        save_secret(self._data_dir, new["console_secret"])
        self._write(
            lambda: self._local.setup.adopt_enrolment(
                new["client_id"], new["seat_code"], new["last_case_no"]
            )
        )
        self.session.renewed(Console(new["client_id"], new["console_secret"]))
        self._enrolment = Enrolment(self._enrolment.server_url, new["client_id"], new["seat_code"])
        self._on_enrolled(self._enrolment)
        log.warning("enrolled again as a new console after %s", why)
        self._log_in(http)

    # Pull -------------------------------------------------------------------------------------

    def _pull_all(self, http: Http) -> None:
        """Pull until the server has nothing more. Each page is fetched while the writer thread
        stores the one before: the download goes at the pace of the slower of the two."""
        cursor = self._local.replica.cursor()
        downloading, downloaded = cursor is None, 0
        fetched: dict[str, Any] | None = self._fetch(http, cursor)
        while fetched is not None and not self._stop.is_set():
            page = fetched
            if page["reset"]:
                downloading, downloaded = True, 0
            download = page.get("download")
            if isinstance(download, dict):  # the server says how far its download is
                cases, sent = int(download["cases"]), int(download["sent"])
                before = sent - len(page["changes"])
                self._publisher.update(
                    link=Link.SYNCING, downloading=True, progress=(before, max(cases, sent))
                )
            elif downloading:  # a server that does not say
                self._publisher.update(
                    link=Link.SYNCING, downloading=True, progress=(downloaded, 0)
                )
            storing = self._store(page, cursor)
            try:
                fetched = self._fetch(http, page["cursor"]) if page["has_more"] else None
            finally:
                stored = storing()
            if not stored:  # the live channel went further meanwhile
                cursor = self._local.replica.cursor()
                fetched = self._fetch(http, cursor)
                continue
            downloaded += len(page["changes"])
            cursor = page["cursor"]

    def _fetch(self, http: Http, cursor: str | None) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": self._settings.page}
        if cursor:
            params["cursor"] = cursor
        answer = self._authed(http, "GET", "/v1/sync/pull", params=params)
        if not answer.ok:
            raise Stopped(Stop.PROTOCOL, f"pull answered {answer.status} {answer.code}")
        return answer.body

    def _store(self, page: dict[str, Any], after: str | None) -> Callable[[], bool]:
        """Queue a pulled page on the writer thread, in parts of WRITE_PART changes, the last
        with the page's cursor; a function that waits for them and says whether the page was
        stored (False: the cursor kept here is another by now, nothing of it stored)."""
        replica, changes = self._local.replica, page["changes"]
        starts = range(0, max(len(changes), 1), WRITE_PART)
        parts = [
            self._write_job(
                partial(
                    replica.apply_page,
                    page["fields"],
                    changes[start : start + WRITE_PART],
                    page["cursor"] if start == starts[-1] else None,
                    page.get("reset", False) and start == 0,
                    after,
                )
            )
            for start in starts
        ]

        def stored() -> bool:
            applied = [part.result() for part in parts]
            self._arrived([a for a in applied if a is not None])
            return all(a is not None for a in applied)

        return stored

    def _apply(self, page: dict[str, Any], after: str | None) -> bool:
        """Store a page that follows on from the cursor `after`; False if the cursor kept here
        is another by now (nothing stored)."""
        replica = self._local.replica
        applied = self._write(
            lambda: replica.apply_page(
                page["fields"], page["changes"], page["cursor"], page.get("reset", False), after
            )
        )
        if applied is None:
            return False
        self._arrived([applied])
        return True

    def _arrived(self, applied: list[Applied]) -> None:
        case_ids = frozenset().union(*(a.case_ids for a in applied))
        left = tuple(Left(case_id, case_no) for a in applied for case_id, case_no in a.left)
        if case_ids or left:
            self._publisher.arrived(Arrived(case_ids, left))

    # The watcher ------------------------------------------------------------------------------

    def _watch(self) -> None:
        """Follow the live channel, which brings each change of the scope as it happens; where
        it cannot be had, wake the engine as soon as a pull would bring something (the long
        poll `poke`)."""
        wait = self._settings.poll_fallback
        http = Http(self._enrolment.server_url, self._settings, self._local.clock.heard)
        live = self._settings.live
        try:
            while not self._stop.is_set():
                try:
                    live = self._look(http, live, wait)
                except Exception:  # a bug: logged; the engine's own timer still pulls
                    log.exception("following the server's changes failed")
                    self._stop.wait(wait)
        finally:
            http.close()

    def _look(self, http: Http, live: bool, wait: float) -> bool:
        """One look for changes; whether to follow the live channel next time."""
        cursor = self._local.replica.cursor()
        if not self.session.token or cursor is None:  # before the first download
            self._stop.wait(min(wait, FIRST_LOOK))
        elif live:
            return self._follow(http, cursor)
        else:
            self._poke(http, cursor, wait)
        return live

    def _follow(self, http: Http, cursor: str) -> bool:
        """Apply the live channel's pages until it ends; False if the server has none."""
        stream = Live(
            http.session,
            self._enrolment.server_url,
            self.session.token,
            cursor,
            self._settings.connect_timeout,
            max(self._settings.read_timeout, LIVE_SILENCE),
        )
        self._live = stream
        try:
            for event in stream:
                if isinstance(event, Behind) or not self._apply(event.page, event.after):
                    self._pull_now()
                    break
        except LiveRefused as refused:
            return self._refused_live(refused)
        except requests.RequestException:
            self._stop.wait(self._settings.poll_fallback)  # the engine finds out what is wrong
        finally:
            self._live = None
        return True

    def _refused_live(self, refused: LiveRefused) -> bool:
        if refused.status in (404, 405):
            return False  # a server without the live channel: poke instead
        if refused.status in (401, 422):
            self._pull_now()  # the engine refreshes the session, or pulls to a sound cursor
        self._stop.wait(refused.retry_after or self._settings.poll_fallback)
        return True

    def _pull_now(self) -> None:
        """Wake the engine and let it finish a cycle, as the server's channel asks."""
        self._cycled.clear()
        self._wake.set()
        self._cycled.wait(self._settings.poll_fallback)

    def _poke(self, http: Http, cursor: str, wait: float) -> None:
        token = self.session.token
        try:
            answer = http.call(
                "GET",
                "/v1/sync/poke",
                params={"timeout": min(wait, POKE_LONGEST), "cursor": cursor},
                token=token,
                read_timeout=min(wait, POKE_LONGEST) + self._settings.connect_timeout,
            )
        except Unreachable:
            self._stop.wait(wait)
            return
        if not answer.ok:
            self._stop.wait(wait)
        elif answer.body.get("changed"):
            self._pull_now()
