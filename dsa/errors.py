"""Exceptions raised when dsa cannot go on.

A problem *in* a user's model is never an exception: it is a
:class:`dsa.findings.Finding`. These are for when the program itself cannot
continue (unreadable input, a missing template, a stale save), and the shell
maps every one of them to a one-line message and exit code 2.

    DsaError
     ├── InputError              input could not be read as a model document
     │    ├── EncodingError      not UTF-8
     │    ├── NotJsonError       not JSON, or a JSON value that is not an object
     │    ├── TooLargeError      over the size limit
     │    └── TooDeepError       nested deeper than the depth limit
     ├── ModelError              a document that is not valid enough for the operation
     ├── ImportProblemsError     a register could not be imported (carries row problems)
     ├── DraftingError           a template is missing or a required clause is absent
     └── StorageError            the store could not do what was asked
          ├── NotFoundError      no such model or version
          ├── StaleVersionError  a save based on a version that is no longer the latest
          └── AccessDeniedError  the signed-in person's role does not allow the action (shared mode)
"""

from __future__ import annotations


class DsaError(Exception):
    """Base class: dsa cannot go on; the message is for the user."""


class InputError(DsaError):
    """The input could not be read as a model document."""


class EncodingError(InputError):
    """The input is not UTF-8 text."""


class NotJsonError(InputError):
    """The input is not JSON, or its top-level value is not an object."""


class TooLargeError(InputError):
    """The input is larger than the configured size limit."""


class TooDeepError(InputError):
    """The input nests arrays or objects deeper than the configured limit."""


class ModelError(DsaError):
    """The document is not valid enough for the requested operation."""


class ImportProblemsError(DsaError):
    """A register could not be imported; ``problems`` lists every row problem."""

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


class DraftingError(DsaError):
    """A draft could not be produced (missing template, missing required clause)."""


class StorageError(DsaError):
    """The store could not do what was asked."""


class NotFoundError(StorageError):
    """No such model or version in the store."""


class StaleVersionError(StorageError):
    """A save was based on a version that is no longer the latest."""


class AccessDeniedError(StorageError):
    """The signed-in person's role does not allow the action; the message names the role it needs.

    ``action``, ``allowed`` (the roles that would do), ``party_id`` and ``roles`` (party id → role held) let
    a page say the same in names instead of ids.
    """

    def __init__(self, message: str, *, action: str = "", allowed: tuple = (), party_id: str | None = None,
                 roles: dict | None = None):
        super().__init__(message)
        self.action, self.allowed, self.party_id, self.roles = action, tuple(allowed), party_id, dict(roles or {})
