"""Files for download: tables as CSV and Excel, charts as PNG, SVG and HTML, and a report.

Every file carries its context (what was filtered, source, licence, date): in its name, and in the
image, sheet or page itself. Chart images and the PDF are drawn by Chromium (through kaleido, or
Chromium's own print); without it they raise :class:`ExportUnavailableError` and everything else
still works.

- :mod:`.context`  what a file says about itself (:class:`~.context.Context`)
- :mod:`.names`    file names and media types
- :mod:`.tables`   CSV and Excel
- :mod:`.images`   PNG, SVG (one shared Chromium) and interactive HTML
- :mod:`.reports`  the HTML report and its PDF
"""
