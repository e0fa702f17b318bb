"""The mutations a console sends: create a case, change its fields, add a note.

Rules (server-authoritative, never by the client's clock): a create is always accepted and a
re-sent one is recognised by its id (see case_create); a field another console changed since
the version the user edited keeps the server's value and the user's value becomes a conflict; a
losing description is kept as a note; notes never conflict. Who may change or note a case in
which status is the work order's table (console.domain.workflow.RULES).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from console.central.case_checks import acting_on, allow
from console.central.case_create import Run
from console.central.mutations import (
    APPLIED,
    CONFLICT,
    Applying,
    Outcome,
    Rejected,
    handles,
    handles_runs,
    refusal_of,
)
from console.domain.arguments import text_arg, uuid_arg
from console.domain.cases import MAX_NOTE
from console.domain.edits import EDITABLE, checked_edit, derived
from console.domain.enums import EventKind
from console.domain.errors import InvalidArgument
from console.domain.ids import new_id
from console.domain.workflow import Action
from console.store.schema import Case, CaseNoteRow
from console.store.server_schema import AuditRow, ConflictRow


@handles("case.create")
def create(ctx: Applying, args: dict[str, Any]) -> Outcome:
    return create_run(ctx, [args])[0]


@handles_runs("case.create")
def create_run(ctx: Applying, many: list[dict[str, Any]]) -> list[Outcome]:
    """Each create decided as if applied in order, then all written at once."""
    run = Run(ctx, many)
    outcomes: list[Outcome] = []
    for i, args in enumerate(many):
        try:
            outcomes.append(run.decide(args, ctx.mid + i if ctx.mid else 0))
        except (Rejected, InvalidArgument) as error:
            outcomes.append(refusal_of(error))
    run.write()
    return outcomes


@handles("case.update")
def update(ctx: Applying, args: dict[str, Any]) -> Outcome:
    """Field by field: applied if unchanged on the server since `base_version`, else kept."""
    case = acting_on(ctx, args.get("case_id"), Action.EDIT)
    base = args.get("base_version")
    changes = args.get("set")
    if not isinstance(base, int) or isinstance(base, bool) or not isinstance(changes, dict):
        raise Rejected("invalid_args", field="base_version" if not isinstance(base, int) else "set")
    if not changes or any(f not in EDITABLE for f in changes):
        raise Rejected("invalid_args", field="set")
    new_values = {f: _checked_field(ctx, f, v) for f, v in changes.items()}
    if new_values.get("lead_agency_code", case.lead_agency_code) != case.lead_agency_code:
        allow(ctx, case, Action.CHANGE_AGENCY)
    versions = dict(case.field_versions or {})
    applied, conflicts = _sort_out(ctx, case, base, new_values)
    if applied:
        before = {name: getattr(case, name) for name in applied}
        _set_fields(ctx, case, applied)
        ctx.changed(case, "case.update", before, applied, (EventKind.UPDATED, ", ".join(applied)))
        case.field_versions = {**versions, **dict.fromkeys(applied, case.version)}
    body = {"case_id": case.id, "version": case.version, "applied": sorted(applied)}
    if conflicts:
        return Outcome(CONFLICT, {**body, "conflicts": conflicts})
    return Outcome(APPLIED, body)


def _sort_out(
    ctx: Applying, case: Case, base: int, values: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The values to apply, and the conflicts of those changed by someone else since `base`."""
    versions = case.field_versions or {}
    applied: dict[str, Any] = {}
    conflicts: list[dict[str, Any]] = []
    for name, value in values.items():
        if versions.get(name, 0) <= base:
            applied[name] = value
            continue
        actor, client_id = _last_change(ctx, case.id, name)
        if client_id and client_id == ctx.actor.client_id:
            applied[name] = value
        else:
            conflicts.append(_conflict(ctx, case, name, value, actor))
    return applied, conflicts


def _checked_field(ctx: Applying, name: str, value: Any) -> Any:
    checked = checked_edit(ctx.reference, name, value)
    if checked is None:
        raise Rejected("invalid_args", field=name)
    return checked


def _set_fields(ctx: Applying, case: Case, values: dict[str, Any]) -> None:
    for name, value in {**values, **derived(ctx.reference, values)}.items():
        setattr(case, name, value)


def _conflict(ctx: Applying, case: Case, name: str, yours: Any, by: str) -> dict[str, Any]:
    """Keep the server's value; store the user's, and for a description keep it as a note."""
    kept = getattr(case, name)
    ctx.session.execute(
        insert(ConflictRow),
        [
            {
                "id": new_id(),
                "case_id": case.id,
                "client_id": ctx.actor.client_id,
                "mid": ctx.mid,
                "field": name,
                "yours": yours,
                "kept": kept,
                "kept_by": by,
                "at": ctx.now,
            }
        ],
    )
    ctx.event(case.id, EventKind.CONFLICT, name)
    if name == "description":
        _add_note(ctx, case.id, new_id(), yours)
    return {"field": name, "yours": yours, "kept": kept, "by": by}


def _last_change(ctx: Applying, case_id: str, name: str) -> tuple[str, str]:
    """Who changed the field last, and on which console. A console's own earlier change is no
    conflict: its mutations are based on what it knew when they were made, not on what it
    has sent since."""
    query = select(AuditRow).where(AuditRow.entity_id == case_id).order_by(AuditRow.id.desc())
    for row in ctx.session.execute(query).scalars():
        if name in (row.after or {}):
            return row.actor, row.client_id
    return "", ""


@handles("case.add_note")
def add_note(ctx: Applying, args: dict[str, Any]) -> Outcome:
    """Append-only: never a conflict; a note sent again is recognised by its id."""
    case = acting_on(ctx, args.get("case_id"), Action.NOTE)
    note_id = uuid_arg(args, "note_id")
    text = text_arg(args, "text", MAX_NOTE)
    if ctx.session.get(CaseNoteRow, note_id) is None:
        _add_note(ctx, case.id, note_id, text)
        ctx.changed(case, "case.add_note", None, {"note_id": note_id}, (EventKind.NOTE_ADDED, ""))
    return Outcome(APPLIED, {"case_id": case.id, "version": case.version, "note_id": note_id})


def _add_note(ctx: Applying, case_id: str, note_id: str, text: str) -> None:
    ctx.session.execute(
        insert(CaseNoteRow),
        [
            {
                "id": note_id,
                "case_id": case_id,
                "at": ctx.now,
                "author": ctx.actor.username,
                "seat_code": ctx.actor.seat_code,
                "text": text,
            }
        ],
    )
