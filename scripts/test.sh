#!/usr/bin/env bash
# Runs every test: unit tests (pure modules), loopback integration tests with real clients
# (curl, openssl s_client, nghttp), and end-to-end tests. Installs the client tools the tests
# drive when they are missing (Debian packages; needs root or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v nghttp >/dev/null 2>&1 || need+=(nghttp2-client)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing test tools: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

swift build --build-tests
swift test --skip-build "$@"
