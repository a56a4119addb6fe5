"""Keeping every version: the store with history, sign-offs and an audit trail (product.md, capability 6)."""

from .store import ROLES, AuditEntry, SignOff, Store, VersionInfo, default_url

__all__ = ["Store", "VersionInfo", "SignOff", "AuditEntry", "ROLES", "default_url"]
