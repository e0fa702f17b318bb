"""The documents a server process keeps for the pulls that follow: a case in scope always comes
with its document, whatever the keeping drops meanwhile."""

from __future__ import annotations

import pytest
from sqlalchemy import true
from sqlalchemy.orm import Session

from console.central import case_docs
from tests.server.cases import Cases


def test_a_case_in_scope_comes_with_its_document_when_the_kept_ones_are_crowded_out(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page whose new documents push out the kept ones it counted on must not take those
    cases for cases out of scope: the console would drop them as if they had left it."""
    cases = Cases(pg_url)
    try:
        first, second, third = (cases.create() for _ in range(3))
        monkeypatch.setattr(case_docs, "KEPT", case_docs._Kept(2))
        with Session(cases.engine) as session:
            case_docs.current(session, [first, second], true())  # both kept now
            page = case_docs.current(session, [first, second, third], true())
        assert {case_id: doc is not None for case_id, (_, doc) in page.items()} == {
            first: True,
            second: True,
            third: True,
        }
    finally:
        cases.close()
