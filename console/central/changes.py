"""Where the server applies a mutation: importing this registers every handler with the engine."""

from __future__ import annotations

from console.central import case_actions, case_mutations, open311
from console.central.mutations import Actor, Mutation, Outcome, apply

HANDLER_MODULES = (case_mutations, case_actions, open311)
__all__ = ["HANDLER_MODULES", "Actor", "Mutation", "Outcome", "apply"]
