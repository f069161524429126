#!/bin/sh
# Waits for the files its service needs, then becomes the service (exec: signals reach it).
#
# WAIT_FOR_FILES: space-separated paths that must exist first (e.g. the marker the one-shot
# `pki-init` service writes after the sandbox PKI is complete). Compose runtimes differ in
# whether they honour depends_on conditions (podman-compose 1.0 does not), so every service
# waits for what it needs itself, with backoff: 0.25 s doubling to 5 s, for WAIT_TIMEOUT seconds
# (default 120), then exits 1 with one sentence naming what is missing.
set -eu

if [ -n "${WAIT_FOR_FILES:-}" ]; then
    timeout="${WAIT_TIMEOUT:-120}"
    start=$(date +%s)
    delay=0.25
    for file in $WAIT_FOR_FILES; do
        while [ ! -e "$file" ]; do
            if [ $(( $(date +%s) - start )) -ge "$timeout" ]; then
                echo "docker-entrypoint: $file did not appear within ${timeout}s; is the service that creates it running?" >&2
                exit 1
            fi
            echo "docker-entrypoint: waiting for $file (next check in ${delay}s)" >&2
            sleep "$delay"
            case "$delay" in
                0.25) delay=0.5 ;;
                0.5) delay=1 ;;
                1) delay=2 ;;
                2) delay=4 ;;
                *) delay=5 ;;
            esac
        done
    done
fi

exec "$@"
