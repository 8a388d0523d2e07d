#!/usr/bin/env bash
# Builds and runs every test: an optimised build with warnings as errors and
# without MPI (the default, which needs no MPI package); a portable build
# (-DFUNNELMC_NATIVE=OFF), which must compute the same bits, and its Debian
# package, installed, used and removed (scripts/package-test.sh); a build under
# AddressSanitizer and UndefinedBehaviorSanitizer; a minute of fuzzing of the
# scenario reader (scripts/fuzz.sh); then installs Open MPI if missing and
# runs the MPI build's tests, tests/mpi among them under mpirun with 1, 2 and
# 3 processes (oversubscribed on a small machine).  The MPI tests are not run
# under the sanitizers.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="$(nproc)"
step() {
  echo "== $1 (at $((SECONDS / 60)) min $((SECONDS % 60)) s)"
}

step "release build without MPI, -Wall -Wextra -Werror"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release -DFUNNELMC_WERROR=ON \
      -DFUNNELMC_MPI=OFF
cmake --build "$root/build" -j "$jobs"
# the default program must not depend on MPI, installed or not
if ldd "$root/build/src/funnelmc" | grep -i mpi; then
  echo "error: build/src/funnelmc links an MPI library; the default build must not" >&2
  exit 1
fi
ctest --test-dir "$root/build" --output-on-failure -j "$jobs"

step "portable build (-DFUNNELMC_NATIVE=OFF): same bits as the native build; the Debian package"
# installed into /usr, as a Debian package is
cmake -S "$root" -B "$root/build-portable" -DCMAKE_BUILD_TYPE=Release -DFUNNELMC_WERROR=ON \
      -DFUNNELMC_NATIVE=OFF -DFUNNELMC_NATIVE_PROGRAM="$root/build/src/funnelmc" \
      -DCMAKE_INSTALL_PREFIX=/usr
cmake --build "$root/build-portable" -j "$jobs"
ctest --test-dir "$root/build-portable" --output-on-failure -j "$jobs" -R '^(portable_same_bits|unit_)'
"$root/scripts/package-test.sh" "$root/build-portable"

step "AddressSanitizer + UndefinedBehaviorSanitizer build"
cmake -S "$root" -B "$root/build-sanitize" -DCMAKE_BUILD_TYPE=Debug -DFUNNELMC_WERROR=ON \
      -DFUNNELMC_SANITIZE=ON
cmake --build "$root/build-sanitize" -j "$jobs"
ctest --test-dir "$root/build-sanitize" --output-on-failure -j "$jobs"

step "libFuzzer on the scenario reader, 60 s"
"$root/scripts/fuzz.sh" 60

step "MPI build (Open MPI), -Werror; unit tests and tests/mpi under mpirun"
"$root/scripts/install-deps.sh" --mpi
cmake -S "$root" -B "$root/build-mpi" -DCMAKE_BUILD_TYPE=Release -DFUNNELMC_WERROR=ON \
      -DFUNNELMC_MPI=ON
cmake --build "$root/build-mpi" -j "$jobs"
# The command-line suite and the browser's ran on the default build; here
# the library's unit tests, the fuzz regressions and tests/mpi, which also
# compares the MPI program's files with those of the program without MPI.
# ctest lets Open MPI run as root (CI) and more processes than cores.
FUNNELMC_WITHOUT_MPI="$root/build/src/funnelmc" \
  ctest --test-dir "$root/build-mpi" --output-on-failure -j "$jobs" -E '^(cli|browser)'
step "done"
