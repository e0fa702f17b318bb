"""A faulty network between a console and the server: a TCP proxy on loopback whose faults are
switched while it runs, for each direction, for the whole link or for one connection.

Faults, each for the bytes going one way (`UP`: console to server, `DOWN`: server to console):

- `PASS`: forwarded as they come;
- `BLACKHOLE`: read and thrown away, nothing sent, the connection held open (a cable pulled
  somewhere in between: the other side waits until its own timeout);
- `RESET`: both connections reset (TCP RST) when bytes come; switching the link to it resets
  every open connection at once, and a new connection is reset as soon as it is accepted;
- `LATENCY`: forwarded after `latency` seconds;
- `DROP`: thrown away, then both connections closed. On `DOWN` this is the ambiguous commit:
  the server received the request and committed it, the console never hears the answer;
- `CUT`: the first half forwarded, then both connections reset: an answer broken off midway.

The proxy connects to the server only when it has the first bytes to forward, so a console
behind a black hole never reaches the server, and a server that is down shows as a reset. Given
several server instances, it takes them in turn for each new connection, as a load balancer
without health checks would.
"""

from __future__ import annotations

import asyncio
import itertools
import socket
import struct
import threading
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Fault(StrEnum):
    PASS = "pass"
    BLACKHOLE = "blackhole"
    RESET = "reset"
    LATENCY = "latency"
    DROP = "drop"
    CUT = "cut"


class Direction(StrEnum):
    UP = "up"  # console to server
    DOWN = "down"  # server to console


@dataclass
class Faults:
    """What happens to the bytes going each way."""

    up: Fault = Fault.PASS
    down: Fault = Fault.PASS
    latency: float = 0.0

    def of(self, direction: Direction) -> Fault:
        return self.up if direction is Direction.UP else self.down


PASSING = Faults()


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP RST rather than a FIN."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


@dataclass(eq=False)
class Connection:
    """One console connection through the proxy; `faults`, when set, overrides the link's."""

    client: asyncio.StreamWriter
    upstream: asyncio.StreamWriter | None = None
    faults: Faults | None = None
    closed: bool = False
    # Directions whose bytes a black hole swallowed: they never pass again. A real network
    # loses a connection that way, never a stretch out of the middle of its stream (TCP would
    # deliver nothing after the gap).
    swallowed: set[Direction] = field(default_factory=set)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def end(self, reset: bool) -> None:
        if self.closed:
            return
        self.closed = True
        for writer in (self.client, self.upstream):
            if writer is not None:
                _reset(writer) if reset else writer.close()
        current = asyncio.current_task()
        for task in self.tasks:
            if task is not current:
                task.cancel()


class FaultProxy:
    """Listens on a free loopback port (`url`) and forwards to the server instances listening
    on `upstream_ports`, faults applied.

    Runs its own event loop on a daemon thread; every method may be called from any thread.
    """

    def __init__(self, *upstream_ports: int, host: str = "127.0.0.1") -> None:
        self.host = host
        self.upstream_ports = upstream_ports
        self._turn = itertools.count()
        self.faults = PASSING
        self.accepted = 0
        self.dropped = 0  # chunks thrown away under DROP (responses lost after the server acted)
        self._connections: set[Connection] = set()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fault-proxy", daemon=True)
        self._thread.start()
        self._ready.wait()
        self.port: int = self._server.sockets[0].getsockname()[1]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def set(self, faults: Faults) -> None:
        """Switch the whole link; RESET also resets every open connection now."""
        self.faults = faults
        if Fault.RESET in (faults.up, faults.down):
            self._call(self._reset_all)

    def heal(self) -> None:
        self.set(PASSING)

    @contextmanager
    def outage(self, faults: Faults) -> Iterator[None]:
        self.set(faults)
        try:
            yield
        finally:
            self.heal()

    def connections(self) -> list[Connection]:
        """The connections open now, to set faults on one of them (`Connection.faults`)."""
        return [c for c in list(self._connections) if not c.closed]

    def retarget(self, *upstream_ports: int) -> None:
        """Send new connections to these instances (one restarted on another port)."""
        self.upstream_ports = upstream_ports

    def close(self) -> None:
        if self._thread.is_alive():
            self._call(self._shutdown)
            self._thread.join(timeout=5)

    def _call(self, action: Callable[[], Coroutine[Any, Any, None]]) -> None:
        asyncio.run_coroutine_threadsafe(action(), self._loop).result(timeout=5)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._accept, self.host, 0)
        )
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _reset_all(self) -> None:
        for connection in self.connections():
            connection.end(reset=True)

    async def _shutdown(self) -> None:
        self._server.close()
        await self._reset_all()
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)
        self._loop.call_soon(self._loop.stop)

    def _faults_of(self, connection: Connection) -> Faults:
        return connection.faults or self.faults

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        connection = Connection(writer)
        if Fault.RESET in (self.faults.up, self.faults.down):
            connection.end(reset=True)
            return
        self._connections.add(connection)
        upstream_ready = asyncio.get_running_loop().create_future()
        up = asyncio.create_task(self._up(connection, reader, upstream_ready))
        connection.tasks.append(up)
        try:
            upstream_reader = await upstream_ready
            down = asyncio.create_task(self._pipe(connection, upstream_reader, Direction.DOWN))
            connection.tasks.append(down)
            await asyncio.gather(up, down)
        except (asyncio.CancelledError, OSError):
            pass
        finally:
            connection.end(reset=False)
            self._connections.discard(connection)

    async def _up(
        self,
        connection: Connection,
        reader: asyncio.StreamReader,
        upstream_ready: asyncio.Future[asyncio.StreamReader],
    ) -> None:
        """The console's bytes; the server connection is opened with the first to forward."""
        try:
            await self._pipe(connection, reader, Direction.UP, upstream_ready)
        finally:
            if not upstream_ready.done():
                upstream_ready.cancel()

    async def _pipe(
        self,
        connection: Connection,
        reader: asyncio.StreamReader,
        direction: Direction,
        upstream_ready: asyncio.Future[asyncio.StreamReader] | None = None,
    ) -> None:
        try:
            while data := await reader.read(65536):
                faults = self._faults_of(connection)
                fault = faults.of(direction)
                if fault is Fault.BLACKHOLE or direction in connection.swallowed:
                    connection.swallowed.add(direction)
                    continue
                if fault is Fault.RESET:
                    connection.end(reset=True)
                    return
                if fault is Fault.DROP:
                    self.dropped += 1
                    connection.end(reset=False)
                    return
                if fault is Fault.LATENCY:
                    await asyncio.sleep(faults.latency)
                target = await self._target(connection, direction, upstream_ready)
                if target is None:
                    return
                if fault is Fault.CUT:
                    target.write(data[: len(data) // 2])
                    await target.drain()
                    connection.end(reset=True)
                    return
                target.write(data)
                await target.drain()
        except (ConnectionError, OSError):
            connection.end(reset=True)
        else:
            if direction is Direction.DOWN:
                connection.end(reset=False)  # the server closed: close the console's side
            elif connection.upstream is not None:
                with suppress(OSError):
                    connection.upstream.write_eof()

    async def _target(
        self,
        connection: Connection,
        direction: Direction,
        upstream_ready: asyncio.Future[asyncio.StreamReader] | None,
    ) -> asyncio.StreamWriter | None:
        if direction is Direction.DOWN:
            return connection.client
        if connection.upstream is None:
            assert upstream_ready is not None
            try:
                ports = self.upstream_ports
                port = ports[next(self._turn) % len(ports)]
                upstream_reader, connection.upstream = await asyncio.open_connection(
                    self.host, port
                )
            except OSError:  # the server is down: the console sees its connection reset
                connection.end(reset=True)
                return None
            upstream_ready.set_result(upstream_reader)
        return connection.upstream
