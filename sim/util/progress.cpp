#include "sim/util/progress.hpp"

#include <algorithm>
#include <cmath>
#include <unistd.h>

#include <fmt/format.h>

namespace sim {

Progress::Progress(std::uint64_t total, std::string unit, Mode mode, std::FILE* stream)
    : total_(total), unit_(std::move(unit)), mode_(mode), stream_(stream) {
  if (mode_ == Mode::automatic) mode_ = isatty(fileno(stream_)) != 0 ? Mode::terminal : Mode::lines;
  start_ = last_ = std::chrono::steady_clock::now();
}

namespace {
std::string duration_text(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto s = static_cast<long long>(std::lround(seconds));
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
}
}  // namespace

std::string Progress::format(std::uint64_t done, std::uint64_t total, const std::string& unit, double seconds,
                             int width) {
  const double fraction =
      std::clamp(total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0, 0.0, 1.0);
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total - std::min(done, total)) / rate : -1.0;
  std::string out;
  if (width > 0) {
    const int filled = static_cast<int>(std::floor(fraction * width));
    out = "[" + std::string(static_cast<std::size_t>(filled), '#') +
          std::string(static_cast<std::size_t>(width - filled), '-') + "] ";
  }
  out += fmt::format("{}/{} {} ({:.0f}%)  {:.1f}/s  ETA {}", done, total, unit, 100.0 * fraction, rate,
                     done >= total ? std::string("0s") : duration_text(eta));
  return out;
}

void Progress::update(std::uint64_t done) {
  if (mode_ == Mode::quiet) return;
  const auto now = std::chrono::steady_clock::now();
  const double since_last = std::chrono::duration<double>(now - last_).count();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (mode_ == Mode::terminal) {
    if (since_last < 0.2 && done < total_) return;
    fmt::print(stream_, "\r{}\x1b[K", format(done, total_, unit_, elapsed, 30));
    std::fflush(stream_);
    drawn_ = true;
  } else {
    // Plain lines: every 10 s at first, then every minute, and not for quick runs.
    const double interval = elapsed < 60.0 ? 10.0 : 60.0;
    if (since_last < interval) return;
    fmt::print(stream_, "lwsim: {}\n", format(done, total_, unit_, elapsed, 0));
    std::fflush(stream_);
  }
  last_ = now;
}

void Progress::finish() {
  if (mode_ == Mode::terminal && drawn_) {
    fmt::print(stream_, "\r\x1b[K");
    std::fflush(stream_);
  }
}

}  // namespace sim
