// The commands of lwsim, in the order `lwsim --help` and the messages list them. Each command's
// entry (name, help, options, run) is defined in its file, sim/cli/<name>_command.cpp; to add a
// command, write its file, declare and list its entry here, and add the file to sim/CMakeLists.txt.

#include "sim/cli/command.hpp"

namespace sim::cli {

Command run_entry();
Command sweep_entry();
Command merge_entry();
Command calibrate_entry();
Command sensitivity_entry();
Command validate_entry();
Command params_entry();
Command schema_entry();
Command report_entry();
Command export_entry();
Command bench_entry();

std::vector<Command> command_table() {
  return {run_entry(),         sweep_entry(),    merge_entry(),  calibrate_entry(),
          sensitivity_entry(), validate_entry(), params_entry(), schema_entry(),
          report_entry(),      export_entry(),   bench_entry()};
}

}  // namespace sim::cli
