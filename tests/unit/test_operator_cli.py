"""`python -m rxapp.operator create EMAIL`: the only way a platform operator is made."""

import io

import pytest
from sqlmodel import select

from rxapp import operator
from rxapp.models import Organization, User
from rxapp.services.team.base import INVITABLE_ROLES
from tests.factories import PASSWORD


def test_cli_creates_an_operator_in_the_platform_organization(app_db, session, monkeypatch,
                                                               capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert operator.main(["create", "Op@Vendor.example", "--name", "Olga",
                          "--password-stdin"]) == 0
    assert "operator created: op@vendor.example" in capsys.readouterr().out
    user = session.exec(select(User).where(User.email == "op@vendor.example")).one()
    org = session.get(Organization, user.organization_id)
    assert user.role == "operator" and org.is_platform and org.modules == []
    # Twice the same address, or a weak password: refused, nothing created.
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert operator.main(["create", "op@vendor.example", "--password-stdin"]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert operator.main(["create", "op2@vendor.example", "--password-stdin"]) == 2
    assert len(session.exec(select(User)).all()) == 1


def test_cli_generates_a_password_when_none_is_given(app_db, session, capsys):
    assert operator.main(["create", "gen@vendor.example"]) == 0
    out = capsys.readouterr().out
    assert "password (shown once): " in out


def test_operator_is_never_an_invitable_role():
    assert "operator" not in INVITABLE_ROLES


def test_cli_requires_a_command():
    with pytest.raises(SystemExit):
        operator.main([])
