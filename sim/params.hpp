#pragma once
// The parameter table: the single source of truth for every model parameter (docs/parameters.md).
// From it come the defaults, the validation of scenario and sweep files, `lwsim params`, the
// generated docs/parameters.md and the names used in HDF5 and sweep files.

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/value.hpp"

namespace sim {

enum class ParamKind { real, integer, boolean };

/// One row of a parameter table.
struct ParamSpec {
  std::string_view name;  // dotted, e.g. "clp.departure_hazard"
  ParamKind kind = ParamKind::real;
  double default_value = 0.0;
  double min = 0.0;  // allowed range, inclusive
  double max = 0.0;
  std::string_view unit;
  std::string_view meaning;
  std::string_view source;  // a citation key from the table's sources, or "assumption"

  /// Why `value` is not allowed for this parameter, or nothing when it is.
  [[nodiscard]] std::optional<std::string> problem_with(double value) const;
  /// The number a file's entry gives for this parameter: true or false for a boolean, a whole
  /// number for an integer, any number for a real (InputError at `value` otherwise). The range is
  /// not checked here (problem_with).
  [[nodiscard]] double number_from(const config::Value& value) const;
  /// The value written as a user would write it in a scenario file.
  [[nodiscard]] std::string format(double value) const;
};

/// A source cited by a parameter table.
struct Citation {
  std::string_view key;
  std::string_view text;
};

class ParamTable {
 public:
  /// Checks the table itself: unique names, defaults inside their ranges, known sources.
  ParamTable(std::vector<ParamSpec> specs, std::vector<Citation> citations);

  [[nodiscard]] std::size_t size() const noexcept { return specs_.size(); }
  [[nodiscard]] const ParamSpec& operator[](std::size_t i) const { return specs_[i]; }
  [[nodiscard]] std::span<const ParamSpec> specs() const noexcept { return specs_; }
  [[nodiscard]] std::span<const Citation> citations() const noexcept { return citations_; }
  [[nodiscard]] std::optional<std::size_t> find(std::string_view name) const;
  /// Known names closest to a misspelt one, for error messages.
  [[nodiscard]] std::string suggest(std::string_view name) const;

  /// The table as Markdown (the content of docs/parameters.md).
  [[nodiscard]] std::string markdown(std::string_view model_name) const;
  /// The table as aligned plain text.
  [[nodiscard]] std::string text() const;

 private:
  std::vector<ParamSpec> specs_;
  std::vector<Citation> citations_;
};

/// Where a parameter's value came from, so that errors can point at it.
struct ParamOrigin {
  std::string file;  // scenario file, "--set", or empty for the table's default
  int line = 0;
};

/// A complete assignment of values to every parameter of a table, each inside its range.
class ParamValues {
 public:
  explicit ParamValues(const ParamTable& table);

  [[nodiscard]] const ParamTable& table() const noexcept { return *table_; }
  [[nodiscard]] double operator[](std::size_t i) const { return values_[i]; }
  [[nodiscard]] double get(std::string_view name) const;
  [[nodiscard]] const std::vector<double>& values() const noexcept { return values_; }
  [[nodiscard]] const ParamOrigin& origin(std::size_t i) const { return origins_[i]; }

  /// Sets a value after checking it against the table (InputError naming `origin` otherwise).
  void set(std::size_t i, double value, ParamOrigin origin);
  /// Sets a value from a scenario file entry, checking its type against the parameter's kind.
  void set_from_config(std::size_t i, const config::Value& value);
  /// Sets a value from command-line text "value" for parameter `i` (--set name=value).
  void set_from_text(std::size_t i, std::string_view text, const std::string& source);

  /// Of the given parameters, the one the user set last (command line first, then the latest
  /// line of a file), or nothing when all have their defaults: the one to name in an error
  /// about a constraint between them.
  [[nodiscard]] std::optional<std::size_t> last_set(std::span<const std::size_t> indices) const;
  [[nodiscard]] std::optional<std::size_t> last_set(std::initializer_list<std::size_t> indices) const {
    return last_set(std::span<const std::size_t>(indices.begin(), indices.size()));
  }

  /// Throws an InputError for parameter `i` located where its value came from.
  [[noreturn]] void fail(std::size_t i, const std::string& detail) const;

 private:
  const ParamTable* table_;
  std::vector<double> values_;
  std::vector<ParamOrigin> origins_;
};

}  // namespace sim
