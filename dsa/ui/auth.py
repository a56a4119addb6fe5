"""Who is using the dashboard, and what they may do (deployment.md).

Shared mode is on when Streamlit's secrets hold an ``[auth]`` section: Streamlit's
own ``st.login`` / ``st.user`` does the OpenID Connect sign-in, nothing but the
sign-in page is drawn before it, the store must be PostgreSQL, and every save,
restore, sign-off and change of members goes to the store with the signed-in,
verified email, which checks the person's role and logs any refusal.

Personal mode (no ``[auth]``) is the one-person dashboard: nobody signs in, and
the name typed once per session is recorded with saves and sign-offs.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from ..canonical import version_label
from ..errors import AccessDeniedError, DsaError, StorageError
from ..storage import READ, Store, default_url, is_sqlite_url
from . import state
from .text import safe

SQLITE_REFUSAL = ("Shared mode needs a PostgreSQL store: set DSA_DATABASE_URL to postgresql+psycopg://… "
                  "(the SQLite file is for one person on one machine).")
NAME_NEEDED = "Type your name first: it is recorded with every save and sign-off."
NAME_LABEL = "Your name (asked once per session; recorded in the history)"


@dataclass(frozen=True, slots=True)
class Identity:
    """The person acting: in shared mode their verified email (and display name), else the typed name."""

    who: str                  # what the store records: the email in shared mode, the typed name otherwise
    email: str | None = None  # shared mode only
    display: str = ""

    @property
    def shared(self) -> bool:
        return self.email is not None


def shared_mode() -> bool:
    """Whether the secrets hold an ``[auth]`` section (read on each call, so a test can set them)."""
    try:
        return "auth" in st.secrets
    except (StreamlitSecretNotFoundError, FileNotFoundError):
        return False


def gate() -> None:
    """Run first, before any page is routed: in shared mode, stop at the sign-in page until signed in."""
    if not shared_mode():
        return
    if is_sqlite_url(default_url()):
        st.error(SQLITE_REFUSAL)
        st.stop()
    if not st.user.get("is_logged_in", False):  # fail closed: no user info means not signed in
        _sign_in_page()
        st.stop()
    if not _verified_email():
        st.title("Sign-in incomplete")
        st.error("Your sign-in did not give dsa a verified email address, so it cannot tell which partnerships "
                 "you belong to. Ask your administrator to release the email claim to this application.")
        st.button("Sign out", on_click=st.logout, key="auth_sign_out_unverified")
        st.stop()


def _sign_in_page() -> None:
    st.title("Sign in")
    st.write("This dsa server is shared by the organisations of a partnership. Sign in with your organisation's "
             "account to see the models you are a member of.")
    st.button("Sign in", type="primary", on_click=st.login, key="auth_sign_in")
    st.caption("dsa is a modelling aid, not legal advice.")


def _verified_email() -> str | None:
    email = st.user.get("email")
    if not isinstance(email, str) or "@" not in email:
        return None
    if st.user.get("email_verified") is False:  # providers that do not send the claim verify addresses themselves
        return None
    return email.strip().lower()


def current() -> Identity | None:
    """The person acting now, or None in personal mode before a name is typed."""
    if shared_mode():
        email = _verified_email()
        if email is None:
            return None
        return Identity(email, email, str(st.user.get("name") or email))
    name = str(st.session_state.get(state.AUTHOR) or "").strip()
    return Identity(name, None, name) if name else None


def require() -> Identity:
    """The person acting, or StorageError asking for their name (personal mode: asked once per session)."""
    who = current()
    if who is None:
        raise StorageError(NAME_NEEDED)
    return who


def name_field(key: str) -> None:
    """Personal mode, no name yet this session: ask for it next to the form that needs it.

    Kept in the session, so it is asked once; the sidebar shows it for changes. Shared mode shows nothing:
    the signed-in email is recorded instead.
    """
    if shared_mode() or current() is not None:
        return
    # Copied in a callback: callbacks run before the sidebar's own name widget is drawn, so it may be set.
    st.text_input(NAME_LABEL, key=f"auth_name_{key}",
                  placeholder="e.g. Sam Jones, IG lead, NHS Herefordshire and Worcestershire ICB",
                  on_change=_keep_name, args=(f"auth_name_{key}",))


def _keep_name(key: str) -> None:
    typed = str(st.session_state.get(key) or "").strip()
    if typed:
        st.session_state[state.AUTHOR] = typed


def sidebar_identity() -> None:
    """In the sidebar: who is signed in and Sign out (shared mode), or the name field (personal mode)."""
    if shared_mode():
        who = current()
        if who is not None:
            st.caption(safe(f"Signed in as {who.display}" + (f" ({who.email})" if who.display != who.email else "")))
        st.button("Sign out", on_click=st.logout, key="auth_sign_out")
        return
    # The name lives under its own key, copied from the field: a click sent before the browser has the name
    # typed next to a form carries this field's old (empty) value, which must not wipe the name (so a name
    # can be changed here, never blanked).
    if st.session_state.get(state.AUTHOR_FIELD) != st.session_state[state.AUTHOR]:
        st.session_state[state.AUTHOR_FIELD] = st.session_state[state.AUTHOR]
    st.text_input("Your name (recorded with saves and sign-offs)", key=state.AUTHOR_FIELD,
                  on_change=_keep_name, args=(state.AUTHOR_FIELD,))


# ------------------------------------------------------------------ actions, checked and recorded as the person
def save(store: Store, name: str, doc: dict, *, summary: str = "", base: int | None = None):
    who = require()
    try:
        return store.save(name, doc, author=who.who, summary=summary, base=base, member=who.email)
    except AccessDeniedError as exc:
        raise refusal(exc, name, party_names(doc)) from None


def restore(store: Store, name: str, number: int, *, names: dict | None = None):
    who = require()
    try:
        return store.restore(name, number, author=who.who, member=who.email)
    except AccessDeniedError as exc:
        raise refusal(exc, name, names or {}) from None


def signoff(store: Store, name: str, number: int, *, party_id: str, role: str, note: str = "",
            signer: str | None = None, names: dict | None = None):
    """Shared mode records the signed-in email as the signer; personal mode the name typed (default: the
    session's name)."""
    who = require()
    try:
        return store.signoff(name, number, party_id=party_id, role=role, note=note,
                             signer=who.who if who.shared else (signer or who.who), member=who.email,
                             recorded_by=None if who.shared else who.who)
    except AccessDeniedError as exc:
        raise refusal(exc, name, names or {}) from None


def party_names(doc: dict) -> dict[str, str]:
    return {p["id"]: str(p.get("name") or p["id"]) for p in doc.get("parties") or []
            if isinstance(p, dict) and isinstance(p.get("id"), str)}


def refusal(exc: AccessDeniedError, model: str, names: dict) -> AccessDeniedError:
    """The store's refusal (already in the audit log) said with party names: "You cannot sign off for
    Cathedral Medical Centre: that needs the signer or admin role for Cathedral Medical Centre; you are
    signer for Riverside Surgery." """
    def party(pid):
        return names.get(pid, pid)
    allowed = " or ".join(exc.allowed)
    what = {"sign off": f"sign off for {party(exc.party_id)}", "manage members of": "change the members of"
            }.get(exc.action, exc.action)
    need = f"the {allowed} role" + (f" for {party(exc.party_id)}" if exc.action == "sign off" else "")
    held = ", ".join(f"{r} for {party(p)}" for p, r in sorted(exc.roles.items())) or "no role"
    return AccessDeniedError(f"You cannot {what} in '{model}': that needs {need}; you have {held}. "
                             "Ask an admin of this model.", action=exc.action, allowed=exc.allowed,
                             party_id=exc.party_id, roles=exc.roles)


def describe_version(v) -> str:
    """A saved version as people pick it: "v2 of 'name' (16f6d6702305) — 30 Nov 2026, Sam Jones: later review"."""
    words = f"{version_label(v.model, v.number, v.content_hash[:12])} — {v.created_at:%d %b %Y}, {v.author}"
    return words + (f": {v.summary}" if v.summary else "")


def readable_models(store: Store) -> list[str]:
    """The saved models this person may open: every one in personal mode, their memberships in shared mode."""
    names = store.models()
    who = current()
    if not shared_mode():
        return names
    if who is None:
        return []
    mine = set(store.models_of(who.email))
    return [n for n in names if n in mine]


def roles(store: Store, name: str) -> dict[str, str] | None:
    """The signed-in person's roles in ``name`` (party id → role); None in personal mode (no roles there)."""
    who = current()
    if not shared_mode() or who is None:
        return None
    return store.roles_of(name, who.email)


def can_read(store: Store, name: str) -> bool:
    who = current()
    return not shared_mode() or (who is not None and store.can(name, who.email, READ))


__all__ = ["Identity", "shared_mode", "gate", "current", "require", "name_field", "sidebar_identity", "save",
           "restore", "signoff", "readable_models", "roles", "can_read", "AccessDeniedError", "DsaError"]
