#include "sim/bench/peak_memory.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

namespace sim::bench {

std::string own_executable() {
  std::error_code ec;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("lwsim bench: cannot find its own executable (/proc/self/exe)");
  return path.string();
}

namespace {

/// The last non-empty line of a file (a failed child's last word).
std::string last_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::string last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

}  // namespace

double child_peak_rss_mib(const std::string& executable, const std::vector<std::string>& args,
                          const std::string& log) {
  std::vector<std::string> words{executable};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(words.size() + 1);
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, executable.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    throw std::runtime_error(
        fmt::format("lwsim bench: cannot start {}: {}", executable, std::strerror(spawned)));
  }
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) throw std::runtime_error("lwsim bench: waiting for a child failed");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    const std::string last = last_line(log);
    std::string command;
    for (const std::string& a : args) command += " " + a;
    throw std::runtime_error(fmt::format("lwsim bench: the child `lwsim{}` failed ({}){}", command,
                                         WIFEXITED(status) ? fmt::format("exit code {}", WEXITSTATUS(status))
                                                           : fmt::format("signal {}", WTERMSIG(status)),
                                         last.empty() ? "" : ": " + last));
  }
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

}  // namespace sim::bench
