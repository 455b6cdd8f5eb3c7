// Fuzz target: the bytes of an HDF5 file -> the readers of `lwsim report`, `lwsim export`,
// `lwsim merge` and `lwsim sweep --resume` (resuming fuzz/resume_sweep.toml, whose outputs seed
// the corpus, so that undamaged parts get past the resume checks). A damaged file must give an
// InputError naming it (or an OutputError, a clear HDF5 failure); any other exception, a crash,
// a hang or a leak is a bug.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <sstream>

#include "fuzz/fuzz_support.hpp"
#include "sim/cli/commands.hpp"
#include "sim/error.hpp"
#include "sim/mpi/session.hpp"
#include "sim/output/hdf5.hpp"
#include "sim/util/interrupt.hpp"

namespace {

template <class Command>
void expect_clear_outcome(Command&& command) {
  try {
    (void)command();
  } catch (const sim::InputError&) {
  } catch (const sim::h5::OutputError&) {
  }
}

const sim::mpi::Session& session() {
  static int argc = 1;
  static char name[] = "fuzz_result_file";
  static char* args[] = {name, nullptr};
  static char** argv = args;
  static const sim::mpi::Session instance(argc, argv);
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string work = lwsim_fuzz::sandbox() + "/work";
  const std::string input = work + "/input.h5";
  const std::string resumed = work + "/resume.h5";
  const std::string merged = work + "/merged.h5";
  const std::string csv = work + "/csv";
  lwsim_fuzz::write_file(input, data, size);
  lwsim_fuzz::write_file(resumed, data, size);
  lwsim_fuzz::remove_all(merged);
  const sim::ModelRegistry& registry = lwsim_fuzz::registry();
  std::ostringstream out;

  expect_clear_outcome([&] { return sim::cli::report_command({input}, registry, out); });
  expect_clear_outcome([&] { return sim::cli::export_command(input, csv, true, registry, out); });
  expect_clear_outcome([&] {
    sim::cli::MergeArgs args;
    args.shards = {input};
    args.output = merged;
    args.allow_incomplete = true;
    return sim::cli::merge_command(args, registry, out);
  });
  expect_clear_outcome([&] {
    sim::cli::SweepArgs args;
    args.file = work + "/resume_sweep.toml";
    args.output = resumed;
    args.resume = true;
    args.threads = 1;
    args.quiet = true;
    args.checkpoint_seconds = 0.0;
    return sim::cli::sweep_command(args, registry, out, session());
  });
  sim::clear_stop_request();
  return 0;
}
