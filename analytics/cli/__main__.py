"""``python -m analytics.cli``: the ``probation-ratings`` command."""

import sys

from analytics.cli import main

sys.exit(main())
