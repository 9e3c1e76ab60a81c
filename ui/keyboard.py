"""What a keyboard and screen-reader user needs that Streamlit does not do, as fixed snippets.

- A tile's help is Markdown's, whose button Streamlit names "Help" whatever it explains (a
  widget's is "Help for <its label>"): five buttons of one name. Each is named after its tile.
- After a download, Streamlit redraws the download button and focus falls to the page's body:
  a keyboard user was sent back to the top of the page. Focus returns to the button pressed.

The snippets hold no data (they read the page's own text and classes, and set attributes and
focus, never markup); each installs one watcher per page, whatever the reruns.
"""

from __future__ import annotations

import streamlit as st

from ui.tiles import TILE_SELECTOR

SNIPPET = """
<script>
(() => {
  if (window.prKeyboard) return;
  window.prKeyboard = true;
  const nameTileHelps = () => {
    for (const tile of document.querySelectorAll('TILE_SELECTOR')) {
      const button = tile.querySelector('[data-testid="stTooltipIcon"] button');
      const label = tile.querySelector("p");
      if (button && label) {
        const wanted = "Help for " + label.textContent.trim();
        if (button.getAttribute("aria-label") !== wanted) button.setAttribute("aria-label", wanted);
      }
    }
  };
  // the keyed container of the download button last pressed, for 10 s
  let pressed = null;
  let until = 0;
  document.addEventListener("click", (event) => {
    const box = event.target.closest('[data-testid="stDownloadButton"]');
    const keyed = box && box.closest('[class*="st-key-"]');
    if (!keyed) return;
    pressed = [...keyed.classList].find((c) => c.startsWith("st-key-"));
    until = Date.now() + 10000;
  }, true);
  const focusPressed = () => {
    if (!pressed || Date.now() > until) return;
    const now = document.activeElement;
    if (now && now !== document.body) return;  // focus is somewhere: leave it there
    const button = document.querySelector("." + CSS.escape(pressed) + " button");
    if (button && !button.disabled) button.focus();
  };
  // tiles are named when elements are added; an attribute change (a chart's hover, a button
  // enabled again) matters only while a pressed button waits for its focus
  const watch = (records) => {
    if (records.some((r) => r.type === "childList")) nameTileHelps();
    if (pressed) focusPressed();
  };
  const all = {childList: true, subtree: true, attributes: true};
  new MutationObserver(watch).observe(document.body, all);
  document.addEventListener("focusout", () => setTimeout(focusPressed, 0), true);
  nameTileHelps();
})();
</script>
""".replace("TILE_SELECTOR", TILE_SELECTOR)


def keyboard_helpers() -> None:
    """Draw the snippet (it takes no room on the page)."""
    st.html(SNIPPET, unsafe_allow_javascript=True)
