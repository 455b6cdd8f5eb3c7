#pragma once
// Build provenance written into every output file.

#include <string_view>

namespace sim {

/// lwsim's version (CMake project version).
std::string_view lwsim_version() noexcept;
/// The git commit the binary was built from, with "-dirty" when the tree had changes, or
/// "unknown" outside a git checkout.
std::string_view git_commit() noexcept;
/// Version of the HDF5 output schema (docs/output.md); bumped when the layout changes.
inline constexpr int kSchemaVersion = 2;

}  // namespace sim
