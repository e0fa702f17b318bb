"""Open311 API keys: issued and revoked by an admin; stored only as hashes."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.central.accounts import digest
from console.domain.errors import FieldError, ValidationFailed
from console.domain.ids import new_id
from console.store.server_schema import ApiKey


def issue(session: Session, name: str, now: datetime) -> tuple[str, str]:
    """A new key for the client `name`: its id (for revoking) and the key, shown once."""
    if not name.strip() or len(name) > 100:
        raise ValidationFailed([FieldError("name", "required")])
    key = secrets.token_urlsafe(24)
    key_id = new_id()
    session.add(ApiKey(id=key_id, name=name.strip(), key_hash=digest(key), created_at=now))
    return key_id, key


def revoke(session: Session, key_id: str, now: datetime) -> None:
    key = session.get(ApiKey, key_id)
    if key is None:
        raise ValidationFailed([FieldError("key_id", "unknown_key")])
    key.revoked_at = key.revoked_at or now


def valid(session: Session, key: str) -> bool:
    query = select(ApiKey.id).where(ApiKey.key_hash == digest(key), ApiKey.revoked_at.is_(None))
    return session.execute(query).first() is not None
