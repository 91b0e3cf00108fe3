#!/usr/bin/env bash
# Builds rustnet and runs every test: the optimised build, then the whole suite again under
# AddressSanitizer + UndefinedBehaviorSanitizer (clang-19). Installs missing packages first.
# Tests that need root (network namespaces, live capture) skip with a reason when not root.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

presets=("${@:-release asan-ubsan}")
for preset in ${presets[*]}; do
  echo "=== ${preset}: build" >&2
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  echo "=== ${preset}: test" >&2
  ctest --preset "$preset" --timeout 600 -j2
done
