#include "sim/error.hpp"

#include <utility>

#include <fmt/format.h>

namespace sim {
namespace {

std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return text;
}

std::string format_input_error(const std::string& file, int line, const std::string& key,
                               const std::string& detail) {
  return one_line(fmt::format("{}{}: {}{}", file.empty() ? std::string("<input>") : file,
                              line > 0 ? fmt::format(":{}", line) : std::string(),
                              key.empty() ? std::string() : key + ": ", detail));
}

}  // namespace

InputError::InputError(std::string file, int line, std::string key, std::string detail)
    : std::runtime_error(format_input_error(file, line, key, detail)),
      file_(std::move(file)),
      line_(line),
      key_(std::move(key)),
      detail_(std::move(detail)) {}

}  // namespace sim
