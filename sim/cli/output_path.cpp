#include "sim/cli/output_path.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <unistd.h>

#include <fmt/format.h>

#include "sim/error.hpp"

namespace sim::cli {
namespace fs = std::filesystem;

void check_output_path(const std::string& path, const std::string& option, bool must_not_exist,
                       const std::string& hint) {
  if (path.empty()) throw InputError("command line", 0, option, "the output path is empty");
  std::error_code ec;
  const fs::path p(path);
  if (fs::is_directory(p, ec))
    throw InputError(path, 0, option, "is a directory; give a file name such as out.h5");
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
  if (must_not_exist && fs::exists(p, ec)) throw InputError(path, 0, option, "the file exists; " + hint);
  if (fs::exists(p, ec) && access(path.c_str(), W_OK) != 0) {
    throw InputError(path, 0, option, fmt::format("cannot write: {}", std::strerror(errno)));
  }
}

void remove_quietly(const std::string& path) {
  std::error_code ec;
  fs::remove(path, ec);
}

void replace_file(const std::string& from, const std::string& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0) {
    throw std::runtime_error(fmt::format("cannot rename {} to {}: {}", from, to, std::strerror(errno)));
  }
}

}  // namespace sim::cli
