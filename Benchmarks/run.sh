#!/usr/bin/env bash
# Benchmarks mtls-gateway against nginx and HAProxy in one run and writes Benchmarks/RESULTS.md.
#
#   Benchmarks/run.sh [--quick] [--rounds 3] [--duration 10] [--concurrency 16] [--threads 1,2]
#                     [--idle 2000] [--stream-mib 100] [--keep-workdir] [--skip-build]
#
# Installs the Debian packages it drives when missing, builds the release binaries, then hands
# over to harness/main.py. Exits non-zero if any proxy fails verification or a run fails.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"

skip_build=0
args=()
for arg in "$@"; do
  case "$arg" in
    --skip-build) skip_build=1 ;;  # reuse the binaries already in .build-release
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$arg") ;;
  esac
done

# Tools: command -> Debian package. Only missing ones are installed.
declare -A packages=(
  [nginx]=nginx [haproxy]=haproxy [ab]=apache2-utils [nghttp]=nghttp2-client
  [curl]=curl [openssl]=openssl [taskset]=util-linux [python3]=python3
)
need=()
for tool in "${!packages[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || need+=("${packages[$tool]}")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
# Debian starts the packaged nginx/haproxy services on install; the harness runs its own
# instances on free loopback ports and never touches those.

bin="$repo/.build-release/release"
if [ "$skip_build" -eq 0 ]; then
  echo "building release binaries (scratch path .build-release)"
  (cd "$repo" && swift build -c release --scratch-path .build-release --product mtls-gateway \
    && swift build -c release --scratch-path .build-release --product ob-sandbox)
fi
for binary in mtls-gateway ob-sandbox; do
  [ -x "$bin/$binary" ] || { echo "missing $bin/$binary (run without --skip-build)"; exit 1; }
done

# Thousands of idle MTLS connections need file descriptors in the proxies and the client.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# No __pycache__ in the source tree.
export PYTHONDONTWRITEBYTECODE=1
exec python3 "$here/harness/main.py" --gateway "$bin/mtls-gateway" --ob-sandbox "$bin/ob-sandbox" \
  --results "$here/RESULTS.md" "${args[@]+"${args[@]}"}"
