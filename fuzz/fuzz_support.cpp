#include "fuzz/fuzz_support.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "models/lwp/model.hpp"

namespace lwsim_fuzz {
namespace fs = std::filesystem;

namespace {

void write_text(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw std::runtime_error("fuzz: cannot write " + path.string());
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("fuzz: cannot read " + path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string make_sandbox() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/lwsim-fuzz-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("fuzz: cannot create a sandbox");
  const fs::path root(pattern);
  const sim::ModelRegistry& models = registry();
  fs::create_directories(root / "scenarios" / "observed");
  for (const char* sub : {"sweeps", "calibration", "sensitivity"})
    fs::create_directories(root / "scenarios" / sub);
  fs::create_directories(root / "work");
  write_text(root / "scenarios" / "deep_end_glasgow.toml",
             *models.builtin_file("<built-in>/deep_end_glasgow.toml"));
  write_text(root / "scenarios" / "observed" / "deep_end_2016.toml",
             *models.builtin_file("<built-in>/observed/deep_end_2016.toml"));
  // A points file for csv designs ("file = \"points.csv\"").
  write_text(root / "scenarios" / "sweeps" / "points.csv",
             "clp.departure_hazard,context.gp_buy_in_mean\n0.004,0.55\n0.02,0.4\n");
  for (const char* name : {"resume_sweep.toml", "resume_base.toml"}) {
    write_text(root / "work" / name, read_text(fs::path(LWSIM_SOURCE_DIR) / "fuzz" / name));
  }
  return root.string();
}

void remove_sandbox() {
  std::error_code ec;
  fs::remove_all(sandbox(), ec);
}

}  // namespace

const sim::ModelRegistry& registry() {
  static const sim::ModelRegistry instance = [] {
    sim::ModelRegistry r;
    lwp::register_model(r);
    return r;
  }();
  return instance;
}

const std::string& sandbox() {
  // Never destroyed, so that the exit handler that removes the directory can still name it.
  static const std::string* const root = [] {
    const auto* made = new std::string(make_sandbox());
    std::atexit(remove_sandbox);
    return made;
  }();
  return *root;
}

void write_file(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) throw std::runtime_error("fuzz: cannot write " + path);
}

void remove_all(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
}

}  // namespace lwsim_fuzz
