"""Who may do what in shared mode: roles per party of a saved model (deployment.md, "Membership").

Pure rules, no database: the store records members and asks ``may`` before it
saves, restores, signs off or changes members on behalf of a signed-in person.

- ``viewer`` reads; ``editor`` saves and restores versions; ``signer`` records
  sign-offs for *their* party (and reads); ``admin`` manages members and does
  everything else, signing only for the party they are admin of.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Mapping

from ..errors import StorageError

VIEWER, EDITOR, SIGNER, ADMIN = "viewer", "editor", "signer", "admin"
MEMBER_ROLES = (VIEWER, EDITOR, SIGNER, ADMIN)

READ, SAVE, RESTORE, SIGN, MANAGE = "read", "save", "restore", "sign off", "manage members of"

# The roles that allow each action; signing off is further limited to the member's own party.
_ALLOWED = {READ: MEMBER_ROLES, SAVE: (EDITOR, ADMIN), RESTORE: (EDITOR, ADMIN), SIGN: (SIGNER, ADMIN),
            MANAGE: (ADMIN,)}

# Deliberately loose: the provider has verified the address; this only catches typing mistakes at the CLI.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class Member:
    """One person's role for one party of one saved model."""

    model: str
    email: str
    party_id: str
    role: str
    added_by: str
    added_at: dt.datetime

    def to_dict(self) -> dict:
        return {"model": self.model, "email": self.email, "party": self.party_id, "role": self.role,
                "added_by": self.added_by,
                "added_at": self.added_at.astimezone(dt.timezone.utc).isoformat(timespec="seconds")
                .replace("+00:00", "Z")}


def may(roles: Mapping[str, str], action: str, party_id: str | None = None) -> bool:
    """Whether someone holding ``roles`` (party id → role) may do ``action`` (for ``party_id`` when signing)."""
    allowed = _ALLOWED[action]
    if action == SIGN:
        return roles.get(party_id) in allowed
    return any(role in allowed for role in roles.values())


def allowed_roles(action: str) -> tuple[str, ...]:
    return _ALLOWED[action]


def needed(action: str, party_id: str | None = None, party_name: str | None = None) -> str:
    """The role an action needs, in words: "the signer or admin role for Riverside Surgery"."""
    allowed = _ALLOWED[action]
    words = " or ".join(allowed) if len(allowed) <= 2 else ", ".join(allowed[:-1]) + " or " + allowed[-1]
    what = f"the {words} role"
    if action == SIGN:
        return f"{what} for {party_name or party_id}"
    return what


def describe_roles(roles: Mapping[str, str]) -> str:
    """"signer for m81001, viewer for icb", or "no role" — for refusal messages and the audit log."""
    if not roles:
        return "no role"
    return ", ".join(f"{role} for {party}" for party, role in sorted(roles.items()))


def check_email(email: str) -> str:
    if not isinstance(email, str) or not _EMAIL.match(email.strip()):
        raise StorageError(f"{email!r} is not an email address")
    return email.strip().lower()


def check_member_role(role: str) -> str:
    if role not in MEMBER_ROLES:
        raise StorageError(f"role {role!r} is not one of: {', '.join(MEMBER_ROLES)}")
    return role
