"""Pure coaching domain: no I/O, no clock, no Telegram, no database."""
