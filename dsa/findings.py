"""Findings: every problem in a model is one value, never an exception."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Iterable, Union

PathPart = Union[str, int]


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:  # so f-strings show "error", not "Severity.ERROR"
        return self.value


def escape_token(part: PathPart) -> str:
    """Escape one JSON Pointer reference token (RFC 6901: ``~`` then ``/``)."""
    return str(part).replace("~", "~0").replace("/", "~1")


def to_pointer(path: Iterable[PathPart]) -> str:
    """Render a path tuple as an RFC 6901 JSON Pointer, e.g. ``/flows/3/data``."""
    return "".join("/" + escape_token(p) for p in path)


def from_pointer(pointer: str) -> tuple[PathPart, ...]:
    """Parse a JSON Pointer back into a path; all-digit tokens become ints."""
    if not pointer:
        return ()
    parts: list[PathPart] = []
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        parts.append(int(token) if token.isdigit() else token)
    return tuple(parts)


def _sort_key_part(part: PathPart) -> tuple[int, int, str]:
    # Indexes sort numerically (flows/2 before flows/10) and before names.
    if isinstance(part, int):
        return (0, part, "")
    return (1, 0, part)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in a model: which rule, how serious, where, what, and how to fix it."""

    rule: str
    severity: Severity
    path: tuple[PathPart, ...]
    message: str
    fix: str

    @property
    def pointer(self) -> str:
        return to_pointer(self.path)

    def relative_to(self, *prefix: PathPart) -> "Finding":
        """The same finding with ``prefix`` put in front of its path."""
        return Finding(self.rule, self.severity, tuple(prefix) + self.path, self.message, self.fix)

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "path": self.pointer,
            "message": self.message,
            "fix": self.fix,
        }

    def sort_key(self) -> tuple:
        return (tuple(_sort_key_part(p) for p in self.path), self.rule)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings sorted by path, then rule (the order every output uses)."""
    return sorted(findings, key=Finding.sort_key)


def count(findings: Iterable[Finding], severity: Severity) -> int:
    return sum(1 for f in findings if f.severity is severity)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


BLOCKING_PREFIXES = ("SCHEMA", "REF")


def is_blocking(finding: Finding) -> bool:
    """Only errors that make the model unreadable block the numbers and drafts (deployment.md)."""
    return finding.severity is Severity.ERROR and finding.rule.startswith(BLOCKING_PREFIXES)


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if is_blocking(f)]


def governance_errors(findings: Iterable[Finding]) -> list[Finding]:
    """Errors that inform but do not block: the information-governance (IG…) rules."""
    return [f for f in findings if f.severity is Severity.ERROR and not is_blocking(f)]
