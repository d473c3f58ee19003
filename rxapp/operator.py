"""`python -m rxapp.operator create EMAIL`: the only way a platform operator is made.

The password comes from ``--password-stdin`` (one line on standard input) or is
generated and printed once; it is never taken from the command line, where it would
stay in the shell history and the process list.
"""

import argparse
import secrets
import sys

from rxapp import clock
from rxapp.db import session_scope
from rxapp.i18n import translate
from rxapp.services.common.errors import DomainError
from rxapp.services.platform import create_operator


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and create the operator; 0 on success, 2 on bad input."""
    parser = argparse.ArgumentParser(prog="python -m rxapp.operator",
                                     description="Manage Beckon platform operators.")
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create", help="create an operator account")
    create.add_argument("email")
    create.add_argument("--name", default="", help="full name")
    create.add_argument("--language", default="en", choices=("en", "de", "fr", "sv"))
    create.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input")
    args = parser.parse_args(argv)
    generated = not args.password_stdin
    password = (secrets.token_urlsafe(15) if generated
                else sys.stdin.readline().rstrip("\r\n"))
    try:
        with session_scope() as session:
            user = create_operator(session, email=args.email, password=password,
                                   full_name=args.name, language=args.language,
                                   now=clock.now())
            email = user.email
    except DomainError as err:
        sys.stderr.write(f"error: {translate('en', err.code)}\n")
        return 2
    sys.stdout.write(f"operator created: {email}\n")
    if generated:
        sys.stdout.write(f"password (shown once): {password}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
