"""runcoach bot layer: the only package that imports `telegram`."""

import os

# PTB 22 reports retry_after and other durations as timedelta only with this set; without it,
# reading them warns about a coming change. We opt in now, everywhere.
os.environ.setdefault("PTB_TIMEDELTA", "1")
