#pragma once
// Checks on output paths made before any work starts, so that a bad path costs nothing and
// leaves nothing behind (standing bar 3).

#include <string>

namespace sim::cli {

/// Throws an InputError (key `option`) unless a file can be created at `path`: its directory
/// exists and is writable, and `path` is not a directory. When `must_not_exist`, an existing
/// file is refused too, with `hint` saying what to do instead.
void check_output_path(const std::string& path, const std::string& option, bool must_not_exist,
                       const std::string& hint);

/// Removes a file if it exists (ignoring errors); used to clean up temporary files.
void remove_quietly(const std::string& path);

/// Renames `from` to `to` atomically (InputError-free: failures are runtime errors).
void replace_file(const std::string& from, const std::string& to);

}  // namespace sim::cli
