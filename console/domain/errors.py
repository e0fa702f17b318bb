"""Typed errors raised by the core; the UI turns their codes into words."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem with one field of a form, as a stable code the UI translates."""

    field: str
    code: str


class ConsoleError(Exception):
    """Base of every error the core raises on purpose."""


class ValidationFailed(ConsoleError):
    """The input was refused; nothing was saved."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(", ".join(f"{e.field}: {e.code}" for e in errors))
        self.errors = errors


class InvalidArgument(ConsoleError):
    """A mutation's argument is missing, of the wrong type or out of its bounds."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


@dataclass(frozen=True)
class ReferenceProblem:
    """Where a reference data file is malformed and why."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.reason}"


class ReferenceDataError(ConsoleError):
    """A reference data file could not be used."""

    def __init__(self, problem: ReferenceProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class NotFound(ConsoleError):
    """The record asked for does not exist."""


class NumberingExhausted(ConsoleError):
    """The console has used every case number of the day."""
