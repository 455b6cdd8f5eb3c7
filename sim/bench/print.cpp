// `lwsim bench`'s figures on stdout: a table with the targets, or one JSON object (--json).

#include <ostream>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "sim/bench/figures.hpp"
#include "sim/version.hpp"

namespace sim::bench {

namespace {

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

std::string json_target(const char* comparison, double value, bool met) {
  return fmt::format("{{\"comparison\": \"{}\", \"value\": {}, \"met\": {}}}", comparison, json_number(value),
                     met ? "true" : "false");
}

std::string yes_no(bool met) {
  return met ? "yes" : "no";
}

}  // namespace

void print_json(const BenchFigures& f, std::ostream& out) {
  const Targets met = targets_met(f);
  const WriteShare& write = f.write;
  std::string rss_json = "{";
  for (std::size_t i = 0; i < f.peak_rss_mib.size(); ++i) {
    rss_json +=
        fmt::format("{}\"{}\": {}", i > 0 ? ", " : "", f.rss_replicates[i], json_number(f.peak_rss_mib[i]));
  }
  rss_json += "}";
  fmt::print(out, "{{\n");
  fmt::print(out, "  \"lwsim_version\": {},\n", json_string(lwsim_version()));
  fmt::print(out, "  \"git_commit\": {},\n", json_string(git_commit()));
  fmt::print(out, "  \"quick\": {},\n", f.options.quick ? "true" : "false");
  fmt::print(out, "  \"threads\": {},\n", f.options.threads);
  fmt::print(out, "  \"hardware_threads\": {},\n", f.hardware_threads);
  fmt::print(out, "  \"model\": {},\n", json_string(f.model));
  fmt::print(out, "  \"scenario\": {},\n", json_string(f.scenario_file));
  fmt::print(out, "  \"entity\": {},\n", json_string(f.steps.entity));
  fmt::print(out, "  \"entities\": {},\n", f.steps.entities);
  fmt::print(out, "  \"weeks\": {},\n", f.steps.weeks);
  fmt::print(out, "  \"practice_weeks_per_replicate\": {},\n", f.steps.per_replicate());
  fmt::print(out, "  \"replicates_1t\": {},\n", f.one.replicates);
  fmt::print(out, "  \"replicates_all\": {},\n", f.all.replicates);
  fmt::print(out, "  \"samples_1t\": {},\n", json_numbers(f.one.rates));
  fmt::print(out, "  \"samples_all\": {},\n", json_numbers(f.all.rates));
  fmt::print(out, "  \"practice_weeks_per_s_1t\": {},\n", json_number(f.one.rate));
  fmt::print(out, "  \"practice_weeks_per_s_all\": {},\n", json_number(f.all.rate));
  fmt::print(out, "  \"speedup\": {},\n", json_number(f.speedup()));
  fmt::print(out, "  \"counted_replicates\": {},\n", f.counted_replicates);
  fmt::print(out, "  \"philox_calls_counted\": {},\n", f.philox_calls);
  fmt::print(out, "  \"draws_per_practice_week\": {},\n", json_number(f.draws_per_step()));
  fmt::print(out, "  \"philox_ns_samples\": {},\n", json_numbers(f.philox_ns_samples));
  fmt::print(out, "  \"philox_ns_per_draw\": {},\n", json_number(f.philox_ns_per_draw));
  fmt::print(out, "  \"ns_per_practice_week_1t\": {},\n", json_number(f.ns_per_step_1t()));
  fmt::print(out, "  \"floor_ratio\": {},\n", json_number(f.floor_ratio()));
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
  fmt::print(out, "    \"practice_weeks_per_s_all\": {},\n", json_target(">=", Targets::kRate, met.rate));
  fmt::print(out, "    \"floor_ratio\": {},\n", json_target("<=", Targets::kFloor, met.floor));
  fmt::print(out, "    \"speedup\": {},\n", json_target(">=", Targets::kSpeedup, met.speedup));
  fmt::print(out, "    \"hdf5_write_share\": {},\n", json_target("<=", Targets::kShare, met.share));
  fmt::print(out, "    \"peak_rss_growth\": {}\n", json_target("<=", Targets::kRssGrowth, met.rss));
  fmt::print(out, "  }}\n");
  fmt::print(out, "}}\n");
}

void print_table(const BenchFigures& f, std::ostream& out) {
  const Targets met = targets_met(f);
  const WriteShare& write = f.write;
  const unsigned threads = f.options.threads;
  const std::string pw = f.steps.entity + "-weeks";
  fmt::print(out, "lwsim {} ({}) bench{} | model {} | {}\n", lwsim_version(), git_commit(),
             f.options.quick ? " --quick (short runs: indicative only)" : "", f.model,
             f.scenario_title.empty() ? f.scenario_file : f.scenario_title);
  fmt::print(out, "{} {}s x {} weeks = {} {} per replicate; {} threads ({} hardware threads)\n\n",
             f.steps.entities, f.steps.entity, f.steps.weeks, f.steps.per_replicate(), pw, threads,
             f.hardware_threads);
  fmt::print(out, "{:<44} {:>14}   {:<14} {}\n", "measure", "value", "target", "met");
  const auto row = [&](const std::string& name, const std::string& value, const std::string& goal,
                       const std::string& is_met) {
    fmt::print(out, "{:<44} {:>14}   {:<14} {}\n", name, value, goal, is_met);
  };
  row(fmt::format("million {}/s, 1 thread", pw), fmt::format("{:.3f}", f.one.rate / 1e6), "", "");
  row(fmt::format("million {}/s, {} thread{}", pw, threads, threads == 1 ? "" : "s"),
      fmt::format("{:.3f}", f.all.rate / 1e6), ">= 10", yes_no(met.rate));
  row(fmt::format("speed-up, 1 -> {} threads", threads), fmt::format("{:.3f}", f.speedup()), ">= 1.85",
      yes_no(met.speedup));
  row(fmt::format("Philox4x32-10 calls per {}", f.steps.entity + "-week"),
      fmt::format("{:.2f}", f.draws_per_step()), "", "");
  row("ns per Philox call (this process)", fmt::format("{:.2f}", f.philox_ns_per_draw), "", "");
  row(fmt::format("ns per {}, 1 thread", f.steps.entity + "-week"), fmt::format("{:.1f}", f.ns_per_step_1t()),
      "", "");
  row("floor ratio", fmt::format("{:.2f}", f.floor_ratio()), "<= 3", yes_no(met.floor));
  row(fmt::format("HDF5 write share, {} points x {}", write.points, write.replicates),
      fmt::format("{:.1f} %", 100.0 * write.share()), "<= 10 %", yes_no(met.share));
  for (std::size_t i = 0; i < f.peak_rss_mib.size(); ++i) {
    const bool last = i + 1 == f.peak_rss_mib.size();
    row(fmt::format("peak RSS MiB, lwsim run --replicates {}", f.rss_replicates[i]),
        fmt::format("{:.1f}", f.peak_rss_mib[i]), last ? "<= 1.1 x first" : "", last ? yes_no(met.rss) : "");
  }
  fmt::print(out,
             "\nthroughput: median of {} run{} of {} replicates (1 thread: {}) and {} (all threads: {});\n",
             f.repetitions, f.repetitions == 1 ? "" : "s", f.one.replicates, json_numbers(f.one.rates),
             f.all.replicates, json_numbers(f.all.rates));
  fmt::print(out, "draws: {} Philox calls counted over {} replicates;\n", f.philox_calls,
             f.counted_replicates);
  fmt::print(
      out,
      "HDF5: {:.2f} s of {:.2f} s: create {:.2f} s, writer thread {:.2f} s ({} writes and flushes), final "
      "compressed copy {:.2f} s ({});\n",
      write.hdf5_seconds(), write.total_seconds, write.create_seconds, write.writer_seconds,
      write.writer_calls, write.compress_seconds, write.sweep);
  fmt::print(out, "peak RSS: `lwsim run --replicates N -o FILE --quiet --threads {}` as a child process.\n",
             threads);
}

}  // namespace sim::bench
