#!/usr/bin/env bash
# The Docker/ deliverables tested for real, without Docker or a registry (../shared facts in
# Docker/README.md): builds the images with rootful Podman from a debootstrap'd Debian base and
# the binaries this checkout already built (debug, relinked with the Swift runtime static: no
# second full Swift build), starts Docker/compose.yaml with podman-compose (two gateways, the
# authorization server on PostgreSQL, the sandbox directory, the demo API, the PKI one-shot),
# runs the TPP flow (Docker/tpp-flow.sh) through the gateway containers, checks the access logs,
# PostgreSQL's rows and a graceful SIGTERM, and tears everything down (also on failure).
#
# Needs root (rootful Podman). Installs podman, podman-compose, runc, debootstrap when missing.
# Storage, the base image and the build context live in .build-containers/ (git-ignored); the
# base image is reused between runs. MTLS_CONTAINER_KEEP=1 leaves the stack running.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

log() { printf '[container-test %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { log "FAILED: $*"; exit 1; }
# Any other failing command names itself (CI shows only what we print).
trap 'log "FAILED at line $LINENO: $BASH_COMMAND"' ERR

[ "$(id -u)" -eq 0 ] || die "rootful Podman needs root (run with sudo)"

need=()
for tool in podman podman-compose debootstrap runc curl; do
    command -v "$tool" >/dev/null 2>&1 || need+=("$tool")
done
for helper in netavark aardvark-dns; do
    [ -x "/usr/lib/podman/$helper" ] || need+=("$helper")
done
if [ ${#need[@]} -gt 0 ]; then
    log "installing: podman with netavark and aardvark-dns, podman-compose, runc, debootstrap"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends podman runc debootstrap \
        netavark aardvark-dns iptables catatonit podman-compose curl >/dev/null
fi

state="$repo/.build-containers"
mkdir -p "$state/storage" "$state/run" "$state/context/.prebuilt" "$state/context/Docker/postgres"

# Podman settings these machines require (Docker/README.md): runc (crun refuses the hybrid cgroup
# layout), explicit ulimits within podman's own hard limits, storage in a scratch folder chosen
# with --root/--runroot (CONTAINERS_STORAGE_CONF would add ~20 s to every call). netavark, not
# CNI: with CNI's dnsname plugin a container on two networks asks the first network's dnsmasq,
# which answers NXDOMAIN for the other network's services (compose.yaml puts the gateways and
# the authorization server on two networks each); aardvark-dns answers for all of them.
nofile=$(ulimit -Hn)
cat > "$state/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"

[network]
network_backend = "netavark"
CONF
export CONTAINERS_CONF="$state/containers.conf"
cat > "$state/podman" <<WRAP
#!/bin/sh
exec podman --root "$state/storage" --runroot "$state/run" "\$@"
WRAP
chmod +x "$state/podman"
pm() { "$state/podman" "$@"; }

project=mtls-gateway-test
base_image=localhost/debian:bookworm
app_image=localhost/mtls-gateway:test
postgres_image=localhost/mtls-postgres:test

# ---- binaries: this checkout's debug build, relinked with the Swift runtime linked in ----------
# Only the link step, by hand, from the objects the test build already compiled (SwiftPM's
# Objects.LinkFileList): `swift build --static-swift-stdlib` would recompile some packages
# (Hummingbird) with -static-stdlib and leave objects behind that break the next normal build.
# The same linker group as Docker/Dockerfile (swiftlang/swift-package-manager#10564: Swift 6.3's
# static Foundation archives do not name the archives they need).
log "linking mtls-gateway, authorization-server, ob-sandbox with -static-stdlib"
bin=$(swift build --show-bin-path)
for product in mtls-gateway authorization-server ob-sandbox; do
    module=${product//-/_}
    objects="$bin/$product.product/Objects.LinkFileList"
    [ -f "$objects" ] || die "$objects is missing: build the package first (swift build)"
    swiftc -static-stdlib -emit-executable -module-name "$module" -L "$bin" \
        -Xlinker --defsym -Xlinker "main=${module}_main" "@$objects" \
        -Xlinker --start-group -Xlinker -lCoreFoundation -Xlinker -l_FoundationCollections \
        -Xlinker -l_FoundationCShims -Xlinker -l_FoundationICU -Xlinker -lstdc++ -Xlinker --end-group \
        -o "$state/$product.static" >"$state/link-$product.log" 2>&1 \
        || { tail -40 "$state/link-$product.log"; die "linking $product statically"; }
    if ldd "$state/$product.static" | grep -q libswift; then
        die "$product still links the Swift runtime dynamically"
    fi
    strip -o "$state/context/.prebuilt/$product" "$state/$product.static"
    rm -f "$state/$product.static"
done
cp Docker/docker-entrypoint.sh "$state/context/Docker/"
cp Docker/postgres/postgres-entrypoint.sh "$state/context/Docker/postgres/"

# ---- base image: Debian bookworm from Debian's mirror (no registry) ---------------------------
if ! pm image exists "$base_image"; then
    log "debootstrap bookworm (minbase) and import as $base_image"
    rootfs="$state/rootfs"
    rm -rf "$rootfs"
    debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >/dev/null
    rm -rf "$rootfs/var/cache/apt/archives/"*.deb "$rootfs/var/lib/apt/lists/"*
    tar -C "$rootfs" -c . | pm import - "$base_image" >/dev/null
    rm -rf "$rootfs"
fi

# ---- images: the real Dockerfiles, with the base and binaries substituted ---------------------
# --network host: a build container's own network has no way out on these machines (no NAT for
# podman's default network), so the Dockerfiles' apt-get could not resolve Debian's mirror; the
# stack itself needs none (its networks are internal).
log "building $app_image (Docker/Dockerfile, BINARIES=prebuilt)"
pm build --format docker --network host -q -f Docker/Dockerfile -t "$app_image" \
    --build-arg BINARIES=prebuilt --build-arg SWIFT_IMAGE="$base_image" --build-arg RUNTIME_IMAGE="$base_image" \
    "$state/context" >/dev/null
log "building $postgres_image (Docker/postgres/Dockerfile)"
pm build --format docker --network host -q -f Docker/postgres/Dockerfile -t "$postgres_image" \
    --build-arg BASE_IMAGE="$base_image" "$state/context" >/dev/null

# ---- the stack ---------------------------------------------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export MTLS_GATEWAY_IMAGE="$app_image" POSTGRES_IMAGE="$postgres_image"
GATEWAY_1_PORT=$(free_port); GATEWAY_2_PORT=$(free_port)
export GATEWAY_1_PORT GATEWAY_2_PORT
POSTGRES_PASSWORD="test-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
export POSTGRES_PASSWORD
compose=(podman-compose --podman-path "$state/podman" -p "$project" -f Docker/compose.yaml)

teardown() {
    local status=$?
    if [ $status -ne 0 ]; then
        log "logs of every container (failure):"
        for container in $(pm ps -a --filter "label=io.podman.compose.project=$project" --format '{{.Names}}'); do
            echo "---- $container"
            pm logs --tail 40 "$container" 2>&1 || true
        done
    fi
    if [ "${MTLS_CONTAINER_KEEP:-}" = 1 ]; then
        log "leaving the stack running (MTLS_CONTAINER_KEEP=1); stop it with: ${compose[*]} down -v"
        return
    fi
    log "tearing down"
    "${compose[@]}" down -v >/dev/null 2>&1 || true
    pm rm -af --filter "label=io.podman.compose.project=$project" >/dev/null 2>&1 || true
    for network in identity edge backend; do pm network rm -f "${project}_$network" >/dev/null 2>&1 || true; done
    for volume in pki secrets postgres-data gateway-1-logs gateway-2-logs; do pm volume rm -f "${project}_$volume" >/dev/null 2>&1 || true; done
}
trap teardown EXIT
teardown_quietly() { MTLS_CONTAINER_KEEP=0 teardown >/dev/null 2>&1 || true; }
teardown_quietly   # leftovers of an interrupted run

# podman-compose 1.0 ignores ipam: create the identity network with the subnet compose.yaml and
# the authorization server's trusted_proxies name.
subnet=$(sed -n '/^  identity:/,/subnet:/s/.*subnet: *//p' Docker/compose.yaml)
[ -n "$subnet" ] || die "no subnet for the identity network in Docker/compose.yaml"
pm network create --subnet "$subnet" --label "io.podman.compose.project=$project" "${project}_identity" >/dev/null

log "podman-compose up (gateways on 127.0.0.1:$GATEWAY_1_PORT and :$GATEWAY_2_PORT)"
started=$(date +%s)
"${compose[@]}" up -d --no-build >"$state/compose-up.log" 2>&1 || { cat "$state/compose-up.log"; die "podman-compose up"; }

pki_dir=$(pm volume inspect "${project}_pki" --format '{{.Mountpoint}}')
# Ready when discovery answers through both published gateway ports (gateway → authorization
# server → PostgreSQL all up). Backoff; the services themselves retry their dependencies.
deadline=$(( $(date +%s) + 240 ))
for port in "$GATEWAY_1_PORT" "$GATEWAY_2_PORT"; do
    delay=0.25
    until [ -e "$pki_dir/.complete" ] && curl -fsS -o /dev/null --cacert "$pki_dir/root-ca.pem" \
            "https://localhost:$port/.well-known/openid-configuration" 2>/dev/null; do
        [ "$(date +%s)" -lt "$deadline" ] || die "the stack was not ready within 240 s (port $port)"
        sleep "$delay"
        case "$delay" in 0.25) delay=0.5 ;; 0.5) delay=1 ;; *) delay=2 ;; esac
    done
done
log "stack ready after $(( $(date +%s) - started )) s"

# As compose.yaml's health checks are judged (retries: 3): a service is unhealthy after three
# failures in a row, not one. One can fail while the stack settles: aardvark-dns drops queries
# while it reloads for a container that joined a network, glibc waits 5 s for that answer, and
# a fresh database connection behind /readyz outlasts its 5 s timeout (seen once).
for service in authorization-server gateway-1; do
    health=unhealthy
    for attempt in 1 2 3; do
        if pm healthcheck run "${project}_${service}_1" >/dev/null 2>&1; then health=healthy; break; fi
        log "$service health check failed (attempt $attempt of 3)"
    done
    [ "$health" = healthy ] || die "$service health check: $health 3 times in a row"
done
log "health checks pass (authorization-server /readyz, gateway admin /readyz)"

# Run from inside gateway-1 (on `edge`, with the PKI volume and ob-sandbox), not a new
# container: starting one makes aardvark-dns reload, and the look-ups the flow causes behind the
# gateways (authorization server -> directory, -> PostgreSQL) could then stall 5 s.
log "TPP flow (Docker/tpp-flow.sh) on the gateways' network"
pm exec -i "${project}_gateway-1_1" sh -s < Docker/tpp-flow.sh || die "the TPP flow"

log "access logs: one JSON line per request with the TPP's org_id and software_id"
org_id=$(openssl x509 -in "$pki_dir/tpp-transport.pem" -noout -subject -nameopt RFC2253 | sed -n 's/.*OU=\([^,]*\).*/\1/p')
for gateway in gateway-1 gateway-2; do
    lines=$(pm exec "${project}_${gateway}_1" mtls-gateway logs --config /etc/mtls-gateway/gateway.conf --json --org-id "$org_id")
    count=$(printf '%s\n' "$lines" | grep -c '"software_id"' || true)
    [ "$count" -ge 3 ] || die "$gateway logged $count requests of org $org_id"
    echo "  $gateway: $count requests of org $org_id"
done

log "PostgreSQL: the deleted client is gone, its token rows are revoked"
clients=$(pm exec "${project}_postgres_1" psql -U authorization_server -d authorization_server -tAc "SELECT count(*) FROM clients")
[ "$clients" = 0 ] || die "$clients client rows left after DELETE"
live=$(pm exec "${project}_postgres_1" psql -U authorization_server -d authorization_server -tAc "SELECT count(*) FROM tokens WHERE NOT revoked")
revoked=$(pm exec "${project}_postgres_1" psql -U authorization_server -d authorization_server -tAc "SELECT count(*) FROM tokens WHERE revoked")
[ "$live" = 0 ] && [ "$revoked" -ge 1 ] || die "tokens after DELETE: $live live, $revoked revoked"
echo "  clients: $clients, tokens: $revoked revoked, $live live"

log "SIGTERM: gateway-2 drains and exits 0 well before the 30 s kill"
stop_started=$(date +%s)
pm stop -t 30 "${project}_gateway-2_1" >/dev/null
stop_seconds=$(( $(date +%s) - stop_started ))
exit_code=$(pm inspect "${project}_gateway-2_1" --format '{{.State.ExitCode}}')
[ "$exit_code" = 0 ] || die "gateway-2 exited $exit_code on SIGTERM"
[ "$stop_seconds" -lt 25 ] || die "gateway-2 took $stop_seconds s to stop"
echo "  exit 0 after $stop_seconds s"

log "passed"
