#!/usr/bin/env bash
# Installs the Debian 12 packages funnelmc needs to build, test and benchmark;
# with --mpi, Open MPI too (for -DFUNNELMC_MPI=ON: the default build needs no
# MPI package, and scripts/test.sh builds it before installing Open MPI).
# Only what is missing is installed; run as root or with sudo available.
set -euo pipefail

packages=(
  build-essential cmake pkg-config        # compiler and build
  libgsl-dev                              # distributions, special functions
  libhdf5-dev hdf5-tools                  # results files (C API, H5LT/H5DS, h5dump)
  libyaml-dev                             # scenario files
  librandom123-dev                        # Philox counter-based random streams
  python3 python3-numpy python3-h5py      # end-to-end tests and the numpy peer
  python3-xarray python3-h5netcdf python3-netcdf4  # results files as xarray opens them, both engines (tests)
  clang-14 libclang-rt-14-dev libomp-14-dev  # libFuzzer on the scenario reader
  valgrind                                # memcheck of the test suite
  librsvg2-dev libcairo2-dev               # charts as PNG and PDF, rendered from their SVG
  chromium                                # the report in a real browser, headless (tests)
  libxml2-utils                           # xmllint: every chart's SVG is well-formed (tests)
  fonts-dejavu-core                       # DejaVu Sans, the font the charts measure their text in
  libcjson-dev                            # --json: the summaries as JSON (cJSON writes them)
  scdoc man-db                            # man pages made from docs/man/*.scd; man -w (tests)
  bash-completion                         # the completion script, tested as bash loads it
  dpkg-dev file                           # cpack -G DEB: dpkg-shlibdeps finds the package's Depends
  jq                                      # the JSON output as a shell script reads it (tests)
)
if [ "${1:-}" = "--mpi" ]; then
  packages+=(openmpi-bin libopenmpi-dev)  # mpirun and the MPI library (Open MPI 4.1)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: every package is present"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
