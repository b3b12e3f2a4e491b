#!/bin/sh
# postgres image, first start only: load the Pagila v3.1.0 dump mounted at /pagila, when one is
# mounted and its SHA-256 sums match. Otherwise the database stays empty and the first start goes
# on: the API's `pagila_load` downloads and verifies the pinned release when its container starts.
# (A plain clone has no ../shared/pagila: Docker then mounts an empty folder here.)
set -eu
DIR="${PAGILA_DUMP_DIR:-/pagila}"
SUMS='8ce358e4c8014087b85296694a0893887bd7a4190e3ce407f2721b86b98e5707  pagila-schema.sql
fb81bec377687c83e11d2a24916ae28656d85550bf0ada798305bf7e2af9823b  pagila-data.sql'

if [ ! -f "$DIR/pagila-schema.sql" ] || [ ! -f "$DIR/pagila-data.sql" ]; then
    echo "pagila: no dump mounted at $DIR; the API will download and load the pinned release"
elif ! (cd "$DIR" && echo "$SUMS" | sha256sum --check --quiet --strict -); then
    echo "pagila: the dump at $DIR is not an unmodified Pagila v3.1.0; not loading it," \
        "the API will download and load the pinned release" >&2
else
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
        --single-transaction --quiet -f "$DIR/pagila-schema.sql" -f "$DIR/pagila-data.sql"
    echo "pagila: loaded the dump mounted at $DIR"
fi
