"""Working through an outage: signing in against the local verifier, cases kept and sent once
when the server is back, a user the server no longer lets in (disabled meanwhile, or with
another password) signed out with the work kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from console.central import accounts
from console.domain.workflow import Role
from console.store.server_schema import Account
from console.sync.api import Link, SignInRefused, Stop
from tests.server.process import PASSWORD, Server
from tests.sync.conftest import Opener
from tests.sync.engines import crash, enrol_code, stored, wait_until


def test_cases_taken_while_the_server_is_down_reach_it_once_when_it_is_back(
    centre: Server, workstations: Opener
) -> None:
    here, there = workstations("here"), workstations("there")
    taker, stranger = centre.user(Role.CALL_TAKER), centre.user(Role.CALL_TAKER)
    here.sync.connect(centre.url, code=enrol_code(centre))
    there.sync.connect(centre.url, code=enrol_code(centre))
    here.sync.sign_in(taker, PASSWORD)
    here.sync.sign_out()

    crash(centre)
    try:
        with pytest.raises(SignInRefused) as wrong:
            here.sync.sign_in(taker, "not the password")
        with pytest.raises(SignInRefused) as unknown:
            here.sync.sign_in(stranger, PASSWORD)
        account = here.sync.sign_in(taker, PASSWORD)
        ids = [here.take_call(f"停电期间第{n}位来电人反映路灯不亮。") for n in (1, 2, 3)]
        offline = wait_until(lambda: here.sync.state().waiting == 3 and here.sync.state())
    finally:
        centre.start_again()

    assert (wrong.value.reason, unknown.value.reason) == (
        "wrong_credentials",
        "unknown_here_offline",
    )
    assert account.offline and account.username == taker
    assert offline.link is Link.OFFLINE and offline.offline_since is not None
    assert offline.oldest_waiting_at is not None
    wait_until(here.drained)
    assert stored(centre, ids) == dict.fromkeys(ids, 1)
    assert here.sync.state().link is Link.ONLINE
    assert here.sync.account == replace(account, offline=False)  # checked again online
    there.sync.sign_in(stranger, PASSWORD)
    wait_until(lambda: all(there.holds(case_id) for case_id in ids))


def _disable(session: Session, username: str) -> None:
    accounts.set_disabled(session, username, disabled=True)


def _new_password(session: Session, username: str) -> None:
    new = accounts.hash_password("a new password set by an admin")
    session.execute(update(Account).where(Account.username == username).values(password_hash=new))


@pytest.mark.parametrize(
    ("meanwhile", "stop", "then"),
    [
        (_disable, Stop.ACCOUNT_DISABLED, "disabled"),
        (_new_password, Stop.SIGN_IN_REFUSED, "wrong_credentials"),
    ],
    ids=["disabled", "new-password"],
)
def test_a_sign_in_the_server_refuses_after_an_outage_signs_out_and_keeps_the_work(
    centre: Server,
    workstations: Opener,
    meanwhile: Callable[[Session, str], None],
    stop: Stop,
    then: str,
) -> None:
    here = workstations()
    taker = centre.user(Role.CALL_TAKER)
    here.sync.connect(centre.url, code=enrol_code(centre))
    here.sync.sign_in(taker, PASSWORD)
    here.sync.sign_out()
    crash(centre)
    try:
        assert here.sync.sign_in(taker, PASSWORD).offline
        case_id = here.take_call("停电期间来电人反映小区供暖不热。")
        with centre.database() as session:
            meanwhile(session, taker)
            session.commit()
    finally:
        centre.start_again()

    stopped = wait_until(lambda: here.sync.state().link is Link.STOPPED and here.sync.state())
    assert stopped.stopped_reason is stop
    assert here.sync.account is None
    assert [no for _, _, no, _ in here.sync.waiting()] == [
        here.local.cases.detail(case_id).summary.case_no
    ]
    assert stored(centre, [case_id]) == {case_id: 0}
    with pytest.raises(SignInRefused) as refused:
        here.sync.sign_in(taker, PASSWORD)
    assert refused.value.reason == then
