"""Cases as a pull carries them: the case's fields with its notes, timeline and assisting
agencies, written as one JSON array of changes. An upsert's `data` is the list of the case's
values in the order of FIELDS, which the page names once: a page of a thousand cases does not
repeat forty-odd field names a thousand times (a third of its bytes), and a console parses it
in half the time.

A page holds up to a thousand cases and a new console downloads a million, so this is the
server's busiest path: plain queries (the cases, then each list for all of them at once), rows
as the driver returns them and orjson; no ORM objects, no per-value conversions. The consoles
following the feed all ask for the same few changed cases within seconds: the documents of
recent versions are kept (KEPT), and a pull of them reads only their versions.

What a console receives is what it may keep on its disk: no console ids (HIDDEN), and a
confidential (保密) caller's number and name only on the console of the case's owner. The kept
documents are whole; each page withholds the caller for its viewer as it is written, which
costs a copy of the few confidential cases of others and nothing for the rest.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import orjson
from sqlalchemy import (
    ColumnElement,
    DateTime,
    FromClause,
    Text,
    any_,
    bindparam,
    cast,
    func,
    select,
    true,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import KeyedColumnElement

from console.store.schema import (
    Case,
    CaseAssistingAgency,
    CaseEventRow,
    CaseNoteRow,
    UTCDateTime,
)

# The server's bookkeeping, not the case's; and which console sent a case is no other
# console's business (a console id was a credential once).
HIDDEN = frozenset({"field_versions", "client_id"})
# Who called in a confidential case: for the owner's console only.
WITHHELD = ("caller_phone", "caller_name", "callback_phone")
CASES = Case.__table__
# A case's lists: the table and the columns that order it.
LISTS: dict[str, tuple[FromClause, tuple[str, ...]]] = {
    "notes": (CaseNoteRow.__table__, ("at", "id")),
    "events": (CaseEventRow.__table__, ("at", "id")),
    "assisting_agencies": (CaseAssistingAgency.__table__, ("agency_code",)),
}

KEPT_DOCS = 5_000  # about 15 MB: the cases changed in the last half hour of a busy centre
InScope = ColumnElement[bool]
Document = tuple[Any, ...]  # a case's values, in the order of FIELDS


def changes_json(session: Session, ids: Sequence[str], in_scope: InScope, viewer: str) -> bytes:
    """The changes of the cases `ids`, in that order, as a JSON array, as the user `viewer` may
    see them: an upsert with the case's document while it is in scope (`in_scope`, an
    expression on the cases table), a removal otherwise. Ids of no case are left out. Times are
    ISO 8601 in UTC."""
    now = current(session, ids, in_scope)
    changes = [_change(i, *now[i], viewer) for i in ids if i in now]
    return orjson.dumps(changes, option=orjson.OPT_NAIVE_UTC)


def current(
    session: Session, ids: Sequence[str], in_scope: InScope
) -> dict[str, tuple[int, Document | None]]:
    """Each case of `ids` that exists: its version and, while it is in scope (`in_scope`, an
    expression on the cases table), its document, else None. A case changed between the two
    reads comes in the newer version just read.

    Documents come from KEPT when this process built them for the same version before."""
    if not ids:
        return {}
    query = select(CASES.c.id, CASES.c.version, in_scope).where(_among(session, ids)(CASES.c.id))
    now = {case_id: (version, shown) for case_id, version, shown in session.execute(query).all()}
    # Taken out of KEPT once: the documents kept below (and other pulls) may push them out.
    docs = {i: KEPT.get((i, version)) for i, (version, shown) in now.items() if shown}
    missing = [i for i, doc in docs.items() if doc is None]
    if missing:
        query = select(*_CASE_COLUMNS, true()).where(_among(session, missing)(CASES.c.id))
        for doc in _documents(session, session.execute(query).all()):
            if doc is not None:
                docs[doc[0]] = KEPT.keep((doc[0], doc[_VERSION]), doc)
    found: dict[str, tuple[int, Document | None]] = {}
    for case_id, (version, _) in now.items():
        doc = docs.get(case_id)
        found[case_id] = (doc[_VERSION] if doc else version, doc)
    return found


def written(case_id: str, version: int, doc: Document | None, with_caller: bool) -> bytes:
    """One change as JSON, an item of `changes_json`'s array: an upsert of `doc`, its caller
    withheld unless `with_caller`, or a removal if `doc` is None."""
    data = doc if doc is None or with_caller else _without_caller(doc)
    return orjson.dumps(_item(case_id, version, data), option=orjson.OPT_NAIVE_UTC)


def shows_caller(doc: Document, viewer: str) -> bool:
    """Whether the user `viewer` may see the caller of the case: not confidential, or theirs."""
    return not doc[_CONFIDENTIAL] or doc[_OWNER] == viewer


def scope_json(
    session: Session, in_scope: InScope, after: str, limit: int, viewer: str
) -> tuple[bytes, list[str]]:
    """The upserts of the next `limit` cases in scope after the case id `after`, in id order,
    as the user `viewer` may see them, and the ids of up to `limit + 1`: one more than asked
    says that more follow."""
    # The page's ids first (on PostgreSQL from the scope index alone, see migration 0003),
    # then their rows: the scope's cases are sparse among a year of closed ones.
    ids = (
        select(CASES.c.id)
        .where(in_scope, CASES.c.id > after)
        .order_by(CASES.c.id)
        .limit(limit + 1)
        .subquery()
    )
    query = (
        select(*_CASE_COLUMNS, true())
        .join_from(ids, CASES, CASES.c.id == ids.c.id)
        .order_by(ids.c.id)
    )
    rows = session.execute(query).all()
    page = rows[:limit]
    changes = [_change(row[0], row[_VERSION], doc, viewer)
               for row, doc in zip(page, _documents(session, page), strict=True)]  # fmt: skip
    return orjson.dumps(changes, option=orjson.OPT_NAIVE_UTC), [row[0] for row in rows]


def count(session: Session, in_scope: InScope) -> int:
    """How many cases are in scope (`in_scope`, an expression on the cases table)."""
    return int(
        session.execute(select(func.count()).select_from(CASES).where(in_scope)).scalar_one()
    )


def _change(case_id: str, version: int, doc: Document | None, viewer: str) -> dict[str, Any]:
    data = doc if doc is None or shows_caller(doc, viewer) else _without_caller(doc)
    return _item(case_id, version, data)


def _item(case_id: str, version: int, data: Document | None) -> dict[str, Any]:
    op = "remove" if data is None else "upsert"
    return {"entity": "case", "id": case_id, "op": op, "version": version, "data": data}


def _without_caller(doc: Document) -> Document:
    return tuple("" if i in _WITHHELD else value for i, value in enumerate(doc))


def _documents(session: Session, rows: Sequence[Sequence[Any]]) -> list[Document | None]:
    """Rows of the case columns and, last, whether the case is in scope, as documents: the
    values of FIELDS (None for a case out of scope)."""
    shown = [row[0] for row in rows if row[-1]]
    among = _among(session, shown)
    lists = [_rows(session, table, order, among) if shown else {}
             for table, order in LISTS.values()]  # fmt: skip
    return [(*row[:-1], *(by_case.get(row[0], []) for by_case in lists)) if row[-1] else None
            for row in rows]  # fmt: skip


class _Kept:
    """Documents of recent case versions, kept by this process for the pulls that follow: the
    consoles following the feed all fetch the same few changed cases within seconds. Keyed by
    (case id, version), so a document is never stale; read-only once kept."""

    def __init__(self, size: int) -> None:
        self._docs: OrderedDict[tuple[str, int], Document] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[str, int]) -> Document | None:
        with self._lock:
            doc = self._docs.get(key)
            if doc is not None:
                self._docs.move_to_end(key)
            return doc

    def keep(self, key: tuple[str, int], doc: Document) -> Document:
        with self._lock:
            self._docs[key] = doc
            self._docs.move_to_end(key)
            while len(self._docs) > self._size:
                self._docs.popitem(last=False)
        return doc


KEPT = _Kept(KEPT_DOCS)


def _shown(table: FromClause) -> list[KeyedColumnElement[Any]]:
    return [c for c in table.columns if c.key not in HIDDEN and c.key != "case_id"]


def _raw(column: KeyedColumnElement[Any]) -> ColumnElement[Any]:
    """Times as the database holds them (naive UTC, written with +00:00 by orjson), without
    making each one aware first."""
    if isinstance(column.type, UTCDateTime):
        return type_coerce(column, DateTime()).label(column.key)
    return column


def _among(session: Session, ids: Sequence[str]) -> Callable[[ColumnElement[str]], InScope]:
    """A test that a column holds one of `ids`."""
    if session.get_bind().dialect.name == "postgresql":
        # One array literal: a thousand parameters, or a list adapted item by item, cost more
        # to send than the rows.
        literal = "{" + ",".join(_quoted(i) for i in ids) + "}"
        array = cast(bindparam(None, literal, Text), ARRAY(Text))
        return lambda column: column == any_(array)
    return lambda column: column.in_(ids)


def _quoted(item: str) -> str:
    return '"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _rows(
    session: Session,
    table: FromClause,
    order: tuple[str, ...],
    among: Callable[[ColumnElement[str]], InScope],
) -> dict[str, list[dict[str, Any]]]:
    """The rows of `table` of the cases `among` picks, by case, each case's in `order`."""
    found: dict[str, list[dict[str, Any]]] = {}
    columns = _shown(table)
    names = [c.key for c in columns]
    query = (
        select(*map(_raw, columns), table.c.case_id)
        .where(among(table.c.case_id))
        .order_by(*(table.c[name] for name in order))
    )
    for row in session.execute(query).all():
        found.setdefault(row[-1], []).append(dict(zip(names, row, strict=False)))
    return found


_CASE_COLUMNS = [_raw(c) for c in _shown(CASES)]  # the id first
FIELDS = (*(c.key for c in _shown(CASES)), *LISTS)  # the names of a document's values
_VERSION = FIELDS.index("version")
_CONFIDENTIAL, _OWNER = FIELDS.index("confidential"), FIELDS.index("owner")
_WITHHELD = frozenset(FIELDS.index(name) for name in WITHHELD)
