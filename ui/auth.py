"""The admin sign-in: the password's source, and a back-off per client address."""

from __future__ import annotations

import hmac
import math
import time
from typing import Literal

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from analytics import settings
from ui import data

PASSWORD_ENV = settings.ADMIN_PASSWORD


def admin_password() -> str | None:
    """The configured admin password: the environment first, then Streamlit secrets."""
    configured = settings.Settings.from_env().admin_password
    if configured:
        return configured
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
        submitted = st.form_submit_button("Sign in")
    if submitted:
        backoff, client = data.sign_in_backoff(), _client_key()
        left = backoff.wait_left(client)
        if left > 0:
            # Not even compared: parallel sessions from one address get no extra guesses.
            st.error(f"Too many wrong passwords: try again in {math.ceil(left)} s.")
            return False
        # Constant-time comparison: the time taken says nothing about how much was right.
        if hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
            backoff.succeeded(client)
            st.session_state["admin"] = True
            st.rerun()
        # Each wrong guess from an address waits longer (0.5 s, 1 s, 2 s ... up to 8 s), across
        # reloads and sessions: the count is the process's, not the session's.
        _pause(backoff.failed(client))
        st.error("Wrong password.")
    return False


def _pause(seconds: float) -> None:
    time.sleep(seconds)


def _client_key() -> str:
    # The connection's address (None for localhost). Behind a proxy every client shares the
    # proxy's address, and so one back-off: slower for all, never weaker. Forwarded headers are
    # not trusted, as anyone can send them.
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "local"
