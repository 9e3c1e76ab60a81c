"""Charts as files: PNG and SVG drawn by one shared Chromium (through kaleido), and HTML."""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import html
import shutil
import textwrap
import threading

import plotly.graph_objects as go
import plotly.io as pio

from analytics.errors import (
    ExportError,
    ExportUnavailableError,
    InvalidInputError,
)
from analytics.export.context import Context
from analytics.settings import Settings

CHROMIUM_HINT = (
    "Chart images and PDF need Chromium: install Debian's chromium "
    "(sudo apt-get install -y chromium), then restart"
)


def chromium_path() -> str | None:
    """Chromium's path if installed: ``$BROWSER_PATH``, else ``chromium`` on the PATH."""
    configured = Settings.from_env().browser_path
    if configured and configured.exists():
        return str(configured)
    return shutil.which("chromium") or shutil.which("chromium-browser")


def decorate(fig: go.Figure, ctx: Context) -> go.Figure:
    """A copy of ``fig`` carrying its title, the filters in words, source, licence and date."""
    out = go.Figure(fig)
    # Plotly reads <, > and & as markup and decodes their entities, but not &quot;.
    title = html.escape(ctx.title, quote=False)
    # What the chart marks as resting on few inspections travels with the image.
    note = (fig.layout.meta or {}).get("note") or ""
    # and what its numbered marks mean (the trend chart's events)
    key = (fig.layout.meta or {}).get("key") or ""
    # The source line joins the title block: at the foot it ran into a legend placed there (the
    # trend chart's, under period labels whose height only the browser knows). Plotly does not
    # wrap a title, so long lines (six compared units' names) are broken here.
    lines = _wrapped(ctx.selection_line, 12) + (_wrapped(note, 12) if note else [])
    lines += _wrapped(key, 12) if key else []
    lines += _wrapped(ctx.provenance, 11, "color:#555555")
    extra = len(lines) - (3 if note else 2)  # lines beyond the block's usual room
    out.update_layout(
        title={
            "text": f"<b>{title}</b>" + "".join(f"<br>{line}" for line in lines),
            "x": 0.02,
            "xref": "container",
            # a fixed gap above, whatever the image's height (at 0.97 of a short chart's
            # height the first line touched the top edge). The pad places the first line's
            # baseline: its capitals reach 16 px above it.
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": TITLE_BASELINE},
        },
        margin={"l": 60, "r": 40, "t": (170 if note else 150) + LINE_PX * extra, "b": 40},
        # One template whatever process draws it: importing Streamlit makes its own template
        # Plotly's default, and that one has no automargin, so the dashboard's images cut long
        # axis labels at the left edge ("ands (n=7)") where the CLI's did not.
        template=pio.templates[EXPORT_TEMPLATE],
        height=(fig.layout.height or 420) + (140 if note else 120) + LINE_PX * extra,
        width=IMAGE_WIDTH,
    )
    return out


IMAGE_WIDTH = 1100
EXPORT_TEMPLATE = "plotly"  # Plotly's own: axes make room for their labels (automargin)
TITLE_BASELINE = 30  # px from the top to the title's first baseline
LINE_PX = 17  # one more line of the title block
# Characters of a line that fit the image's width, by font size (Plotly's default sans-serif
# averages about 6.4 px a character at 12 px): measured on the longest unit names in the data.
LINE_CHARS = {12: 150, 11: 165}


def _wrapped(text: str, size: int, style: str = "") -> list[str]:
    """``text`` as escaped spans of at most ``LINE_CHARS[size]`` characters, broken at spaces."""
    css = f"font-size:{size}px" + (f";{style}" if style else "")
    return [
        f"<span style='{css}'>{html.escape(part, quote=False)}</span>"
        for part in textwrap.wrap(text, LINE_CHARS[size]) or [""]
    ]


RENDER_TIMEOUT_S = 90  # per image, a cold Chromium start included


class _ImageRenderer:
    """One Chromium (through kaleido) drawing every chart image of this process.

    Starting Chromium takes seconds, so one is kept running. kaleido's own shared server hands
    results back through a single queue: two sessions exporting at once could each receive the
    other's chart, and a Chromium that died would leave every later caller waiting for ever. Here
    each image is its own future on one event loop, bounded by a time limit, and a renderer that
    fails is shut down so the next image starts a fresh one.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None
        self._stop_at_exit = False

    def render(self, fig: go.Figure, fmt: str, scale: float, timeout_s: float) -> bytes:
        loop, kaleido = self._running(timeout_s)
        opts = {"format": fmt, "scale": scale}
        future = asyncio.run_coroutine_threadsafe(kaleido.calc_fig(fig.to_dict(), opts), loop)
        try:
            return future.result(timeout_s)
        except concurrent.futures.TimeoutError:
            future.cancel()
            self.stop(kaleido)
            raise ExportError(f"the chart image was not ready within {timeout_s:g} s") from None
        except Exception:
            self.stop(kaleido)
            raise

    def _running(self, timeout_s: float):
        with self._lock:
            if self._kaleido is not None:
                return self._loop, self._kaleido
            path = chromium_path()
            if path is None:
                raise ExportUnavailableError(CHROMIUM_HINT)
            import kaleido  # only image exports need it

            loop = asyncio.new_event_loop()
            loop.set_exception_handler(_quiet_when_closed)
            threading.Thread(target=_serve, args=(loop,), name="chart-images", daemon=True).start()

            async def start():
                # mathjax=False: no fetch from a CDN (no LaTeX here, and there may be no network).
                renderer = kaleido.Kaleido(n=1, timeout=timeout_s, mathjax=False, path=path)
                await renderer.open()
                return renderer

            try:
                self._kaleido = asyncio.run_coroutine_threadsafe(start(), loop).result(timeout_s)
            except BaseException as exc:
                loop.call_soon_threadsafe(loop.stop)
                if isinstance(exc, concurrent.futures.TimeoutError):
                    raise ExportError(f"Chromium did not start within {timeout_s:g} s") from None
                raise
            self._loop = loop
            if not self._stop_at_exit:
                # Registered after Chromium's temporary profile exists, so at exit this runs first
                # (LIFO) and closes Chromium before Python sweeps up leftover temporary folders.
                atexit.register(self.stop)
                self._stop_at_exit = True
            return loop, self._kaleido

    def stop(self, only=None) -> None:
        """Close Chromium (``only``: if it is still that instance, not a fresh replacement)."""
        with self._lock:
            loop, kaleido = self._loop, self._kaleido
            if kaleido is None or (only is not None and kaleido is not only):
                return
            self._loop = self._kaleido = None
        # An unresponsive or already gone Chromium fails to close politely; it is dropped anyway.
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(kaleido.close(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)


def _serve(loop: asyncio.AbstractEventLoop) -> None:
    """The renderer's thread: run its loop until stopped, then unwind what is left and close."""
    asyncio.set_event_loop(loop)
    loop.run_forever()
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()


def _quiet_when_closed(loop: asyncio.AbstractEventLoop, context: dict) -> None:
    # A render cut short (timed out, or Chromium gone) leaves kaleido's inner tasks failing with
    # "channel closed"; the caller already has its error, so only other surprises are logged.
    if type(context.get("exception")).__name__ != "ChannelClosedError":
        loop.default_exception_handler(context)


_RENDERER = _ImageRenderer()


def figure_image(
    fig: go.Figure, ctx: Context, fmt: str, *, timeout_s: float = RENDER_TIMEOUT_S
) -> bytes:
    """The decorated chart as PNG (scale 2) or SVG.

    Safe to call from many threads at once (one Streamlit session per thread).

    Raises
    ------
    ExportUnavailableError
        If Chromium is not installed.
    ExportError
        If Chromium does not start or draw the image within ``timeout_s`` seconds.
    """
    if fmt not in {"png", "svg"}:
        raise InvalidInputError(f"unknown image format {fmt!r}")
    return _RENDERER.render(decorate(fig, ctx), fmt, 2 if fmt == "png" else 1, timeout_s)


def figure_html(fig: go.Figure, ctx: Context) -> bytes:
    """A self-contained interactive HTML file of the decorated chart (plotly.js inlined)."""
    decorated = decorate(fig, ctx)
    decorated.update_layout(width=None)
    return decorated.to_html(
        full_html=True,
        include_plotlyjs=True,
        config={"displaylogo": False, "responsive": True},
    ).encode("utf-8")
