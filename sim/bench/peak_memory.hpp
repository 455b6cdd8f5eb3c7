#pragma once
// Peak memory for `lwsim bench` (docs/performance.md): lwsim run as a child process, so that each
// figure is the child's alone, read from the kernel's accounting when it exits.

#include <string>
#include <vector>

namespace sim::bench {

/// The path of this executable, to run it as a child.
std::string own_executable();

/// Runs `executable` with `args` (stdout to /dev/null, stderr to `log`) and returns its peak
/// resident set size in MiB; a runtime error naming the command and its last line of stderr when
/// it fails.
double child_peak_rss_mib(const std::string& executable, const std::vector<std::string>& args,
                          const std::string& log);

}  // namespace sim::bench
