"""Reference data: districts, streets, categories, agencies, routing and SLA rules.

Each file is CSV with a header row. `parse_reference` checks every row and every cross
reference and raises `ReferenceDataError` naming the file, the line and the reason.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from typing import TypeVar

from console.domain.enums import Urgency
from console.domain.errors import ReferenceDataError, ReferenceProblem

FILES = (
    "districts.csv",
    "streets.csv",
    "categories.csv",
    "agencies.csv",
    "routing_rules.csv",
    "sla_rules.csv",
)
SLA_CLASSES = ("emergency", "utility", "general", "complex")
AGENCY_KINDS = ("city", "district", "street", "utility")
STREET_PLACEHOLDER = "{street}"
DISTRICT_PLACEHOLDER = "{district}"
ANY = "*"
_DURATION = re.compile(r"^(\d{1,4})([hd])$")


@dataclass(frozen=True)
class District:
    code: str
    name: str


@dataclass(frozen=True)
class Street:
    code: str
    name: str
    district_code: str


@dataclass(frozen=True)
class Category:
    code: str
    level1: str
    level2: str
    level3: str
    sla_class: str

    @property
    def path(self) -> str:
        return f"{self.level1} › {self.level2} › {self.level3}"


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    kind: str
    district_code: str
    street_code: str


@dataclass(frozen=True)
class RoutingRule:
    id: str
    category: str
    district: str
    street: str
    agency: str
    reason: str
    line: int


@dataclass(frozen=True)
class SlaRule:
    id: str
    match: str
    value: str
    duration: timedelta
    label: str
    line: int


@dataclass(frozen=True)
class ReferenceData:
    districts: Mapping[str, District]
    streets: Mapping[str, Street]
    categories: Mapping[str, Category]
    agencies: Mapping[str, Agency]
    routing_rules: tuple[RoutingRule, ...]
    sla_rules: tuple[SlaRule, ...]

    def street_office(self, street_code: str) -> Agency | None:
        return self.agencies.get("S" + street_code)

    def district_government(self, district_code: str) -> Agency | None:
        return self.agencies.get("D" + district_code)

    def streets_of(self, district_code: str) -> list[Street]:
        return self._streets_by_district.get(district_code, [])

    def district_named(self, name: str) -> District | None:
        return self._districts_by_name.get(name)

    def streets_named(self, name: str) -> list[Street]:
        """Streets of that name; a few names recur in two districts (八里庄街道)."""
        return self._streets_by_name.get(name, [])

    # Looked up on every keystroke and every saved case: indexed once, on first use.
    @cached_property
    def _streets_by_district(self) -> dict[str, list[Street]]:
        grouped: dict[str, list[Street]] = {}
        for street in self.streets.values():
            grouped.setdefault(street.district_code, []).append(street)
        return grouped

    @cached_property
    def _districts_by_name(self) -> dict[str, District]:
        return {d.name: d for d in self.districts.values()}

    @cached_property
    def _streets_by_name(self) -> dict[str, list[Street]]:
        grouped: dict[str, list[Street]] = {}
        for street in self.streets.values():
            grouped.setdefault(street.name, []).append(street)
        return grouped


_Row = dict[str, str]
_T = TypeVar("_T")


class _Reader:
    """Rows of one file, with the file name and line at hand for error messages."""

    def __init__(self, name: str, text: str, columns: tuple[str, ...]) -> None:
        self.name = name
        self._rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        header = tuple(self._rows.fieldnames or ())
        if header != columns:
            raise self.error(1, f"header must be {','.join(columns)}")
        self.line = 1

    def error(self, line: int, reason: str) -> ReferenceDataError:
        return ReferenceDataError(ReferenceProblem(self.name, line, reason))

    def rows(self) -> Iterator[_Row]:
        for row in self._rows:
            self.line = self._rows.line_num
            if None in row or any(v is None for v in row.values()):
                raise self.error(self.line, "wrong number of columns")
            yield {k: v.strip() for k, v in row.items()}

    def fail(self, reason: str) -> ReferenceDataError:
        return self.error(self.line, reason)

    def keyed(self, build: Callable[[_Row], _T], key: Callable[[_T], str]) -> dict[str, _T]:
        items: dict[str, _T] = {}
        for row in self.rows():
            if any(not v for k, v in row.items() if k not in _OPTIONAL):
                raise self.fail("empty field")
            item = build(row)
            if key(item) in items:
                raise self.fail(f"duplicate code {key(item)}")
            items[key(item)] = item
        if not items:
            raise self.error(1, "no rows")
        return items


_OPTIONAL = frozenset({"district_code", "street_code"})


def parse_duration(text: str) -> timedelta | None:
    match = _DURATION.match(text)
    if not match:
        return None
    amount, unit = int(match.group(1)), match.group(2)
    return timedelta(hours=amount) if unit == "h" else timedelta(days=amount)


def parse_reference(texts: Mapping[str, str]) -> ReferenceData:
    """Parse and cross-check the six files given as {file name: text}."""
    missing = [name for name in FILES if name not in texts]
    if missing:
        raise ReferenceDataError(ReferenceProblem(missing[0], 0, "file missing"))
    districts = _districts(_Reader("districts.csv", texts["districts.csv"], ("code", "name")))
    streets = _streets(
        _Reader("streets.csv", texts["streets.csv"], ("code", "name", "district_code")),
        districts,
    )
    categories = _categories(
        _Reader(
            "categories.csv",
            texts["categories.csv"],
            ("code", "level1", "level2", "level3", "sla_class"),
        )
    )
    agencies = _agencies(
        _Reader(
            "agencies.csv",
            texts["agencies.csv"],
            ("code", "name", "kind", "district_code", "street_code"),
        ),
        districts,
        streets,
    )
    data = ReferenceData(districts, streets, categories, agencies, (), ())
    rules = _routing(
        _Reader(
            "routing_rules.csv",
            texts["routing_rules.csv"],
            ("id", "category", "district", "street", "agency", "reason"),
        ),
        data,
    )
    sla = _sla(
        _Reader(
            "sla_rules.csv", texts["sla_rules.csv"], ("id", "match", "value", "duration", "label")
        )
    )
    return ReferenceData(districts, streets, categories, agencies, rules, sla)


def _districts(reader: _Reader) -> dict[str, District]:
    def build(row: _Row) -> District:
        if not row["code"].isdigit() or len(row["code"]) != 6:
            raise reader.fail(f"district code {row['code']!r} must be 6 digits")
        return District(row["code"], row["name"])

    return reader.keyed(build, lambda d: d.code)


def _streets(reader: _Reader, districts: Mapping[str, District]) -> dict[str, Street]:
    def build(row: _Row) -> Street:
        if row["district_code"] not in districts:
            raise reader.fail(f"unknown district {row['district_code']}")
        return Street(row["code"], row["name"], row["district_code"])

    return reader.keyed(build, lambda s: s.code)


def _categories(reader: _Reader) -> dict[str, Category]:
    names: dict[str, str] = {}

    def build(row: _Row) -> Category:
        code = row["code"]
        if not code.isdigit() or len(code) != 6:
            raise reader.fail(f"category code {code!r} must be 6 digits")
        if row["sla_class"] not in SLA_CLASSES:
            raise reader.fail(f"sla_class must be one of {', '.join(SLA_CLASSES)}")
        for prefix, name in ((code[:2], row["level1"]), (code[:4], row["level2"])):
            if names.setdefault(prefix, name) != name:
                raise reader.fail(f"code {prefix} is {names[prefix]!r} elsewhere, not {name!r}")
        return Category(code, row["level1"], row["level2"], row["level3"], row["sla_class"])

    return reader.keyed(build, lambda c: c.code)


def _agencies(
    reader: _Reader, districts: Mapping[str, District], streets: Mapping[str, Street]
) -> dict[str, Agency]:
    def build(row: _Row) -> Agency:
        if row["kind"] not in AGENCY_KINDS:
            raise reader.fail(f"kind must be one of {', '.join(AGENCY_KINDS)}")
        if row["district_code"] and row["district_code"] not in districts:
            raise reader.fail(f"unknown district {row['district_code']}")
        if row["street_code"] and row["street_code"] not in streets:
            raise reader.fail(f"unknown street {row['street_code']}")
        return Agency(
            row["code"], row["name"], row["kind"], row["district_code"], row["street_code"]
        )

    return reader.keyed(build, lambda a: a.code)


def _routing(reader: _Reader, data: ReferenceData) -> tuple[RoutingRule, ...]:
    placeholders = (STREET_PLACEHOLDER, DISTRICT_PLACEHOLDER)

    def build(row: _Row) -> RoutingRule:
        category = row["category"]
        if category != ANY and not any(c.startswith(category) for c in data.categories):
            raise reader.fail(f"unknown category {category}")
        if row["district"] != ANY and row["district"] not in data.districts:
            raise reader.fail(f"unknown district {row['district']}")
        if row["street"] != ANY and row["street"] not in data.streets:
            raise reader.fail(f"unknown street {row['street']}")
        if row["agency"] not in placeholders and row["agency"] not in data.agencies:
            raise reader.fail(f"unknown agency {row['agency']}")
        return RoutingRule(
            row["id"],
            category,
            row["district"],
            row["street"],
            row["agency"],
            row["reason"],
            reader.line,
        )

    return tuple(reader.keyed(build, lambda r: r.id).values())


def _sla(reader: _Reader) -> tuple[SlaRule, ...]:
    allowed = {"urgency": {u.value for u in Urgency}, "class": set(SLA_CLASSES)}

    def build(row: _Row) -> SlaRule:
        if row["match"] not in allowed:
            raise reader.fail("match must be urgency or class")
        if row["value"] not in allowed[row["match"]]:
            raise reader.fail(f"unknown {row['match']} {row['value']!r}")
        duration = parse_duration(row["duration"])
        if duration is None:
            raise reader.fail(f"duration {row['duration']!r} must look like 24h or 7d")
        return SlaRule(row["id"], row["match"], row["value"], duration, row["label"], reader.line)

    rules = tuple(reader.keyed(build, lambda r: r.id).values())
    covered = {r.value for r in rules if r.match == "class"}
    if covered != set(SLA_CLASSES):
        missing = ", ".join(sorted(set(SLA_CLASSES) - covered))
        raise reader.error(reader.line, f"no rule for class {missing}")
    return rules
