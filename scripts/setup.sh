#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a first result: installs what
# is missing, builds funnelmc (Release) and runs the built-in worked example,
# which writes worked-example.h5 in the current directory.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release
cmake --build "$root/build" -j "$(nproc)"
"$root/build/src/funnelmc" run
