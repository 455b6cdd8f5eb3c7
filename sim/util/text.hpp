#pragma once
// Text that comes from outside (files, the command line, stored results) on its way to the
// terminal, to error messages and to HDF5 attributes declared UTF-8: invalid UTF-8 is found or
// replaced, control characters made visible, and overlong messages shortened.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::text {

/// The offset of the first byte that is not part of a valid UTF-8 sequence (overlong forms,
/// surrogates and code points above U+10FFFF are invalid), or nothing when all of it is valid.
std::optional<std::size_t> first_invalid_utf8(std::string_view s) noexcept;

/// `s` with every invalid UTF-8 byte replaced by U+FFFD (valid text is returned unchanged).
std::string valid_utf8(std::string_view s);

/// `s` for one line of a terminal or a log: tab, newline and carriage return become spaces, other
/// control characters (C0, DEL) and invalid UTF-8 bytes are written as \xNN, and text beyond
/// `max_bytes` is cut, saying how much was left out.
std::string printable(std::string_view s, std::size_t max_bytes = 4096);

/// The first control character (C0 other than tab, newline and carriage return, or DEL) in `s`.
std::optional<std::size_t> first_control_character(std::string_view s) noexcept;

/// The items with `separator` between them.
std::string join(const std::vector<std::string>& items, std::string_view separator);

/// The lines of `s` split at '\n' (the inverse of join(items, "\n")); no lines for "".
std::vector<std::string> split_lines(std::string_view s);

/// The items as a list in a sentence: "a", "a or b", "a, b or c" (with `last` = "or").
std::string join_list(const std::vector<std::string>& items, std::string_view last);

}  // namespace sim::text
