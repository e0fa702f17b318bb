"""Who calls and when: the callers' numbers with their real skew, and the moments of the calls."""

from __future__ import annotations

import itertools
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from console.domain.numbering import CENTRE_TZ

DAYS = 365
SEATS = tuple(f"{n:03d}" for n in range(1, 751))
# Calls per hour of the centre's day, midnight first; per weekday, Monday first; per month,
# January first (the heating season and the summer rains bring more calls).
HOURLY = (5, 3, 2, 2, 2, 4, 10, 25, 50, 70, 75, 70, 55, 55, 65, 65, 60, 50, 40, 35, 30, 25, 18, 10)
WEEKDAY = (1.15, 1.1, 1.05, 1.05, 1.0, 0.8, 0.75)
MONTHLY = (1.2, 1.1, 1.0, 0.9, 0.9, 1.0, 1.15, 1.15, 0.95, 0.9, 1.15, 1.25)
_ONE_TIME_SHARE = 0.70
_DAILY_SHARE = 0.05
_CASES_PER_DAILY_CALLER = 200
_REPEAT_CALLS = range(2, 21)
_REPEAT_SKEW = 1.8
_FIXED_LINE_SHARE = 0.15
_SAMPLES_OF_EACH = 12
MOBILE_PREFIXES = (
    *range(130, 140), 145, 147, *range(150, 154), *range(155, 160), 166, 170, 171, 173,
    *range(175, 179), *range(180, 190), 191, 193, *range(195, 200),
)  # fmt: skip
FIXED_LINE_FIRST_DIGITS = "568"


def db_time(moment: datetime) -> str:
    """How SQLAlchemy's SQLite DateTime stores an aware moment: naive UTC, with microseconds."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def uuid7(rng: random.Random, moment: datetime) -> str:
    """A version 7 UUID for `moment`, its random bits taken from the seeded generator."""
    millis = int(moment.timestamp() * 1000)
    bits = (millis << 80) | (0x7 << 76) | (rng.getrandbits(12) << 64) | (0b10 << 62)
    return str(uuid.UUID(int=bits | rng.getrandbits(62)))


def plan_times(rng: random.Random, count: int, now: datetime) -> list[datetime]:
    """When each case was taken (centre time), oldest first, over the `DAYS` up to `now`."""
    today = now.astimezone(CENTRE_TZ).date()
    days = [today - timedelta(days=back) for back in range(DAYS)]
    weights = [WEEKDAY[d.weekday()] * MONTHLY[d.month - 1] for d in days]
    chosen = rng.choices(days, weights, k=count)
    hours = rng.choices(range(24), HOURLY, k=count)
    moments = [_moment(rng, day, hour, now) for day, hour in zip(chosen, hours, strict=True)]
    moments.sort()
    return moments


def _moment(rng: random.Random, day: date, hour: int, now: datetime) -> datetime:
    midnight = datetime.combine(day, time(), CENTRE_TZ)
    moment = midnight + timedelta(hours=hour + rng.random())
    # Today's calls spread over the hours gone by, none in the future.
    return moment if moment <= now else midnight + (now - midnight) * rng.random()


@dataclass(frozen=True)
class CallerPlan:
    phones: list[str]  # the caller of each case, in the order the cases are made
    samples: tuple[str, ...]  # daily, repeat and one-time callers, taking turns


def plan_callers(rng: random.Random, count: int) -> CallerPlan:
    """~70% of cases from numbers that call once, ~25% from 2–20 calls, ~5% from daily callers."""
    daily_callers = max(3, round(_DAILY_SHARE * count / _CASES_PER_DAILY_CALLER))
    daily_counts = _split(rng, round(_DAILY_SHARE * count), daily_callers)
    repeat_counts = _repeat_counts(rng, round((1 - _ONE_TIME_SHARE - _DAILY_SHARE) * count))
    one_time = count - sum(daily_counts) - sum(repeat_counts)
    numbers = _unique_numbers(rng, daily_callers + len(repeat_counts) + one_time)
    counts = [*daily_counts, *repeat_counts, *([1] * one_time)]
    phones = [number for number, k in zip(numbers, counts, strict=True) for _ in range(k)]
    rng.shuffle(phones)
    repeat_end = daily_callers + len(repeat_counts)
    groups = (numbers[:daily_callers], numbers[daily_callers:repeat_end], numbers[repeat_end:])
    picked = [rng.sample(group, min(len(group), _SAMPLES_OF_EACH)) for group in groups]
    samples = tuple(n for turn in itertools.zip_longest(*picked) for n in turn if n)
    return CallerPlan(phones, samples)


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` cases over `parts` callers, unevenly, each with at least one."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    counts = [max(1, int(total * w / sum(weights))) for w in weights]
    counts[0] += max(0, total - sum(counts))
    return counts


def _repeat_counts(rng: random.Random, total: int) -> list[int]:
    """Calls per repeat caller, 2 to 20, twos the most common, adding up to about `total`."""
    weights = [k**-_REPEAT_SKEW for k in _REPEAT_CALLS]
    counts: list[int] = []
    made = 0
    while made < total:
        counts.append(min(rng.choices(_REPEAT_CALLS, weights)[0], max(2, total - made)))
        made += counts[-1]
    return counts


def _unique_numbers(rng: random.Random, count: int) -> list[str]:
    """Distinct E.164 numbers: mobiles, and Beijing fixed lines (+8610 and 8 digits)."""
    fixed = round(count * _FIXED_LINE_SHARE)
    mobiles = rng.sample(range(len(MOBILE_PREFIXES) * 10**8), count - fixed)
    lines = rng.sample(range(len(FIXED_LINE_FIRST_DIGITS) * 10**7), fixed)
    numbers = [f"+86{MOBILE_PREFIXES[m // 10**8]}{m % 10**8:08d}" for m in mobiles]
    numbers += [f"+8610{FIXED_LINE_FIRST_DIGITS[n // 10**7]}{n % 10**7:07d}" for n in lines]
    rng.shuffle(numbers)
    return numbers
