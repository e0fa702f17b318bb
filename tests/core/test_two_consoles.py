from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from console.domain.intake import IntakeForm
from console.workstation.local import LocalConsole

if TYPE_CHECKING:
    from conftest import FakeClock, Opener, Query

BEIJING = ZoneInfo("Asia/Shanghai")
# When the two call-takers save, Beijing time: late evening, across midnight, on later days.
WORKDAY = [
    datetime(2026, 11, 28, 23, 50, tzinfo=BEIJING),
    datetime(2026, 11, 28, 23, 55, tzinfo=BEIJING),
    datetime(2026, 11, 28, 23, 59, 30, tzinfo=BEIJING),
    datetime(2026, 11, 29, 0, 0, 30, tzinfo=BEIJING),
    datetime(2026, 11, 29, 0, 1, tzinfo=BEIJING),
    datetime(2026, 11, 29, 9, 0, tzinfo=BEIJING),
    datetime(2026, 11, 29, 23, 59, 57, tzinfo=BEIJING),
    datetime(2026, 11, 30, 0, 0, tzinfo=BEIJING),
    datetime(2026, 11, 30, 10, 0, tzinfo=BEIJING),
    datetime(2026, 12, 1, 8, 0, tzinfo=BEIJING),
]
# The two workstation clocks disagree by a few seconds, as real ones do.
SKEW = {"001": timedelta(0), "002": timedelta(seconds=5)}


def _expected(seat: str, moments: list[datetime]) -> list[str]:
    """Date in Beijing + seat + a sequence that starts again at 0001 on each Beijing day."""
    per_day: Counter[str] = Counter()
    numbers = []
    for moment in moments:
        day = moment.astimezone(BEIJING).strftime("%y%m%d")
        per_day[day] += 1
        numbers.append(f"{day}{seat}{per_day[day]:04d}")
    return numbers


def test_two_offline_consoles_never_issue_the_same_number(
    open_console: Opener,
    make_clock: type[FakeClock],
    query: Query,
    tmp_path: Path,
    complaint: IntakeForm,
) -> None:
    clocks = {seat: make_clock(WORKDAY[0].astimezone(UTC)) for seat in SKEW}
    consoles = {
        seat: open_console(tmp_path / f"seat-{seat}", clock) for seat, clock in clocks.items()
    }
    operators = {
        seat: console.setup.configure(seat, f"坐席{seat}") for seat, console in consoles.items()
    }
    numbers: dict[str, list[str]] = {seat: [] for seat in SKEW}
    for moment in WORKDAY:
        for seat, console in consoles.items():
            clocks[seat].set((moment + SKEW[seat]).astimezone(UTC))
            numbers[seat].append(console.intake.submit(complaint, operators[seat]).case_no)

    everything = numbers["001"] + numbers["002"]
    assert len(set(everything)) == len(everything) == 2 * len(WORKDAY)
    for seat, issued in numbers.items():
        assert issued == _expected(seat, [m + SKEW[seat] for m in WORKDAY])
    # Seat 002's clock is ahead: its 23:59:57 save already fell on the 30th.
    assert numbers["001"][6:8] == ["2611290010004", "2611300010001"]
    assert numbers["002"][6:8] == ["2611300020001", "2611300020002"]
    for seat in SKEW:
        stored = query(tmp_path / f"seat-{seat}", "SELECT case_no FROM cases ORDER BY created_at")
        assert [n for (n,) in stored] == numbers[seat]


def test_numbers_restart_after_beijing_midnight_not_utc_midnight(
    console: LocalConsole, clock: FakeClock, complaint: IntakeForm
) -> None:
    clock.set(datetime(2026, 11, 29, 23, 30, tzinfo=UTC))  # 07:30 on the 30th in Beijing
    operator = console.setup.configure("007", "李静")
    first = console.intake.submit(complaint, operator).case_no
    clock.advance(hours=1)  # UTC midnight passes; Beijing is still on the 30th
    second = console.intake.submit(complaint, operator).case_no
    assert (first, second) == ("2611300070001", "2611300070002")


def test_a_clock_set_back_a_day_does_not_reuse_a_number(
    console: LocalConsole, clock: FakeClock, complaint: IntakeForm
) -> None:
    clock.set(datetime(2026, 11, 30, 2, 0, tzinfo=UTC))
    operator = console.setup.configure("003", "赵磊")
    issued = [console.intake.submit(complaint, operator).case_no for _ in range(2)]
    clock.advance(days=1)
    issued.append(console.intake.submit(complaint, operator).case_no)
    clock.advance(days=-1, hours=3)  # someone corrects the workstation clock backwards
    issued += [console.intake.submit(complaint, operator).case_no for _ in range(2)]
    assert len(set(issued)) == len(issued)
    assert issued == [
        "2611300030001",
        "2611300030002",
        "2612010030001",
        "2611300030003",
        "2611300030004",
    ]


def test_numbering_continues_after_the_console_is_reopened(
    open_console: Opener, data_dir: Path, complaint: IntakeForm
) -> None:
    first = open_console(data_dir)
    operator = first.setup.configure("004", "孙丽")
    before = first.intake.submit(complaint, operator).case_no
    first.close()
    again = open_console(data_dir)
    assert again.setup.operator() == operator
    after = again.intake.submit(complaint, operator).case_no
    assert (before[9:], after[9:]) == ("0001", "0002")
