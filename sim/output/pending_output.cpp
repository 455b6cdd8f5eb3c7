#include "sim/output/pending_output.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <stdexcept>
#include <sys/file.h>
#include <sys/stat.h>
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
std::string backup_name(const std::string& target) {
  return target + ".old";
}
std::string lock_name(const std::string& target) {
  return target + ".lock";
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

namespace {

// What the lock file holds: the process id of the lwsim that holds the lock.
std::string holder_of(int fd) {
  char buffer[32] = {};
  const ssize_t n = pread(fd, buffer, sizeof buffer - 1, 0);
  std::string pid(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos ? "unknown" : pid;
}

InputError being_written(const OutputTarget& target, int lock_fd) {
  return InputError(
      target.path, 0, target.option,
      fmt::format("{} is being written by another lwsim (pid {}); wait for it to end, or choose "
                  "another name",
                  target.path, holder_of(lock_fd)));
}

// Whether another lwsim holds the output's lock, said before the checks of the path (whose "the
// file exists" would hide the reason).
void refuse_if_locked(const OutputTarget& target, const std::string& lock_path) {
  const int fd = ::open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  if (flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
    const InputError error = being_written(target, fd);
    ::close(fd);
    throw error;
  }
  ::close(fd);  // gives up the lock taken, if any
}

}  // namespace

// An advisory lock (flock) on OUT.lock: HDF5's own locking is often off (HDF5_USE_FILE_LOCKING=FALSE
// on Lustre and NFS) and covers only an open HDF5 file, not the temporaries, whose fixed names two
// writers would share. The lock file is removed when the lock is given up; one a killed lwsim left
// is unlocked and is simply taken over.
int PendingOutput::lock(const OutputTarget& target, const std::string& lock_path) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      throw InputError(target.path, 0, target.option,
                       fmt::format("cannot create the lock file {}: {}", lock_path, std::strerror(errno)));
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int error = errno;
      if (error == EWOULDBLOCK) {
        const InputError refusal = being_written(target, fd);
        ::close(fd);
        throw refusal;
      }
      ::close(fd);
      throw InputError(target.path, 0, target.option,
                       fmt::format("cannot lock {}: {}", lock_path, std::strerror(error)));
    }
    // The holder before us may have removed the file between our open and our lock: a lock on a
    // removed file excludes no one, so lock the file that is there now instead.
    struct stat held {};
    struct stat named {};
    if (fstat(fd, &held) == 0 && ::stat(lock_path.c_str(), &named) == 0 && held.st_dev == named.st_dev &&
        held.st_ino == named.st_ino) {
      const std::string pid = fmt::format("{}\n", getpid());
      // Should this fail, the lock still holds; another writer's message then says "pid unknown".
      const bool written =
          ftruncate(fd, 0) == 0 && pwrite(fd, pid.data(), pid.size(), 0) == static_cast<ssize_t>(pid.size());
      static_cast<void>(written);
      return fd;
    }
    ::close(fd);
  }
  throw InputError(target.path, 0, target.option,
                   fmt::format("cannot lock {}: it keeps being replaced", lock_path));
}

PendingOutput::PendingOutput(OutputTarget target)
    : target_(std::move(target)),
      temporary_(temporary_name(target_.path)),
      scratch_(scratch_name(target_.path)),
      backup_(backup_name(target_.path)),
      lock_path_(lock_name(target_.path)) {
  refuse_if_locked(target_, lock_path_);
  check_output_target(target_);
  // Before the temporaries are touched: they may be another writer's.
  lock_fd_ = lock(target_, lock_path_);
  discard();
}

PendingOutput::~PendingOutput() {
  discard();
  // Removed while still locked, so that no one locks the name in between and then loses it.
  ::unlink(lock_path_.c_str());
  ::close(lock_fd_);
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

void PendingOutput::commit_all(const std::vector<PendingOutput*>& outputs) {
  // The earlier file at each target, kept under a second name (a hard link, made only where that
  // name is free: a file of the user's is never touched) until every rename has succeeded.
  std::vector<bool> existed(outputs.size(), false);
  std::vector<bool> kept(outputs.size(), false);
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const PendingOutput& o = *outputs[i];
    std::error_code ec;
    existed[i] = fs::exists(o.target_.path, ec);
    kept[i] = existed[i] && ::link(o.target_.path.c_str(), o.backup_.c_str()) == 0;
  }
  const auto forget_backups = [&]() noexcept {
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      if (kept[i]) remove_quietly(outputs[i]->backup_);
    }
  };
  std::size_t done = 0;
  try {
    for (; done < outputs.size(); ++done) outputs[done]->commit();
  } catch (...) {
    for (std::size_t i = 0; i < done; ++i) {
      const PendingOutput& o = *outputs[i];
      if (kept[i]) {
        if (std::rename(o.backup_.c_str(), o.target_.path.c_str()) == 0) kept[i] = false;
      } else if (!existed[i]) {
        remove_quietly(o.target_.path);
      }
    }
    forget_backups();
    for (PendingOutput* o : outputs) o->discard();
    throw;
  }
  forget_backups();
}

}  // namespace sim::output
