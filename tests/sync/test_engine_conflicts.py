"""What the server did not take: a conflict with a supervisor's change becomes a problem of
the conflicts inbox, settled by applying mine again or keeping theirs."""

from __future__ import annotations

from sqlalchemy import func, select, update

from console.domain.cases import Badge
from console.domain.enums import Status
from console.domain.workflow import Role
from console.store.schema import Case
from console.store.server_schema import AuthSession
from console.sync.api import NotApplied
from tests.forms import COMPLAINT
from tests.server.process import PASSWORD, Server
from tests.sync.conftest import Opener
from tests.sync.engines import Workstation, enrol_code, wait_until


def _on_server(centre: Server, case_id: str) -> tuple[str, str]:
    with centre.database() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case.address, case.community


def _sessions_open(centre: Server, station: Workstation) -> int:
    assert station.sync.enrolment is not None
    query = select(func.count()).where(
        AuthSession.client_id == station.sync.enrolment.client_id, AuthSession.revoked.is_(False)
    )
    with centre.database() as session:
        return int(session.execute(query).scalar_one())


def _badge(station: Workstation) -> Badge:
    [case] = station.local.cases.my_cases(station.operator)
    return case.badge


def test_a_change_a_supervisor_overtook_is_shown_and_settled_either_way(
    centre: Server, workstations: Opener
) -> None:
    taker, supervisor = centre.user(Role.CALL_TAKER), centre.user(Role.SUPERVISOR)
    mine, theirs = workstations("mine"), workstations("supervisor")
    for station in (mine, theirs):
        station.sync.connect(centre.url, code=enrol_code(centre))
    mine.sync.sign_in(taker, PASSWORD)
    theirs.sync.sign_in(supervisor, PASSWORD)
    case_id = mine.take_call()
    wait_until(lambda: theirs.holds(case_id))
    assert _badge(mine) is Badge.SYNCED

    mine.sync.sign_out()
    assert _sessions_open(centre, mine) == 0  # signing out ends the session on the server
    mine.edit(case_id, address="三里屯路19号北侧")
    mine.edit(case_id, community="三里屯北社区")
    assert _badge(mine) is Badge.WAITING
    theirs.edit(case_id, address="三里屯路21号", community="三里屯南社区")
    wait_until(theirs.drained)
    mine.sync.sign_in(taker, PASSWORD)
    wait_until(mine.drained)

    address, community = sorted(mine.sync.problems(), key=lambda p: p.mid)
    assert address.not_applied == (
        NotApplied("address", "三里屯路19号北侧", "三里屯路21号", supervisor),
    )
    assert community.not_applied == (
        NotApplied("community", "三里屯北社区", "三里屯南社区", supervisor),
    )
    assert not address.rejected and address.case_id == case_id
    shown = mine.local.cases.detail(case_id)
    assert (shown.address, shown.community) == ("三里屯路21号", "三里屯南社区")
    assert _badge(mine) is Badge.CONFLICT

    mine.sync.apply_mine_again(address.mid)
    mine.sync.keep_theirs(community.mid)
    wait_until(mine.drained)
    assert mine.sync.problems() == []
    assert _on_server(centre, case_id) == ("三里屯路19号北侧", "三里屯南社区")
    wait_until(lambda: theirs.local.cases.detail(case_id).address == "三里屯路19号北侧")
    assert _badge(mine) is Badge.SYNCED


def test_an_edit_the_server_refuses_is_undone_here_and_says_why(
    centre: Server, workstations: Opener
) -> None:
    station = workstations()
    station.sync.connect(centre.url, code=enrol_code(centre))
    station.sync.sign_in(centre.user(Role.CALL_TAKER), PASSWORD)
    case_id = station.take_call()
    wait_until(station.drained)
    station.sync.sign_out()
    with centre.database() as session:  # a supervisor voided it meanwhile
        session.execute(update(Case).where(Case.id == case_id).values(status=Status.VOID.value))
        session.commit()
    station.edit(case_id, address="三里屯路19号北侧")
    station.sync.sign_in(centre.user(Role.CALL_TAKER), PASSWORD)
    wait_until(station.drained)

    [refused] = station.sync.problems()
    assert refused.rejected and refused.reason
    assert refused.not_applied == (
        NotApplied("address", "三里屯路19号北侧", COMPLAINT.address, ""),
    )
    assert station.local.cases.detail(case_id).address == COMPLAINT.address
    assert _badge(station) is Badge.REJECTED
