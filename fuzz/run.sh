#!/usr/bin/env bash
# Builds the fuzz preset (clang, libFuzzer, ASan + UBSan) and runs every fuzz target for SECONDS
# seconds each; fails if any target finds a crash, a hang (-timeout), a leak or an out-of-memory.
#   fuzz/run.sh SECONDS [TARGET...]        targets: scenario sweep points calibration sensitivity
#                                          result_file command_line
#   fuzz/run.sh --build-only               only build the preset (CI times the build apart)
# The corpus each target grows is kept in build/fuzz/corpus/<target> (seeded by make_corpus.sh);
# a failing input is written to build/fuzz/artifacts/<target>/ and named in the output. Reproduce
# one with: build/fuzz/fuzz/fuzz_<target> <artifact>.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: fuzz/run.sh SECONDS [TARGET...] | fuzz/run.sh --build-only}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scenario sweep points calibration sensitivity result_file command_line)

case "$seconds" in
  --build-only) ;;
  ''|*[!0-9]*|0) echo "fuzz/run.sh: SECONDS must be a whole number above 0 (libFuzzer takes 0 as for ever)" >&2; exit 2 ;;
esac

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc 2>/dev/null || echo 2)"
[ "$seconds" != --build-only ] || exit 0

build=build/fuzz
rm -rf "$build/seeds"
fuzz/make_corpus.sh "$build/apps/lwsim/lwsim" "$build/seeds"

# ASan's leak checker runs after inputs that leak (fuzz/lsan.supp: HDF5's own losses on damaged
# files); UBSan stops at the first report.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$PWD/fuzz/lsan.supp:${LSAN_OPTIONS:-}"
for symbolizer in /usr/lib/llvm-16/bin/llvm-symbolizer /usr/bin/llvm-symbolizer; do
  if [ -x "$symbolizer" ]; then
    export ASAN_SYMBOLIZER_PATH="$symbolizer"  # stacks with function names
    break
  fi
done

failed=()
for target in "${targets[@]}"; do
  case "$target" in
    result_file) max_len=400000 ;;  # whole output files (the seeds are under 300 kB)
    *) max_len=16384 ;;              # text files; the 16 MB limit is tested separately
  esac
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  echo "== fuzz_$target for ${seconds} s =="
  if ! "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
      -rss_limit_mb=2048 -artifact_prefix="$artifacts/" -print_final_stats=1 \
      "$corpus" "$build/seeds/$target" 2>"$build/fuzz_$target.log"; then
    tail -n 60 "$build/fuzz_$target.log" >&2
    failed+=("$target")
  else
    grep -E "^stat::number_of_executed_units|^stat::new_units_added" "$build/fuzz_$target.log" || true
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (inputs in $build/artifacts/)" >&2
  exit 1
fi
echo "fuzz: no crash, hang or leak in ${targets[*]}"
