#!/usr/bin/env bash
# Builds and runs every test twice: an optimised build with warnings as
# errors, then a build under AddressSanitizer and UndefinedBehaviorSanitizer;
# then fuzzes the scenario reader for a minute (scripts/fuzz.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="$(nproc)"

echo "== release build, -Wall -Wextra -Werror"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release -DFUNNELMC_WERROR=ON
cmake --build "$root/build" -j "$jobs"
ctest --test-dir "$root/build" --output-on-failure -j "$jobs"

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build"
cmake -S "$root" -B "$root/build-sanitize" -DCMAKE_BUILD_TYPE=Debug -DFUNNELMC_WERROR=ON \
      -DFUNNELMC_SANITIZE=ON
cmake --build "$root/build-sanitize" -j "$jobs"
ctest --test-dir "$root/build-sanitize" --output-on-failure -j "$jobs"

echo "== libFuzzer on the scenario reader, 60 s"
"$root/scripts/fuzz.sh" 60
