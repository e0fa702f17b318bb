"""Many rows into one table at once, in the session's transaction: on PostgreSQL by COPY."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql as pgsql
from sqlalchemy import Dialect, Table, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from console.store.schema import Base

COPY_FROM = 10  # rows; COPY takes a round trip more than an INSERT, worth it for many rows


def bulk_insert(session: Session, entity: type[Base], rows: list[dict[str, Any]]) -> None:
    """Insert rows into the entity's table at once, in the session's transaction.

    On PostgreSQL by COPY: an INSERT for each row, even pipelined, costs the server process
    more than all the rest of a case's creation. The values go through the columns' own
    conversions, and errors come out as SQLAlchemy's, as they would from an INSERT."""
    if not rows:
        return
    table = Base.metadata.tables[entity.__tablename__]
    filled = _with_defaults(table, rows)
    driver = session.connection().connection.driver_connection
    if filled is None or len(rows) < COPY_FROM or not isinstance(driver, psycopg.Connection):
        session.execute(insert(table), rows)
        return
    session.flush()  # the ORM's pending rows first: these may refer to them
    try:
        _copy(driver, table, filled, session.get_bind().dialect)
    except psycopg.Error as error:
        raise DBAPIError.instance(f"COPY {table.name}", None, error, psycopg.Error) from error


def _copy(
    driver: psycopg.Connection[Any], table: Table, rows: list[dict[str, Any]], dialect: Dialect
) -> None:
    columns = list(rows[0])
    binds = [table.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in columns]
    names = pgsql.SQL(", ").join(map(pgsql.Identifier, columns))
    copy_in = pgsql.SQL("COPY {} ({}) FROM STDIN").format(pgsql.Identifier(table.name), names)
    with driver.cursor() as cursor, cursor.copy(copy_in) as copy:
        for row in rows:
            values = zip(columns, binds, strict=True)
            copy.write_row([bind(row[n]) if bind else row[n] for n, bind in values])


def _with_defaults(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The rows with the columns' Python defaults, which COPY knows nothing of; None if one
    of those is computed (an INSERT computes it)."""
    missing = [c for c in table.c if c.default is not None and c.name not in rows[0]]
    if not all(c.default is not None and c.default.is_scalar for c in missing):
        return None
    defaults = {c.name: getattr(c.default, "arg", None) for c in missing}
    return [{**defaults, **row} for row in rows] if defaults else rows
