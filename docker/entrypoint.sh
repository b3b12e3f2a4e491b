#!/bin/sh
# Container start: load Pagila if the database is empty (idempotent), migrate, then run CMD.
set -eu
python manage.py pagila_load
python manage.py migrate --no-input
exec "$@"
