"""A mutation number is bound to what was sent under it: reused with other content, it is
refused, never answered with another mutation's result (a console restored from an older copy
of its database numbers new work with numbers it had already used)."""

from __future__ import annotations

from tests.server.process import Server
from tests.server.seats import Seats, cases_numbered, ledger


def test_a_number_sent_again_with_another_create_is_refused_and_stores_nothing(
    server: Server, seats: Seats
) -> None:
    seat = seats.open(server)
    first = seat.new_case()
    [applied] = seat.push(("case.create", first))
    assert applied["status"] == "applied"
    other = seat.new_case(description="另一位来电人反映小区门口的路灯已经坏了一个星期。")
    reused = seat.send([{"mid": 1, "name": "case.create", "args": other}])
    assert reused.status_code == 409
    assert reused.json()["error"]["code"] == "mid_reused"
    assert reused.json()["mid"] == 1
    assert cases_numbered(server, other["case_no"]) == 0
    again = seat.send([{"mid": 1, "name": "case.create", "args": first}])
    assert again.json()["results"] == [applied]


def test_a_batch_reusing_a_number_is_refused_whole(server: Server, seats: Seats) -> None:
    seat = seats.open(server)
    kept = seat.new_case()
    seat.push(("case.create", kept))
    changed = {**kept, "urgency": "urgent"}
    fresh = seat.new_case()
    batch = [
        {"mid": 1, "name": "case.create", "args": changed},
        {"mid": 2, "name": "case.create", "args": fresh},
    ]
    refused = seat.send(batch)
    assert (refused.status_code, refused.json()["mid"]) == (409, 1)
    assert cases_numbered(server, fresh["case_no"]) == 0
    assert ledger(server, seat.client_id) == 1


def test_the_same_content_in_another_key_order_is_the_same_mutation(
    server: Server, seats: Seats
) -> None:
    seat = seats.open(server)
    args = seat.new_case()
    [applied] = seat.push(("case.create", args))
    shuffled = dict(reversed(list(args.items())))
    again = seat.send([{"mid": 1, "name": "case.create", "args": shuffled}])
    assert again.status_code == 200
    assert again.json()["results"] == [applied]
