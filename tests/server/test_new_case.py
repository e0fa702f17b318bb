"""A case a console saved reaches the server as its outbox holds it, and the server stores the
case the console stored: one payload (console.domain.new_case) on both sides."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.store.db import sqlite_engine
from console.store.schema import Case, CaseAssistingAgency
from console.workstation.local import DATABASE_FILE
from tests.forms import COMPLAINT, CONSULTATION
from tests.server.process import Server
from tests.server.workstation import Workstation

# What only the server keeps of a case: who owns it, its work after intake, when it arrived.
SERVER_ONLY = {
    "owner",
    "field_versions",
    "extension_until",
    "return_reason",
    "reply_text",
    "solved",
    "satisfied",
    "merged_into",
    "received_at",
    "updated_at",
}
SHARED = [column for column in Case.__table__.columns if column.name not in SERVER_ONLY]
CALLS = (
    replace(
        COMPLAINT,
        urgency="urgent",
        callback_phone="010-65123456",
        assisting_agency_codes=("C002", "U001"),
    ),
    CONSULTATION,
    replace(
        COMPLAINT,
        caller_name="",
        anonymous=True,
        confidential=True,
        description="匿名来电：小区地下车库有人私拉电线给电动车充电，担心起火。",
    ),
)


def _cases(session: Session, ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = session.execute(select(*SHARED).where(Case.id.in_(ids)))
    cases = {row.id: {**row._asdict(), "assisting": set()} for row in rows}
    agencies = select(CaseAssistingAgency).where(CaseAssistingAgency.case_id.in_(ids))
    for agency in session.execute(agencies).scalars():
        cases[agency.case_id]["assisting"].add((agency.agency_code, agency.agency_name))
    return cases


def test_a_consoles_outbox_is_taken_as_it_is_and_stored_as_the_console_stored_it(
    server: Server, workstation: Workstation
) -> None:
    ids = [workstation.take(call) for call in CALLS]

    answer = workstation.send()

    assert answer.status_code == 200, answer.text
    assert [r["status"] for r in answer.json()["results"]] == ["applied"] * len(CALLS)
    engine = sqlite_engine(workstation.folder / DATABASE_FILE, writer=False)
    try:
        with Session(engine) as session:
            local = _cases(session, ids)
    finally:
        engine.dispose()
    with server.database() as session:
        stored = _cases(session, ids)
    assert stored == local
    assert len(stored) == len(CALLS)
    assert {code for code, _ in stored[ids[0]]["assisting"]} == {"C002", "U001"}
