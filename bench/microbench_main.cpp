// The micro-benchmarks' main(): Google Benchmark's own, kept in a file of ours so that the
// benchmark sources stay free of macros that define functions.

#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
