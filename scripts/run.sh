#!/usr/bin/env bash
# Builds rustnet (optimised) and starts it with the arguments given, e.g.
#   scripts/run.sh -i eth0        scripts/run.sh --read capture.pcapng --json
# Installs missing packages first. Live capture needs root or capabilities: when not root,
# the binary is started through sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh >&2
cmake --preset release >/dev/null
cmake --build --preset release --target rustnet >&2
bin=build/release/rustnet
if [[ "$(id -u)" -ne 0 ]] && ! printf '%s\n' "$@" | grep -qx -- '--read'; then
  exec sudo "$bin" "$@"
fi
exec "$bin" "$@"
