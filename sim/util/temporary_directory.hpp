#pragma once
// A private temporary directory (under $TMPDIR, else /tmp), removed with everything in it when
// the object goes.

#include <string>

namespace sim {

class TemporaryDirectory {
 public:
  /// Creates the directory lwsim-<prefix>-XXXXXX (a runtime error when it cannot).
  explicit TemporaryDirectory(const std::string& prefix);
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  ~TemporaryDirectory();

  /// The path of `name` in the directory.
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace sim
