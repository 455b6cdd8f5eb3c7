#!/usr/bin/env bash
# lwsim's two commands (README):
#   ./setup.sh run    install what is missing, build in Release, run the Deep End scenario
#   ./setup.sh test   install what is missing, build in Release, pass the whole test suite (ctest)
# and a third for CI and for those who want to build without running anything:
#   ./setup.sh build  install what the tests need, build (what `test` then runs)
# Optional second argument: a CMake preset (release, debug, asan, tsan); default release. The tsan
# preset's tests are the engine's and the model's multi-threaded tests (CMakePresets.json;
# docs/reliability.md, *Concurrency: ThreadSanitizer*).
# As root, missing Debian packages are installed with apt-get; otherwise the exact apt-get line
# is printed and the script stops.
set -euo pipefail
cd "$(dirname "$0")"

mode="${1:-run}"
preset="${2:-release}"
case "$mode" in
  run|build|test) ;;
  *) echo "usage: ./setup.sh run|build|test [release|debug|asan|tsan]" >&2; exit 2 ;;
esac

# Every dependency is a Debian 12 package (README, *Dependencies*). Open MPI makes the MPI build (on
# when found). Google Benchmark (libbenchmark-dev) is for the optional micro-benchmarks
# (-DLWSIM_BENCHMARKS=ON).
packages=(
  cmake ninja-build g++ git pkg-config
  libboost-dev libtbb-dev libhdf5-dev catch2 librandom123-dev libtoml11-dev libcli11-dev libfmt-dev
  libbenchmark-dev
  libopenmpi-dev openmpi-bin
  python3 python3-h5py python3-numpy python3-matplotlib
)
# The tests also start a real single-node Slurm cluster (slurm-wlm, munge); CI fuzzes with
# libFuzzer from clang 16 (fuzz/run.sh: clang 14 rejects lambdas that capture structured bindings,
# which the sources use). ThreadSanitizer comes with g++ (libtsan). CI checks the formatting with
# clang-format (cmake --build build/release --target format-check).
if [ "$mode" != run ]; then
  packages+=(slurm-wlm munge clang-16 libclang-rt-16-dev clang-format)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: these Debian packages are missing; install them as root with:" >&2
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs"

case "$mode" in
  run) exec "build/$preset/apps/lwsim/lwsim" run ;;
  test) exec ctest --preset "$preset" -j "$jobs" ;;
esac
