#!/usr/bin/env bash
# Installs the Debian 12 packages rustnet builds and tests with, if any is missing.
# Runs apt-get only when something is missing. Needs root (or sudo).
# To add a package: append one line to PACKAGES, with a note of who needs it.
set -euo pipefail

PACKAGES=(
  build-essential
  cmake
  ninja-build
  pkg-config
  g++
  clang-19
  libclang-rt-19-dev  # sanitizer and libFuzzer runtimes for clang-19
  libpcap-dev
  libncurses-dev
  libcli11-dev
  libspdlog-dev
  libfmt-dev
  libssl-dev
  nlohmann-json3-dev
  googletest
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  libbpf-dev
  bpftool             # src/process with -DRUSTNET_EBPF=ON: vmlinux.h and the skeleton
  zlib1g-dev          # src/capture: gzip-compressed capture files
  libjemalloc-dev     # the rustnet binary's allocator (docs/performance.md)
  iproute2            # e2e tests: network namespaces and veth pairs
  tshark              # e2e tests: an independent view of the traffic they make
  nftables            # e2e tests: a `log group` rule feeding an nflog:N capture
  tcpreplay
  socat
  curl
  python3
  tmux                # UI end-to-end tests
  time                # bench/compare.sh, bench/live_replay.sh: peak RSS and CPU time
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update
"${sudo_cmd[@]}" apt-get install -y -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}"
