#include "sim/error.hpp"

#include <utility>

#include <fmt/format.h>

#include "sim/util/text.hpp"

namespace sim {
namespace {

// One line a terminal shows as it is: file names and values from the input may hold control
// characters, invalid UTF-8 or megabytes of text.
std::string one_line(const std::string& text) {
  return text::printable(text);
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
