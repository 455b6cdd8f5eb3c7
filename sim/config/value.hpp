#pragma once
// A configuration tree read from TOML, with the file, line and dotted key path of every value,
// so that every validation error can name all three (docs/reliability.md). Only
// toml_reader.cpp knows the TOML library; everything else in lwsim reads this tree.

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sim::config {

/// Where a value was written: its file and 1-based line (0 when not from a file line).
struct Origin {
  std::shared_ptr<const std::string> file;
  int line = 0;

  [[nodiscard]] const std::string& file_name() const;
};

class Value {
 public:
  enum class Kind { table, array, string, integer, real, boolean };
  using Entry = std::pair<std::string, Value>;
  using Table = std::vector<Entry>;  // in file order
  using Array = std::vector<Value>;

  Value() = default;
  static Value make_table(Origin origin, std::string path);
  static Value make_array(Origin origin, std::string path);
  static Value make_string(Origin origin, std::string path, std::string v);
  static Value make_integer(Origin origin, std::string path, std::int64_t v);
  static Value make_real(Origin origin, std::string path, double v);
  static Value make_boolean(Origin origin, std::string path, bool v);

  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  [[nodiscard]] static std::string_view kind_name(Kind kind) noexcept;
  [[nodiscard]] bool is_table() const noexcept { return kind_ == Kind::table; }
  [[nodiscard]] bool is_array() const noexcept { return kind_ == Kind::array; }
  [[nodiscard]] bool is_number() const noexcept { return kind_ == Kind::integer || kind_ == Kind::real; }

  /// Dotted key path from the document root, e.g. `parameters.clp.departure_hazard` or
  /// `practice[2].name`.
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] const Origin& origin() const noexcept { return origin_; }
  [[nodiscard]] const std::string& file() const { return origin_.file_name(); }
  [[nodiscard]] int line() const noexcept { return origin_.line; }

  /// Throws an InputError located at this value.
  [[noreturn]] void fail(const std::string& detail) const;

  [[nodiscard]] bool as_bool() const;
  [[nodiscard]] std::int64_t as_integer() const;
  /// Integers are accepted where a real number is expected.
  [[nodiscard]] double as_real() const;
  [[nodiscard]] const std::string& as_string() const;
  [[nodiscard]] const Table& entries() const;
  [[nodiscard]] const Array& items() const;

  /// The entry `key` of a table, or nullptr.
  [[nodiscard]] const Value* find(std::string_view key) const;
  /// The entry `key` of a table; a missing key is an InputError naming the full path.
  [[nodiscard]] const Value& at(std::string_view key) const;
  /// Every key of this table must be one of `allowed`; the first that is not is an InputError.
  void expect_keys(std::initializer_list<std::string_view> allowed) const;
  void expect_keys(const std::vector<std::string>& allowed) const;

  // Building and merging (used by the readers and by scenario inheritance).
  Table& mutable_entries();
  Array& mutable_items();
  Value* find_mutable(std::string_view key);
  /// Sets `key` to `v`, replacing an existing entry in place or appending a new one.
  void set(std::string key, Value v);
  /// Rewrites the paths of this value and everything below it to start at `path`.
  void rebase_path(const std::string& path);

 private:
  using Data = std::variant<Table, Array, std::string, std::int64_t, double, bool>;
  static Value make(Kind kind, Origin origin, std::string path, Data data);

  Kind kind_ = Kind::table;
  Origin origin_;
  std::string path_;
  Data data_;
};

/// The path of `key` below the table at `parent` ("" for the root).
std::string child_path(std::string_view parent, std::string_view key);

/// Limits that keep hostile or mistaken input from exhausting memory or the parser's stack.
struct ReadLimits {
  std::size_t max_bytes = std::size_t{16} << 20;
  int max_nesting = 48;
  std::size_t max_string_bytes = std::size_t{1} << 20;  // one string value
  std::size_t max_key_bytes = 1024;                     // one key
};

/// Parses TOML text. Syntax errors are InputErrors naming `file_name` and the line; so are text
/// that is not UTF-8 (TOML requires it), control characters other than tab, newline and carriage
/// return in strings and keys (a NUL would cut a name short in the output file, an escape sequence
/// would drive the terminal), and strings or keys longer than the limits.
Value parse_toml(std::string_view text, const std::string& file_name, ReadLimits limits = {});
/// Reads a text file of at most limits.max_bytes. Missing or unreadable files, directories and
/// devices are InputErrors (a pipe is read: `lwsim validate <(...)`).
std::string read_text_file(const std::filesystem::path& path, ReadLimits limits = {});
/// Reads and parses a TOML file (read_text_file, then parse_toml).
Value read_toml_file(const std::filesystem::path& path, ReadLimits limits = {});

/// Writes a tree back as TOML (tables as [headers], arrays of tables as [[headers]]); reals are
/// written with the shortest text that reads back to the same double.
std::string write_toml(const Value& root);

}  // namespace sim::config
