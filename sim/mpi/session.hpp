#pragma once
// MPI for one job across nodes (README, *Running on a cluster*). lwsim uses MPI only when built
// with it and started by an MPI launcher (mpirun, or srun --mpi=pmix under Slurm); otherwise it is
// a single process and nothing here does anything. Rank 0 reads inputs, writes the one output file
// and hands out work; every rank, rank 0 included, computes blocks with its own threads.

#include <cstdint>
#include <string>
#include <vector>

namespace sim::mpi {

/// True when lwsim was built with MPI support.
bool available() noexcept;

/// True when the process was started by an MPI launcher (its environment says so).
bool launched_by_mpi() noexcept;

/// Initialises MPI (MPI_THREAD_MULTIPLE) when launched by MPI and finalises it at the end. With one
/// rank, or without MPI, rank() is 0 and size() is 1.
class Session {
 public:
  Session(int& argc, char**& argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  [[nodiscard]] bool active() const noexcept { return active_; }
  [[nodiscard]] int rank() const noexcept { return rank_; }
  [[nodiscard]] int size() const noexcept { return size_; }
  [[nodiscard]] bool distributed() const noexcept { return size_ > 1; }

  /// Rank 0's value, on every rank.
  [[nodiscard]] std::int64_t broadcast(std::int64_t value) const;
  [[nodiscard]] std::vector<std::uint32_t> broadcast(std::vector<std::uint32_t> values) const;
  [[nodiscard]] std::string broadcast(std::string text) const;
  /// Ends every rank at once (after a fatal error on one of them).
  [[noreturn]] void abort(int code) const;

 private:
  bool active_ = false;
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace sim::mpi
