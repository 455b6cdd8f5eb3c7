// `lwsim bench [--json] [--threads T] [--quick]`: the engine's throughput figures (DESIGN §8),
// all measured in this one process on the default scenario, except peak memory, which is
// measured in child processes so that each figure is isolated:
//
//   practice-weeks per second   replicates x entities x weeks / wall time, on 1 thread and on
//                               T threads (median of repetitions), as `lwsim run` without -o
//   Philox calls per entity-week counted by the workspaces over a fixed number of replicates
//                               (deterministic: independent of threads and timing)
//   ns per Philox call          a tight loop over sim::Stream's generator, one call at a time,
//                               in this process
//   floor ratio                 ns per entity-week on 1 thread / (calls per entity-week x ns per
//                               call): how far the model is above the cost of its random numbers
//   HDF5 write share            a standard 1,000-point sweep written as `lwsim sweep` writes it:
//                               time inside HDF5 (creating the file, the writer thread's writes
//                               and flushes, the final compressed copy) over the sweep's wall time
//   peak RSS                    `lwsim run --replicates N -o FILE --quiet` as a child, for two N
//
// Nothing here is a test: the targets are reported as met or not, never asserted.

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <ostream>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "sim/cli/commands.hpp"
#include "sim/cli/stored_results.hpp"
#include "sim/error.hpp"
#include "sim/output/layout.hpp"
#include "sim/output/provenance.hpp"
#include "sim/output/result_file.hpp"
#include "sim/output/writer.hpp"
#include "sim/rng.hpp"
#include "sim/run/runner.hpp"
#include "sim/scenario.hpp"
#include "sim/sweep.hpp"
#include "sim/version.hpp"

extern char** environ;

namespace sim::cli {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

/// Plain progress lines on a terminal; nothing on a pipe (tests, --json into a file).
class Narrator {
 public:
  Narrator() : on_(isatty(STDERR_FILENO) == 1) {}
  void say(const std::string& what) const {
    if (on_) fmt::print(std::cerr, "lwsim bench: {}\n", what);
  }

 private:
  bool on_;
};

/// The sizes that make entity-weeks (for lwp: practice-weeks) out of replicates.
struct StepCount {
  std::string entity;  // e.g. "practice"
  std::uint64_t entities = 1;
  std::uint64_t weeks = 1;
  [[nodiscard]] std::uint64_t per_replicate() const { return entities * weeks; }
};

StepCount step_count(const OutputSchema& schema) {
  StepCount count;
  count.entity = schema.entity_dimension.empty() ? "replicate" : schema.entity_dimension;
  if (!schema.entity_dimension.empty()) count.entities = schema.dim(schema.entity_dimension).size;
  count.weeks = schema.time_steps();
  return count;
}

struct Pass {
  std::uint64_t replicates = 0;
  double seconds = 0.0;
  std::uint64_t philox_calls = 0;
};

/// Runs `replicates` replicates of the job's one point as `lwsim run` without -o does (the
/// writer computes the summaries, no file).
Pass run_pass(const Job& base, const Observation* observed, std::uint64_t replicates, unsigned threads) {
  Job job = base;
  job.replicates = replicates;
  const output::FileLayout layout =
      output::make_layout(job.schema, output::DesignInfo{}, replicates, observed);
  const std::uint32_t block = choose_block_size(job.schema, replicates, 1, threads);
  const BlockLayout blocks(job.schema, block);
  output::ResultWriter writer(nullptr, layout, job.schema, blocks, replicates, observed, {});
  RunOptions options;
  options.threads = threads;
  options.block = block;
  const RunStats stats = run_job(job, {0}, writer, options);
  if (stats.interrupted || stats.replicates_run != replicates) {
    throw std::runtime_error("lwsim bench: a measurement run was interrupted");
  }
  return {replicates, stats.seconds, stats.philox_calls};
}

struct Throughput {
  std::uint64_t replicates = 0;
  std::vector<double> rates;  // entity-weeks per second, one per repetition
  double rate = 0.0;          // their median
};

Throughput measure_throughput(const Job& job, const Observation* observed, const StepCount& steps,
                              std::uint64_t replicates, unsigned threads, int repetitions) {
  Throughput t;
  t.replicates = replicates;
  for (int r = 0; r < repetitions; ++r) {
    const Pass pass = run_pass(job, observed, replicates, threads);
    t.rates.push_back(static_cast<double>(pass.replicates * steps.per_replicate()) /
                      std::max(pass.seconds, 1e-9));
  }
  t.rate = median(t.rates);
  return t;
}

/// Nanoseconds per Philox4x32-10 call: the generator of sim::Stream (Random123's
/// r123::Philox4x32) on a moving counter, as Stream::refill calls it, one call at a time as the
/// model makes them: the four words of each call are folded into a value the compiler must
/// compute before the next call (an empty asm statement hides it), so that it cannot vectorise
/// across calls, which halves the time but is open only to code that draws in batches. This is
/// what the random bits alone cost. (Not inlined, so that the loop compiles the same whatever
/// surrounds it.)
[[gnu::noinline]] double philox_ns_per_call(std::uint32_t calls, std::uint32_t seed) {
  const Stream::Philox philox;
  const Stream::Philox::key_type key{{seed, 1U}};
  Stream::Philox::ctr_type counter{{7U, 11U, 13U, 0U}};
  // The same generator as the model's streams: the first call gives a stream's first four words.
  Stream stream(StreamKey{seed, 1U}, StreamId{7U, 11U, 13U});
  const Stream::Philox::ctr_type first = philox(counter, key);
  for (const std::uint32_t word : first.v) {
    if (stream.next_u32() != word)
      throw std::logic_error("lwsim bench: the timed generator is not sim::Stream's");
  }
  std::uint32_t folded = 0;
  const auto start = Clock::now();
  for (std::uint32_t c = 0; c < calls; ++c) {
    const Stream::Philox::ctr_type block = philox(counter, key);
    ++counter.v[3];
    folded ^= block.v[0] ^ block.v[1] ^ block.v[2] ^ block.v[3];
    asm volatile("" : "+r"(folded));
  }
  const double seconds = seconds_since(start);
  volatile std::uint32_t keep = folded;
  (void)keep;
  return seconds * 1e9 / calls;
}

/// A temporary directory removed when this goes out of scope.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/lwsim-bench-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error(fmt::format("lwsim bench: cannot create a temporary directory {}", pattern));
    }
    path_ = pattern;
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  ~TemporaryDirectory() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct WriteShare {
  std::string sweep;
  std::size_t points = 0;
  std::uint64_t replicates = 0;
  double total_seconds = 0.0;
  double create_seconds = 0.0;
  double writer_seconds = 0.0;  // inside HDF5 writes and flushes on the writer thread
  std::uint64_t writer_calls = 0;
  double compress_seconds = 0.0;  // the final compressed copy
  [[nodiscard]] double hdf5_seconds() const { return create_seconds + writer_seconds + compress_seconds; }
  [[nodiscard]] double share() const { return hdf5_seconds() / std::max(total_seconds, 1e-9); }
};

/// Runs a sweep as `lwsim sweep` does (a streaming file, one writer thread, checkpoints, then a
/// compressed copy), timing the HDF5 work.
WriteShare measure_write_share(const std::string& sweep_file, const ModelRegistry& registry, unsigned threads,
                               const TemporaryDirectory& tmp) {
  const Sweep sweep = load_sweep(sweep_file, registry);
  const Job job = job_for(sweep);
  const Observation* observed = sweep.scenario.observation ? &*sweep.scenario.observation : nullptr;
  const output::DesignInfo design = design_of(sweep);
  const output::FileLayout layout = output::make_layout(job.schema, design, job.replicates, observed);
  output::Attributes attributes = output::provenance_attributes(
      sweep.scenario, {"sweep", "lwsim bench", threads, 1, sweep.resolved_text()});
  attributes.emplace_back("storage", std::string("streaming"));

  WriteShare share;
  share.sweep = sweep_file;
  share.points = sweep.points.size();
  share.replicates = job.replicates;
  std::vector<std::uint32_t> points(sweep.points.size());
  for (std::size_t p = 0; p < points.size(); ++p) points[p] = static_cast<std::uint32_t>(p);

  const auto start = Clock::now();
  output::ResultFile file =
      output::ResultFile::create(tmp.file("sweep.h5.part"), layout, attributes, output::Storage::streaming);
  file.flush_to_disk();
  share.create_seconds = seconds_since(start);

  output::WriteClock clock;
  file.time_writes(&clock);
  const std::uint32_t block = choose_block_size(job.schema, job.replicates, points.size(), threads);
  const BlockLayout blocks(job.schema, block);
  output::ResultWriter writer(&file, layout, job.schema, blocks, job.replicates, observed, {});
  RunOptions options;
  options.threads = threads;
  options.block = block;
  const RunStats stats = run_job(job, points, writer, options);
  file.time_writes(nullptr);
  if (stats.interrupted) throw std::runtime_error("lwsim bench: the sweep was interrupted");
  share.writer_seconds = std::chrono::duration<double>(clock.spent).count();
  share.writer_calls = clock.calls;

  const auto copy_start = Clock::now();
  for (auto& [key, value] : attributes) {
    if (key == "storage") value = std::string("compressed");
  }
  output::write_copy(file, layout, attributes, tmp.file("sweep.h5"), output::Storage::compressed);
  file.close();
  share.compress_seconds = seconds_since(copy_start);
  share.total_seconds = seconds_since(start);
  return share;
}

/// The path of this executable, to run children.
std::string own_executable() {
  std::error_code ec;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("lwsim bench: cannot find its own executable (/proc/self/exe)");
  return path.string();
}

/// Runs lwsim as a child with `args` and returns its peak resident set size in MiB.
double child_peak_rss_mib(const std::string& executable, const std::vector<std::string>& args,
                          const std::string& log) {
  std::vector<std::string> words{executable};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, executable.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    throw std::runtime_error(
        fmt::format("lwsim bench: cannot start {}: {}", executable, std::strerror(spawned)));
  }
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) throw std::runtime_error("lwsim bench: waiting for a child failed");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::ifstream in(log);
    std::string line;
    std::string last;
    while (std::getline(in, line)) {
      if (!line.empty()) last = line;
    }
    std::string command;
    for (const std::string& a : args) command += " " + a;
    throw std::runtime_error(fmt::format("lwsim bench: the child `lwsim{}` failed ({}){}", command,
                                         WIFEXITED(status) ? fmt::format("exit code {}", WEXITSTATUS(status))
                                                           : fmt::format("signal {}", WTERMSIG(status)),
                                         last.empty() ? "" : ": " + last));
  }
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

/// A finite double in JSON (shortest round-trip form), null otherwise.
std::string json_number(double value) {
  return std::isfinite(value) ? fmt::format("{}", value) : std::string("null");
}

std::string json_numbers(const std::vector<double>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i > 0 ? ", " : "") + json_number(values[i]);
  return out + "]";
}

std::string yes_no(bool met) {
  return met ? "yes" : "no";
}

}  // namespace

int bench_command(const BenchArgs& args, const ModelRegistry& registry, std::ostream& out) {
  const unsigned threads = resolve_threads(args.threads);
  const Narrator narrator;
  const TemporaryDirectory tmp;
  const std::string executable = own_executable();

  // The default scenario, as `lwsim run` runs it.
  const Scenario scenario = load_scenario(registry.default_scenario(), registry);
  const Job job = job_for(scenario);
  const Observation* observed = scenario.observation ? &*scenario.observation : nullptr;
  const StepCount steps = step_count(job.schema);
  const auto per_replicate = static_cast<double>(steps.per_replicate());

  // 1. Throughput, 1 thread and `threads` threads. A warm-up pass sizes the runs so that each
  // lasts about `target` seconds on 1 thread; the all-thread run does `threads` times as many.
  const double target = args.quick ? 0.25 : 2.0;
  const int repetitions = args.quick ? 1 : 3;
  narrator.say("warming up");
  const Pass warm = run_pass(job, observed, args.quick ? 100 : 400, 1);
  const double warm_rate = static_cast<double>(warm.replicates) / std::max(warm.seconds, 1e-9);
  const std::uint64_t replicates_1t =
      std::max<std::uint64_t>(100, static_cast<std::uint64_t>(std::ceil(warm_rate * target / 100.0)) * 100);
  narrator.say(fmt::format("{} replicates on 1 thread, {} times", replicates_1t, repetitions));
  const Throughput one = measure_throughput(job, observed, steps, replicates_1t, 1, repetitions);
  narrator.say(
      fmt::format("{} replicates on {} threads, {} times", replicates_1t * threads, threads, repetitions));
  const Throughput all =
      measure_throughput(job, observed, steps, replicates_1t * threads, threads, repetitions);
  const double speedup = all.rate / one.rate;

  // 2. Philox calls per entity-week: a fixed number of replicates, so the figure is exact and
  // the same for any number of threads.
  constexpr std::uint64_t kCountedReplicates = 1000;
  narrator.say("counting Philox calls");
  const Pass counted = run_pass(job, observed, kCountedReplicates, threads);
  const double draws_per_step =
      static_cast<double>(counted.philox_calls) / (static_cast<double>(kCountedReplicates) * per_replicate);

  // 3. The cost of one Philox call, in this process (median of repetitions).
  narrator.say("timing Philox4x32-10");
  const std::uint32_t philox_calls = args.quick ? (1U << 22) : (1U << 25);
  std::vector<double> philox_samples;
  for (int r = 0; r < (args.quick ? 3 : 5); ++r) {
    philox_samples.push_back(philox_ns_per_call(philox_calls, job.seed + static_cast<std::uint32_t>(r)));
  }
  const double ns_per_draw = median(philox_samples);
  const double ns_per_step_1t = 1e9 / one.rate;
  const double floor_ratio = ns_per_step_1t / (draws_per_step * ns_per_draw);

  // 4. The share of a standard sweep spent writing HDF5.
  const std::string sweep_file = std::string(kBuiltinPrefix) + (args.quick ? "bench/sweep_100_points.toml"
                                                                           : "bench/sweep_1000_points.toml");
  if (!registry.builtin_file(sweep_file)) {
    throw std::runtime_error(fmt::format("lwsim bench: the benchmark sweep {} is not built in", sweep_file));
  }
  narrator.say(fmt::format("sweep {}", sweep_file));
  const WriteShare write = measure_write_share(sweep_file, registry, threads, tmp);

  // 5. Peak RSS of `lwsim run` in children, for a small and a large number of replicates.
  const std::array<std::uint64_t, 2> rss_replicates{1000, args.quick ? 10'000U : 100'000U};
  std::vector<double> rss;
  for (const std::uint64_t n : rss_replicates) {
    narrator.say(fmt::format("peak memory of lwsim run --replicates {}", n));
    rss.push_back(child_peak_rss_mib(executable,
                                     {"run", "--replicates", std::to_string(n), "-o", tmp.file("rss.h5"),
                                      "--overwrite", "--quiet", "--threads", std::to_string(threads)},
                                     tmp.file("rss.log")));
  }

  // The targets of the performance issue.
  constexpr double kTargetRate = 10e6;
  constexpr double kTargetFloor = 3.0;
  constexpr double kTargetSpeedup = 1.85;
  constexpr double kTargetShare = 0.10;
  constexpr double kRssGrowth = 1.10;  // "independent of replicates": at most 10% growth
  const bool rate_met = all.rate >= kTargetRate;
  const bool floor_met = floor_ratio <= kTargetFloor;
  const bool speedup_met = speedup >= kTargetSpeedup;
  const bool share_met = write.share() <= kTargetShare;
  const bool rss_met = rss[1] <= kRssGrowth * rss[0];
  const unsigned hardware = std::max(1U, std::thread::hardware_concurrency());

  if (args.json) {
    std::string rss_json = "{";
    for (std::size_t i = 0; i < rss.size(); ++i) {
      rss_json += fmt::format("{}\"{}\": {}", i > 0 ? ", " : "", rss_replicates[i], json_number(rss[i]));
    }
    rss_json += "}";
    const auto target_json = [](const char* comparison, const std::string& value, bool met) {
      return fmt::format("{{\"comparison\": \"{}\", \"value\": {}, \"met\": {}}}", comparison, value,
                         met ? "true" : "false");
    };
    fmt::print(out, "{{\n");
    fmt::print(out, "  \"lwsim_version\": {},\n", json_string(lwsim_version()));
    fmt::print(out, "  \"git_commit\": {},\n", json_string(git_commit()));
    fmt::print(out, "  \"quick\": {},\n", args.quick ? "true" : "false");
    fmt::print(out, "  \"threads\": {},\n", threads);
    fmt::print(out, "  \"hardware_threads\": {},\n", hardware);
    fmt::print(out, "  \"model\": {},\n", json_string(scenario.model->name()));
    fmt::print(out, "  \"scenario\": {},\n", json_string(scenario.file));
    fmt::print(out, "  \"entity\": {},\n", json_string(steps.entity));
    fmt::print(out, "  \"entities\": {},\n", steps.entities);
    fmt::print(out, "  \"weeks\": {},\n", steps.weeks);
    fmt::print(out, "  \"practice_weeks_per_replicate\": {},\n", steps.per_replicate());
    fmt::print(out, "  \"replicates_1t\": {},\n", one.replicates);
    fmt::print(out, "  \"replicates_all\": {},\n", all.replicates);
    fmt::print(out, "  \"samples_1t\": {},\n", json_numbers(one.rates));
    fmt::print(out, "  \"samples_all\": {},\n", json_numbers(all.rates));
    fmt::print(out, "  \"practice_weeks_per_s_1t\": {},\n", json_number(one.rate));
    fmt::print(out, "  \"practice_weeks_per_s_all\": {},\n", json_number(all.rate));
    fmt::print(out, "  \"speedup\": {},\n", json_number(speedup));
    fmt::print(out, "  \"counted_replicates\": {},\n", kCountedReplicates);
    fmt::print(out, "  \"philox_calls_counted\": {},\n", counted.philox_calls);
    fmt::print(out, "  \"draws_per_practice_week\": {},\n", json_number(draws_per_step));
    fmt::print(out, "  \"philox_ns_samples\": {},\n", json_numbers(philox_samples));
    fmt::print(out, "  \"philox_ns_per_draw\": {},\n", json_number(ns_per_draw));
    fmt::print(out, "  \"ns_per_practice_week_1t\": {},\n", json_number(ns_per_step_1t));
    fmt::print(out, "  \"floor_ratio\": {},\n", json_number(floor_ratio));
    fmt::print(
        out,
        "  \"hdf5\": {{\"sweep\": {}, \"points\": {}, \"replicates\": {}, \"total_seconds\": {}, "
        "\"create_seconds\": {}, \"writer_seconds\": {}, \"writer_calls\": {}, \"compress_seconds\": {}}},\n",
        json_string(write.sweep), write.points, write.replicates, json_number(write.total_seconds),
        json_number(write.create_seconds), json_number(write.writer_seconds), write.writer_calls,
        json_number(write.compress_seconds));
    fmt::print(out, "  \"hdf5_write_share\": {},\n", json_number(write.share()));
    fmt::print(out, "  \"peak_rss_mib\": {},\n", rss_json);
    fmt::print(out, "  \"targets\": {{\n");
    fmt::print(out, "    \"practice_weeks_per_s_all\": {},\n",
               target_json(">=", json_number(kTargetRate), rate_met));
    fmt::print(out, "    \"floor_ratio\": {},\n", target_json("<=", json_number(kTargetFloor), floor_met));
    fmt::print(out, "    \"speedup\": {},\n", target_json(">=", json_number(kTargetSpeedup), speedup_met));
    fmt::print(out, "    \"hdf5_write_share\": {},\n",
               target_json("<=", json_number(kTargetShare), share_met));
    fmt::print(out, "    \"peak_rss_growth\": {}\n", target_json("<=", json_number(kRssGrowth), rss_met));
    fmt::print(out, "  }}\n");
    fmt::print(out, "}}\n");
    return kExitSuccess;
  }

  const std::string pw = steps.entity + "-weeks";
  fmt::print(out, "lwsim {} ({}) bench{} | model {} | {}\n", lwsim_version(), git_commit(),
             args.quick ? " --quick (short runs: indicative only)" : "", scenario.model->name(),
             scenario.title.empty() ? scenario.file : scenario.title);
  fmt::print(out, "{} {}s x {} weeks = {} {} per replicate; {} threads ({} hardware threads)\n\n",
             steps.entities, steps.entity, steps.weeks, steps.per_replicate(), pw, threads, hardware);
  fmt::print(out, "{:<44} {:>14}   {:<14} {}\n", "measure", "value", "target", "met");
  const auto row = [&](const std::string& name, const std::string& value, const std::string& goal,
                       const std::string& met) {
    fmt::print(out, "{:<44} {:>14}   {:<14} {}\n", name, value, goal, met);
  };
  row(fmt::format("million {}/s, 1 thread", pw), fmt::format("{:.3f}", one.rate / 1e6), "", "");
  row(fmt::format("million {}/s, {} thread{}", pw, threads, threads == 1 ? "" : "s"),
      fmt::format("{:.3f}", all.rate / 1e6), ">= 10", yes_no(rate_met));
  row(fmt::format("speed-up, 1 -> {} threads", threads), fmt::format("{:.3f}", speedup), ">= 1.85",
      yes_no(speedup_met));
  row(fmt::format("Philox4x32-10 calls per {}", steps.entity + "-week"),
      fmt::format("{:.2f}", draws_per_step), "", "");
  row("ns per Philox call (this process)", fmt::format("{:.2f}", ns_per_draw), "", "");
  row(fmt::format("ns per {}, 1 thread", steps.entity + "-week"), fmt::format("{:.1f}", ns_per_step_1t), "",
      "");
  row("floor ratio", fmt::format("{:.2f}", floor_ratio), "<= 3", yes_no(floor_met));
  row(fmt::format("HDF5 write share, {} points x {}", write.points, write.replicates),
      fmt::format("{:.1f} %", 100.0 * write.share()), "<= 10 %", yes_no(share_met));
  for (std::size_t i = 0; i < rss.size(); ++i) {
    const bool last = i + 1 == rss.size();
    row(fmt::format("peak RSS MiB, lwsim run --replicates {}", rss_replicates[i]),
        fmt::format("{:.1f}", rss[i]), last ? "<= 1.1 x first" : "", last ? yes_no(rss_met) : "");
  }
  fmt::print(out,
             "\nthroughput: median of {} run{} of {} replicates (1 thread: {}) and {} (all threads: {});\n",
             repetitions, repetitions == 1 ? "" : "s", one.replicates, json_numbers(one.rates),
             all.replicates, json_numbers(all.rates));
  fmt::print(out, "draws: {} Philox calls counted over {} replicates;\n", counted.philox_calls,
             kCountedReplicates);
  fmt::print(
      out,
      "HDF5: {:.2f} s of {:.2f} s: create {:.2f} s, writer thread {:.2f} s ({} writes and flushes), final "
      "compressed copy {:.2f} s ({});\n",
      write.hdf5_seconds(), write.total_seconds, write.create_seconds, write.writer_seconds,
      write.writer_calls, write.compress_seconds, write.sweep);
  fmt::print(out, "peak RSS: `lwsim run --replicates N -o FILE --quiet --threads {}` as a child process.\n",
             threads);
  return kExitSuccess;
}

}  // namespace sim::cli
