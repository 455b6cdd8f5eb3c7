#include "sim/output/pending_output.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <unistd.h>

#include <fmt/format.h>

#include "sim/error.hpp"

namespace sim::output {
namespace fs = std::filesystem;

namespace {

void remove_quietly(const std::string& path) noexcept {
  std::error_code ec;
  fs::remove(path, ec);
}

// The names of the files beside the target: fixed suffixes, so that what a stopped command left
// is found and removed by the next one.
std::string temporary_name(const std::string& target) {
  return target + ".tmp";
}
std::string scratch_name(const std::string& target) {
  return target + ".part";
}
// The longest suffix above: a file name must leave room for it.
constexpr std::size_t kLongestSuffix = 5;

}  // namespace

void check_output_target(const OutputTarget& target) {
  const std::string& path = target.path;
  const std::string& option = target.option;
  if (path.empty()) throw InputError("command line", 0, option, "the output path is empty");
  std::error_code ec;
  const fs::path p(path);
  const fs::file_status status = fs::status(p, ec);
  if (fs::is_directory(status))
    throw InputError(path, 0, option, "is a directory; give a file name such as out.h5");
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    throw InputError(path, 0, option,
                     "is not a regular file (a device, a pipe or a socket); give a file name such as out.h5");
  }
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  if (!fs::exists(dir, ec)) {
    throw InputError(path, 0, option, fmt::format("the directory {} does not exist", dir.string()));
  }
  if (!fs::is_directory(dir, ec))
    throw InputError(path, 0, option, fmt::format("{} is not a directory", dir.string()));
  if (access(dir.c_str(), W_OK | X_OK) != 0) {
    throw InputError(path, 0, option,
                     fmt::format("cannot write in {}: {}", dir.string(), std::strerror(errno)));
  }
  // The temporaries beside the file add a suffix to its name, which the file system must take.
  const long name_max = pathconf(dir.c_str(), _PC_NAME_MAX);
  const std::size_t limit = name_max > 0 ? static_cast<std::size_t>(name_max) : std::size_t{255};
  const std::size_t name_bytes = p.filename().string().size();
  if (name_bytes + kLongestSuffix > limit) {
    throw InputError(path, 0, option,
                     fmt::format("the file name is {} bytes long; at most {} are possible here (lwsim writes "
                                 "beside it under the name plus a suffix such as .part)",
                                 name_bytes, limit - kLongestSuffix));
  }
  if (access(dir.c_str(), W_OK | X_OK) != 0) {
    throw InputError(path, 0, option,
                     fmt::format("cannot write in {}: {}", dir.string(), std::strerror(errno)));
  }
  const bool exists = fs::exists(status);
  if (exists && !target.may_exist) throw InputError(path, 0, option, "the file exists; " + target.hint);
  if (exists && access(path.c_str(), W_OK) != 0) {
    throw InputError(path, 0, option, fmt::format("cannot write: {}", std::strerror(errno)));
  }
  if (!exists) return;
  for (const std::string& input : target.inputs) {
    if (fs::equivalent(p, fs::path(input), ec)) {
      throw InputError(
          path, 0, option,
          fmt::format("is the input {}: writing it would destroy it; choose another name", input));
    }
  }
}

PendingOutput::PendingOutput(OutputTarget target)
    : target_(std::move(target)),
      temporary_(temporary_name(target_.path)),
      scratch_(scratch_name(target_.path)) {
  check_output_target(target_);
  discard();
}

PendingOutput::~PendingOutput() {
  discard();
}

void PendingOutput::commit() {
  if (std::rename(temporary_.c_str(), target_.path.c_str()) != 0) {
    const int error = errno;
    remove_quietly(temporary_);
    throw std::runtime_error(
        fmt::format("cannot rename {} to {}: {}", temporary_, target_.path, std::strerror(error)));
  }
}

void PendingOutput::discard() noexcept {
  remove_quietly(temporary_);
  remove_quietly(scratch_);
}

}  // namespace sim::output
