#!/bin/sh
# postgres image first start: verify the mounted Pagila v3.1.0 dump's SHA-256, then load it.
set -eu
DIR=/pagila
cd "$DIR"
cat > /tmp/pagila.sha256 <<'SUMS'
8ce358e4c8014087b85296694a0893887bd7a4190e3ce407f2721b86b98e5707  pagila-schema.sql
fb81bec377687c83e11d2a24916ae28656d85550bf0ada798305bf7e2af9823b  pagila-data.sql
SUMS
if ! sha256sum -c /tmp/pagila.sha256; then
    echo "pagila: checksum mismatch or missing files in $DIR; mount an unmodified Pagila v3.1.0" >&2
    exit 1
fi
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --single-transaction -f pagila-schema.sql -f pagila-data.sql
