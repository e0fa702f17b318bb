"""Suggest the lead agency for a case from the routing rules."""

from __future__ import annotations

from dataclasses import dataclass

from console.domain.reference import (
    ANY,
    DISTRICT_PLACEHOLDER,
    STREET_PLACEHOLDER,
    Agency,
    ReferenceData,
    RoutingRule,
)


@dataclass(frozen=True)
class AgencySuggestion:
    agency: Agency
    rule: RoutingRule


def _specificity(rule: RoutingRule) -> tuple[int, int, int]:
    category = 0 if rule.category == ANY else len(rule.category)
    return (category, rule.street != ANY, rule.district != ANY)


def _resolve(rule: RoutingRule, ref: ReferenceData, district: str, street: str) -> Agency | None:
    if rule.agency == STREET_PLACEHOLDER:
        return ref.street_office(street) if street else None
    if rule.agency == DISTRICT_PLACEHOLDER:
        return ref.district_government(district) if district else None
    return ref.agencies.get(rule.agency)


def _matches(rule: RoutingRule, category: str, district: str, street: str) -> bool:
    return (
        (rule.category == ANY or category.startswith(rule.category))
        and rule.district in (ANY, district)
        and rule.street in (ANY, street)
    )


def suggest_agency(
    ref: ReferenceData, category: str, district: str, street: str
) -> AgencySuggestion | None:
    """The lead agency of the most specific rule that applies and resolves, with that rule."""
    if street and not district and street in ref.streets:
        district = ref.streets[street].district_code
    applicable = [r for r in ref.routing_rules if _matches(r, category, district, street)]
    # Stable sort: among equally specific rules the one earlier in the file wins.
    for rule in sorted(applicable, key=_specificity, reverse=True):
        agency = _resolve(rule, ref, district, street)
        if agency is not None:
            return AgencySuggestion(agency, rule)
    return None
