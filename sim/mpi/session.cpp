#include "sim/mpi/session.hpp"

#include <cstdlib>
#include <stdexcept>

#if LWSIM_HAVE_MPI
#include <mpi.h>
#endif

namespace sim::mpi {

bool available() noexcept {
  return LWSIM_HAVE_MPI != 0;
}

bool launched_by_mpi() noexcept {
  // Open MPI's mpirun sets OMPI_COMM_WORLD_SIZE; srun --mpi=pmix sets PMIX_RANK; PMI-2 launchers
  // set PMI_RANK.
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

#if LWSIM_HAVE_MPI

Session::Session(int& argc, char**& argv) {
  if (!launched_by_mpi()) return;
  int provided = 0;
  if (MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided) != MPI_SUCCESS) {
    throw std::runtime_error("MPI_Init_thread failed");
  }
  active_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  if (provided < MPI_THREAD_MULTIPLE && size_ > 1) {
    if (rank_ == 0) {
      std::fputs("lwsim: error: the MPI library does not support MPI_THREAD_MULTIPLE, which lwsim needs\n",
                 stderr);
    }
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
}

Session::~Session() {
  if (active_) MPI_Finalize();
}

std::int64_t Session::broadcast(std::int64_t value) const {
  if (size_ > 1) MPI_Bcast(&value, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);
  return value;
}

std::vector<std::uint32_t> Session::broadcast(std::vector<std::uint32_t> values) const {
  if (size_ <= 1) return values;
  auto n = static_cast<std::int64_t>(values.size());
  MPI_Bcast(&n, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);
  values.resize(static_cast<std::size_t>(n));
  if (n > 0) MPI_Bcast(values.data(), static_cast<int>(n), MPI_UINT32_T, 0, MPI_COMM_WORLD);
  return values;
}

std::string Session::broadcast(std::string text) const {
  if (size_ <= 1) return text;
  auto n = static_cast<std::int64_t>(text.size());
  MPI_Bcast(&n, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);
  text.resize(static_cast<std::size_t>(n));
  if (n > 0) MPI_Bcast(text.data(), static_cast<int>(n), MPI_CHAR, 0, MPI_COMM_WORLD);
  return text;
}

void Session::abort(int code) const {
  if (active_) MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);
}

#else

Session::Session(int& /*argc*/, char**& /*argv*/) {}
Session::~Session() = default;
std::int64_t Session::broadcast(std::int64_t value) const {
  return value;
}
std::vector<std::uint32_t> Session::broadcast(std::vector<std::uint32_t> values) const {
  return values;
}
std::string Session::broadcast(std::string text) const {
  return text;
}
void Session::abort(int code) const {
  std::exit(code);
}

#endif

}  // namespace sim::mpi
