// The random streams (sim/rng.hpp, sim/random.hpp): one Philox4x32-10 call, and the
// distributions the model draws from. Results are passed to DoNotOptimize as rvalues: with
// g++ 12 an lvalue argument miscompiles at -O1 and above.

#include <cstdint>

#include <benchmark/benchmark.h>

#include "sim/random.hpp"
#include "sim/rng.hpp"

namespace {

sim::Stream make_stream(std::uint64_t* calls = nullptr) {
  return sim::Stream(sim::StreamKey{20141101U, 3U}, sim::StreamId{5U, 17U, 9U}, calls);
}

/// One Philox call per iteration: four words through sim::Stream.
void philox_call(benchmark::State& state) {
  sim::Stream s = make_stream();
  for (auto _ : state) {
    benchmark::DoNotOptimize(s.next_u32() ^ s.next_u32() ^ s.next_u32() ^ s.next_u32());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(philox_call);

/// The same with the call counter the model's streams increment (as `lwsim bench` measures it).
void philox_call_counted(benchmark::State& state) {
  std::uint64_t calls = 0;
  sim::Stream s = make_stream(&calls);
  for (auto _ : state) {
    benchmark::DoNotOptimize(s.next_u32() ^ s.next_u32() ^ s.next_u32() ^ s.next_u32());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["calls"] = static_cast<double>(calls);
}
BENCHMARK(philox_call_counted);

/// The raw generator, without sim::Stream's buffering: r123::Philox4x32 on a moving counter.
void philox_raw(benchmark::State& state) {
  const r123::Philox4x32::key_type key{{20141101U, 3U}};
  r123::Philox4x32::ctr_type counter{{5U, 17U, 9U, 0U}};
  const r123::Philox4x32 philox;
  for (auto _ : state) {
    const r123::Philox4x32::ctr_type out = philox(counter, key);
    ++counter.v[3];
    benchmark::DoNotOptimize(out.v[0] ^ out.v[1] ^ out.v[2] ^ out.v[3]);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(philox_raw);

/// 64 independent calls per iteration, folded, with nothing between them: the compiler may
/// vectorise across calls, as code that drew its random words in batches could.
void philox_batch(benchmark::State& state) {
  constexpr std::uint32_t kBatch = 64;
  const r123::Philox4x32::key_type key{{20141101U, 3U}};
  r123::Philox4x32::ctr_type counter{{5U, 17U, 9U, 0U}};
  const r123::Philox4x32 philox;
  for (auto _ : state) {
    std::uint32_t folded = 0;
    for (std::uint32_t i = 0; i < kBatch; ++i) {
      const r123::Philox4x32::ctr_type out = philox(counter, key);
      ++counter.v[3];
      folded ^= out.v[0] ^ out.v[1] ^ out.v[2] ^ out.v[3];
    }
    benchmark::DoNotOptimize(folded + 0U);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(philox_batch);

/// Opening a stream and drawing one word: the pattern of a mechanism's weekly draw.
void stream_open_and_draw(benchmark::State& state) {
  std::uint32_t week = 0;
  for (auto _ : state) {
    sim::Stream s(sim::StreamKey{20141101U, 3U}, sim::StreamId{5U, week++, 9U});
    benchmark::DoNotOptimize(s.next_u32());
  }
}
BENCHMARK(stream_open_and_draw);

void uniform(benchmark::State& state) {
  sim::Stream s = make_stream();
  for (auto _ : state) benchmark::DoNotOptimize(sim::random::uniform(s));
}
BENCHMARK(uniform);

void uniform32(benchmark::State& state) {
  sim::Stream s = make_stream();
  for (auto _ : state) benchmark::DoNotOptimize(sim::random::uniform32(s));
}
BENCHMARK(uniform32);

void bernoulli(benchmark::State& state) {
  sim::Stream s = make_stream();
  for (auto _ : state) benchmark::DoNotOptimize(sim::random::bernoulli(s, 0.3));
}
BENCHMARK(bernoulli);

/// Binomial(n, 0.2): inversion below n·p = 10, BTRD above.
void binomial(benchmark::State& state) {
  sim::Stream s = make_stream();
  const auto n = static_cast<std::uint32_t>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(sim::random::binomial(s, n, 0.2));
}
BENCHMARK(binomial)->Arg(10)->Arg(40)->Arg(1000);

/// The same draws through a BinomialMemo: (1 - p)^n remembered instead of pow at every inversion.
void binomial_memo(benchmark::State& state) {
  sim::Stream s = make_stream();
  sim::random::BinomialMemo memo;
  const auto n = static_cast<std::uint32_t>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(memo(s, n, 0.2));
}
BENCHMARK(binomial_memo)->Arg(10)->Arg(40)->Arg(1000);

/// Poisson(mean): inversion below 10, PTRS above.
void poisson(benchmark::State& state) {
  sim::Stream s = make_stream();
  const auto mean = static_cast<double>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(sim::random::poisson(s, mean));
}
BENCHMARK(poisson)->Arg(1)->Arg(5)->Arg(50);

void normal(benchmark::State& state) {
  sim::Stream s = make_stream();
  for (auto _ : state) benchmark::DoNotOptimize(sim::random::normal(s));
}
BENCHMARK(normal);

void beta(benchmark::State& state) {
  sim::Stream s = make_stream();
  for (auto _ : state) benchmark::DoNotOptimize(sim::random::beta(s, 4.0, 2.0));
}
BENCHMARK(beta);

}  // namespace
