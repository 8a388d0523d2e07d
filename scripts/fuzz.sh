#!/usr/bin/env bash
# Fuzzes the scenario reader with libFuzzer for SECONDS (default 60), seeded
# from scenarios/ and tests/ (every YAML file there, and every input that
# ever broke the reader, tests/fuzz/regressions/).  A crash, leak, hang or
# broken invariant stops it with status 1 and leaves the input in
# build-fuzz/artifacts/: add it to tests/fuzz/regressions/ with the fix.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
build="$root/build-fuzz"

CC=clang cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DFUNNELMC_WERROR=ON \
      -DFUNNELMC_FUZZ=ON -DFUNNELMC_NATIVE=OFF -DBUILD_TESTING=ON >/dev/null
cmake --build "$build" -j "$(nproc)" --target fuzz_scenario

corpus="$build/corpus"
mkdir -p "$corpus" "$build/artifacts"
find "$root/scenarios" "$root/tests" "$root/bench" -name '*.yaml' -exec cp -t "$corpus" {} +
cp "$root"/tests/fuzz/regressions/* "$corpus"

# -timeout: a reader that takes 2 s on one input is a hang for a file of
# at most a few kilobytes; -max_len lets inputs grow to realistic sizes.
"$build/tests/fuzz/fuzz_scenario" "$corpus" -max_total_time="$seconds" -timeout=2 \
    -rss_limit_mb=1024 -max_len=16384 -dict="$root/tests/fuzz/yaml.dict" \
    -artifact_prefix="$build/artifacts/" -print_final_stats=1
