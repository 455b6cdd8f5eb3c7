#include "sim/config/value.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "sim/error.hpp"

namespace sim::config {

const std::string& Origin::file_name() const {
  static const std::string unknown = "<input>";
  return file ? *file : unknown;
}

Value Value::make(Kind kind, Origin origin, std::string path, Data data) {
  Value v;
  v.kind_ = kind;
  v.origin_ = std::move(origin);
  v.path_ = std::move(path);
  v.data_ = std::move(data);
  return v;
}

Value Value::make_table(Origin origin, std::string path) {
  return make(Kind::table, std::move(origin), std::move(path), Table{});
}
Value Value::make_array(Origin origin, std::string path) {
  return make(Kind::array, std::move(origin), std::move(path), Array{});
}
Value Value::make_string(Origin origin, std::string path, std::string s) {
  return make(Kind::string, std::move(origin), std::move(path), std::move(s));
}
Value Value::make_integer(Origin origin, std::string path, std::int64_t i) {
  return make(Kind::integer, std::move(origin), std::move(path), i);
}
Value Value::make_real(Origin origin, std::string path, double d) {
  return make(Kind::real, std::move(origin), std::move(path), d);
}
Value Value::make_boolean(Origin origin, std::string path, bool b) {
  return make(Kind::boolean, std::move(origin), std::move(path), b);
}

std::string_view Value::kind_name(Kind kind) noexcept {
  switch (kind) {
    case Kind::table: return "a table";
    case Kind::array: return "an array";
    case Kind::string: return "a string";
    case Kind::integer: return "an integer";
    case Kind::real: return "a real number";
    case Kind::boolean: return "a boolean";
  }
  return "a value";
}

void Value::fail(const std::string& detail) const {
  throw InputError(file(), line(), path_, detail);
}

namespace {
[[noreturn]] void wrong_kind(const Value& v, std::string_view expected) {
  v.fail(fmt::format("expected {}, found {}", expected, Value::kind_name(v.kind())));
}
}  // namespace

bool Value::as_bool() const {
  if (kind_ != Kind::boolean) wrong_kind(*this, "a boolean (true or false)");
  return std::get<bool>(data_);
}
std::int64_t Value::as_integer() const {
  if (kind_ != Kind::integer) wrong_kind(*this, "an integer");
  return std::get<std::int64_t>(data_);
}
double Value::as_real() const {
  if (kind_ == Kind::integer) return static_cast<double>(std::get<std::int64_t>(data_));
  if (kind_ != Kind::real) wrong_kind(*this, "a number");
  return std::get<double>(data_);
}
const std::string& Value::as_string() const {
  if (kind_ != Kind::string) wrong_kind(*this, "a string");
  return std::get<std::string>(data_);
}
const Value::Table& Value::entries() const {
  if (kind_ != Kind::table) wrong_kind(*this, "a table");
  return std::get<Table>(data_);
}
const Value::Array& Value::items() const {
  if (kind_ != Kind::array) wrong_kind(*this, "an array");
  return std::get<Array>(data_);
}
Value::Table& Value::mutable_entries() {
  if (kind_ != Kind::table) wrong_kind(*this, "a table");
  return std::get<Table>(data_);
}
Value::Array& Value::mutable_items() {
  if (kind_ != Kind::array) wrong_kind(*this, "an array");
  return std::get<Array>(data_);
}

const Value* Value::find(std::string_view key) const {
  for (const auto& [k, v] : entries()) {
    if (k == key) return &v;
  }
  return nullptr;
}

Value* Value::find_mutable(std::string_view key) {
  for (auto& [k, v] : mutable_entries()) {
    if (k == key) return &v;
  }
  return nullptr;
}

const Value& Value::at(std::string_view key) const {
  if (const Value* v = find(key)) return *v;
  throw InputError(file(), line(), child_path(path_, key), "missing required key");
}

void Value::expect_keys(std::initializer_list<std::string_view> allowed) const {
  for (const auto& [k, v] : entries()) {
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      v.fail(fmt::format("unknown key (allowed here: {})", list));
    }
  }
}

void Value::expect_keys(const std::vector<std::string>& allowed) const {
  for (const auto& [k, v] : entries()) {
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
      v.fail("unknown key");
    }
  }
}

void Value::set(std::string key, Value v) {
  if (Value* existing = find_mutable(key)) {
    *existing = std::move(v);
    return;
  }
  mutable_entries().emplace_back(std::move(key), std::move(v));
}

void Value::rebase_path(const std::string& path) {
  path_ = path;
  if (kind_ == Kind::table) {
    for (auto& [k, v] : std::get<Table>(data_)) v.rebase_path(child_path(path, k));
  } else if (kind_ == Kind::array) {
    auto& items = std::get<Array>(data_);
    for (std::size_t i = 0; i < items.size(); ++i) {
      items[i].rebase_path(fmt::format("{}[{}]", path, i));
    }
  }
}

std::string child_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return fmt::format("{}.{}", parent, key);
}

// ---------------------------------------------------------------------------------------------
// TOML writer

namespace {

bool is_bare_key(std::string_view key) {
  if (key.empty()) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (u < 0x20 || u == 0x7f) {
          out += fmt::format("\\u{:04X}", u);
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

std::string key_text(std::string_view key) {
  return is_bare_key(key) ? std::string(key) : quote(key);
}

std::string scalar_text(const Value& v);

std::string inline_text(const Value& v) {
  if (v.is_table()) {
    std::string out = "{";
    bool first = true;
    for (const auto& [k, child] : v.entries()) {
      out += first ? " " : ", ";
      first = false;
      out += key_text(k) + " = " + inline_text(child);
    }
    out += first ? "}" : " }";
    return out;
  }
  if (v.is_array()) {
    std::string out = "[";
    bool first = true;
    for (const auto& item : v.items()) {
      if (!first) out += ", ";
      first = false;
      out += inline_text(item);
    }
    return out + "]";
  }
  return scalar_text(v);
}

std::string real_text(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  std::string s = fmt::format("{}", d);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

std::string scalar_text(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::string: return quote(v.as_string());
    case Value::Kind::integer: return fmt::format("{}", v.as_integer());
    case Value::Kind::real: return real_text(v.as_real());
    case Value::Kind::boolean: return v.as_bool() ? "true" : "false";
    default: return inline_text(v);
  }
}

bool is_array_of_tables(const Value& v) {
  return v.is_array() && !v.items().empty() &&
         std::all_of(v.items().begin(), v.items().end(), [](const Value& i) { return i.is_table(); });
}

void write_table(const Value& table, const std::string& header, std::string& out) {
  // Plain keys first, then sub-tables and arrays of tables, so the TOML reads back the same.
  for (const auto& [k, v] : table.entries()) {
    if (v.is_table() || is_array_of_tables(v)) continue;
    out += key_text(k) + " = " + inline_text(v) + "\n";
  }
  for (const auto& [k, v] : table.entries()) {
    const std::string name = header.empty() ? key_text(k) : header + "." + key_text(k);
    if (v.is_table()) {
      out += "\n[" + name + "]\n";
      write_table(v, name, out);
    } else if (is_array_of_tables(v)) {
      for (const auto& item : v.items()) {
        out += "\n[[" + name + "]]\n";
        write_table(item, name, out);
      }
    }
  }
}

}  // namespace

std::string write_toml(const Value& root) {
  std::string out;
  write_table(root, "", out);
  return out;
}

}  // namespace sim::config
