"""The console's sync with the central server: push the outbox, pull the scope, follow the
live channel. No Qt: the UI shows its state through callbacks it turns into signals."""

from console.sync.client import open_sync, single_writer

__all__ = ["open_sync", "single_writer"]
