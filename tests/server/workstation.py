"""A console as the server sees it: its own database, its outbox, and the sync's sending."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import httpx

from console.central.enrolment import Enrolled
from console.domain.intake import IntakeForm
from console.paths import REFERENCE
from console.workstation.context import Operator
from console.workstation.local import DATABASE_FILE, open_local
from tests.forms import COMPLAINT
from tests.server.process import Server


class Workstation:
    """A console's own database with its outbox, and what its sync will do: send the pending
    mutations in order and keep each result on its outbox row (SYNC.md)."""

    def __init__(self, server: Server, folder: Path, username: str) -> None:
        self.server, self.folder, self.username = server, folder, username
        self.local = open_local(folder, REFERENCE)
        self.enrolled = server.console()
        self.local.setup.configure(self.enrolled.seat_code, username)
        self.local.setup.adopt_enrolment(self.enrolled.client_id, self.enrolled.seat_code)
        self.http = server.client(server.login(username, self.enrolled))

    @property
    def operator(self) -> Operator:
        found = self.local.setup.operator()
        assert found is not None
        return found

    def take(self, form: IntakeForm) -> str:
        return self.local.intake.submit(form, self.operator).id

    def take_call(self, description: str) -> str:
        return self.take(replace(COMPLAINT, description=description))

    def note(self, case_id: str, text: str) -> None:
        self.local.cases.add_note(case_id, text, self.operator)

    def send(self) -> httpx.Response:
        with closing(sqlite3.connect(self.folder / DATABASE_FILE)) as db:
            rows = db.execute("SELECT mid, name, args FROM outbox WHERE state = 'pending'")
            batch = [{"mid": m, "name": n, "args": json.loads(a)} for m, n, a in rows]
        body = {"client_id": self.operator.client_id, "mutations": batch}
        answer = self.http.post("/v1/sync/push", json=body)
        if answer.status_code == 200:
            with closing(sqlite3.connect(self.folder / DATABASE_FILE)) as db, db:
                for result in answer.json()["results"]:
                    db.execute(
                        "UPDATE outbox SET state = ? WHERE mid = ?",
                        (result["status"], result["mid"]),
                    )
        return answer

    def back_up(self, to: Path) -> None:
        with (
            closing(sqlite3.connect(self.folder / DATABASE_FILE)) as db,
            closing(sqlite3.connect(to)) as copy,
        ):
            db.backup(copy)

    def restore(self, backup: Path) -> None:
        self.local.close()
        for path in self.folder.glob(DATABASE_FILE + "*"):
            path.unlink()
        shutil.copy(backup, self.folder / DATABASE_FILE)
        self.local = open_local(self.folder, REFERENCE)

    def renew(self) -> str:
        """Take a new enrolment on the same seat; the last case number the server holds."""
        answer = self.http.post("/v1/consoles/renew")
        assert answer.status_code == 201, answer.text
        new = answer.json()
        self.enrolled = Enrolled(new["client_id"], new["seat_code"], new["console_secret"])
        self.local.setup.adopt_enrolment(
            self.enrolled.client_id, self.enrolled.seat_code, new["last_case_no"]
        )
        self.http.close()
        self.http = self.server.client(self.server.login(self.username, self.enrolled))
        return str(new["last_case_no"])

    def close(self) -> None:
        self.http.close()
        self.local.close()
