#!/bin/sh
# First start: initdb, the role and database from POSTGRES_USER/POSTGRES_PASSWORD/POSTGRES_DB,
# password (SCRAM) authentication from other hosts; every start: the server on all interfaces.
set -eu
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
user="${POSTGRES_USER:-postgres}"
database="${POSTGRES_DB:-$user}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    printf '%s\n' "$POSTGRES_PASSWORD" > /tmp/pwfile
    initdb --username=postgres --pwfile=/tmp/pwfile --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    rm -f /tmp/pwfile
    echo "host all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
    echo "host all all ::/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
    pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
    if [ "$user" != postgres ]; then
        psql -v ON_ERROR_STOP=1 -U postgres -d postgres -q \
            -c "CREATE ROLE \"$user\" LOGIN PASSWORD '$(printf %s "$POSTGRES_PASSWORD" | sed "s/'/''/g")'"
    fi
    if [ "$database" != postgres ]; then
        psql -v ON_ERROR_STOP=1 -U postgres -d postgres -q -c "CREATE DATABASE \"$database\" OWNER \"$user\""
    fi
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    echo "postgres-entrypoint: initialised $PGDATA (role $user, database $database)" >&2
fi

exec postgres -D "$PGDATA" -c listen_addresses='*'
