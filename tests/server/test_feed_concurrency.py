"""The change feed under concurrent writers on PostgreSQL: no row skipped, none seen twice.

PostgreSQL hands out sequence numbers before commit, so rows become visible out of seq order.
Each scenario runs the product's feed next to naive readers (negative controls) that must be
caught missing a row: that shows the scenario really produces the out-of-order commit.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Connection, Engine, create_engine, insert, select, text
from sqlalchemy.orm import Session

from console.central import feed
from console.domain.clock import utc_now
from console.domain.ids import new_id
from console.store.server_schema import ChangeLog

Reader = Callable[[Engine], list[int]]


@pytest.fixture
def engine(pg_url: str) -> Iterator[Engine]:
    made = create_engine(pg_url, pool_size=20)
    yield made
    made.dispose()


def write(conn: Connection) -> int:
    """One change row in the connection's open transaction; its seq."""
    row = {"entity": "case", "entity_id": new_id(), "at": utc_now()}
    return int(conn.execute(insert(ChangeLog).returning(ChangeLog.seq), [row]).scalar_one())


class FeedReader:
    """The product's feed, polled page by page as a console pulls."""

    def __init__(self, page: int = 50) -> None:
        self.at = feed.Position()
        self.page = page

    def __call__(self, engine: Engine) -> list[int]:
        seen: list[int] = []
        with Session(engine) as session:
            while rows := feed.read_changes(session, self.at, self.page):
                seen += [row.s for row in rows]
                self.at = feed.Position(rows[-1].x, rows[-1].s)
        return seen


class NaiveReader:
    """`seq > cursor`, the query the design forbids."""

    query = "SELECT seq FROM change_log WHERE seq > :at ORDER BY seq"

    def __init__(self) -> None:
        self.at = 0

    def __call__(self, engine: Engine) -> list[int]:
        with engine.connect() as conn:
            seen = [int(s) for s in conn.execute(text(self.query), {"at": self.at}).scalars()]
        self.at = max(seen, default=self.at)
        return seen


class HorizonBySeqReader(NaiveReader):
    """Waits for older transactions but keeps its cursor on seq alone (sync.md §3.2)."""

    query = (
        "SELECT seq FROM change_log WHERE seq > :at"
        " AND xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint ORDER BY seq"
    )


def poll(readers: dict[str, Reader], engine: Engine, seen: dict[str, list[int]]) -> None:
    for name, reader in readers.items():
        seen[name] += reader(engine)


def test_a_late_commit_is_delayed_never_skipped(engine: Engine) -> None:
    """A takes its number first and commits last; B commits in between."""
    readers: dict[str, Reader] = {"feed": FeedReader(), "naive": NaiveReader()}
    seen: dict[str, list[int]] = {name: [] for name in readers}
    with engine.connect() as a, engine.connect() as b:
        first = write(a)
        second = write(b)
        b.commit()
        poll(readers, engine, seen)
        a.commit()
    poll(readers, engine, seen)
    assert first < second
    assert seen["feed"] == [first, second]
    assert seen["naive"] == [second]  # the negative control: `seq > cursor` lost A's row


def test_the_feed_orders_by_transaction_not_by_number(engine: Engine) -> None:
    """The older transaction takes the later number: a seq cursor skips the earlier one."""
    readers: dict[str, Reader] = {"feed": FeedReader(), "by_seq": HorizonBySeqReader()}
    seen: dict[str, list[int]] = {name: [] for name in readers}
    with engine.connect() as older, engine.connect() as younger:
        older.execute(text("SELECT pg_current_xact_id()"))
        earlier = write(younger)
        later = write(older)
        older.commit()
        poll(readers, engine, seen)
        younger.commit()
    poll(readers, engine, seen)
    assert seen["feed"] == [later, earlier]
    assert seen["by_seq"] == [later]  # the negative control: earlier is below its cursor


def test_many_writers_and_readers_see_every_committed_row_exactly_once(engine: Engine) -> None:
    committed: list[int] = []
    lock = threading.Lock()
    writers_done = threading.Event()

    def writer(seed: int) -> None:
        chance = random.Random(seed)
        for _ in range(40):
            with engine.connect() as conn:
                numbers = [write(conn) for _ in range(chance.randint(1, 3))]
                time.sleep(chance.uniform(0, 0.02))
                if chance.random() < 0.1:
                    conn.rollback()
                    continue
                conn.commit()
            with lock:
                committed.extend(numbers)

    def reader(name: str, make: Callable[[], Reader], seen: dict[str, list[int]]) -> None:
        read = make()
        while not writers_done.is_set():
            seen[name] += read(engine)
            time.sleep(0.002)
        seen[name] += read(engine)  # every writer has ended: catch up

    seen: dict[str, list[int]] = {}
    kinds: dict[str, Callable[[], Reader]] = {
        **{f"feed{i}": lambda: FeedReader(page=7) for i in range(3)},
        "naive": NaiveReader,
    }
    seen.update({name: [] for name in kinds})
    readers = [threading.Thread(target=reader, args=(n, k, seen)) for n, k in kinds.items()]
    writers = [threading.Thread(target=writer, args=(seed,)) for seed in range(8)]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    writers_done.set()
    for thread in readers:
        thread.join()
    assert len(committed) > 300
    for name in ("feed0", "feed1", "feed2"):
        assert sorted(seen[name]) == sorted(committed), name
    assert set(seen["naive"]) < set(committed)  # the negative control lost rows


def test_every_change_row_carries_its_transaction(engine: Engine) -> None:
    with engine.connect() as conn:
        seq = write(conn)
        xid = conn.execute(text("SELECT pg_current_xact_id()::text::bigint")).scalar_one()
        conn.commit()
        stored = conn.execute(select(ChangeLog.xid).where(ChangeLog.seq == seq)).scalar_one()
    assert stored == xid
