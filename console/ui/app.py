"""Composition root: options, logging, language, the open console, the main window."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from console.domain.errors import ValidationFailed
from console.paths import REFERENCE, STYLES, default_data_dir
from console.sync.api import Account, EnrolRefused, Link, Settings, SignInRefused, Stop, SyncState
from console.ui.context import UiContext
from console.ui.first_start import FirstStartDialog
from console.ui.i18n import LANGUAGES, Languages, system_language
from console.ui.labels import fill, translate
from console.ui.main_window import MainWindow
from console.ui.memory import settle
from console.ui.sign_in import SignInDialog
from console.ui.sync_link import SyncLink
from console.ui.tasks import TaskRunner, WriteSubmitter

if TYPE_CHECKING:
    from console.sync.api import Sync
    from console.workstation.context import Operator
    from console.workstation.drafts import Draft
    from console.workstation.local import LocalConsole

log = logging.getLogger("console")
LOG_FILE = "console.log"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python main.py",
        description="12345 Hotline Console. Subcommand: 'bench' runs the benchmark "
        "(python main.py bench --help).",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=f"folder of the local database, settings and log (default: {default_data_dir()})",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="language of the console (default: Chinese on a Chinese locale, "
        "else the last one chosen, else English)",
    )
    parser.add_argument("--seat", metavar="CODE", help="seat code of this workstation (3 digits)")
    parser.add_argument("--operator", metavar="NAME", help="name of the call-taker at the seat")
    parser.add_argument(
        "--server",
        metavar="URL",
        help="address of the centre's server: a workstation not yet connected offers to "
        "connect to it (enrolment code or a supervisor's sign-in) at start",
    )
    parser.add_argument(
        "--quit-when-ready",
        action="store_true",
        help="for measurement: print when the intake form is ready, then quit",
    )
    return parser.parse_args(argv)


@dataclass(frozen=True)
class Opened:
    console: LocalConsole
    operator: Operator | None
    draft: Draft | None
    sync: Sync


# The sync's stops after which the console asks for a sign-in again.
SIGNED_OUT = (Stop.ACCOUNT_DISABLED, Stop.SIGN_IN_REFUSED, Stop.SESSION_ENDED)


# Why the console asks for a sign-in again while it runs.
def _stop_notice(reason: Stop | None) -> str:
    if reason is Stop.ACCOUNT_DISABLED:
        return translate(
            "MainWindow",
            "The centre disabled your account, so you were signed out. Your unsent work is "
            "kept and is sent when someone signs in at this seat.",
        )
    if reason is Stop.SIGN_IN_REFUSED:
        return translate(
            "MainWindow",
            "The centre did not accept your sign-in, so you were signed out. Your unsent work "
            "is kept and is sent when someone signs in at this seat.",
        )
    return translate("MainWindow", "Your session ended. Sign in again; nothing saved is lost.")


def _open(
    args: argparse.Namespace, data_dir: Path, write: WriteSubmitter, settings: Settings
) -> Opened:
    """Runs on the writer thread: database, migrations, reference data, category index, and
    the sync with the centre (standalone while none is configured)."""
    from console.sync import open_sync
    from console.workstation.local import open_local

    seat, name = args.seat, args.operator
    console = open_local(data_dir, REFERENCE)
    operator = console.setup.operator()
    if seat or name:
        operator = console.setup.configure(
            seat or (operator.seat_code if operator else ""),
            name or (operator.name if operator else ""),
        )
    sync = open_sync(console, data_dir, write, settings, args.server)
    return Opened(console, operator, console.drafts.load(), sync)


class ConsoleApp:
    def __init__(
        self, args: argparse.Namespace, started: float, sync_settings: Settings | None = None
    ) -> None:
        self.args = args
        self.started = started
        self.data_dir: Path = args.data_dir or default_data_dir()
        # The log, settings and database this process makes: readable by its user only.
        self._umask = os.umask(0o077)
        # An older folder's files are made private with the database, off this thread.
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._log_handler = _setup_logging(self.data_dir / LOG_FILE)
        existing = QApplication.instance()
        self.qt = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
        self.qt.setApplicationName("12345 Hotline Console")
        self.tasks = TaskRunner()
        self.tasks.failed.connect(self._on_task_failed)
        self.settings = QSettings(str(self.data_dir / "settings.ini"), QSettings.Format.IniFormat)
        self.languages = Languages(self.qt)
        self.languages.use(args.lang or str(self.settings.value("language", system_language())))
        style = STYLES / "console.qss"
        if style.is_file():
            self.qt.setStyleSheet(style.read_text(encoding="utf-8"))
        self.window = MainWindow(self.choose_language, self.languages.current)
        self.window.resize(self.qt.primaryScreen().availableGeometry().size())
        self.window.showMaximized()
        self.window.activateWindow()
        self.console: LocalConsole | None = None
        self.link: SyncLink | None = None
        self.sign_in_dialog: SignInDialog | None = None
        self.setup_dialog: FirstStartDialog | None = None
        self._opened: Opened | None = None
        self._signed_in = False
        self._was_ready = False
        self._closed = False
        self.window.setup_requested.connect(self._on_setup_requested)
        self.window.sign_out_requested.connect(self._on_sign_out_requested)
        self.window.close_cancelled.connect(self._on_close_cancelled)
        # Opened once the window exists: its result is shown in the window.
        self.tasks.write(
            lambda: _open(
                args, self.data_dir, self.tasks.submit_write, sync_settings or Settings()
            ),
            self._on_opened,
            self._on_open_failed,
        )

    def choose_language(self, language: str) -> None:
        self.languages.use(language)
        self.settings.setValue("language", self.languages.current)

    def _on_opened(self, opened: Opened) -> None:
        self.console = opened.console
        self._opened = opened
        self.link = SyncLink(opened.sync, self.tasks, self.qt)
        self.link.state_changed.connect(self._on_link_state_changed)
        self.window.attach_link(self.link)
        settle()
        if self.link.enrolment is not None:
            self._ask_sign_in()
        elif opened.operator is not None and not self.args.server:
            self._ready(opened.operator)
        else:
            self._show_setup()

    def _show_setup(self) -> None:
        """How this workstation works: standalone, or connected to the centre."""
        opened, link = self._opened, self.link
        assert opened is not None and link is not None
        dialog = FirstStartDialog(
            lambda seat, name: self._configure(dialog, opened, seat, name),
            lambda url, code, user, password: link.connect_workstation(
                url,
                code,
                user,
                password,
                lambda _enrolment: self._on_connected(dialog),
                lambda error: self._on_connect_failed(dialog, error),
            ),
            self.args.server or "",
            self.window,
        )
        # Esc on the first start quits: the console never waits, disabled, behind nothing.
        dialog.rejected.connect(self._quit_unless_ready)
        self.setup_dialog = dialog
        dialog.open()

    def _on_setup_requested(self) -> None:
        if self.link is not None and self.link.may_connect:
            self._show_setup()

    def _on_connected(self, dialog: FirstStartDialog) -> None:
        dialog.accept()
        self.window.connected()
        self._ask_sign_in()

    def _on_connect_failed(self, dialog: FirstStartDialog, error: BaseException) -> None:
        if not isinstance(error, EnrolRefused):  # a fault, not an answer: logged, and said
            log.error("connecting the workstation failed", exc_info=error)
        dialog.show_refusal(error.reason if isinstance(error, EnrolRefused) else str(error))

    def _ask_sign_in(self, notice: str = "") -> None:
        link = self.link
        assert link is not None and link.enrolment is not None
        if self.sign_in_dialog is not None and self.sign_in_dialog.isVisible():
            return
        self._signed_in = False
        seat_code = link.enrolment.seat_code
        dialog = SignInDialog(
            lambda user, password: link.sign_in(
                user,
                password,
                lambda account: self._on_signed_in(dialog, account),
                lambda error: self._on_sign_in_failed(dialog, error),
            ),
            seat_code,
            notice,
            self.window,
        )
        dialog.rejected.connect(self._quit_unless_signed_in)
        self.sign_in_dialog = dialog
        dialog.open()

    def _on_signed_in(self, dialog: SignInDialog, account: Account) -> None:
        """The sync has made the signed-in user the seat's operator; the window follows."""
        opened = self._opened
        assert opened is not None

        def done(operator: Operator | None) -> None:
            assert operator is not None
            dialog.accept()
            self._signed_in = True
            self._ready(operator, account.offline)

        self.tasks.read(opened.console.setup.operator, done)

    def _on_sign_in_failed(self, dialog: SignInDialog, error: BaseException) -> None:
        if not isinstance(error, SignInRefused):  # a fault, not an answer: logged, and said
            log.error("sign-in failed", exc_info=error)
            error = SignInRefused(str(error))
        dialog.show_refusal(error)

    def _on_sign_out_requested(self) -> None:
        if self.link is None:
            return
        self.window.intake.flush_draft()
        self._signed_in = False
        self.link.sign_out(lambda _none: self._ask_sign_in())

    def _on_link_state_changed(self, state: SyncState) -> None:
        stopped = state.link is Link.STOPPED
        if stopped and state.stopped_reason in SIGNED_OUT:
            self._ask_sign_in(_stop_notice(state.stopped_reason))

    def _quit_unless_ready(self) -> None:
        if not self._was_ready:
            self.window.close()

    def _quit_unless_signed_in(self) -> None:
        if not self._signed_in:
            self.window.close()

    def _on_close_cancelled(self) -> None:
        """Warned of changes waiting, the user stays: nobody signed in means sign in."""
        if self.link is not None and not self.link.standalone and not self._signed_in:
            self._ask_sign_in()

    def _configure(self, dialog: FirstStartDialog, opened: Opened, seat: str, name: str) -> None:
        def done(operator: Operator) -> None:
            dialog.accept()
            self._ready(operator)

        def failed(error: BaseException) -> None:
            if not isinstance(error, ValidationFailed):
                raise error
            dialog.show_errors(error.errors)

        setup = opened.console.setup
        self.tasks.write(lambda: setup.configure(seat, name), done, failed)

    def _ready(self, operator: Operator, offline: bool = False) -> None:
        opened = self._opened
        assert opened is not None
        connected = self.link is not None and not self.link.standalone
        ctx = UiContext(opened.console, operator, self.tasks, self.link if connected else None)
        self.window.signed_in(ctx, offline)
        if self._was_ready:
            return
        self._was_ready = True
        if opened.draft is not None:
            self.window.intake.restore_draft(opened.draft.fields, opened.draft.saved_at)
        log.info(
            "intake form ready in %.3f s (seat %s)", time.time() - self.started, operator.seat_code
        )
        if self.args.quit_when_ready:
            print(json.dumps({"ready_at": time.time(), "max_rss_kb": _max_rss_kb()}), flush=True)
            self.qt.quit()

    def _on_open_failed(self, error: BaseException) -> None:
        log.critical("could not open the local database", exc_info=error)
        QMessageBox.critical(
            self.window,
            translate("MainWindow", "Cannot start"),
            fill(
                translate("MainWindow", "The local database in %1 could not be opened: %2"),
                str(self.data_dir),
                str(error),
            ),
        )
        self.qt.exit(1)

    def _on_task_failed(self, error: BaseException) -> None:
        self.on_uncaught(type(error), error, error.__traceback__)

    def on_uncaught(
        self, kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        log.critical("unexpected error", exc_info=(kind, error, trace))
        QMessageBox.warning(
            self.window,
            translate("MainWindow", "Unexpected error"),
            fill(
                translate(
                    "MainWindow",
                    "Something went wrong: %1\nSaved cases are safe. Details are in %2.",
                ),
                str(error),
                str(self.data_dir / LOG_FILE),
            ),
        )

    def close(self) -> None:
        """Close the window, let queued writes land, then close the database. Once."""
        if self._closed:
            return
        self._closed = True
        self.window.close_without_asking()
        if self.link is not None:
            self.link.close()  # stops sending and pulling; what waits is sent at the next start
        self.tasks.shutdown()
        if self.console is not None:
            self.console.close()
            self.console = None
        # Results still queued for the GUI thread are dropped with the objects they target.
        self.window.deleteLater()
        self.tasks.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self.languages.remove()
        logging.getLogger().removeHandler(self._log_handler)
        self._log_handler.close()
        os.umask(self._umask)


def _max_rss_kb() -> int:
    try:
        import resource
    except ImportError:  # not on Windows; the figure is for the benchmark on Linux
        return 0
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _setup_logging(path: Path) -> logging.Handler:
    handler = RotatingFileHandler(path, maxBytes=5_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler


def run(argv: list[str]) -> int:
    started = time.time()
    app = ConsoleApp(parse_args(argv), started)
    sys.excepthook = app.on_uncaught
    try:
        return app.qt.exec()
    finally:
        app.close()
