"""``dsa members add|list|remove``: the operator manages who may do what in shared mode (deployment.md).

The operator has the database itself, so these commands are not checked against
roles; each change is written to the audit log under the operator's login name
(or ``--actor``).
"""

from __future__ import annotations

import argparse
from typing import TextIO

from .common import write_json
from .store import _store, default_author


def _actor(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--actor", default=None, metavar="NAME",
                        help="who is making the change, for the audit log (default: your login)")


class MembersCommand:
    NAME = "members"
    HELP = "shared mode: give, list or take away people's roles (viewer, editor, signer, admin) per party"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        from ..storage import MEMBER_ROLES

        sub = parser.add_subparsers(dest="members_command", metavar="ACTION", parser_class=type(parser))
        sub.required = True
        add = sub.add_parser("add", help="give EMAIL a role for a party of model NAME (replaces their role for it)")
        add.add_argument("name", metavar="NAME", help="the model's name in the store")
        add.add_argument("--email", required=True, metavar="E", help="the person's sign-in email")
        add.add_argument("--party", required=True, metavar="ID", help="the party id the role is for")
        add.add_argument("--role", required=True, choices=MEMBER_ROLES, metavar="R",
                         help="one of: " + ", ".join(MEMBER_ROLES))
        _actor(add)
        listing = sub.add_parser("list", help="list model NAME's members")
        listing.add_argument("name", metavar="NAME", help="the model's name in the store")
        listing.add_argument("--json", action="store_true", help="print one JSON document")
        remove = sub.add_parser("remove", help="take away EMAIL's role for a party of model NAME")
        remove.add_argument("name", metavar="NAME", help="the model's name in the store")
        remove.add_argument("--email", required=True, metavar="E", help="the person's sign-in email")
        remove.add_argument("--party", required=True, metavar="ID", help="the party id")
        _actor(remove)

    @staticmethod
    def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
        with _store() as store:
            if args.members_command == "add":
                m = store.add_member(args.name, args.email, args.party, args.role,
                                     actor=args.actor or default_author())
                stdout.write(f"{m.email} is now {m.role} for {m.party_id} in {args.name!r}\n")
            elif args.members_command == "remove":
                store.remove_member(args.name, args.email, args.party, actor=args.actor or default_author())
                stdout.write(f"{args.email.strip().lower()} no longer has a role for {args.party} in {args.name!r}\n")
            else:
                members = store.members(args.name)
                if args.json:
                    write_json(stdout, {"model": args.name, "members": [m.to_dict() for m in members]})
                elif members:
                    for m in members:
                        stdout.write(f"{m.email}  {m.role} for {m.party_id}  (added by {m.added_by})\n")
                else:
                    stdout.write(f"{args.name!r} has no members (shared mode lets nobody in until you add some)\n")
        return 0


COMMANDS = (MembersCommand,)
