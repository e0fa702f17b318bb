"""A console's new cases: checked, bounded, numbered, and written at once.

The server sets what it knows: the operator, the seat and the console are the session's, and
the receive time (`received_at`) is its own clock. The time the call was taken (`created_at`)
is the console's, since an offline call really happened then, but bounded: not after the
server's time plus MAX_CLOCK_SKEW, not before the console's enrolment. A deadline is after the
call and at most MAX_DEADLINE after it.

A case number is final when the console saves the case, but a console restored from a backup,
or a reinstalled workstation that took its seat back, can give a new case a number the server
already holds for another case of its seat. Such a case is still stored, under the highest free
number of that seat and day (counting down from 9999, so that it never lands on a number the
console will give its next cases), and answered `conflict` with the number kept.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select

from console.central.case_checks import require
from console.central.mutations import APPLIED, CONFLICT, Applying, Outcome, Rejected
from console.domain.arguments import uuid_arg
from console.domain.enums import EventKind, Handling
from console.domain.errors import InvalidArgument, ValidationFailed
from console.domain.ids import new_id
from console.domain.new_case import NewCase
from console.domain.numbering import MAX_DAILY, is_valid_seat_code
from console.domain.workflow import Action
from console.store.bulk import bulk_insert
from console.store.schema import Case, CaseAssistingAgency
from console.store.server_schema import ConflictRow, Console

MAX_CLOCK_SKEW = timedelta(minutes=5)  # how far a console's clock may run ahead of the server's
MAX_DEADLINE = timedelta(days=60)  # the longest deadline is 15 days; extensions come later
RENUMBERED_BY = "server"  # the `by` of a renumbering's conflict


class Run:
    """Creates decided one by one, as if applied in order, then written with one statement per
    table. A create sent again (the same id) is recognised; the same id with a number it was
    never sent with is refused."""

    def __init__(self, ctx: Applying, many: list[dict[str, Any]]) -> None:
        self.ctx = ctx
        self.sent = {str(a.get("case_no"))[:16] for a in many}
        ids = [str(a.get("id"))[:36] for a in many]
        rows = ctx.session.execute(
            select(Case.id, Case.case_no, Case.version).where(
                or_(Case.id.in_(ids), Case.case_no.in_(self.sent))
            )
        ).all()
        self.known = {row.id: (row.case_no, row.version) for row in rows}
        self.taken = {row.case_no for row in rows}
        self.renumbered: dict[str, str] = {}  # the case id: the number it was sent with
        self.earliest = _earliest_call(ctx)
        self.new: list[dict[str, Any]] = []
        self.conflicts: list[dict[str, Any]] = []

    def decide(self, args: dict[str, Any], mid: int) -> Outcome:
        require(self.ctx, Action.CREATE)
        case_id = uuid_arg(args, "id")
        if case_id in self.known:
            return self._again(case_id, args.get("case_no"))
        new = checked_case(self.ctx, args, self.earliest)
        values = stored_case(self.ctx, new)
        sent = values["case_no"]
        if sent in self.taken:
            values["case_no"] = self._free_number(sent)
            self._renumbered(values, sent, mid)
        self.known[case_id] = (values["case_no"], 1)
        self.taken.add(values["case_no"])
        names = self.ctx.reference.agencies
        assisting = [
            {"agency_code": a, "agency_name": names[a].name} for a in new.assisting_agencies
        ]
        self.new.append({**values, "assisting": assisting})
        body = {"case_id": case_id, "case_no": values["case_no"], "version": 1}
        if values["case_no"] == sent:
            return Outcome(APPLIED, body)
        return Outcome(CONFLICT, {**body, "conflicts": [self.conflicts[-1]["body"]]})

    def _again(self, case_id: str, sent: object) -> Outcome:
        case_no, version = self.known[case_id]
        if sent != case_no and not self._was_renumbered(case_id, sent):
            raise Rejected("duplicate_id", case_id=case_id)
        return Outcome(APPLIED, {"case_id": case_id, "case_no": case_no, "version": version})

    def _was_renumbered(self, case_id: str, sent: object) -> bool:
        if case_id in self.renumbered:
            return self.renumbered[case_id] == sent
        query = select(ConflictRow.yours).where(
            ConflictRow.case_id == case_id, ConflictRow.field == "case_no"
        )
        return sent in self.ctx.session.execute(query).scalars().all()

    def _free_number(self, sent: str) -> str:
        """The highest number of the sent number's seat and day that no case holds and no
        create of this run was sent with."""
        prefix = sent[:9]
        stored = select(Case.case_no).where(Case.case_no.between(prefix + "0000", prefix + "9999"))
        used = {*self.ctx.session.execute(stored).scalars(), *self.taken, *self.sent}
        free = next((n for n in range(MAX_DAILY, 0, -1) if f"{prefix}{n:04d}" not in used), 0)
        if not free:
            raise Rejected("case_numbers_exhausted", day=prefix[:6], seat_code=prefix[6:])
        return f"{prefix}{free:04d}"

    def _renumbered(self, values: dict[str, Any], sent: str, mid: int) -> None:
        kept = values["case_no"]
        self.renumbered[values["id"]] = sent
        conflict = {"field": "case_no", "yours": sent, "kept": kept, "by": RENUMBERED_BY}
        self.conflicts.append({"case_id": values["id"], "mid": mid, "body": conflict})

    def write(self) -> None:
        if not self.new:
            return
        ctx = self.ctx
        cases = [{k: v for k, v in values.items() if k != "assisting"} for values in self.new]
        bulk_insert(ctx.session, Case, cases)
        assisting = [{"case_id": v["id"], **a} for v in self.new for a in v["assisting"]]
        bulk_insert(ctx.session, CaseAssistingAgency, assisting)
        bulk_insert(ctx.session, ConflictRow, [self._conflict_row(c) for c in self.conflicts])
        audits = [ctx.audit_row(c["id"], "case.create", None, c) for c in cases]
        events = [event for case in cases for event in self._events(case)]
        ctx.record(audits, events)

    def _conflict_row(self, conflict: dict[str, Any]) -> dict[str, Any]:
        body = conflict["body"]
        return {
            "id": new_id(),
            "case_id": conflict["case_id"],
            "client_id": self.ctx.actor.client_id,
            "mid": conflict["mid"],
            "field": body["field"],
            "yours": body["yours"],
            "kept": body["kept"],
            "kept_by": body["by"],
            "at": self.ctx.now,
        }

    def _events(self, case: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = self.ctx
        dispatched = case["handling"] == Handling.DISPATCH.value
        handled = (
            (EventKind.DISPATCHED, case["lead_agency_name"])
            if dispatched
            else (EventKind.ANSWERED, "")
        )
        events = [
            ctx.event_row(case["id"], EventKind.CREATED, case["case_no"]),
            ctx.event_row(case["id"], *handled),
        ]
        sent = self.renumbered.get(case["id"])
        if sent is not None:
            # What the call-taker told the caller, and the number to tell them now.
            detail = f"case_no: {sent} → {case['case_no']}"
            events.append(ctx.event_row(case["id"], EventKind.CONFLICT, detail))
        return events


def _earliest_call(ctx: Applying) -> datetime | None:
    """The earliest time a call of the actor's console can have been taken: its enrolment, or
    that of a console that held its seat before (a reinstalled workstation takes its seat back
    and sends again what was typed before). None for a mutation not from a console."""
    if not ctx.actor.client_id:
        return None
    query = select(func.min(Console.enrolled_at)).where(
        or_(Console.client_id == ctx.actor.client_id, Console.seat_code == ctx.actor.seat_code)
    )
    return ctx.session.execute(query).scalar()


def checked_case(ctx: Applying, args: dict[str, Any], earliest: datetime | None) -> NewCase:
    """The case as sent, every argument checked, nothing taken on trust: its number of the
    actor's seat, validated as the console validates an intake, its times bounded."""
    try:
        new = NewCase.from_args(args, ctx.reference, ctx.now)
    except InvalidArgument as bad:
        raise Rejected("invalid_args", field=bad.field) from None
    except ValidationFailed as failed:
        errors = [{"field": e.field, "code": e.code} for e in failed.errors]
        raise Rejected("invalid_case", errors=errors) from None
    seat = ctx.actor.seat_code
    if not is_valid_seat_code(seat) or new.case_no[6:9] != seat:
        raise Rejected("case_no_not_of_this_seat", seat_code=seat)
    latest = ctx.now + MAX_CLOCK_SKEW
    if new.created_at > latest:
        raise Rejected("invalid_args", field="created_at", latest=latest.isoformat())
    if earliest is not None and new.created_at < earliest - MAX_CLOCK_SKEW:
        raise Rejected("invalid_args", field="created_at", earliest=earliest.isoformat())
    deadline = new.deadline_at
    if deadline is not None and not new.created_at < deadline <= new.created_at + MAX_DEADLINE:
        raise Rejected("invalid_args", field="deadline_at")
    return new


def stored_case(ctx: Applying, new: NewCase) -> dict[str, Any]:
    """The case as the server stores it: taken by the session's account at its seat, which owns
    it, and received now."""
    return {
        **new.values(ctx.reference),
        "client_id": ctx.actor.client_id,
        "seat_code": ctx.actor.seat_code,
        "operator": ctx.actor.username,
        "owner": ctx.actor.username,
        "received_at": ctx.now,
        "updated_at": ctx.now,
        "field_versions": {},
    }
