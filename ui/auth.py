"""The admin sign-in: the password's source, and a back-off per client shared by every process
serving the database.
"""

from __future__ import annotations

import hmac
import math
import os
import sqlite3
import time
from typing import Literal

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from analytics import settings
from analytics.serving import throttle
from ui import data
from ui.text import md_escape

PASSWORD_ENV = settings.ADMIN_PASSWORD


def admin_password() -> str | None:
    """The configured admin password: the environment first, then Streamlit secrets.

    None in a serve-only process (a fleet's public processes), whatever the source: it serves a
    database it may not change, so it never offers sign-in or upload.
    """
    configured = settings.Settings.from_env()
    if configured.serve_only:
        return None
    if configured.admin_password:
        return configured.admin_password
    try:
        value = st.secrets.get("admin_password")
    except StreamlitSecretNotFoundError:
        return None
    return str(value) if value else None


def admin_page_visibility() -> Literal["visible", "hidden"]:
    """``"visible"`` in the navigation when an admin password is set, else ``"hidden"``.

    Hidden, the page still answers its address (an old link says how to turn it on), but managers
    are not shown a page they cannot use.
    """
    return "visible" if admin_password() else "hidden"


def sign_in(expected: str) -> bool:
    """Ask for the admin password; True once this session has given it."""
    if st.session_state.get("admin"):
        return True
    with st.form("sign_in"):
        given = st.text_input("Admin password", type="password", key="admin_password")
        submitted = st.form_submit_button("Sign in", key="sign_in_submit")
    if not submitted:
        return False
    backoff = data.sign_in_backoff()
    try:
        client = _client_key()
        # counted before it is compared: attempts made together cannot all pass the check
        allowed, seconds = backoff.attempt(client)
    except (OSError, sqlite3.Error, ValueError) as exc:
        # Never compared uncounted: without the shared record there is no sign-in.
        st.error(md_escape(f"Sign-in is unavailable: {backoff.path} cannot be used ({exc})."))
        return False
    if not allowed:
        # Not even compared: parallel sessions (and processes) get no extra guesses.
        st.error(f"Too many wrong passwords: try again in {math.ceil(seconds)} s.")
        return False
    # Constant-time comparison: the time taken says nothing about how much was right.
    if hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        backoff.succeeded(client)
        st.session_state["admin"] = True
        st.rerun()
    # Each wrong guess from a client waits longer (0.5 s, 1 s, 2 s ... up to 8 s), across reloads,
    # sessions and the processes serving this database.
    _pause(seconds)
    st.error("Wrong password.")
    return False


def _pause(seconds: float) -> None:
    time.sleep(seconds)


def _client_key() -> str:
    # The connection's address, unless the server may have taken it from a forwarded header the
    # operator did not say to trust (throttle.client_key).
    return throttle.client_key(
        st.context.ip_address,
        st.context.headers,
        server_trust=os.environ.get(settings.SERVER_TRUST),
        trusted_proxies=throttle.proxy_list(settings.Settings.from_env().trusted_proxies),
    )
