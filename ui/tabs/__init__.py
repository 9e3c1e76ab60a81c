"""One module per dashboard tab, each with ``render(data, filters)``."""
