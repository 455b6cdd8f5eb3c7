// The only translation unit that includes toml11 (it is slow to compile, and keeping it here keeps
// the rest of lwsim independent of the TOML library). It converts toml11's tree into
// sim::config::Value, keeping file, line and key path for every value.

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <toml.hpp>

#include "sim/config/value.hpp"
#include "sim/error.hpp"
#include "sim/util/text.hpp"

namespace sim::config {
namespace {

int line_at(std::string_view text, std::size_t offset) {
  std::size_t lines = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) lines += text[i] == '\n' ? 1U : 0U;
  return static_cast<int>(std::min<std::size_t>(lines, 1'000'000'000));
}

// toml11 recurses once per nesting level and overflows the stack on deeply nested input (about
// 4,000 levels under ASan), so the nesting depth is bounded before it sees the text. The scan
// follows TOML's string and comment syntax so brackets inside strings do not count. Dotted keys
// (a.b.c = 1) and headers ([a.b.c]) nest tables too: their dots count towards the depth.
void check_nesting(std::string_view text, const std::string& file_name, int max_nesting) {
  int depth = 0;
  int line = 1;
  int key_dots = 0;    // dots in the key part of the current line
  bool in_key = true;  // before the first '=' of a line (or inside a header)
  const auto check = [&] {
    if (depth + key_dots > max_nesting) {
      throw InputError(file_name, line, "", fmt::format("nesting deeper than {} levels", max_nesting));
    }
  };
  std::size_t i = 0;
  const auto starts_with = [&](std::string_view s) { return text.substr(i, s.size()) == s; };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      ++i;
      key_dots = 0;
      in_key = depth == 0;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (starts_with("\"\"\"") || starts_with("'''")) {
      const std::string_view delim = text.substr(i, 3);
      i += 3;
      while (i < text.size() && !starts_with(delim)) {
        if (text[i] == '\n') ++line;
        if (delim[0] == '"' && text[i] == '\\') ++i;
        ++i;
      }
      i += 3;
    } else if (c == '"' || c == '\'') {
      ++i;
      while (i < text.size() && text[i] != c && text[i] != '\n') {
        if (c == '"' && text[i] == '\\') ++i;
        ++i;
      }
      ++i;
    } else {
      if (c == '[' || c == '{') {
        ++depth;
        check();
      } else if (c == ']' || c == '}') {
        depth = std::max(0, depth - 1);
      } else if (c == '=') {
        in_key = false;
      } else if (c == '.' && in_key) {
        ++key_dots;
        check();
      }
      ++i;
    }
  }
}

// toml11's messages span several lines with a caret under the column; lwsim reports one line.
[[noreturn]] void rethrow_syntax_error(const toml::exception& e, const std::string& file_name) {
  const std::string message = e.what();
  int line = static_cast<int>(e.location().line());
  std::string note;
  // Annotated lines look like " 12 | text" followed by "    |   ^--- note" (or "~~~ note"). The
  // last annotated line is where parsing stopped (for a duplicate key, the second one).
  std::size_t start = message.find('\n');
  while (start != std::string::npos) {
    const std::size_t end = message.find('\n', start + 1);
    const std::string text =
        message.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
    start = end;
    const std::size_t bar = text.find(" |");
    if (bar == std::string::npos) continue;
    const std::string left = text.substr(0, bar);
    const std::size_t digits = left.find_first_not_of(' ');
    if (digits != std::string::npos && left.find_first_not_of("0123456789", digits) == std::string::npos) {
      line = std::stoi(left.substr(digits));
      continue;
    }
    std::size_t mark = text.find_first_not_of(' ', bar + 2);
    if (mark == std::string::npos || (text[mark] != '^' && text[mark] != '~')) continue;
    mark = text.find_first_not_of("^~-", mark);
    if (mark != std::string::npos) note = text.substr(text.find_first_not_of(' ', mark));
  }
  std::string first = message.substr(0, message.find('\n'));
  for (const char* prefix : {"[error] ", "[error]"}) {
    if (first.rfind(prefix, 0) == 0) first.erase(0, std::strlen(prefix));
  }
  // Drop the internal function name ("toml::parse_key_value_pair: ...").
  if (first.rfind("toml::", 0) == 0) {
    const auto colon = first.find(": ");
    if (colon != std::string::npos) first.erase(0, colon + 2);
  }
  if (!note.empty()) first += " (" + note + ")";
  throw InputError(file_name, line, "", "TOML syntax error: " + first);
}

Origin origin_of(const toml::value& v, const std::shared_ptr<const std::string>& file) {
  return Origin{file, static_cast<int>(v.location().line())};
}

// A string value or key as lwsim can keep it: no control characters but tab, newline and
// carriage return (TOML's escapes can write any, \u0000 included), and a bounded length.
void check_string(const std::string& s, const std::string& file, int line, const std::string& path,
                  std::size_t max_bytes, const char* what) {
  if (s.size() > max_bytes) {
    throw InputError(
        file, line, path,
        fmt::format("{} of {} bytes is longer than the limit of {} bytes", what, s.size(), max_bytes));
  }
  if (const auto at = text::first_control_character(s)) {
    throw InputError(file, line, path,
                     fmt::format("{} contains the control character U+{:04X} (at byte {}); remove it", what,
                                 static_cast<unsigned char>(s[*at]), *at));
  }
}

Value convert(const toml::value& v, const std::string& path, const std::shared_ptr<const std::string>& file,
              int depth, const ReadLimits& limits) {
  const Origin origin = origin_of(v, file);
  const int max_nesting = limits.max_nesting;
  // Dotted keys and headers (a.b.c) nest tables without brackets; bound the depth here too.
  const bool container = v.type() == toml::value_t::table || v.type() == toml::value_t::array;
  if (container && depth > max_nesting) {
    throw InputError(*file, origin.line, "", fmt::format("nesting deeper than {} levels", max_nesting));
  }
  switch (v.type()) {
    case toml::value_t::boolean: return Value::make_boolean(origin, path, v.as_boolean());
    case toml::value_t::integer: return Value::make_integer(origin, path, v.as_integer());
    case toml::value_t::floating: return Value::make_real(origin, path, v.as_floating());
    case toml::value_t::string:
      check_string(v.as_string().str, *file, origin.line, path, limits.max_string_bytes, "the string");
      return Value::make_string(origin, path, v.as_string().str);
    case toml::value_t::array: {
      Value out = Value::make_array(origin, path);
      std::size_t index = 0;
      for (const auto& item : v.as_array()) {
        out.mutable_items().push_back(
            convert(item, fmt::format("{}[{}]", path, index++), file, depth + 1, limits));
      }
      return out;
    }
    case toml::value_t::table: {
      Value out = Value::make_table(origin, path);
      // toml11 keeps tables unordered; restore the order in which keys were written.
      std::vector<std::pair<const std::string*, const toml::value*>> entries;
      for (const auto& [key, child] : v.as_table()) entries.emplace_back(&key, &child);
      std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        const auto la = a.second->location();
        const auto lb = b.second->location();
        if (la.line() != lb.line()) return la.line() < lb.line();
        if (la.column() != lb.column()) return la.column() < lb.column();
        return *a.first < *b.first;
      });
      for (const auto& [key, child] : entries) {
        check_string(*key, *file, static_cast<int>(child->location().line()), path, limits.max_key_bytes,
                     "a key");
        out.mutable_entries().emplace_back(*key,
                                           convert(*child, child_path(path, *key), file, depth + 1, limits));
      }
      return out;
    }
    case toml::value_t::offset_datetime:
    case toml::value_t::local_datetime:
    case toml::value_t::local_date:
    case toml::value_t::local_time:
      throw InputError(*file, origin.line, path, "dates and times are not accepted here");
    case toml::value_t::empty: break;
  }
  throw InputError(*file, origin.line, path, "empty value");
}

}  // namespace

Value parse_toml(std::string_view text, const std::string& file_name, ReadLimits limits) {
  if (text.size() > limits.max_bytes) {
    throw InputError(
        file_name, 0, "",
        fmt::format("file is {} bytes, more than the limit of {} bytes", text.size(), limits.max_bytes));
  }
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    throw InputError(file_name, line_at(text, nul), "", "file contains a NUL byte; is it a text file?");
  }
  if (const auto bad = text::first_invalid_utf8(text)) {
    throw InputError(file_name, line_at(text, *bad), "",
                     fmt::format("the file is not valid UTF-8 (byte 0x{:02x}); TOML files are UTF-8 text",
                                 static_cast<unsigned char>(text[*bad])));
  }
  check_nesting(text, file_name, limits.max_nesting);
  auto file = std::make_shared<const std::string>(file_name);
  toml::value root;
  try {
    std::istringstream stream{std::string(text)};
    root = toml::parse(stream, file_name);
  } catch (const toml::exception& e) {
    rethrow_syntax_error(e, file_name);
  } catch (const std::exception& e) {
    throw InputError(file_name, 0, "", std::string("TOML syntax error: ") + e.what());
  }
  Value out = convert(root, "", file, 0, limits);
  return out;
}

std::string read_text_file(const std::filesystem::path& path, ReadLimits limits) {
  namespace fs = std::filesystem;
  const std::string name = path.string();
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) {
    throw InputError(name, 0, "",
                     ec && ec != std::errc::no_such_file_or_directory
                         ? fmt::format("cannot read: {}", ec.message())
                         : std::string("no such file"));
  }
  if (fs::is_directory(status)) throw InputError(name, 0, "", "is a directory, not a file");
  if (!fs::is_regular_file(status) && !fs::is_fifo(status)) {
    throw InputError(name, 0, "", "is a device or socket, not a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(name, 0, "", fmt::format("cannot open: {}", std::strerror(errno)));
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > limits.max_bytes) {
      throw InputError(name, 0, "",
                       fmt::format("file is larger than the limit of {} bytes", limits.max_bytes));
    }
  }
  if (in.bad()) throw InputError(name, 0, "", "read error");
  return text;
}

Value read_toml_file(const std::filesystem::path& path, ReadLimits limits) {
  return parse_toml(read_text_file(path, limits), path.string(), limits);
}

}  // namespace sim::config
