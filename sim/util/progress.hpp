#pragma once
// Progress on stderr for long runs: on a terminal a bar with work done, rate and ETA, redrawn at
// most a few times a second; otherwise a plain line at a sensible interval; nothing when quiet.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace sim {

class Progress {
 public:
  enum class Mode { automatic, quiet, terminal, lines };

  /// `unit` names what is counted ("replicates", "points"); total is the amount of work.
  Progress(std::uint64_t total, std::string unit, Mode mode = Mode::automatic, std::FILE* stream = stderr);

  /// Reports that `done` units are finished (thread-compatible: call from one thread).
  void update(std::uint64_t done);
  /// Ends the display (clears the bar line on a terminal).
  void finish();

  /// The text of one report, e.g. "[#####-----] 512/1024 points  87.3/s  ETA 6s".
  static std::string format(std::uint64_t done, std::uint64_t total, const std::string& unit, double seconds,
                            int width);

 private:
  std::uint64_t total_;
  std::string unit_;
  Mode mode_;
  std::FILE* stream_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
  bool drawn_ = false;
};

}  // namespace sim
