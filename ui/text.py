"""Text into Markdown: the one escape, links built by code, and small formatters."""

from __future__ import annotations

import html
import re
import string

from analytics.fields import is_web_address
from analytics.vocab import (
    RATING_COLOURS,
)

# CommonMark lets any ASCII punctuation be backslash-escaped, and an escaped character is always
# literal: escaping all of it stops links, images, emphasis, code, HTML, headings, lists, maths
# and Streamlit's :colour[...] directives, without listing Markdown's rules one by one.
_MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in string.punctuation})
# Line breaks would start new paragraphs (a heading, a list); no input text needs them.
_LINE_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\u2028": " ", "\u2029": " "})
# GFM finds bare web and e-mail addresses in the text after escapes are resolved, so escaping
# cannot stop them becoming live links: an invisible word joiner (U+2060) inside "://", "www."
# and before "@" can.
_AUTOLINKS = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def md_escape(text: object) -> str:
    """Text from a URL, a file or the data, shown literally in Markdown: the one escape.

    Everything shown through Streamlit's Markdown (st.markdown, captions, st.error, st.warning,
    tables) that did not come from this file's own templates passes through here once.
    """
    text = _AUTOLINKS.sub(WORD_JOINER, str(text).translate(_LINE_BREAKS))
    return text.translate(_MARKDOWN_SPECIALS)


def md_link(label: str, url: object, *, missing: str = "no source recorded") -> str:
    """A Markdown link built by code: ``label`` (our own words) to a checked web address.

    The address is checked again with the importer's rule (a real URL parser; no spaces,
    brackets, parentheses, quotes), so nothing in it can close the link early. Anything else is
    shown as plain text, never as a link.
    """
    if not isinstance(url, str) or not url:
        return missing
    if not is_web_address(url):
        return f"{missing} (an invalid address: {md_escape(url[:80])})"
    return f"[{label}]({url})"


def rating_badge(rating: str) -> str:
    """A rating as a coloured HTML badge (the rating named in text, never colour alone)."""
    colour = RATING_COLOURS.get(rating, "#999999")
    return (
        f'<span style="display:inline-block;width:0.8em;height:0.8em;background:{colour};'
        f'margin-right:0.3em;border-radius:2px"></span>{html.escape(rating)}'
    )
