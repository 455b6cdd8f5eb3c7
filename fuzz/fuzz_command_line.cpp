// Fuzz target: the command line -> lwsim's option parser (the command table, CLI11, every option's
// type, range and finiteness checks), without running the command chosen. The input is split into
// arguments at NUL bytes and newlines. Any outcome is an exit code; an exception, a crash, a hang
// or a leak is a bug.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/cli/commands.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> words{"lwsim"};
  std::string word;
  for (std::size_t i = 0; i < size && words.size() < 64; ++i) {
    const char c = static_cast<char>(data[i]);
    if (c == '\0' || c == '\n') {
      words.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty() && words.size() < 64) words.push_back(word);
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  (void)sim::cli::parse_command_line(static_cast<int>(words.size()), argv.data());
  return 0;
}
