"""After the connection to the server comes back, the page runs again (downloads work again).

A download button holds a file id and the session id of the run that drew it. When the server
process restarts, or a fleet moves the browser to another process, the browser reconnects to a
new session that knows neither: Streamlit refuses the click ("Invalid session ID") and shows it
for five seconds under the button, so a manager's download seemed to do nothing until the page
was reloaded. A fresh run after the reconnect redraws every button with ids the new session
knows. Nothing in a script run can see the reconnect, so a fixed snippet in the page (no data in
it) watches the app's connection state and, when it is back, presses a hidden button whose only
effect is that run.
"""

from __future__ import annotations

import streamlit as st

KEY = "rerun_after_reconnect"
SELECTOR = f".st-key-{KEY}"
# Hidden from sight, pointer, keyboard and screen readers: only the snippet presses it.
CSS = f"{SELECTOR} {{ display: none; }}"
SNIPPET = """
<script>
(() => {
  if (window.prRerunAfterReconnect) return;  // one watcher per page, whatever the reruns
  window.prRerunAfterReconnect = true;
  let lost = false;
  const watch = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) return;
    const state = app.dataset.testConnectionState;
    if (state && state !== "CONNECTED") {
      lost = true;
    } else if (state === "CONNECTED" && lost) {
      const button = document.querySelector('SELECTOR button');
      if (button) {
        lost = false;
        button.click();
      }
    }
  };
  new MutationObserver(watch).observe(document.body, {
    attributes: true, subtree: true, childList: true,
    attributeFilter: ["data-test-connection-state"],
  });
})();
</script>
""".replace("SELECTOR", SELECTOR)


def rerun_after_reconnect() -> None:
    """Draw the hidden button and the snippet that presses it once a lost connection is back."""
    st.button("Refresh the page after reconnecting", key=KEY)
    st.html(SNIPPET, unsafe_allow_javascript=True)
