#include "tests/support/test_support.hpp"

#include <array>
#include <bit>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

#include "models/lwp/model.hpp"
#include "sim/output/writer.hpp"

namespace lwsim_test {
namespace fs = std::filesystem;

const sim::ModelRegistry& registry() {
  static const sim::ModelRegistry r = [] {
    sim::ModelRegistry reg;
    lwp::register_model(reg);
    return reg;
  }();
  return r;
}

sim::Scenario deep_end() {
  return sim::load_scenario(registry().default_scenario(), registry());
}

sim::Scenario scenario_from(const std::string& toml) {
  return sim::scenario_from_text(toml, "<test>", registry());
}

void set(sim::Scenario& scenario, const std::vector<std::pair<std::string, double>>& values) {
  for (const auto& [name, value] : values) {
    const auto index = scenario.params().table().find(name);
    if (!index) throw std::invalid_argument("no parameter " + name);
    scenario.parameters->set(*index, value, {"<test>", 0});
  }
  scenario.model->check(*scenario.setup, scenario.params());
}

sim::PointSummary run_point(const sim::Scenario& scenario, std::uint64_t replicates, std::uint32_t seed,
                            unsigned threads, bool check) {
  sim::Job job = sim::job_for(scenario);
  job.check_invariants = check;
  job.replicates = replicates;
  job.seed = seed;
  const std::uint32_t block = sim::choose_block_size(job.schema, replicates, 1, threads);
  const sim::BlockLayout blocks(job.schema, block);
  const sim::output::FileLayout layout = sim::output::make_layout(job.schema, {}, replicates, nullptr);
  sim::PointSummary summary;
  sim::output::ResultWriter writer(nullptr, layout, job.schema, blocks, replicates, nullptr,
                                   [&](std::uint32_t, const sim::PointSummary& s) { summary = s; });
  sim::run_job(job, {0}, writer, {threads, block, {}});
  return summary;
}

bool identical(const sim::PointSummary& a, const sim::PointSummary& b) {
  if (a.replicates != b.replicates || a.arrays.size() != b.arrays.size()) return false;
  for (const auto& [path, values] : a.arrays) {
    const auto it = b.arrays.find(path);
    if (it == b.arrays.end() || it->second.size() != values.size()) return false;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (std::bit_cast<std::uint64_t>(values[i]) != std::bit_cast<std::uint64_t>(it->second[i]))
        return false;
    }
  }
  return true;
}

double mean_p_fip(const sim::PointSummary& summary) {
  const auto& p = summary.at("/summary/p_fip");
  return std::accumulate(p.begin(), p.end(), 0.0) / static_cast<double>(p.size());
}

lwp::ReplicateState run_replicate_state(const sim::Scenario& scenario, std::uint32_t seed,
                                        std::uint32_t replicate) {
  auto simulation = scenario.model->prepare(scenario.setup, scenario.params());
  const auto& lwp_simulation = dynamic_cast<const lwp::LwpSimulation&>(*simulation);
  auto workspace = lwp_simulation.make_workspace();
  auto& ws = dynamic_cast<lwp::LwpWorkspace&>(*workspace);
  lwp_simulation.simulate({seed, replicate}, ws, nullptr);
  return ws.state;
}

std::string temporary_path(const std::string& name) {
  static const fs::path dir = [] {
    std::string pattern = (fs::temp_directory_path() / "lwsim-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    return fs::path(pattern);
  }();
  return (dir / name).string();
}

std::string write_file(const std::string& folder, const std::string& relative, const std::string& text) {
  const fs::path path = fs::path(temporary_path(folder)) / relative;
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
  return path.lexically_normal().string();
}

sim::mpi::Session& session() {
  static int argc = 1;
  static char name[] = "lwsim";
  static char* args[] = {name, nullptr};
  static char** argv = args;
  static sim::mpi::Session s(argc, argv);
  return s;
}

namespace {
std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
std::string quote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}
}  // namespace

CommandResult run_lwsim(const std::vector<std::string>& args) {
  const std::string out_path = temporary_path("stdout.txt");
  const std::string err_path = temporary_path("stderr.txt");
  std::string command = quote(LWSIM_BINARY);
  for (const auto& a : args) command += " " + quote(a);
  command += " >" + quote(out_path) + " 2>" + quote(err_path);
  const int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = slurp(out_path);
  result.err = slurp(err_path);
  return result;
}

}  // namespace lwsim_test
