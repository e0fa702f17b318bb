"""What the panels need once the console is open: services, the operator, the task runner,
and the sync with the centre (None on a standalone console)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from console.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from console.ui.sync_link import SyncLink
    from console.workstation.context import Operator
    from console.workstation.local import LocalConsole


@dataclass(frozen=True)
class UiContext:
    console: LocalConsole
    operator: Operator
    tasks: TaskRunner
    link: SyncLink | None = None
