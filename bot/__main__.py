"""`python -m bot` does what the `runcoach` command does."""

from bot.cli import main

raise SystemExit(main())
