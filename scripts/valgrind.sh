#!/usr/bin/env bash
# Runs every unit test, the fuzz regressions and the command-line tests under
# valgrind memcheck: any memory error or definite/indirect leak fails.
# The build is portable (FUNNELMC_NATIVE=OFF): valgrind cannot decode every
# AVX-512 instruction that -march=native may emit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-valgrind"
# libgomp keeps its thread pool until exit: "possibly lost", not a leak.
wrapper="valgrind --quiet --error-exitcode=99 --leak-check=full \
--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFUNNELMC_WERROR=ON \
      -DFUNNELMC_NATIVE=OFF -DFUNNELMC_TEST_WRAPPER="$wrapper" >/dev/null
cmake --build "$build" -j "$(nproc)"
# the CLI suite alone takes about half an hour under memcheck on 2 cores
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" --timeout 9000
