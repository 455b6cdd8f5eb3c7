#pragma once
// Shared by the fuzz targets: the registry with the lwp model, and a private directory (a
// sandbox) laid out like the repository's scenarios/ directory, so that the relative `base` and
// `observed` paths of the seed files resolve. Fuzzed text is written there and read back through
// the same code as `lwsim validate`, `report`, `export`, `merge` and `sweep --resume`; nothing is
// written outside the sandbox, which is removed when the process exits.

#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/registry.hpp"

namespace lwsim_fuzz {

/// The registry with the lwp model and its built-in files.
const sim::ModelRegistry& registry();

/// The sandbox: <sandbox>/scenarios/{deep_end_glasgow.toml, observed/, sweeps/, calibration/,
/// sensitivity/} and <sandbox>/work/ for outputs.
const std::string& sandbox();

/// Writes `size` bytes to `path` (replacing it).
void write_file(const std::string& path, const std::uint8_t* data, std::size_t size);

/// Removes a file or directory tree if it exists.
void remove_all(const std::string& path);

}  // namespace lwsim_fuzz
