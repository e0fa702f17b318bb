"""The unit of work: one session, one transaction, committed only when asked."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from console.store.outbox import OutboxRepository
from console.store.replica import ReplicaRepository, SeatUserRepository
from console.store.repositories import (
    CaseRepository,
    CounterRepository,
    DraftRepository,
    MetaRepository,
)


class UnitOfWork:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def __enter__(self) -> UnitOfWork:
        self.session = self._sessions()
        self.session.begin()
        self.cases = CaseRepository(self.session)
        self.counters = CounterRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        self.meta = MetaRepository(self.session)
        self.drafts = DraftRepository(self.session)
        self.replica = ReplicaRepository(self.session)
        self.seat_users = SeatUserRepository(self.session)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()
