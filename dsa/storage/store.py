"""``Store``: every saved model version, with sign-offs and an audit trail.

Models are never overwritten: each save adds a version with its author, time,
summary, content hash and findings (product.md, capability 6). A save may
name the ``base`` version the edit started from; if someone else has saved
since, the save is refused with a message naming them, never merged. The
check is race-safe: ``(model_id, number)`` is unique, so of two concurrent
saves on the same base exactly one commits and the other's insert fails.

A document with validation errors is still kept, as a *draft* version with its
findings, because an upload that fails validation must not be thrown away
(product.md, "Security and data safety"). Saving content identical to the
latest version is recorded as a new version too: the save itself (who, when,
why) is part of the history, and refusing it would surprise a user.

The database is ``DSA_DATABASE_URL`` or an SQLite file under the user's data
directory. Its schema is created and upgraded by Alembic on ``Store.open``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError as AlembicCommandError
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from ..canonical import content_hash
from ..errors import AccessDeniedError, InputError, ModelError, NotFoundError, StaleVersionError, StorageError
from ..findings import Finding, Severity, has_errors
from ..loading import load_document
from ..validation import validate
from .members import (MANAGE, MEMBER_ROLES, RESTORE, SAVE, SIGN, Member, check_email, check_member_role,
                      allowed_roles, describe_roles, may, needed)
from .tables import AuditRow, MemberRow, ModelRow, SignOffRow, VersionRow

__all__ = ["Store", "VersionInfo", "SignOff", "AuditEntry", "Member", "ROLES", "APPROVAL_ROLES", "REVIEW_ROLES",
           "MEMBER_ROLES", "default_url", "MIGRATIONS"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

#: Sign-offs that are the party's approval (the NHS IG offices that approve a data-sharing agreement) ...
APPROVAL_ROLES = ("SIRO", "Caldicott Guardian", "DPO")
#: ... and sign-offs that are recorded as reviews: they do not count as the party's approval.
REVIEW_ROLES = ("Legal reviewer", "Other")
ROLES = APPROVAL_ROLES + REVIEW_ROLES
APPROVAL, REVIEW = "approval", "review"

# How long an SQLite writer waits for another to finish before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000
# A PostgreSQL advisory-lock key (arbitrary, fixed) that serialises concurrent first-time migrations.
_MIGRATION_LOCK_KEY = 0x0D5A_0001
_SAVE_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class SignOff:
    """One party's sign-off of one version: an approval, or a review that does not count as one."""

    model: str
    version: int
    party_id: str
    role: str
    signer: str
    signed_on: dt.date
    note: str
    recorded_at: dt.datetime
    kind: str = APPROVAL

    @property
    def is_approval(self) -> bool:
        return self.kind == APPROVAL

    def to_dict(self) -> dict:
        return {"party": self.party_id, "role": self.role, "kind": self.kind, "signer": self.signer,
                "signed_on": self.signed_on.isoformat(), "note": self.note,
                "recorded_at": _iso(self.recorded_at)}


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """What the history shows about one version (not its content: see ``Store.load``)."""

    model: str
    number: int
    author: str
    created_at: dt.datetime
    summary: str
    content_hash: str
    is_draft: bool
    findings: tuple[dict, ...]
    signoffs: tuple[SignOff, ...] = ()

    @property
    def findings_count(self) -> int:
        return len(self.findings)

    @property
    def error_count(self) -> int:
        return sum(1 for f in self.findings if f.get("severity") == Severity.ERROR.value)

    def to_dict(self) -> dict:
        return {"model": self.model, "version": self.number, "author": self.author,
                "created_at": _iso(self.created_at), "summary": self.summary,
                "content_hash": self.content_hash, "is_draft": self.is_draft,
                "findings": self.findings_count, "errors": self.error_count,
                "signoffs": [s.to_dict() for s in self.signoffs]}


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit trail."""

    at: dt.datetime
    actor: str
    action: str
    model: str
    version: int | None
    detail: str

    def to_dict(self) -> dict:
        return {"at": _iso(self.at), "actor": self.actor, "action": self.action, "model": self.model,
                "version": self.version, "detail": self.detail}


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _when(t: dt.datetime) -> str:
    """A time as people read it in messages: ``2026-11-24 10:02 UTC``."""
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def default_url() -> str:
    """``DSA_DATABASE_URL``, else an SQLite file in the user's data directory (created if needed)."""
    url = os.environ.get("DSA_DATABASE_URL", "").strip()
    if url:
        return url
    folder = Path(platformdirs.user_data_dir("dsa", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'dsa.sqlite3'}"


def is_sqlite_url(url: str) -> bool:
    """Whether ``url`` names an SQLite database (shared mode refuses to run on one)."""
    return url.strip().lower().startswith("sqlite")


def _make_engine(url: str, connect_args: Mapping[str, Any] | None) -> Engine:
    args = dict(connect_args or {})
    kwargs: dict[str, Any] = {}
    if url.startswith("sqlite"):
        args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_MS / 1000)
        if url in ("sqlite://", "sqlite:///:memory:") or ":memory:" in url:
            kwargs["poolclass"] = StaticPool  # one connection, or the in-memory database vanishes
            args.setdefault("check_same_thread", False)
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(url, connect_args=args, **kwargs)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StorageError(f"cannot use the database URL {_redact(url)}: {exc}") from None
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _redact(url: str) -> str:
    """A URL fit for a message: never print a password."""
    try:
        from sqlalchemy.engine import make_url
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown without its credentials part
        return url.split("@")[-1]


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see _configure_sqlite)
    cur = dbapi_connection.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        # Safe with WAL: a crash never corrupts the file; a power cut may lose only the last commit.
        cur.execute("PRAGMA synchronous = NORMAL")
    finally:
        cur.close()


def _sqlite_on_begin(conn) -> None:
    mode = conn.get_execution_options().get("dsa_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def _configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys and a busy timeout on every connection; BEGIN emitted by us.

    pysqlite's own transaction handling defers BEGIN until the first write and
    never wraps DDL, which breaks both atomic migrations and read-then-write
    checks. So the driver is put in autocommit and we emit BEGIN ourselves;
    writers use BEGIN IMMEDIATE (``dsa_begin`` execution option) so that two
    saves queue on the write lock instead of failing with "database is locked"
    after both have read the latest version number. Idempotent, so an engine
    handed to ``Store`` by a caller is configured too.
    """
    if not event.contains(engine, "connect", _sqlite_on_connect):
        event.listen(engine, "connect", _sqlite_on_connect)
    if not event.contains(engine, "begin", _sqlite_on_begin):
        event.listen(engine, "begin", _sqlite_on_begin)


def upgrade(connection: Connection) -> None:
    """Bring the database on ``connection`` to the latest schema (``alembic upgrade head``)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, "head")


def head_revision() -> str:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _migrate(engine: Engine, *, dispose_on_error: bool) -> None:
    """``alembic upgrade head`` on ``engine``, serialised against other processes doing the same."""
    where = _redact(str(engine.url))
    try:
        with engine.execution_options(dsa_begin="IMMEDIATE").begin() as conn:
            if conn.dialect.name == "postgresql":
                # Two processes opening a new database at once must not both create the tables.
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK_KEY})
            upgrade(conn)
    except (SQLAlchemyError, AlembicCommandError) as exc:
        if dispose_on_error:
            engine.dispose()
        if isinstance(exc, AlembicCommandError):
            raise StorageError(f"the store at {where} has a database schema this version of dsa does not "
                               f"know ({exc}); it was probably created by a newer dsa") from None
        raise StorageError(f"cannot open the store at {where}: {_reason(exc)}") from None


class Store:
    """Saved partnership models and their full history.

    ``Store(url)`` or ``Store.open(url)`` connects (default: ``default_url()``) and brings the
    database to the latest schema with the Alembic migrations; an existing SQLAlchemy ``Engine``
    may be passed instead of a URL. Every method runs in its own transaction and returns plain
    frozen dataclasses, never ORM objects, so results stay valid after the session closes.

    ``_before_commit`` is a test hook: called with the model name and the new version number
    inside a save's transaction, just before it commits, so a test can kill the process
    mid-save and check that nothing was lost.
    """

    def __init__(self, url: str | Engine | None = None, *, connect_args: Mapping[str, Any] | None = None,
                 _before_commit: Callable[[str, int], None] | None = None):
        owned = not isinstance(url, Engine)
        engine = _make_engine(url or default_url(), connect_args) if owned else url
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine)
        _migrate(engine, dispose_on_error=owned)
        self.engine = engine
        self._writer = engine.execution_options(dsa_begin="IMMEDIATE")
        self._before_commit = _before_commit

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, url: str | None = None, *, engine: Engine | None = None,
             connect_args: Mapping[str, Any] | None = None,
             _before_commit: Callable[[str, int], None] | None = None) -> "Store":
        """Connect to ``url`` (default: ``default_url()``), or use ``engine``, and migrate to the latest schema.

        ``connect_args`` go to the DB-API driver, e.g. ``{"options": "-csearch_path=s1"}`` to keep a
        PostgreSQL store in its own schema.
        """
        return cls(engine if engine is not None else url, connect_args=connect_args, _before_commit=_before_commit)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _session(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction; database failures become StorageError with a readable reason."""
        session = Session(self._writer if write else self.engine, expire_on_commit=False)
        try:
            with session.begin():
                yield session
        except (IntegrityError, StorageError):
            raise
        except SQLAlchemyError as exc:  # e.g. the server went away, or the file is not a dsa store
            raise StorageError(f"the store could not be used: {_reason(exc)}") from None
        finally:
            session.close()

    # ------------------------------------------------------------------ reading
    def models(self) -> list[str]:
        """Names of every saved model, alphabetically."""
        with self._session() as s:
            return list(s.scalars(select(ModelRow.name).order_by(ModelRow.name)))

    def load(self, name: str, version: int | None = None) -> dict:
        """The document of ``version`` (default: the latest, drafts included)."""
        with self._session() as s:
            _, row = self._version_row(s, name, version)
            return json.loads(row.document)

    def version_info(self, name: str, version: int | None = None) -> VersionInfo:
        with self._session() as s:
            model, row = self._version_row(s, name, version)
            return self._info(s, model.name, row)

    def history(self, name: str) -> list[VersionInfo]:
        """Every version, oldest first, with its sign-offs."""
        with self._session() as s:
            model = self._model(s, name)
            rows = s.scalars(select(VersionRow).where(VersionRow.model_id == model.id)
                             .order_by(VersionRow.number)).all()
            signoffs = self._signoffs(s, model.name, list(rows))
            return [self._info(s, model.name, r, signoffs.get(r.id, ())) for r in rows]

    def unsigned_parties(self, name: str, number: int | None = None) -> list[str]:
        """Ids of the parties in that version (default latest) with no approval of it, in model order.

        A review (legal reviewer, other) is recorded but is not the party's approval.
        """
        with self._session() as s:
            _, row = self._version_row(s, name, number)
            signed = set(s.scalars(select(SignOffRow.party_id).where(SignOffRow.version_id == row.id,
                                                                      SignOffRow.kind == APPROVAL)))
            return [pid for pid in _party_ids(json.loads(row.document)) if pid not in signed]

    def list_models(self) -> list[str]:
        """Alias of ``models()`` (the name docs/ARCHITECTURE.md uses)."""
        return self.models()

    def diff(self, name: str, a: int, b: int) -> list:
        """What changed from version ``a`` to version ``b`` (``dsa.diffing.Change`` items)."""
        from ..diffing import diff_documents

        return diff_documents(self.load(name, a), self.load(name, b))

    def audit_log(self, name: str | None = None) -> list[AuditEntry]:
        """The audit trail, oldest first; only one model's entries when ``name`` is given."""
        with self._session() as s:
            q = select(AuditRow).order_by(AuditRow.id)
            if name is not None:
                q = q.where(AuditRow.model_name == name)
            return [AuditEntry(r.at, r.actor, r.action, r.model_name, r.version_number, r.detail)
                    for r in s.scalars(q)]

    # ------------------------------------------------------------------ writing
    def save(self, name: str, document: Mapping[str, Any], *, author: str, summary: str = "",
             base: int | None = None, allow_draft: bool = True, member: str | None = None) -> VersionInfo:
        """Save ``document`` as the next version of ``name`` (creating the model on its first save).

        Args:
            base: the version the edit started from. If it is no longer the latest, StaleVersionError
                names who saved in between. ``None`` saves on top of whatever is latest.
            allow_draft: when False a document with validation errors raises ModelError instead of
                being kept as a draft.
            member: in shared mode, the signed-in person's verified email: the save is refused
                (AccessDeniedError, and the refusal is logged) unless they are an editor or admin of
                ``name``, and it is recorded as theirs.

        Concurrency: the write transaction locks the model's row (``SELECT … FOR UPDATE`` on PostgreSQL;
        SQLite's ``BEGIN IMMEDIATE`` locks the database), so saves of one model queue instead of failing.
        The unique ``(model_id, number)`` key is the last line of defence: if a writer that does not take
        the lock inserts the same number first, the IntegrityError becomes StaleVersionError (with a base)
        or a retry (without one).
        """
        name = _check_name(name)
        if member is not None:
            author = self.authorize(name, member, SAVE)
        author = _check_text("author", author)
        try:
            doc = load_document(document)
        except InputError as exc:
            raise ModelError(f"cannot save {name!r}: {exc}") from None
        digest = content_hash(doc)
        body = json.dumps(doc, ensure_ascii=False)
        # Validate before taking the write lock (a national model takes a second or two), against the
        # version it will follow; if another save lands first, validate again under the lock.
        latest_number, previous = self._latest_document(name)
        if base is not None:
            self._check_base(name, base, latest_number)
        findings = self._findings(name, doc, previous, allow_draft)
        last_error: Exception | None = None
        for _ in range(_SAVE_ATTEMPTS):
            try:
                with self._session(write=True) as s:
                    model = self._lock_model(s, name)
                    latest = None
                    if model is not None:
                        latest = s.scalar(select(VersionRow).where(VersionRow.model_id == model.id)
                                          .order_by(VersionRow.number.desc()).limit(1))
                    current = latest.number if latest is not None else None
                    if base is not None and current != base:
                        raise StaleVersionError(stale_message(name, base, self._saved_after(s, model.id, base)))
                    if current != latest_number:
                        latest_number = current
                        findings = self._findings(name, doc, json.loads(latest.document) if latest else None,
                                                  allow_draft)
                    now = _now()
                    if model is None:
                        model = ModelRow(name=name, created_at=now)
                        s.add(model)
                        s.flush()
                    number = (current or 0) + 1
                    is_draft = has_errors(findings)
                    row = VersionRow(model_id=model.id, number=number, document=body, content_hash=digest,
                                     author=author, created_at=now, summary=summary or "", is_draft=is_draft,
                                     findings=json.dumps([f.to_dict() for f in findings], ensure_ascii=False))
                    s.add(row)
                    s.flush()  # the unique (model_id, number) key is checked here
                    detail = summary or ""
                    if is_draft:
                        detail = (f"{detail} " if detail else "") + f"[draft: {_error_count(findings)} error(s)]"
                    s.add(AuditRow(at=now, actor=author, action="save_draft" if is_draft else "save",
                                   model_name=name, version_number=number, detail=detail))
                    s.flush()
                    if self._before_commit is not None:
                        self._before_commit(name, number)
                    info = self._info(s, name, row, ())
                return info
            except IntegrityError as exc:
                # Another writer took this number (or created the model) between our read and our insert.
                last_error = exc
                if base is not None:
                    self._raise_stale(name, base)
                latest_number, previous = self._latest_document(name)
                findings = self._findings(name, doc, previous, allow_draft)
        raise StorageError(f"could not save {name!r}: other saves kept getting in first ({_reason(last_error)}); "
                           "try again")

    @staticmethod
    def _lock_model(s: Session, name: str) -> ModelRow | None:
        """The model's row, locked until commit so that saves of one model queue (no-op on SQLite, whose
        BEGIN IMMEDIATE already holds the database's write lock). FOR NO KEY UPDATE, not FOR UPDATE, so
        that inserts referencing the row are not blocked."""
        return s.scalar(select(ModelRow).where(ModelRow.name == name).with_for_update(key_share=True))

    def _findings(self, name: str, doc: dict, previous: dict | None, allow_draft: bool) -> list[Finding]:
        findings = validate(doc, previous=previous)
        if not allow_draft and has_errors(findings):
            errors = [f for f in findings if f.severity is Severity.ERROR]
            raise ModelError(f"{name!r} has {len(errors)} validation error(s) and drafts are not allowed here; "
                             f"first: {errors[0].pointer or '/'} {errors[0].message}")
        return findings

    def restore(self, name: str, number: int, *, author: str, member: str | None = None) -> VersionInfo:
        """Save version ``number``'s content again as the newest version (history is never rewritten)."""
        if member is not None:
            author = self.authorize(name, member, RESTORE)
        document = self.load(name, number)
        return self.save(name, document, author=author, summary=f"Restored version {number}")

    def signoff(self, name: str, number: int, *, party_id: str, role: str, signer: str,
                signed_on: dt.date | None = None, note: str = "", member: str | None = None,
                recorded_by: str | None = None) -> SignOff:
        """Record that ``signer``, in ``role`` for ``party_id``, approved (or reviewed) version ``number``.

        SIRO, Caldicott Guardian and DPO sign-offs are approvals and need a version without errors;
        legal reviewer and other sign-offs are reviews, recorded but not counted as the party's approval.
        With ``member`` (shared mode) the signed-in person must be a signer or admin *for that party*;
        a refusal is logged. The audit log names who recorded it: ``member``, else ``recorded_by`` (the
        dashboard's user, who may record a sign-off made by someone else at a meeting), else the signer.
        """
        if role not in ROLES:
            raise StorageError(f"role {role!r} is not one of: {', '.join(ROLES)}")
        if member is not None:
            actor = self.authorize(name, member, SIGN, party_id)
        signer = _check_text("signer", signer)
        if member is None:
            actor = _check_text("recorder", recorded_by) if recorded_by is not None else signer
        kind = APPROVAL if role in APPROVAL_ROLES else REVIEW
        signed_on = signed_on or _now().date()
        with self._session(write=True) as s:
            model, row = self._version_row(s, name, number)
            parties = _party_ids(json.loads(row.document))
            if party_id not in parties:
                raise StorageError(f"version {row.number} of {model.name!r} has no party {party_id!r}; "
                                   f"its parties are: {', '.join(parties) or 'none'}")
            if row.is_draft and kind == APPROVAL:
                raise StorageError(f"version {row.number} of {model.name!r} has validation errors, so it cannot be "
                                   f"approved (a {role} sign-off is an approval); save a version without errors "
                                   "first, or record a review")
            existing = s.scalar(select(SignOffRow).where(SignOffRow.version_id == row.id,
                                                          SignOffRow.party_id == party_id,
                                                          SignOffRow.role == role))
            if existing is not None:
                raise StorageError(f"{party_id!r} already signed off version {row.number} as {role} "
                                   f"({existing.signer}, {existing.signed_on.isoformat()})")
            now = _now()
            so = SignOffRow(version_id=row.id, party_id=party_id, role=role, kind=kind, signer=signer,
                            signed_on=signed_on, note=note or "", recorded_at=now)
            s.add(so)
            s.add(AuditRow(at=now, actor=actor, action="signoff" if kind == APPROVAL else "review",
                           model_name=model.name, version_number=row.number,
                           detail=f"{party_id} as {role} on {signed_on.isoformat()}"
                           + (f": {note}" if note else "")))
            s.flush()
            return SignOff(model.name, row.number, party_id, role, signer, signed_on, so.note, now, kind)

    # ------------------------------------------------------------------ members (shared mode)
    def members(self, name: str) -> list[Member]:
        """Everyone with a role in ``name``, by email then party."""
        with self._session() as s:
            rows = s.scalars(select(MemberRow).where(MemberRow.model_name == name)
                             .order_by(MemberRow.email, MemberRow.party_id))
            return [_member(r) for r in rows]

    def roles_of(self, name: str, email: str) -> dict[str, str]:
        """``email``'s roles in ``name``: party id → role (empty when they have none)."""
        with self._session() as s:
            return self._roles(s, name, email)

    def models_of(self, email: str) -> list[str]:
        """The names of the models ``email`` has any role in (saved or not yet), alphabetically."""
        with self._session() as s:
            return list(s.scalars(select(MemberRow.model_name).where(MemberRow.email == email.strip().lower())
                                  .distinct().order_by(MemberRow.model_name)))

    def can(self, name: str, member: str, action: str, party_id: str | None = None) -> bool:
        """Whether ``member``'s roles in ``name`` allow ``action`` (to decide what a page offers; not logged)."""
        return may(self.roles_of(name, member), action, party_id)

    def authorize(self, name: str, member: str, action: str, party_id: str | None = None) -> str:
        """``member``'s normalised email if their roles in ``name`` allow ``action``; otherwise the refusal is
        written to the audit log and AccessDeniedError says which role the action needs."""
        email = check_email(member)
        with self._session() as s:
            roles = self._roles(s, name, email)
        if may(roles, action, party_id):
            return email
        need = needed(action, party_id)
        message = f"{email} cannot {action} {name!r}: that needs {need} (they have {describe_roles(roles)})"
        with self._session(write=True) as s:
            s.add(AuditRow(at=_now(), actor=email, action="refused", model_name=name, version_number=None,
                           detail=message))
        raise AccessDeniedError(message, action=action, allowed=allowed_roles(action), party_id=party_id, roles=roles)

    def add_member(self, name: str, email: str, party_id: str, role: str, *, actor: str,
                   member: str | None = None) -> Member:
        """Give ``email`` ``role`` for ``party_id`` in ``name`` (replacing a role they had for that party).

        ``actor`` is who made the change (the operator at the command line); with ``member`` (an admin on
        the History page) the change is refused unless they are an admin of ``name``. If the model has been
        saved, the party must be one of its latest version's parties.
        """
        name = _check_name(name)
        email = check_email(email)
        role = check_member_role(role)
        party_id = _check_text("party id", party_id)
        if member is not None:
            actor = self.authorize(name, member, MANAGE)
        actor = _check_text("actor", actor)
        self._check_party(name, party_id)
        now = _now()
        with self._session(write=True) as s:
            row = s.scalar(select(MemberRow).where(MemberRow.model_name == name, MemberRow.email == email,
                                                   MemberRow.party_id == party_id))
            was = row.role if row is not None else None
            if row is None:
                row = MemberRow(model_name=name, email=email, party_id=party_id, role=role, added_by=actor,
                                added_at=now)
                s.add(row)
            else:
                row.role, row.added_by, row.added_at = role, actor, now
            detail = f"{email} is {role} for {party_id}" + (f" (was {was})" if was and was != role else "")
            s.add(AuditRow(at=now, actor=actor, action="member_add", model_name=name, version_number=None,
                           detail=detail))
            s.flush()
            return _member(row)

    def remove_member(self, name: str, email: str, party_id: str, *, actor: str, member: str | None = None) -> None:
        """Take away ``email``'s role for ``party_id`` in ``name`` (an admin cannot remove the last admin)."""
        email = check_email(email)
        if member is not None:
            actor = self.authorize(name, member, MANAGE)
        actor = _check_text("actor", actor)
        with self._session(write=True) as s:
            row = s.scalar(select(MemberRow).where(MemberRow.model_name == name, MemberRow.email == email,
                                                   MemberRow.party_id == party_id))
            if row is None:
                raise NotFoundError(f"{email} has no role for {party_id!r} in {name!r}")
            if member is not None and row.role == "admin":
                admins = s.scalar(select(func.count()).select_from(MemberRow).where(
                    MemberRow.model_name == name, MemberRow.role == "admin"))
                if admins <= 1:
                    raise StorageError(f"{email} is the last admin of {name!r}; make someone else admin first "
                                       "(the operator can always change members with 'dsa members')")
            s.delete(row)
            s.add(AuditRow(at=_now(), actor=actor, action="member_remove", model_name=name, version_number=None,
                           detail=f"{email} is no longer {row.role} for {party_id}"))

    @staticmethod
    def _roles(s: Session, name: str, email: str) -> dict[str, str]:
        rows = s.execute(select(MemberRow.party_id, MemberRow.role).where(
            MemberRow.model_name == name, MemberRow.email == email.strip().lower()))
        return {party: role for party, role in rows}

    def _check_party(self, name: str, party_id: str) -> None:
        _, latest = self._latest_document(name)
        if latest is None:
            return  # roles may be granted before the model's first save
        parties = _party_ids(latest)
        if party_id not in parties:
            raise StorageError(f"{name!r} has no party {party_id!r}; its parties are: {', '.join(parties) or 'none'}")

    # ------------------------------------------------------------------ helpers
    def _model(self, s: Session, name: str) -> ModelRow:
        model = s.scalar(select(ModelRow).where(ModelRow.name == name))
        if model is None:
            known = list(s.scalars(select(ModelRow.name).order_by(ModelRow.name)))
            listing = f"saved models: {', '.join(known)}" if known else "the store has no saved models yet"
            raise NotFoundError(f"no model named {name!r} in the store ({listing})")
        return model

    def _version_row(self, s: Session, name: str, number: int | None) -> tuple[ModelRow, VersionRow]:
        model = self._model(s, name)
        q = select(VersionRow).where(VersionRow.model_id == model.id)
        if number is None:
            row = s.scalar(q.order_by(VersionRow.number.desc()).limit(1))
        else:
            row = s.scalar(q.where(VersionRow.number == number))
        if row is None:
            latest = self._latest_number(s, model.id)
            raise NotFoundError(f"{name!r} has no version {number}; its versions are 1 to {latest}")
        return model, row

    @staticmethod
    def _latest_number(s: Session, model_id: int) -> int | None:
        return s.scalar(select(func.max(VersionRow.number)).where(VersionRow.model_id == model_id))

    def _latest_document(self, name: str) -> tuple[int | None, dict | None]:
        with self._session() as s:
            model = s.scalar(select(ModelRow).where(ModelRow.name == name))
            if model is None:
                return None, None
            row = s.scalar(select(VersionRow).where(VersionRow.model_id == model.id)
                           .order_by(VersionRow.number.desc()).limit(1))
            return (row.number, json.loads(row.document)) if row is not None else (None, None)

    def _check_base(self, name: str, base: int, latest: int | None) -> None:
        if latest is None:
            raise NotFoundError(f"cannot save on base version {base}: there is no model named {name!r} yet; "
                                "save it without a base to create it")
        if base > latest or base < 1:
            raise NotFoundError(f"{name!r} has no version {base}; its latest version is {latest}")
        if base != latest:
            self._raise_stale(name, base)

    def _raise_stale(self, name: str, base: int) -> None:
        with self._session() as s:
            model = self._model(s, name)
            saves = self._saved_after(s, model.id, base)
        raise StaleVersionError(stale_message(name, base, saves))

    @staticmethod
    def _saved_after(s: Session, model_id: int, base: int) -> list[tuple[int, str, dt.datetime]]:
        rows = s.scalars(select(VersionRow).where(VersionRow.model_id == model_id, VersionRow.number > base)
                         .order_by(VersionRow.number)).all()
        return [(r.number, r.author, r.created_at) for r in rows]

    def _signoffs(self, s: Session, name: str, rows: list[VersionRow]) -> dict[int, tuple[SignOff, ...]]:
        numbers = {r.id: r.number for r in rows}
        out: dict[int, list[SignOff]] = {}
        if not numbers:
            return {}
        q = select(SignOffRow).where(SignOffRow.version_id.in_(list(numbers))).order_by(SignOffRow.id)
        for so in s.scalars(q):
            out.setdefault(so.version_id, []).append(
                SignOff(name, numbers[so.version_id], so.party_id, so.role, so.signer, so.signed_on, so.note,
                        so.recorded_at, so.kind))
        return {k: tuple(v) for k, v in out.items()}

    def _info(self, s: Session, name: str, row: VersionRow, signoffs: tuple[SignOff, ...] | None = None
              ) -> VersionInfo:
        if signoffs is None:
            signoffs = self._signoffs(s, name, [row]).get(row.id, ())
        return VersionInfo(model=name, number=row.number, author=row.author, created_at=row.created_at,
                           summary=row.summary, content_hash=row.content_hash, is_draft=row.is_draft,
                           findings=tuple(json.loads(row.findings)), signoffs=tuple(signoffs))


def stale_message(name: str, base: int, saves: list[tuple[int, str, dt.datetime]]) -> str:
    """Who saved after ``base``, e.g. "version 3 was saved by Alice at 2026-11-24 10:02 UTC after your base
    version 2 of 'phm'; reload it and apply your change again"."""
    if not saves:
        return (f"version {base} of {name!r} is no longer the latest; reload the latest version and "
                "apply your change again")
    if len(saves) == 1:
        number, author, at = saves[0]
        return (f"version {number} was saved by {author} at {_when(at)} after your base version {base} of "
                f"{name!r}; reload it and apply your change again")
    parts = [f"version {n} by {a} at {_when(t)}" for n, a, t in saves]
    listing = ", ".join(parts[:-1]) + " and " + parts[-1]
    return (f"{len(saves)} versions were saved after your base version {base} of {name!r}: {listing}; "
            f"reload the latest (version {saves[-1][0]}) and apply your change again")


def _member(row: MemberRow) -> Member:
    return Member(row.model_name, row.email, row.party_id, row.role, row.added_by, row.added_at)


def _party_ids(doc: Any) -> list[str]:
    parties = doc.get("parties") if isinstance(doc, dict) else None
    return [p["id"] for p in parties or () if isinstance(p, dict) and isinstance(p.get("id"), str)]


def _error_count(findings: list[Finding]) -> int:
    return sum(1 for f in findings if f.severity is Severity.ERROR)


def _check_name(name: str) -> str:
    name = _check_text("model name", name)
    if len(name) > 200:
        raise StorageError("a model name can be at most 200 characters")
    return name


def _check_text(what: str, value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise StorageError(f"the {what} must not be empty")
    value = value.strip()
    if len(value) > 200:
        raise StorageError(f"the {what} can be at most 200 characters")
    return value


def _reason(exc: BaseException) -> str:
    """The driver's own one-line reason, without SQLAlchemy's statement dump."""
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc).strip().splitlines()[0]
