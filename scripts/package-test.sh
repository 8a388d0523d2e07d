#!/usr/bin/env bash
# Tests the Debian package as a user meets it: builds it with cpack in
# BUILD_DIR (a build configured with -DCMAKE_INSTALL_PREFIX=/usr; test.sh's
# portable one), installs it with apt-get, then, from the installed files
# alone (PATH=/usr/bin:/bin, a scratch directory): the program's version, the
# worked example, a scenario of the installed library, the man pages, and
# examples/embed.c built with pkg-config and find_package; then purges the
# package (also when a step fails) and checks that the program is gone.
# apt-get runs as root, or through sudo; any failure stops it with a message
# and a non-zero status.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: scripts/package-test.sh BUILD_DIR" >&2
  exit 2
fi
build="$(cd "$1" && pwd)"
fail() {
  echo "package-test: error: $*" >&2
  exit 1
}
step() {
  echo "package-test: $1"
}

version="$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")"
prefix="$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")"
[ -n "$version" ] || fail "$build is not a configured funnelmc build"
[ "$prefix" = /usr ] ||
  fail "$build installs into '$prefix': configure the package build with -DCMAKE_INSTALL_PREFIX=/usr"
arch="$(dpkg --print-architecture)"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
deb="funnelmc_${version}_${arch}.deb"

step "cpack -G DEB in $build"
rm -f "$build"/funnelmc_*.deb
(cd "$build" && cpack -G DEB) >"$build/package-test-cpack.log" 2>&1 ||
  { cat "$build/package-test-cpack.log" >&2; fail "cpack failed"; }
[ -f "$build/$deb" ] || fail "cpack did not make $deb: $(ls "$build"/*.deb 2>/dev/null)"
dpkg-deb --field "$build/$deb" Package Version Architecture Depends

if dpkg-query -W -f='${Status}' funnelmc 2>/dev/null | grep -q "install ok installed"; then
  fail "a funnelmc package is installed already; remove it first (apt-get remove funnelmc)"
fi
scratch="$(mktemp -d)"
installed=0
cleanup() {
  rm -rf "$scratch"
  # a failed test leaves no package behind
  if [ "$installed" = 1 ]; then
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get remove --purge -y -qq funnelmc >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
step "apt-get install ./$deb"
installed=1
(cd "$build" && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >/dev/null) ||
  fail "apt-get could not install $deb"
cd "$scratch"
export PATH=/usr/bin:/bin
unset PKG_CONFIG_PATH LD_LIBRARY_PATH

step "funnelmc --version"
funnelmc --version | tee version.txt
[ "$(head -n 1 version.txt)" = "funnelmc $version" ] || fail "the installed program is not $version"

# The worked example of docs (domain.md): every input fixed, profit 2500.
step "funnelmc run (the built-in worked example)"
funnelmc run -q -o worked.h5 || fail "funnelmc run failed"
mean="$(h5dump -a /outputs/profit/mean -y worked.h5 | awk '/^ *DATA \{/ {getline; print $1; exit}')"
[ "$mean" = 2500 ] || fail "the worked example's mean profit is '$mean', not 2500"

step "funnelmc run /usr/share/funnelmc/scenarios/reference.yaml"
funnelmc run /usr/share/funnelmc/scenarios/reference.yaml -n 1e5 -q -o x.h5 ||
  fail "funnelmc run of an installed scenario failed"
[ -s x.h5 ] || fail "the run wrote no x.h5"

step "man -w funnelmc, man -w funnelmc-scenario"
man -w funnelmc || fail "no man page funnelmc(1)"
man -w 5 funnelmc-scenario || fail "no man page funnelmc-scenario(5)"

step "cc embed.c \$(pkg-config --cflags --libs funnelmc)"
example=/usr/share/doc/funnelmc/examples/embed.c
[ -f "$example" ] || fail "$example is not installed"
# shellcheck disable=SC2046  # the flags are words
cc "$example" $(pkg-config --cflags --libs funnelmc) -o embed || fail "embed.c does not build"
readelf -d embed | grep -q "NEEDED.*libfunnelmc\.so\." || fail "embed does not use libfunnelmc.so"
./embed | tee embed.txt
grep -Eq "^mean profit: $mean ± 0 \(se\)" embed.txt ||
  fail "embed's mean profit is not the worked example's, $mean"

step "find_package(funnelmc) in a scratch project"
mkdir consumer
cat >consumer/CMakeLists.txt <<CMAKE
cmake_minimum_required(VERSION 3.18)
project(consumer LANGUAGES C)
find_package(funnelmc $version CONFIG REQUIRED)
add_executable(embed $example)
target_link_libraries(embed PRIVATE funnelmc::funnelmc)
CMAKE
if ! { cmake -S consumer -B consumer/build && cmake --build consumer/build; } >consumer.log 2>&1; then
  cat consumer.log >&2
  fail "a CMake project cannot find_package(funnelmc)"
fi
consumer/build/embed | grep -Eq "^mean profit: $mean ± 0 \(se\)" ||
  fail "embed built by find_package does not print the worked example's mean"

step "apt-get remove --purge funnelmc"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get remove --purge -y -qq funnelmc >/dev/null ||
  fail "apt-get could not remove funnelmc"
installed=0
[ ! -e /usr/bin/funnelmc ] || fail "/usr/bin/funnelmc is still there after the removal"
[ ! -e /usr/include/funnelmc ] || fail "/usr/include/funnelmc is still there after the removal"
if dpkg-query -W funnelmc >/dev/null 2>&1; then
  fail "dpkg still lists funnelmc after the removal"
fi
step "$deb: installed, used and removed"
