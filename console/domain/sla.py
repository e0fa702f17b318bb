"""Deadlines (办理时限) from the SLA rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from console.domain.enums import Urgency
from console.domain.reference import ReferenceData, SlaRule


@dataclass(frozen=True)
class DeadlineSuggestion:
    rule: SlaRule

    def due(self, start: datetime) -> datetime:
        return start + self.rule.duration


def suggest_deadline(ref: ReferenceData, category: str, urgency: Urgency) -> DeadlineSuggestion:
    """The first urgency rule that matches, else the rule of the category's SLA class."""
    for rule in ref.sla_rules:
        if rule.match == "urgency" and rule.value == urgency.value:
            return DeadlineSuggestion(rule)
    leaf = ref.categories.get(category)
    sla_class = leaf.sla_class if leaf else "general"
    rule = next(r for r in ref.sla_rules if r.match == "class" and r.value == sla_class)
    return DeadlineSuggestion(rule)
