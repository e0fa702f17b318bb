"""A console whose clock is hours off stamps its cases with the centre's time, learnt from the
server's answers and kept for when it works offline."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from console.domain.clock import utc_now
from console.domain.workflow import Role
from console.store.schema import Case
from tests.server.process import PASSWORD, Server
from tests.sync.conftest import Opener
from tests.sync.engines import enrol_code, stored, wait_until

CLOSE = timedelta(seconds=5)


def _near_now(at: datetime) -> bool:
    return abs(at - utc_now()) < CLOSE


@pytest.mark.parametrize("skew", [timedelta(hours=2), timedelta(days=-1)], ids=["+2h", "-1day"])
def test_a_console_whose_clock_is_off_has_its_cases_accepted_at_the_true_time(
    centre: Server, workstations: Opener, skew: timedelta
) -> None:
    def clock() -> datetime:
        return utc_now() + skew

    station = workstations("skewed", clock=clock)
    station.sync.connect(centre.url, code=enrol_code(centre))
    station.sync.sign_in(centre.user(Role.CALL_TAKER), PASSWORD)
    case_id = station.take_call("来电人反映小区路灯不亮。")
    assert _near_now(station.local.cases.detail(case_id).summary.created_at)
    wait_until(station.drained)
    assert stored(centre, [case_id]) == {case_id: 1}
    with centre.database() as session:
        at = session.execute(select(Case.created_at).where(Case.id == case_id)).scalar_one()
    assert _near_now(at)
    assert station.sync.problems() == []
    wait_until(lambda: not station.local.clock.unkept)
    station.close()

    # Opened again, not yet signed in: the offset learnt is used for work saved offline.
    again = workstations("skewed", clock=clock)
    assert _near_now(
        again.local.cases.detail(again.take_call("来电人反映噪音扰民。")).summary.created_at
    )
