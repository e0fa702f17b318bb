"""`python main.py server …`: run the server, migrate its database, manage accounts and keys."""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from console.central import accounts, api_keys, enrolment, feed
from console.domain.clock import utc_now
from console.domain.errors import FieldError, NotFound, ValidationFailed
from console.domain.workflow import Role
from console.server.config import DEFAULT_DATABASE, ServerConfig
from console.server.database import server_engine
from console.store.db import session_factory
from console.store.migrations import SERVER, upgrade_to_head
from console.store.reference_files import load_reference

DEFAULT_PORT = 8345


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python main.py server", description="The 12345 Hotline central server."
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE,
        help="SQLAlchemy URL: postgresql+psycopg://user@host/db in production "
        f"(default: {DEFAULT_DATABASE}, a file to try the server out)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path("server-data"),
        help="the centre's own reference files, in <dir>/reference/",
    )
    parser.add_argument(
        "--open311-descriptions",
        action="store_true",
        help="publish each request's description on Open311 GET (numbers and email "
        "addresses scrubbed); off by default, as complaints carry personal detail",
    )
    parser.add_argument(
        "--read-timeout",
        type=float,
        default=ServerConfig.read_timeout_s,
        help="seconds a request may stall between two pieces of its head or body before it "
        f"is dropped with 408 (default {ServerConfig.read_timeout_s:g})",
    )
    parser.add_argument(
        "--body-timeout",
        type=float,
        default=ServerConfig.body_timeout_s,
        help=f"seconds a whole body may take to arrive (default {ServerConfig.body_timeout_s:g})",
    )
    parser.add_argument(
        "--live-streams",
        type=int,
        default=ServerConfig.live_streams,
        help="the most live streams (consoles following changes) this instance holds; more "
        f"are answered 503 and fall back to polling (default {ServerConfig.live_streams})",
    )
    parser.add_argument(
        "--shared-network",
        action="append",
        default=[],
        type=_network,
        metavar="CIDR",
        help="a network many people log in from as one address (the centre's NAT or desktop "
        "gateway): failed logins there are limited per user name only; repeatable",
    )
    _serving_options(parser)
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser("run", help="serve the API (the default); migrates first")
    _serving_options(run, after_run=True)
    commands.add_parser("migrate", help="bring the database to the newest schema")
    user = commands.add_parser("create-user", help="create an account; the password is asked")
    user.add_argument("username")
    user.add_argument("--role", required=True, choices=[r.value for r in Role])
    user.add_argument("--name", required=True, help="display name")
    user.add_argument("--agency", default="", help="agency code, for the agency role")
    user.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of asking",
    )
    for name, text in (
        ("disable-user", "disable an account, ending its sessions"),
        ("enable-user", "enable an account again"),
    ):
        commands.add_parser(name, help=text).add_argument("username")
    prune = commands.add_parser(
        "prune-feed", help="forget change-feed rows older than the retention (run daily)"
    )
    prune.add_argument("--keep-days", type=int, default=30)
    issue = commands.add_parser("issue-api-key", help="issue an Open311 API key")
    issue.add_argument("name", help="who the key is for")
    revoke = commands.add_parser("revoke-api-key", help="revoke an Open311 API key")
    revoke.add_argument("key_id")
    _console_commands(commands)
    return parser.parse_args(argv)


def _console_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    code = commands.add_parser(
        "enrol-code", help="a one-time code that enrols one workstation (shown once)"
    )
    code.add_argument("--seat", help="the seat it takes, retiring the console there; else any free")
    code.add_argument("--hours", type=int, default=24, help="how long it is valid (default 24)")
    retire = commands.add_parser(
        "retire-console", help="retire a console: its seat is free, its sessions end"
    )
    which = retire.add_mutually_exclusive_group(required=True)
    which.add_argument("--seat", help="the seat of the console in service there")
    which.add_argument("--client-id", help="the console's client id")


def _serving_options(parser: argparse.ArgumentParser, after_run: bool = False) -> None:
    """`server --port P` and `server run --port P` alike; after `run`, an option not given
    keeps what was given before it."""
    host, port = (
        (argparse.SUPPRESS, argparse.SUPPRESS) if after_run else ("127.0.0.1", DEFAULT_PORT)
    )
    parser.add_argument("--host", default=host, help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, default=port, help=f"port ({DEFAULT_PORT})")


def _network(text: str) -> str:
    try:
        return str(ipaddress.ip_network(text, strict=False))
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a network: {text}") from error


def run(argv: list[str]) -> int:
    args = parse_args(argv)
    command = args.command or "run"
    if command == "run":
        return _serve(args)
    engine = server_engine(args.database_url)
    upgrade_to_head(engine, SERVER)
    if command == "migrate":
        print("database at the newest schema")
        return 0
    sessions = session_factory(engine)
    actions: dict[str, Callable[[argparse.Namespace, Session], str]] = {
        "create-user": _create_user,
        "disable-user": _disable,
        "enable-user": _enable,
        "prune-feed": _prune_feed,
        "issue-api-key": _issue_key,
        "revoke-api-key": _revoke_key,
        "enrol-code": _enrol_code,
        "retire-console": _retire_console,
    }
    with sessions() as session:
        try:
            message = actions[command](args, session)
        except ValidationFailed as error:
            for problem in error.errors:
                print(f"{problem.field}: {problem.code}", file=sys.stderr)
            return 2
        session.commit()
    print(message)
    return 0


def _create_user(args: argparse.Namespace, session: Session) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise ValidationFailed([FieldError("password", "passwords_differ")])
    reference = load_reference(ServerConfig().reference_dir, args.data_dir).data
    accounts.create_account(
        session, reference, args.username, args.name, args.role, password, args.agency, utc_now()
    )
    return f"account {args.username} ({args.role}) created"


def _disable(args: argparse.Namespace, session: Session) -> str:
    accounts.set_disabled(session, args.username, disabled=True)
    return f"account {args.username} disabled; its sessions have ended"


def _enable(args: argparse.Namespace, session: Session) -> str:
    accounts.set_disabled(session, args.username, disabled=False)
    return f"account {args.username} enabled"


def _prune_feed(args: argparse.Namespace, session: Session) -> str:
    deleted = feed.prune(session, utc_now(), timedelta(days=args.keep_days))
    return f"{deleted} change rows older than {args.keep_days} days pruned; older cursors reset"


def _issue_key(args: argparse.Namespace, session: Session) -> str:
    key_id, key = api_keys.issue(session, args.name, utc_now())
    return f"key id {key_id}\napi_key {key}\n(the key is shown only now)"


def _revoke_key(args: argparse.Namespace, session: Session) -> str:
    api_keys.revoke(session, args.key_id, utc_now())
    return f"key {args.key_id} revoked"


def _enrol_code(args: argparse.Namespace, session: Session) -> str:
    code = enrolment.issue_code(session, args.seat, args.hours, "command line", utc_now())
    seat = f"seat {args.seat}" if args.seat else "the first free seat"
    return (
        f"enrolment code {code}\n"
        f"enrols one workstation at {seat}, once, within {args.hours} h\n"
        "(the code is shown only now)"
    )


def _retire_console(args: argparse.Namespace, session: Session) -> str:
    try:
        if args.client_id:
            retired = enrolment.retire(session, args.client_id, utc_now())
        else:
            retired = enrolment.retire_seat(session, args.seat, utc_now())
    except NotFound as error:
        field = "client_id" if args.client_id else "seat"
        raise ValidationFailed([FieldError(field, "no_console_in_service")]) from error
    return (
        f"console {retired.client_id} of seat {retired.seat_code} retired; its sessions have "
        "ended and its secret opens nothing"
    )


def config(args: argparse.Namespace) -> ServerConfig:
    """The configuration `run` serves with."""
    return ServerConfig(
        database_url=args.database_url,
        data_dir=args.data_dir,
        open311_descriptions=args.open311_descriptions,
        shared_networks=tuple(args.shared_network),
        read_timeout_s=args.read_timeout,
        body_timeout_s=args.body_timeout,
        live_streams=args.live_streams,
    )


def _serve(args: argparse.Namespace) -> int:
    from console.server.app import serve

    engine = server_engine(args.database_url)
    upgrade_to_head(engine, SERVER)
    engine.dispose()
    serve(config(args), args.host, args.port)
    return 0
