"""One synthesised case at a time: what it is about, where, who called and how far it got.

The mixes follow published figures of Beijing's and other big cities' 12345 hotlines: appeal
types, the population of each district, a few categories taking most of the calls (heating in
winter), old cases closed and recent ones still with the agencies.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from console.bench import phrases
from console.bench.describe import Describer, Place
from console.bench.synth import SEATS, db_time, uuid7
from console.domain.enums import AppealType, EventKind, Handling, Status, Urgency
from console.domain.reference import Category, ReferenceData, Street
from console.domain.routing import suggest_agency
from console.domain.sla import suggest_deadline

APPEAL_MIX = {
    AppealType.CONSULTATION: 47.0,
    AppealType.HELP: 30.0,
    AppealType.SUGGESTION: 14.5,
    AppealType.COMPLAINT: 4.0,
    AppealType.REPORT: 1.3,
    AppealType.PRAISE: 0.3,
}
# Share of each appeal type answered on the call rather than dispatched to an agency.
DIRECT_ANSWER_SHARE = {AppealType.CONSULTATION: 0.85, AppealType.PRAISE: 0.4}
_OTHER_DIRECT_SHARE = 0.05
# Residents in 10,000s (2020 census); E-Town is counted apart from Daxing.
DISTRICT_POPULATION = {
    "东城区": 70.9, "西城区": 110.6, "朝阳区": 345.2, "丰台区": 201.9, "石景山区": 56.8,
    "海淀区": 313.3, "门头沟区": 39.3, "房山区": 131.3, "通州区": 184.0, "顺义区": 132.4,
    "昌平区": 226.9, "大兴区": 170.0, "怀柔区": 44.1, "平谷区": 45.7, "密云区": 52.8,
    "延庆区": 34.6, "北京经济技术开发区": 30.0,
}  # fmt: skip
# Categories that lead the real statistics, ahead of the rest in a Zipf-like ranking.
LEADING = (
    "供暖不热", "房屋租赁纠纷", "物业服务质量", "违章停车", "社会生活噪声", "施工噪声", "停水",
    "健身卡、瑜伽卡、私教卡", "入学政策", "医保报销", "电梯故障", "工程建设领域", "落户政策",
    "占道经营", "停电", "餐饮油烟", "居住区停车难", "公租房申请", "养老金领取", "楼上漏水",
)  # fmt: skip
_ZIPF = 0.8
_SEASONS = {  # second level or leaf: (months, factor in season, factor out of season)
    "供暖": ({11, 12, 1, 2, 3}, 4.0, 0.02),
    "杨柳飞絮": ({4, 5}, 8.0, 0.02),
    "排水": ({6, 7, 8}, 4.0, 0.7),
    "应急管理": ({6, 7, 8}, 4.0, 0.7),
    "义务教育": ({4, 5, 6, 7}, 3.0, 0.6),
}
PRAISE_CATEGORY = "160402"
_STATUS_BY_AGE = (  # (up to this age in days, statuses and their weights) of dispatched cases
    (1.0, (Status.DISPATCHED, Status.ACCEPTED, Status.RETURNED), (60, 35, 5)),
    (7.0, (Status.DISPATCHED, Status.ACCEPTED, Status.REPLIED, Status.RETURNED, Status.CLOSED),
     (10, 45, 30, 3, 12)),
    (30.0, (Status.ACCEPTED, Status.REPLIED, Status.REOPENED, Status.CLOSED), (12, 25, 3, 60)),
    (float("inf"), (Status.CLOSED, Status.REPLIED, Status.REOPENED, Status.VOID), (96, 2, 1, 1)),
)  # fmt: skip
_VERSION = {Status.ACCEPTED: 2, Status.RETURNED: 2, Status.VOID: 2, Status.REPLIED: 3,
            Status.REOPENED: 4, Status.CLOSED: 4}  # fmt: skip
CASE_COLUMNS = (
    "id", "case_no", "client_id", "seat_code", "operator", "created_at", "updated_at", "version",
    "status", "appeal_type", "urgency", "handling", "category_code", "category_path",
    "district_code", "district_name", "street_code", "street_name", "community", "address",
    "description", "answer_text", "caller_phone", "caller_name", "callback_phone",
    "confidential", "anonymous", "lead_agency_code", "lead_agency_name", "routing_reason",
    "deadline_at", "deadline_reason",
)  # fmt: skip
EVENT_COLUMNS = ("id", "case_id", "at", "kind", "actor", "seat_code", "detail")
Row = tuple[object, ...]
# How likely each appeal type comes with a location; problems nearly always do.
_LOCATED_SHARE = {AppealType.CONSULTATION: 0.35, AppealType.PRAISE: 0.7, AppealType.SUGGESTION: 0.8}
_OTHER_LOCATED_SHARE = 0.98
_ADDRESS_SHARE = 0.5
_ANONYMOUS_SHARE = 0.08
_NAMED_SHARE = 0.6
_CONFIDENTIAL_SHARE = 0.05
_CALLBACK_SHARE = 0.03
_PRAISE_CATEGORY_SHARE = 0.8
_TOWN = re.compile(r"(街道|地区|镇|(满|回|蒙古)?族?乡)$")
_URGENCY_MIX: dict[bool, tuple[tuple[Urgency, ...], tuple[int, ...]]] = {
    True: ((Urgency.EMERGENCY, Urgency.URGENT, Urgency.NORMAL), (5, 3, 2)),  # emergency classes
    False: ((Urgency.NORMAL, Urgency.URGENT), (95, 5)),
}
_NO_ROUTING: Row = ("", "", "", None, "")


@dataclass(frozen=True)
class _Where:
    district_code: str = ""
    district_name: str = ""
    street_code: str = ""
    street_name: str = ""
    community: str = ""
    address: str = ""

    @property
    def place(self) -> Place:
        return Place(self.district_name, self.street_name, self.community)


class CaseFactory:
    """Rows for the `cases` and `case_events` tables, drawn from one seeded generator."""

    def __init__(self, ref: ReferenceData, rng: random.Random, now: datetime) -> None:
        self._ref = ref
        self._rng = rng
        self._now = now
        self._describer = Describer(rng)
        self._appeals = list(APPEAL_MIX)
        self._appeal_weights = list(itertools.accumulate(APPEAL_MIX.values()))
        self._categories = _ranked(ref, rng)
        self._category_weights: dict[tuple[AppealType, int], list[float]] = {}
        self._districts = list(ref.districts.values())
        self._district_weights = list(
            itertools.accumulate(DISTRICT_POPULATION.get(d.name, 30.0) for d in self._districts)
        )
        self._streets = {d.code: ref.streets_of(d.code) for d in self._districts}
        self._operators = {seat: self._operator() for seat in SEATS}
        self._routes: dict[tuple[str, str, str], Row] = {}

    def case(self, moment: datetime, phone: str, seat: str, case_no: str) -> tuple[Row, Row, Row]:
        """The case taken at `moment` (centre time) and its 'created' and handling events."""
        rng = self._rng
        appeal = rng.choices(self._appeals, cum_weights=self._appeal_weights)[0]
        category = self._category(appeal, moment.month)
        dispatch = rng.random() >= DIRECT_ANSWER_SHARE.get(appeal, _OTHER_DIRECT_SHARE)
        where = self._where(appeal)
        urgency = self._urgency(category)
        description = self._describer.describe(appeal, category, where.place, moment.date())
        answer = "" if dispatch else self._describer.answer(category, where.place)
        routing = self._routing(category, where, urgency, moment) if dispatch else _NO_ROUTING
        status, updated, version = self._progress(moment, dispatch)
        operator, client_id = self._operators[seat]
        created = db_time(moment)
        handling = Handling.DISPATCH if dispatch else Handling.DIRECT_ANSWER
        case_id = uuid7(rng, moment)
        row = (
            case_id, case_no, client_id, seat, operator, created, updated, version, status,
            appeal.value, urgency.value, handling.value, category.code, category.path,
            where.district_code, where.district_name, where.street_code, where.street_name,
            where.community, where.address, description, answer, phone, *self._caller(appeal),
            *routing,
        )  # fmt: skip
        second = EventKind.DISPATCHED if dispatch else EventKind.ANSWERED
        return (
            row,
            (
                uuid7(rng, moment),
                case_id,
                created,
                EventKind.CREATED.value,
                operator,
                seat,
                case_no,
            ),
            (uuid7(rng, moment), case_id, created, second.value, operator, seat, routing[1]),
        )

    def _operator(self) -> tuple[str, str]:
        rng = self._rng
        name = rng.choice(phrases.SURNAMES) + "".join(rng.sample(phrases.GIVEN, rng.randint(1, 2)))
        return name, uuid7(rng, self._now)

    def _category(self, appeal: AppealType, month: int) -> Category:
        if appeal is AppealType.PRAISE and self._rng.random() < _PRAISE_CATEGORY_SHARE:
            return self._ref.categories[PRAISE_CATEGORY]
        weights = self._category_weights.get((appeal, month))
        if weights is None:
            ranked = enumerate(self._categories)
            weights = list(itertools.accumulate(_weight(c, r, appeal, month) for r, c in ranked))
            self._category_weights[appeal, month] = weights
        return self._rng.choices(self._categories, cum_weights=weights)[0]

    def _where(self, appeal: AppealType) -> _Where:
        rng = self._rng
        if rng.random() >= _LOCATED_SHARE.get(appeal, _OTHER_LOCATED_SHARE):
            return _Where()
        district = rng.choices(self._districts, cum_weights=self._district_weights)[0]
        streets = self._streets[district.code]
        if not streets:
            return _Where(district.code, district.name)
        street = rng.choice(streets)
        community = rng.choice(_communities(street))
        address = f"{community}{rng.randint(1, 30)}号楼" if rng.random() < _ADDRESS_SHARE else ""
        return _Where(district.code, district.name, street.code, street.name, community, address)

    def _urgency(self, category: Category) -> Urgency:
        urgencies, weights = _URGENCY_MIX[category.sla_class == "emergency"]
        return self._rng.choices(urgencies, weights)[0]

    def _routing(self, category: Category, where: _Where, urgency: Urgency, at: datetime) -> Row:
        """Lead agency, routing reason, deadline and its reason, as the intake service sets them."""
        key = (category.code, where.district_code, where.street_code)
        route = self._routes.get(key)
        if route is None:
            found = suggest_agency(self._ref, *key)
            reason = f"{found.rule.id} · {found.rule.reason}" if found else ""
            route = (found.agency.code, found.agency.name, reason) if found else ("", "", "")
            self._routes[key] = route
        sla = suggest_deadline(self._ref, category.code, urgency)
        return (*route, db_time(sla.due(at)), sla.rule.label)

    def _progress(self, moment: datetime, dispatch: bool) -> tuple[str, str, int]:
        """Status, last update and version: old cases closed, recent ones with the agencies."""
        if not dispatch:
            return Status.ANSWERED.value, db_time(moment), 1
        age = self._now - moment
        status = next(
            self._rng.choices(s, w)[0] for days, s, w in _STATUS_BY_AGE if age.days < days
        )
        if status is Status.DISPATCHED:
            return status.value, db_time(moment), 1
        worked = min(age, timedelta(days=15)) * self._rng.uniform(0.1, 1.0)
        return status.value, db_time(moment + worked), _VERSION[status]

    def _caller(self, appeal: AppealType) -> tuple[str, str, int, int]:
        """Caller name, callback number, confidential and anonymous (0/1, as SQLite keeps them)."""
        rng = self._rng
        anonymous = rng.random() < _ANONYMOUS_SHARE
        named = not anonymous and (appeal is AppealType.COMPLAINT or rng.random() < _NAMED_SHARE)
        name = rng.choice(phrases.SURNAMES) + rng.choice(("先生", "女士")) if named else ""
        callback = f"+86139{rng.randrange(10**8):08d}" if rng.random() < _CALLBACK_SHARE else ""
        return name, callback, int(rng.random() < _CONFIDENTIAL_SHARE), int(anonymous)


def _ranked(ref: ReferenceData, rng: random.Random) -> list[Category]:
    """The categories by how often they come up: the leading ones, then the rest shuffled."""
    by_leaf = {c.level3: c for c in ref.categories.values()}
    leading = [by_leaf[name] for name in LEADING if name in by_leaf]
    rest = [c for c in ref.categories.values() if c not in leading]
    rng.shuffle(rest)
    return leading + rest


def _weight(category: Category, rank: int, appeal: AppealType, month: int) -> float:
    weight = math.pow(rank + 1, -_ZIPF)
    policy = category.level2 in phrases.POLICY_LEVEL2
    if appeal is AppealType.CONSULTATION:
        weight *= 6.0 if policy else 1.0
    elif appeal is not AppealType.SUGGESTION:
        weight *= 0.3 if policy else 1.0
    season = _SEASONS.get(category.level2) or _SEASONS.get(category.level3)
    if season:
        months, high, low = season
        weight *= high if month in months else low
    return weight


@cache
def _communities(street: Street) -> tuple[str, ...]:
    short = _TOWN.sub("", street.name) or street.name
    rural = street.name.endswith(("镇", "乡"))
    suffixes = phrases.VILLAGE_SUFFIXES if rural else phrases.COMMUNITY_SUFFIXES
    return tuple(short + suffix for suffix in suffixes)
