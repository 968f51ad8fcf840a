#!/usr/bin/env bash
# Install the build and test dependencies of sellerhealth on Debian 12 / Ubuntu with apt.
# Runs apt only when something is missing; works as root (no sudo needed) or via sudo.
set -euo pipefail

packages=(
  cmake make python3
  g++-12
  clang-14 libclang-rt-14-dev   # clang++-14 and its ASan/UBSan runtimes
  libgtest-dev libgmock-dev
  libbenchmark-dev
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed$'; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all dependencies present"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-deps: missing ${missing[*]}; run as root or install sudo" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
