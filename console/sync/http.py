"""Requests to the centre's server: one `requests` session per thread, explicit connect and
read timeouts, bodies sent as UTF-8 JSON, and the answers sorted into what the sync does next."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import orjson
import requests

from console.domain.clock import utc_now
from console.sync.api import Settings

JSON = "application/json"
# The connection broke while the answer's body was coming: no answer either.
BrokenOff = requests.exceptions.ChunkedEncodingError
DEFAULT_WAIT = 1.0  # seconds, when a Retry-After says nothing usable
# A Date header gives whole seconds: the server's time was, on average, half a second later.
DATE_STEP = timedelta(seconds=0.5)


class Unreachable(Exception):
    """No answer from the server: no connection, a timeout, or a gateway that cannot reach it."""


@dataclass
class Answer:
    status: int
    body: dict[str, Any] = field(default_factory=dict)
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def code(self) -> str:
        """The error's stable code (`gap`, `mid_reused`…), empty if none."""
        error = self.body.get("error")
        return str(error.get("code", "")) if isinstance(error, dict) else ""


class Http:
    """The server at `base_url`, for one thread; `heard` is told the server's time that each
    answer carries."""

    def __init__(
        self, base_url: str, settings: Settings, heard: Callable[[datetime], None]
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._heard = heard
        self._timeout = (settings.connect_timeout, settings.read_timeout)
        self.session = requests.Session()  # the live channel streams on it too
        self.session.headers.update(settings.extra_headers)

    def call(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        token: str | None = None,
        read_timeout: float | None = None,
    ) -> Answer:
        """The server's answer; Unreachable if there is none (5xx but 503, which says when to
        come back, count as none: a proxy whose server is down)."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
            headers["Content-Type"] = JSON
        timeout = (self._timeout[0], read_timeout or self._timeout[1])
        try:
            response = self.session.request(
                method, self.base_url + path, data=data, params=params, headers=headers,
                timeout=timeout,
            )  # fmt: skip
        except (requests.ConnectionError, requests.Timeout, BrokenOff) as error:
            raise Unreachable(type(error).__name__) from error
        told = _date(response)
        if told is not None:
            self._heard(told)
        if response.status_code >= 500 and response.status_code != 503:
            raise Unreachable(f"HTTP {response.status_code}")
        return Answer(response.status_code, _body(response), _retry_after(response))

    def close(self) -> None:
        self.session.close()


def encoded_size(body: dict[str, Any]) -> int:
    return len(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode())


def _body(response: requests.Response) -> dict[str, Any]:
    if not response.content:
        return {}
    try:  # orjson: a page of a thousand cases parses in a fraction of json's time
        found = orjson.loads(response.content)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _date(response: requests.Response) -> datetime | None:
    given = response.headers.get("Date")
    if given is None:
        return None
    try:
        told = parsedate_to_datetime(given)
    except (TypeError, ValueError):
        return None
    return (told if told.tzinfo else told.replace(tzinfo=UTC)) + DATE_STEP


def _retry_after(response: requests.Response) -> float | None:
    """Retry-After in seconds, given as seconds or as an HTTP date."""
    given = response.headers.get("Retry-After")
    if given is None:
        return None
    if given.strip().isdigit():
        return float(given)
    try:
        return max(0.0, (parsedate_to_datetime(given) - utc_now()).total_seconds())
    except (TypeError, ValueError):
        return DEFAULT_WAIT
