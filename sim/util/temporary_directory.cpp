#include "sim/util/temporary_directory.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <unistd.h>

#include <fmt/format.h>

namespace sim {

TemporaryDirectory::TemporaryDirectory(const std::string& prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      fmt::format("{}/lwsim-{}-XXXXXX", base != nullptr && *base != '\0' ? base : "/tmp", prefix);
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error(
        fmt::format("lwsim {}: cannot create a temporary directory {}", prefix, pattern));
  }
  path_ = pattern;
}

TemporaryDirectory::~TemporaryDirectory() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace sim
