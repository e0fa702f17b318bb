"""Failed logins, counted per (user name, source address) and per source address.

Counting per name alone let anyone lock the owner out of an account; so a pair that fails
`MAX_PER_NAME` times in a window is stopped for the rest of that window, and the owner from
another address is not. One password tried across many names is slowed by the count per
address. Counts are kept in the database, so every server instance sees the same ones.

Only failures count, after the password is checked: guesses sent in parallel can overshoot a
limit by as many as the server checks at once (Argon2 bounds that), but a centre's consoles
logging in together from one address never stop each other. Rows of ended windows are deleted
as failures come, and an address over its limit adds no row per name, so the table holds
about one window's failures however many names are tried.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select
from sqlalchemy.orm import Session

from console.store.repositories import insert_or_update, prune
from console.store.server_schema import LoginFailures

WINDOW = timedelta(minutes=15)
MAX_PER_NAME = 5  # failures of one name from one address in a window
MAX_PER_ADDRESS = 30  # failures from one address, over all names, in a window
PRUNE_BATCH = 100  # rows of ended windows deleted at each attempt: a short statement


@dataclass(frozen=True)
class Keys:
    """The rows an attempt counts in: its address's, and its (name, address) pair's. An
    address many people share (the centre's own NAT or desktop gateway) has no count of its
    own: a shift's typos there must not stop the whole centre."""

    address: str | None
    pair: str

    @classmethod
    def of(cls, username: str, host: str | None, shared: bool = False) -> Keys:
        address = source(host)
        # The pair's key is a digest: a password typed into the name field is not kept.
        pair = hashlib.sha256(f"{address} {username}".encode()).hexdigest()
        return cls(None if shared else address, pair)


def source(host: str | None) -> str:
    """The address an attempt is counted under: an IPv6 host by its /64, since one
    subscriber usually holds a whole /64."""
    ip = _ip(host)
    if ip is None:
        return (host or "unknown")[:100]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def shared(host: str | None, networks: tuple[str, ...]) -> bool:
    """Whether `host` is in one of the `networks` (CIDR) that many people log in from."""
    ip = _ip(host)
    return ip is not None and any(ip in ipaddress.ip_network(net) for net in networks)


def _ip(host: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address((host or "").split("%")[0])  # without an IPv6 zone
    except ValueError:
        return None


def wait(session: Session, keys: Keys, now: datetime) -> int | None:
    """The seconds to wait if the address or the pair has failed too often, else None."""
    limits = {keys.pair: MAX_PER_NAME}
    if keys.address is not None:
        limits[keys.address] = MAX_PER_ADDRESS
    rows = session.execute(
        select(LoginFailures.key, LoginFailures.failures, LoginFailures.window_start).where(
            LoginFailures.key.in_(limits), LoginFailures.window_start > now - WINDOW
        )
    ).all()
    waits = [
        max(1, math.ceil((start + WINDOW - now).total_seconds()))
        for key, failures, start in rows
        if failures >= limits[key]
    ]
    return max(waits, default=None)


def fail(session: Session, keys: Keys, now: datetime) -> None:
    """Count a failure for the address, then for the pair: always in this order, so that
    two failures never hold each other's rows."""
    if keys.address is not None:
        _bump(session, keys.address, now)
    _bump(session, keys.pair, now)
    _prune(session, now)


def forgive(session: Session, keys: Keys) -> None:
    """The pair logged in: its failures are forgotten. The address's stay."""
    session.execute(delete(LoginFailures).where(LoginFailures.key == keys.pair))


def _bump(session: Session, key: str, now: datetime) -> None:
    """One more failure for `key`, in a new window if its last one has ended: one upsert,
    so concurrent first failures of a key do not collide."""
    new = insert_or_update(session, LoginFailures).values(key=key, window_start=now, failures=1)
    ended = LoginFailures.window_start <= now - WINDOW
    upsert = new.on_conflict_do_update(
        index_elements=[LoginFailures.key],
        set_={
            "window_start": case(
                (ended, new.excluded.window_start), else_=LoginFailures.window_start
            ),
            "failures": case((ended, 1), else_=LoginFailures.failures + 1),
        },
    )
    session.execute(upsert)


def _prune(session: Session, now: datetime) -> None:
    prune(session, LoginFailures.key, LoginFailures.window_start <= now - WINDOW, PRUNE_BATCH)
