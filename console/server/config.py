"""How a server instance is set up: its database and where the reference data comes from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from console.paths import REFERENCE

DEFAULT_DATABASE = "sqlite:///hotline-server.sqlite3"


@dataclass(frozen=True)
class ServerConfig:
    database_url: str = DEFAULT_DATABASE
    reference_dir: Path = REFERENCE
    # A centre's own copies of reference files (same names) take precedence; see the README.
    data_dir: Path = Path("server-data")
    # Long-poll: how long a poke request waits for a change before answering "nothing".
    poke_timeout_s: float = 25.0
    # Live channel: the most streams one instance holds (more are answered 503), and how often
    # a stream without changes is sent a heartbeat, by which both ends notice a dead connection.
    live_streams: int = 2000
    live_heartbeat_s: float = 15.0
    # Open311 GET: publish each request's description (numbers and email addresses scrubbed).
    # Off by default: 12345 complaints carry personal detail (see DEPLOYMENT.md, Open311).
    open311_descriptions: bool = False
    # Networks (CIDR) many people log in from as one address, such as the centre's own NAT or
    # desktop gateway: failed logins there are counted per user name only, so that a shift's
    # typos cannot stop everyone. Never a network the public reaches the server from.
    shared_networks: tuple[str, ...] = ()
    # A request must keep coming: at most this long between two pieces of its head or body,
    # and for a whole head. Then it is answered 408 and its connection closed.
    read_timeout_s: float = 10.0
    # The longest a whole body may take to arrive (a 6 MB push needs 200 kB/s).
    body_timeout_s: float = 30.0
