#!/bin/sh
# The container's start: bring the database to the newest schema, then run the bot.
#   RUNCOACH_MODE=webhook (default)  runcoach run --webhook  (needs WEBHOOK_URL, WEBHOOK_SECRET)
#   RUNCOACH_MODE=polling            runcoach run            (no public URL needed)
# Any arguments run instead, e.g. `docker compose run --rm bot runcoach db upgrade`.
# `exec` replaces this shell with the bot, so SIGTERM from `docker stop` reaches it.
set -e

if [ "$#" -gt 0 ]; then
    exec "$@"
fi

case "${RUNCOACH_MODE:-webhook}" in
    webhook) set -- runcoach run --webhook ;;
    polling) set -- runcoach run ;;
    *)
        echo "entrypoint: RUNCOACH_MODE must be webhook or polling, not '${RUNCOACH_MODE}'" >&2
        exit 2
        ;;
esac

runcoach db upgrade
exec "$@"
