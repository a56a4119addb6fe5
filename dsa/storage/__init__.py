"""Keeping every version: the store with history, sign-offs and an audit trail (product.md, capability 6),
and, in shared mode, who may do what (deployment.md, "Membership")."""

from .members import MANAGE, MEMBER_ROLES, READ, RESTORE, SAVE, SIGN, Member
from .store import (APPROVAL_ROLES, REVIEW_ROLES, ROLES, AuditEntry, SignOff, Store, VersionInfo, default_url,
                    is_sqlite_url)

__all__ = ["Store", "VersionInfo", "SignOff", "AuditEntry", "Member", "ROLES", "APPROVAL_ROLES", "REVIEW_ROLES",
           "MEMBER_ROLES", "READ", "SAVE", "RESTORE", "SIGN", "MANAGE", "default_url", "is_sqlite_url"]
