"""Who the console is and who signed in: the console's secret in the data folder, the session's
tokens, and the local verifier that lets a user of this seat sign in while the server is away."""

from __future__ import annotations

import os
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from console.paths import write_private
from console.sync.http import Answer, Http

SECRET_FILE = "console.secret"
ENROLMENT_ID_FILE = "enrolment.id"
_HASHER = PasswordHasher()  # Argon2id, the library's defaults: tens of milliseconds a guess


def save_secret(data_dir: Path, secret: str) -> None:
    """Keep the console's secret where only the workstation's user can read it (0600),
    replacing the old one at once."""
    path = data_dir / SECRET_FILE
    spare = path.with_suffix(".new")
    fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(secret)
        out.flush()
        os.fsync(out.fileno())
    os.replace(spare, path)


def load_secret(data_dir: Path) -> str:
    path = data_dir / SECRET_FILE
    return path.read_text(encoding="utf-8").strip() if path.exists() else ""


def enrolment_id(data_dir: Path) -> str:
    """The id the workstation sends with its enrolment code, the same on every try (after a
    restart too) until one is answered: a try whose answer was lost is answered again."""
    path = data_dir / ENROLMENT_ID_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    made = str(uuid.uuid4())
    write_private(path, made)
    return made


def enrolment_answered(data_dir: Path) -> None:
    """The next enrolment is a new one, with an id of its own."""
    (data_dir / ENROLMENT_ID_FILE).unlink(missing_ok=True)


def verifier(password: str) -> str:
    return _HASHER.hash(password)


def verified(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class Console:
    client_id: str
    secret: str


class Session:
    """A signed-in user's session for this console, shared by the sync's threads: the password
    stays in memory while signed in, to sign in again (after a sign-in against the verifier,
    and for the console's new enrolment after its database went back in time)."""

    def __init__(self, username: str, password: str, console: Console) -> None:
        self.username = username
        self._password = password
        self.console = console
        self._lock = threading.Lock()
        self._access = ""
        self._refresh = ""

    @property
    def token(self) -> str:
        with self._lock:
            return self._access

    def log_in(self, http: Http) -> Answer:
        """Log in for the console; the tokens are kept if the server let the user in."""
        answer = http.call(
            "POST",
            "/v1/auth/login",
            body={
                "username": self.username,
                "password": self._password,
                "client_id": self.console.client_id,
                "console_secret": self.console.secret,
            },
        )
        self._keep(answer)
        return answer

    def refresh(self, http: Http) -> Answer:
        """New tokens for the session (401: it ended)."""
        with self._lock:
            spent = self._refresh
        if not spent:
            return Answer(401)
        answer = http.call("POST", "/v1/auth/refresh", body={"refresh_token": spent})
        self._keep(answer)
        return answer

    def renewed(self, console: Console) -> None:
        """The console was enrolled again: the old session ended with it."""
        with self._lock:
            self.console = console
            self._access = self._refresh = ""

    def ended(self) -> None:
        with self._lock:
            self._access = self._refresh = ""
            self._password = ""

    def _keep(self, answer: Answer) -> None:
        if answer.ok:
            with self._lock:
                self._access = str(answer.body["access_token"])
                self._refresh = str(answer.body["refresh_token"])
