"""Pull: what changed since a console's cursor, within its scope, as the cases are now.

The feed is the change log read in the order of (writing transaction, sequence number). On
PostgreSQL a sequence number is taken before its transaction commits, so a transaction may commit
after a later number is already visible; reading `seq > cursor` would skip it for ever. The feed
therefore reads only rows of transactions older than every transaction still in flight (the
snapshot's xmin) and keeps its cursor on (xid, seq): a late commit is delayed, never skipped.
On SQLite writers are serialised (BEGIN IMMEDIATE), so commit order is seq order.

A console without a cursor, or with one older than the retained change log, downloads its scope
first (a snapshot, in pages by case id) and then follows the feed from where the snapshot began.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeGuard

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    delete,
    func,
    literal_column,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import Session

from console.central import case_docs
from console.domain.errors import FieldError, ValidationFailed
from console.store.schema import OPEN_STATUSES, Case, MetaRow
from console.store.server_schema import ChangeLog

RECENT = timedelta(days=30)  # closed cases a console keeps for caller history
RETENTION = timedelta(days=30)  # change log kept; an older cursor downloads its scope again
HORIZON_KEY = "feed.pruned_to"
MAX_CURSOR = 200
_XMIN: ColumnElement[int] = literal_column(
    "pg_snapshot_xmin(pg_current_snapshot())::text::bigint", BigInteger()
)


@dataclass(frozen=True, order=True)
class Position:
    """A place in the feed: after every row at or before (xid, seq). xid is 0 on SQLite."""

    x: int = 0
    s: int = 0


@dataclass(frozen=True)
class Cursor:
    at: Position
    after_case: str | None = None  # set while a snapshot is being downloaded
    # While a snapshot is downloaded: the cases its scope held when it began, and those sent.
    cases: int | None = None
    sent: int = 0


@dataclass(frozen=True)
class Download:
    """A page of a download: the cases the scope held when it began, and those sent so far,
    this page's included."""

    cases: int
    sent: int


@dataclass(frozen=True)
class Viewer:
    """Whose scope: the user, and the seat of the console they pull for. The user also decides
    whether a confidential caller comes with a case (only to its owner, see case_docs)."""

    username: str
    seat_code: str = ""


@dataclass(frozen=True)
class Page:
    changes: bytes  # a JSON array (see case_docs)
    cursor: str
    has_more: bool
    reset: bool
    download: Download | None = None  # None: a page of the feed


def encode(cursor: Cursor) -> str:
    fields: dict[str, Any] = {"x": cursor.at.x, "s": cursor.at.s}
    if cursor.after_case is not None:
        fields["c"] = cursor.after_case
        if cursor.cases is not None:
            fields["t"], fields["n"] = cursor.cases, cursor.sent
    raw = json.dumps(fields, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode(text: str) -> Cursor:
    """The cursor a client sent back; anything it could not have been given is refused."""
    try:
        fields = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, binascii.Error) as error:
        raise _invalid_cursor() from error
    if not isinstance(fields, dict) or not set(fields) <= {"x", "s", "c", "t", "n"}:
        raise _invalid_cursor()
    x, s, case = fields.get("x"), fields.get("s"), fields.get("c")
    cases, sent = fields.get("t"), fields.get("n", 0)
    if not (_number(x) and _number(s) and _number(sent)):
        raise _invalid_cursor()
    if case is not None and (not isinstance(case, str) or len(case) > 36):
        raise _invalid_cursor()
    if cases is not None and not (_number(cases) and case is not None):
        raise _invalid_cursor()
    return Cursor(Position(x, s), case, cases, sent)


def _number(value: object) -> TypeGuard[int]:
    return type(value) is int and 0 <= value < 2**63


def _invalid_cursor() -> ValidationFailed:
    return ValidationFailed([FieldError("cursor", "invalid_cursor")])


def pull(
    session: Session, viewer: Viewer, cursor_text: str | None, limit: int, now: datetime
) -> Page:
    cursor = decode(cursor_text) if cursor_text else None
    if cursor is None:
        return _snapshot(session, viewer, Cursor(_start(session), ""), limit, now, reset=False)
    if cursor.after_case is not None:
        return _snapshot(session, viewer, cursor, limit, now, reset=False)
    rows, pruned_to = _read_with_horizon(session, cursor.at, limit + 1)
    if pruned_to is not None and cursor.at < pruned_to:
        return _snapshot(session, viewer, Cursor(_start(session), ""), limit, now, reset=True)
    page = rows[:limit]
    last = Position(page[-1].x, page[-1].s) if page else cursor.at
    ids = list(dict.fromkeys(row.entity_id for row in reversed(page)))[::-1]
    changes = case_docs.changes_json(session, ids, in_scope(viewer, now), viewer.username)
    return Page(changes, encode(Cursor(last)), len(rows) > limit, reset=False)


def _snapshot(
    session: Session, viewer: Viewer, cursor: Cursor, limit: int, now: datetime, reset: bool
) -> Page:
    after = cursor.after_case or ""
    scope = in_scope(viewer, now)
    # Counted once, on the first page: the console shows "n of m" for the whole download.
    cases = cursor.cases if cursor.cases is not None else case_docs.count(session, scope)
    changes, ids = case_docs.scope_json(session, scope, after, limit, viewer.username)
    sent = cursor.sent + min(len(ids), limit)
    download = Download(cases, sent)
    if len(ids) > limit:
        following = Cursor(cursor.at, ids[limit - 1], cases, sent)
        return Page(changes, encode(following), True, reset, download)
    # The snapshot is done; the feed goes on from where it began, with what changed meanwhile.
    more = bool(read_changes(session, cursor.at, 1))
    return Page(changes, encode(Cursor(cursor.at)), more, reset, download)


def in_scope(viewer: Viewer, now: datetime) -> ColumnElement[bool]:
    """Open cases of the centre, cases created in the last 30 days, and the viewer's own."""
    mine: list[ColumnElement[bool]] = [
        Case.status.in_(OPEN_STATUSES),
        Case.created_at >= now - RECENT,
        Case.owner == viewer.username,
    ]
    if viewer.seat_code:
        mine.append(Case.seat_code == viewer.seat_code)
    return or_(*mine)


def scope_test(viewer: Viewer, now: datetime) -> Callable[[case_docs.Document], bool]:
    """`in_scope` in memory, on a case's document (see case_docs): the same four tests on the
    same fields, for a change read once and sent to many consoles."""
    since = (now - RECENT).astimezone(UTC).replace(tzinfo=None)  # documents hold naive UTC
    user, seat = viewer.username, viewer.seat_code

    def test(doc: case_docs.Document) -> bool:
        return (
            doc[_STATUS] in OPEN_STATUSES
            or doc[_CREATED_AT] >= since
            or doc[_OWNER] == user
            or (bool(seat) and doc[_SEAT] == seat)
        )

    return test


_STATUS, _CREATED_AT, _OWNER, _SEAT = (
    case_docs.FIELDS.index(name) for name in ("status", "created_at", "owner", "seat_code")
)


@dataclass(frozen=True)
class FeedRow:
    x: int
    s: int
    entity: str
    entity_id: str


def read_changes(session: Session, after: Position, limit: int) -> list[FeedRow]:
    """Change rows after `after`, in feed order, only those no running transaction precedes."""
    return [FeedRow(x or 0, s, entity, entity_id) for x, s, entity, entity_id, _ in
            session.execute(_changes_after(session, after, limit))]  # fmt: skip


def _read_with_horizon(
    session: Session, after: Position, limit: int
) -> tuple[list[FeedRow], Position | None]:
    """`read_changes` and, in the same round trip, the horizon: None if there is no row, when
    none is needed: pruning keeps the newest row, so a cursor older than the horizon always has
    rows after it."""
    rows = session.execute(_changes_after(session, after, limit)).all()
    found = [FeedRow(x or 0, s, entity, entity_id) for x, s, entity, entity_id, _ in rows]
    if not rows:
        return found, None
    pruned_to = rows[0][-1]
    return found, Position(**json.loads(pruned_to)) if pruned_to is not None else Position()


def _changes_after(session: Session, after: Position, limit: int) -> Select[Any]:
    pruned_to = select(MetaRow.value).where(MetaRow.key == HORIZON_KEY).scalar_subquery()
    query = select(ChangeLog.xid, ChangeLog.seq, ChangeLog.entity, ChangeLog.entity_id, pruned_to)
    if _postgres(session):
        query = query.where(
            tuple_(ChangeLog.xid, ChangeLog.seq) > tuple_(after.x, after.s),
            ChangeLog.xid < _XMIN,
        ).order_by(ChangeLog.xid, ChangeLog.seq)
    else:
        query = query.where(ChangeLog.seq > after.s).order_by(ChangeLog.seq)
    return query.limit(limit)


@dataclass(frozen=True)
class Head:
    """Where the feed stands: its newest row a pull can see, and whether rows are committed
    that a pull cannot see yet (a transaction that began before theirs is still running)."""

    at: Position
    pending: bool


def head(session: Session) -> Head:
    if not _postgres(session):
        return Head(
            Position(0, session.execute(select(func.max(ChangeLog.seq))).scalar() or 0), False
        )
    visible = session.execute(
        select(ChangeLog.xid, ChangeLog.seq)
        .where(ChangeLog.xid < _XMIN)
        .order_by(ChangeLog.xid.desc(), ChangeLog.seq.desc())
        .limit(1)
    ).first()
    pending = session.execute(select(ChangeLog.seq).where(ChangeLog.xid >= _XMIN).limit(1)).first()
    at = Position(visible.xid, visible.seq) if visible is not None else Position()
    return Head(at, pending is not None)


def behind(cursor: Cursor | None, now: Head) -> bool:
    """Whether a pull from the cursor would bring something, the feed standing at `now`. A
    first pull, a download under way or a cursor older than the kept change log always do."""
    return cursor is None or cursor.after_case is not None or cursor.at < now.at


def _start(session: Session) -> Position:
    """Where the feed resumes after a snapshot taken now: every later change comes after it."""
    if _postgres(session):
        return Position(int(session.execute(select(_XMIN)).scalar_one()), 0)
    return Position(0, session.execute(select(func.max(ChangeLog.seq))).scalar() or 0)


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def horizon(session: Session) -> Position:
    """The newest position the change log has been pruned to: older cursors start again."""
    row = session.get(MetaRow, HORIZON_KEY)
    return Position(**json.loads(row.value)) if row is not None else Position()


def prune(session: Session, now: datetime, keep: timedelta = RETENTION) -> int:
    """Delete change rows older than `keep`; the caller commits. The number deleted.

    The newest row always stays: SQLite numbers a new row after the highest one left, and a
    number handed out again would hide the row from every cursor past it."""
    newest = session.execute(
        select(ChangeLog.xid, ChangeLog.seq)
        .where(
            ChangeLog.at < now - keep,
            ChangeLog.seq < select(func.max(ChangeLog.seq)).scalar_subquery(),
        )
        .order_by(ChangeLog.xid.desc(), ChangeLog.seq.desc())
        .limit(1)
    ).first()
    if newest is None:
        return 0
    to = Position(newest.xid or 0, newest.seq)
    if _postgres(session):
        upto = tuple_(ChangeLog.xid, ChangeLog.seq) <= tuple_(to.x, to.s)
    else:
        upto = ChangeLog.seq <= to.s
    deleted = session.connection().execute(delete(ChangeLog).where(upto)).rowcount
    pruned_to = max(to, horizon(session))
    session.merge(MetaRow(key=HORIZON_KEY, value=json.dumps(asdict(pruned_to))))
    return int(deleted)
