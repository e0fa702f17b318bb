"""A console whose database was restored from an older copy (a backup, a virtual desktop reset
to its image) keeps working: its sync takes a new enrolment for the seat, sends again what the
copy did not know it had sent, brings back what the copy missed, and every case reaches the
server once (SYNC.md, "mid_reused")."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from console.domain.workflow import Role
from console.store.schema import CaseNoteRow
from console.store.server_schema import Console
from console.workstation.local import DATABASE_FILE
from tests.server.process import PASSWORD, Server
from tests.sync.engines import QUICK, stored
from tests.sync.faults import Fault, FaultProxy, Faults
from tests.sync.headless import HeadlessConsole


@dataclass
class Restored:
    """A workstation that sent four cases and a note, restored to a copy made after two."""

    console: HeadlessConsole
    before: list[str]  # the cases the copy knows, sent
    missed: list[str]  # the cases sent after the copy was made
    notes: list[str]
    old_client: str
    taker: str


@pytest.fixture
def restored(centre: Server, tmp_path: Path) -> Iterator[tuple[Restored, FaultProxy]]:
    proxy = FaultProxy(int(centre.url.rsplit(":", 1)[1]))
    taker, supervisor = centre.user(Role.CALL_TAKER), centre.user(Role.SUPERVISOR)
    data_dir, backup = tmp_path / "console", tmp_path / "backup.sqlite3"
    console = HeadlessConsole(data_dir, QUICK, proxy.url)
    console.sign_in(taker, PASSWORD, supervisor)
    before = [console.take_call(f"第{n}位来电人反映三里屯路占道经营。") for n in (1, 2)]
    console.until_synced()
    with (
        closing(sqlite3.connect(data_dir / DATABASE_FILE)) as db,
        closing(sqlite3.connect(backup)) as copy,
    ):
        db.backup(copy)
    missed = [console.take_call(f"第{n}位来电人反映夜间占道经营噪音扰民。") for n in (3, 4)]
    notes = [console.note(before[0], "来电人再次来电催办。")]
    console.until_synced()
    old_client = console.operator.client_id
    console.close()
    for path in data_dir.glob(DATABASE_FILE + "*"):
        path.unlink()
    shutil.copy(backup, data_dir / DATABASE_FILE)
    console = HeadlessConsole(data_dir, QUICK, proxy.url)
    yield Restored(console, before, missed, notes, old_client, taker), proxy
    console.close()
    proxy.close()


def _each_once(centre: Server, restored: Restored, *more: str) -> None:
    ids = [*restored.before, *restored.missed, *more]
    assert stored(centre, ids) == dict.fromkeys(ids, 1)
    per_note = select(func.count()).where(CaseNoteRow.id.in_(restored.notes))
    assert centre.rows(per_note)[0][0] == len(restored.notes)
    retired = select(Console.retired_at).where(Console.client_id == restored.old_client)
    assert centre.rows(retired)[0][0] is not None
    assert restored.console.operator.client_id != restored.old_client  # a new enrolment…
    assert restored.console.operator.seat_code == restored.console.case_no(ids[0])[6:9]  # …here


def test_a_restored_console_working_offline_gets_its_clashing_case_renumbered(
    centre: Server, restored: tuple[Restored, FaultProxy]
) -> None:
    """Calls taken before the restored console reaches the server reuse numbers the server
    holds: the server stores such a case under a new number, and the console shows it."""
    was, proxy = restored
    console = was.console
    proxy.set(Faults(up=Fault.RESET))
    console.sign_in(was.taker, PASSWORD)  # against the local verifier
    clashing = console.take_call("恢复后受理：来电人反映小区门口路灯不亮已经一周。")
    was.notes.append(console.note(was.before[1], "恢复后补充：来电人希望尽快回复。"))
    sent_as = console.case_no(clashing)
    assert sent_as[9:] == "0003"  # the copy numbered two: the server has a third already
    proxy.heal()
    console.until_synced()

    [renumbered] = console.sync.problems()
    assert (renumbered.case_id, renumbered.mutation) == (clashing, "case.create")
    assert renumbered.case_no == sent_as and renumbered.new_case_no not in ("", sent_as)
    assert console.case_no(clashing) == renumbered.new_case_no  # the number to give the caller
    assert all(console.case_no(case_id) for case_id in was.missed)  # brought back
    following = console.take_call("恢复后第二个来电：反映公交站台顶棚破损漏雨。")
    console.until_synced()
    assert console.case_no(following)[9:] == "0005"  # after the last the seat had numbered
    _each_once(centre, was, clashing, following)


def test_a_restored_console_back_online_numbers_its_next_call_after_what_it_brought_back(
    centre: Server, restored: tuple[Restored, FaultProxy]
) -> None:
    was, _ = restored
    console = was.console
    console.sign_in(was.taker, PASSWORD)
    console.until_synced()
    assert all(console.case_no(case_id) for case_id in was.missed)  # brought back
    after = console.take_call("恢复后受理：来电人反映小区门口路灯不亮已经一周。")
    was.notes.append(console.note(was.before[1], "恢复后补充：来电人希望尽快回复。"))
    console.until_synced()

    assert console.case_no(after)[9:] == "0005"
    assert console.sync.problems() == []
    _each_once(centre, was, after)
