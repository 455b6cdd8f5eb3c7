// Claims about the configuration tree (sim/config/value.hpp) and its TOML reader and writer:
// values keep their kind, file, line and dotted path; bad input is a one-line InputError naming
// where it is; what write_toml writes reads back to the same values.

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/config/value.hpp"
#include "sim/error.hpp"
#include "tests/support/test_support.hpp"

namespace {
using lwsim_test::input_error;

using sim::config::Value;
using Kind = sim::config::Value::Kind;

Value parse(const std::string& text, sim::config::ReadLimits limits = {}) {
  return sim::config::parse_toml(text, "test.toml", limits);
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// Two trees hold the same values: same kinds, same keys (in the same order when `ordered`), same
// scalars (reals compared bit for bit, NaN equal to NaN). write_toml puts a table's plain keys
// before its sub-tables, as TOML requires, so a round trip may move sub-tables after plain keys.
bool same_values(const Value& a, const Value& b, std::string& where, bool ordered) {
  if (a.kind() != b.kind()) {
    where = a.path() + ": kind differs";
    return false;
  }
  switch (a.kind()) {
    case Kind::table: {
      const auto& x = a.entries();
      const auto& y = b.entries();
      if (x.size() != y.size()) {
        where = a.path() + ": number of keys differs";
        return false;
      }
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (ordered && x[i].first != y[i].first) {
          where = a.path() + ": key '" + x[i].first + "' vs '" + y[i].first + "'";
          return false;
        }
        const Value* other = b.find(x[i].first);
        if (other == nullptr) {
          where = a.path() + ": key '" + x[i].first + "' lost";
          return false;
        }
        if (!same_values(x[i].second, *other, where, ordered)) return false;
      }
      return true;
    }
    case Kind::array: {
      const auto& x = a.items();
      const auto& y = b.items();
      if (x.size() != y.size()) {
        where = a.path() + ": length differs";
        return false;
      }
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!same_values(x[i], y[i], where, ordered)) return false;
      }
      return true;
    }
    case Kind::string:
      if (a.as_string() != b.as_string()) where = a.path() + ": string differs";
      return a.as_string() == b.as_string();
    case Kind::integer:
      if (a.as_integer() != b.as_integer()) where = a.path() + ": integer differs";
      return a.as_integer() == b.as_integer();
    case Kind::boolean:
      if (a.as_bool() != b.as_bool()) where = a.path() + ": boolean differs";
      return a.as_bool() == b.as_bool();
    case Kind::real: {
      const double x = a.as_real();
      const double y = b.as_real();
      const bool same = (std::isnan(x) && std::isnan(y)) ||
                        std::bit_cast<std::uint64_t>(x) == std::bit_cast<std::uint64_t>(y);
      if (!same) where = a.path() + ": real differs";
      return same;
    }
  }
  return false;
}

void check_round_trip(const Value& original, bool ordered = false) {
  const std::string text = sim::config::write_toml(original);
  INFO("written TOML:\n" << text);
  Value again;
  REQUIRE_NOTHROW(again = parse(text));
  std::string where;
  const bool same = same_values(original, again, where, ordered);
  INFO("first difference: " << where);
  CHECK(same);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Reading

TEST_CASE("parsed values have the kind written in the file") {
  const Value root = parse(
      "s = \"text\"\n"
      "i = -42\n"
      "r = 2.5\n"
      "b = true\n"
      "a = [1, 2, 3]\n"
      "t = { x = 1 }\n");
  CHECK(root.is_table());
  CHECK(root.at("s").kind() == Kind::string);
  CHECK(root.at("s").as_string() == "text");
  CHECK(root.at("i").kind() == Kind::integer);
  CHECK(root.at("i").as_integer() == -42);
  CHECK(root.at("r").kind() == Kind::real);
  CHECK(root.at("r").as_real() == 2.5);
  CHECK(root.at("b").kind() == Kind::boolean);
  CHECK(root.at("b").as_bool());
  CHECK(root.at("a").is_array());
  CHECK(root.at("a").items().size() == 3);
  CHECK(root.at("t").is_table());
  // Integers are accepted where a real is expected, not the other way round.
  CHECK(root.at("i").as_real() == -42.0);
  CHECK(root.at("i").is_number());
  CHECK(root.at("r").is_number());
  CHECK_THROWS_AS(root.at("r").as_integer(), sim::InputError);
  CHECK_THROWS_AS(root.at("s").as_real(), sim::InputError);
  CHECK_THROWS_AS(root.at("b").as_string(), sim::InputError);
}

TEST_CASE("asking for the wrong kind names what was expected and what was found") {
  const Value root = parse("\n\nname = 12\n");
  const auto e = input_error([&] { (void)root.at("name").as_string(); });
  CHECK(e.file() == "test.toml");
  CHECK(e.line() == 3);
  CHECK(e.key() == "name");
  CHECK_THAT(e.detail(), Catch::Contains("expected a string") && Catch::Contains("an integer"));
}

TEST_CASE("every value knows its file, line and dotted path") {
  const Value root = parse(
      "title = \"x\"\n"               // 1
      "\n"                            // 2
      "[parameters.clp]\n"            // 3
      "departure_hazard = 0.01\n"     // 4
      "\n"                            // 5
      "[[practice]]\n"                // 6
      "name = \"Magenta\"\n"          // 7
      "\n"                            // 8
      "[[practice]]\n"                // 9
      "name = \"Ochre\"\n"            // 10
      "list_size = [4653, 5000]\n");  // 11
  CHECK(root.at("title").line() == 1);
  CHECK(root.at("title").file() == "test.toml");
  const Value& hazard = root.at("parameters").at("clp").at("departure_hazard");
  CHECK(hazard.path() == "parameters.clp.departure_hazard");
  CHECK(hazard.line() == 4);
  const Value& second = root.at("practice").items().at(1);
  CHECK(second.at("name").path() == "practice[1].name");
  CHECK(second.at("name").line() == 10);
  CHECK(second.at("name").as_string() == "Ochre");
  CHECK(second.at("list_size").items().at(1).path() == "practice[1].list_size[1]");
  CHECK(second.at("list_size").items().at(1).line() == 11);
  CHECK(root.at("practice").items().at(0).at("name").line() == 7);
}

TEST_CASE("an error located at a value names its file, line and path in one line") {
  const Value root = parse("[run]\n\nreplicates = 0\n");
  const auto e = input_error([&] { root.at("run").at("replicates").fail("must be at least 1"); });
  CHECK(std::string(e.what()) == "test.toml:3: run.replicates: must be at least 1");
}

TEST_CASE("keys keep the order in which they were written") {
  const Value root = parse(
      "zeta = 1\n"
      "alpha = 2\n"
      "mid = { y = 1, b = 2, x = 3 }\n"
      "[table_z]\n"
      "k9 = 1\n"
      "k1 = 2\n"
      "[table_a]\n"
      "c = 1\n"
      "b = 2\n"
      "a = 3\n");
  std::vector<std::string> top;
  for (const auto& [k, v] : root.entries()) top.push_back(k);
  CHECK(top == std::vector<std::string>{"zeta", "alpha", "mid", "table_z", "table_a"});
  std::vector<std::string> inline_keys;
  for (const auto& [k, v] : root.at("mid").entries()) inline_keys.push_back(k);
  CHECK(inline_keys == std::vector<std::string>{"y", "b", "x"});
  std::vector<std::string> a_keys;
  for (const auto& [k, v] : root.at("table_a").entries()) a_keys.push_back(k);
  CHECK(a_keys == std::vector<std::string>{"c", "b", "a"});
}

TEST_CASE("a syntax error is an InputError at its line with a one-line message") {
  struct Case {
    std::string text;
    int line;
  };
  const std::vector<Case> cases = {
      {"a = 1\nb = 2\nc = \nd = 4\n", 3},            // missing value
      {"a = 1\nname = \"unterminated\nc = 2\n", 2},  // unterminated string
      {"a = 1\n\n\n[broken\nx = 1\n", 4},            // unterminated header
      {"# comment\nx = 1 2\n", 2},                   // garbage after a value
      {"a = 1\nb = 2\n\n\n\nc = tru\n", 6},          // bad literal
  };
  for (const Case& c : cases) {
    INFO("text:\n" << c.text);
    const auto e = input_error([&] { (void)parse(c.text); });
    INFO("message: " << e.what());
    CHECK(e.file() == "test.toml");
    CHECK(e.line() == c.line);
    CHECK(std::string(e.what()).find('\n') == std::string::npos);
    CHECK(std::string(e.what()).find('\r') == std::string::npos);
    CHECK_THAT(e.what(), Catch::StartsWith("test.toml:" + std::to_string(c.line) + ": "));
    CHECK_THAT(e.what(), Catch::Contains("syntax error"));
  }
}

TEST_CASE("a key defined twice is refused at the line of the second definition") {
  // The line to fix is the redefinition; the first definition is correct on its own.
  const auto e = input_error([] { (void)parse("a = 1\nb = 2\na = 3\n"); });
  INFO("message: " << e.what());
  CHECK(std::string(e.what()).find('\n') == std::string::npos);
  CHECK(e.line() == 3);
}

TEST_CASE("nesting deeper than the limit is refused, up to the limit it is accepted") {
  const auto nested = [](int depth) {
    return "a = " + std::string(static_cast<std::size_t>(depth), '[') + "1" +
           std::string(static_cast<std::size_t>(depth), ']') + "\n";
  };
  const int limit = sim::config::ReadLimits{}.max_nesting;
  CHECK_NOTHROW(parse(nested(limit)));
  const auto e = input_error([&] { (void)parse("\n" + nested(limit + 1)); });
  CHECK(e.line() == 2);
  CHECK_THAT(e.detail(), Catch::Contains("nesting"));
  // Far deeper input is refused before the parser can overflow its stack.
  CHECK_THROWS_AS(parse(nested(100000)), sim::InputError);
  // Inline tables count like arrays; a smaller limit is honoured.
  sim::config::ReadLimits tight;
  tight.max_nesting = 3;
  CHECK_NOTHROW(parse("t = { a = { b = [1] } }\n", tight));
  CHECK_THROWS_AS(parse("t = { a = { b = [[1]] } }\n", tight), sim::InputError);
}

TEST_CASE("brackets inside strings and comments do not count as nesting") {
  const std::string many(200, '[');
  CHECK_NOTHROW(parse("s = \"" + many + "\"\n"));
  CHECK_NOTHROW(parse("s = '" + many + "'\n"));
  CHECK_NOTHROW(parse("s = \"\"\"\n" + many + "\n\"\"\"\n"));
  CHECK_NOTHROW(parse("# " + many + "\nx = 1\n"));
  CHECK_NOTHROW(parse("s = \"\\\"" + many + "\"\n"));  // an escaped quote does not end the string
}

TEST_CASE("tables nested deeper than the limit through dotted keys are refused") {
  // A dotted key or table header of N parts is a table N levels deep, just like N brackets. The
  // nesting limit exists so that hostile or mistaken input cannot exhaust the stack, and the tree
  // conversion recurses once per level: dotted keys must be held to the same limit. (At about
  // 17,000 parts, a 34 KB file, the reader overflows the stack of the main thread.)
  const int depth = 2000;
  std::string key = "a";
  for (int i = 1; i < depth; ++i) key += ".a";
  const auto e = input_error([&] { (void)parse("\n" + key + " = 1\n"); });
  CHECK_THAT(e.detail(), Catch::Contains("nest"));
  const auto f = input_error([&] { (void)parse("[" + key + "]\nx = 1\n"); });
  CHECK_THAT(f.detail(), Catch::Contains("nest"));
}

TEST_CASE("text over the size limit is refused") {
  sim::config::ReadLimits small;
  small.max_bytes = 64;
  const std::string fits = "a = \"" + std::string(64 - 7, 'x') + "\"\n";
  REQUIRE(fits.size() == 64);
  CHECK_NOTHROW(parse(fits, small));
  const auto e = input_error([&] { (void)parse(fits + " ", small); });
  CHECK_THAT(e.detail(), Catch::Contains("limit"));

  const std::string path = lwsim_test::temporary_path("too_big.toml");
  write_file(path, "a = \"" + std::string(1000, 'x') + "\"\n");
  const auto f = input_error([&] { (void)sim::config::read_toml_file(path, small); });
  CHECK(f.file() == path);
  CHECK_THAT(f.detail(), Catch::Contains("limit"));
  CHECK_NOTHROW(sim::config::read_toml_file(path));
}

TEST_CASE("a NUL byte is refused") {
  std::string text = "a = 1\nb = 2\n";
  text[7] = '\0';
  const auto e = input_error([&] { (void)parse(text); });
  CHECK_THAT(e.detail(), Catch::Contains("NUL"));
  CHECK(std::string(e.what()).find('\n') == std::string::npos);
}

TEST_CASE("dates and times are refused, naming the key and its line") {
  for (const std::string value : {"1979-05-27T07:32:00Z", "1979-05-27", "07:32:00", "1979-05-27T07:32:00"}) {
    INFO(value);
    const auto e = input_error([&] { (void)parse("a = 1\n[run]\nstart = " + value + "\n"); });
    CHECK(e.key() == "run.start");
    CHECK(e.line() == 3);
    CHECK_THAT(e.detail(), Catch::Contains("date"));
  }
}

TEST_CASE("a missing file is an InputError saying there is no such file") {
  const std::string path = lwsim_test::temporary_path("does_not_exist.toml");
  const auto e = input_error([&] { (void)sim::config::read_toml_file(path); });
  CHECK(e.file() == path);
  CHECK(e.detail() == "no such file");
  CHECK_THAT(e.what(), Catch::StartsWith(path + ": ") && Catch::Contains("no such file"));
}

TEST_CASE("a directory is not read as a file") {
  const std::string dir = lwsim_test::temporary_path("a_directory.toml");
  std::filesystem::create_directories(dir);
  const auto e = input_error([&] { (void)sim::config::read_toml_file(dir); });
  CHECK(e.file() == dir);
  CHECK_THAT(e.detail(), Catch::Contains("directory"));
}

TEST_CASE("a file is read with its name on every value") {
  const std::string path = lwsim_test::temporary_path("values.toml");
  write_file(path, "# header\n[run]\nseed = 5\n");
  const Value root = sim::config::read_toml_file(path);
  CHECK(root.at("run").at("seed").file() == path);
  CHECK(root.at("run").at("seed").line() == 3);
}

TEST_CASE("expect_keys names the first unknown key and its line") {
  const Value root = parse(
      "[run]\n"
      "replicates = 10\n"
      "seeed = 3\n"
      "other = 4\n");
  const auto e = input_error([&] { root.at("run").expect_keys({"replicates", "seed"}); });
  CHECK(e.key() == "run.seeed");
  CHECK(e.line() == 3);
  CHECK_THAT(e.detail(), Catch::Contains("unknown key"));
  // The initializer-list form lists what is allowed.
  CHECK_THAT(e.detail(), Catch::Contains("replicates") && Catch::Contains("seed"));
  const std::vector<std::string> allowed = {"replicates", "seed", "seeed"};
  const auto f = input_error([&] { root.at("run").expect_keys(allowed); });
  CHECK(f.key() == "run.other");
  CHECK(f.line() == 4);
  CHECK_NOTHROW(root.at("run").expect_keys({"replicates", "seeed", "other"}));
}

TEST_CASE("at() on a missing key names its full dotted path") {
  const Value root = parse("[evaluation.phases]\nP1 = [0, 13]\n");
  const auto e = input_error([&] { (void)root.at("evaluation").at("phases").at("P4"); });
  CHECK(e.key() == "evaluation.phases.P4");
  CHECK_THAT(e.detail(), Catch::Contains("missing"));
  const auto f = input_error([&] { (void)root.at("run"); });
  CHECK(f.key() == "run");
  CHECK(root.find("run") == nullptr);
  CHECK(root.at("evaluation").find("phases") != nullptr);
}

TEST_CASE("set replaces a key in place and appends a new one at the end") {
  Value root = parse("a = 1\nb = 2\nc = 3\n");
  root.set("b", Value::make_string({}, "b", "two"));
  root.set("d", Value::make_integer({}, "d", 4));
  std::vector<std::string> keys;
  for (const auto& [k, v] : root.entries()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(root.at("b").as_string() == "two");
  CHECK(root.at("d").as_integer() == 4);
}

TEST_CASE("rebase_path rewrites the paths of a subtree") {
  Value root = parse("[x]\ny = [{ z = 1 }, { z = 2 }]\n");
  Value moved = root.at("x");
  moved.rebase_path("base.x");
  CHECK(moved.path() == "base.x");
  CHECK(moved.at("y").path() == "base.x.y");
  CHECK(moved.at("y").items().at(1).at("z").path() == "base.x.y[1].z");
}

// ---------------------------------------------------------------------------------------------
// Writing

TEST_CASE("write_toml round-trips parsed documents") {
  const Value root = parse(
      "title = \"Deep End\"\n"
      "count = 7\n"
      "flags = [true, false]\n"
      "matrix = [[1, 2], [3]]\n"
      "empty = []\n"
      "inline = { a = 1, b = \"two\" }\n"
      "[parameters.clp]\n"
      "departure_hazard = 0.004\n"
      "[parameters.leadership]\n"
      "meeting_rate = 0.5\n"
      "[[practice]]\n"
      "name = \"Magenta\"\n"
      "list_size = 2244\n"
      "[practice.extra]\n"
      "note = \"sub-table of the first practice\"\n"
      "[[practice]]\n"
      "name = \"Ochre\"\n"
      "[[practice.visits]]\n"
      "week = 3\n"
      "[[practice.visits]]\n"
      "week = 9\n"
      "[empty_table]\n");
  // Plain keys come before the tables here, so even the order of keys survives.
  check_round_trip(root, true);
}

TEST_CASE("write_toml writes reals that read back to the same double") {
  const std::vector<double> reals = {0.1,
                                     1.0,
                                     -1.0,
                                     1e-300,
                                     1e300,
                                     0.30000000000000004,
                                     1.0 / 3.0,
                                     2.0 / 3.0,
                                     123456789.125,
                                     9007199254740992.0,
                                     1e16,
                                     1e21,
                                     6.02214076e23,
                                     -0.0,
                                     std::numeric_limits<double>::max(),
                                     std::numeric_limits<double>::min(),
                                     std::numeric_limits<double>::epsilon(),
                                     std::numeric_limits<double>::infinity(),
                                     -std::numeric_limits<double>::infinity(),
                                     std::numeric_limits<double>::quiet_NaN()};
  Value root = Value::make_table({}, "");
  Value array = Value::make_array({}, "all");
  for (std::size_t i = 0; i < reals.size(); ++i) {
    root.set("r" + std::to_string(i), Value::make_real({}, "r" + std::to_string(i), reals[i]));
    array.mutable_items().push_back(Value::make_real({}, "", reals[i]));
  }
  root.set("all", array);
  check_round_trip(root);
  // And each one stays a real, even when it is a whole number.
  const Value again = parse(sim::config::write_toml(root));
  CHECK(again.at("r1").kind() == Kind::real);
  CHECK(again.at("r8").kind() == Kind::real);
  CHECK(std::signbit(again.at("r13").as_real()));
}

TEST_CASE("write_toml round-trips the smallest subnormal double") {
  Value root = Value::make_table({}, "");
  root.set("tiny", Value::make_real({}, "tiny", std::numeric_limits<double>::denorm_min()));
  check_round_trip(root);
}

TEST_CASE("write_toml round-trips strings with quotes, escapes, tabs, newlines and unicode") {
  const std::vector<std::string> strings = {"",
                                            "plain",
                                            "with \"double\" quotes",
                                            "with 'single' quotes",
                                            "back\\slash \\n not a newline",
                                            "line one\nline two\n",
                                            "tab\there, carriage\rreturn",
                                            "Glasgow – Ünïcödé 😀 日本語",
                                            "\"\"\" triple quotes ''' too",
                                            "# not a comment",
                                            "[not] = {a table}"};
  Value root = Value::make_table({}, "");
  for (std::size_t i = 0; i < strings.size(); ++i) {
    root.set("s" + std::to_string(i), Value::make_string({}, "", strings[i]));
  }
  check_round_trip(root);
}

TEST_CASE("write_toml escapes other control characters, which the reader refuses") {
  // They cannot come from a file lwsim has read (see the next test), but written they stay visible.
  Value root = Value::make_table({}, "");
  root.set("s", Value::make_string({}, "", "bell \x07 escape \x1b del \x7f"));
  const std::string written = sim::config::write_toml(root);
  CHECK(written.find('\x07') == std::string::npos);
  CHECK(written.find('\x1b') == std::string::npos);
  const auto e = input_error([&] { (void)parse(written); });
  CHECK(e.key() == "s");
  CHECK_THAT(e.detail(), Catch::Contains("control character U+0007"));
}

TEST_CASE("control characters in strings and keys are refused at their line, but tab and newline are not") {
  for (const std::string escape : {"\\u0000", "\\u001b", "\\u007f", "\\b", "\\f"}) {
    INFO(escape);
    const auto e = input_error([&] { (void)parse("a = 1\n[practice]\nname = \"x" + escape + "y\"\n"); });
    CHECK(e.line() == 3);
    CHECK(e.key() == "practice.name");
    CHECK_THAT(e.detail(), Catch::Contains("control character"));
    CHECK(std::string(e.what()).find('\x1b') == std::string::npos);
  }
  const auto key = input_error([&] { (void)parse("a = 1\n\"k\\u0000ey\" = 2\n"); });
  CHECK(key.line() == 2);
  CHECK_THAT(key.detail(), Catch::Contains("a key contains the control character U+0000"));
  CHECK(parse("s = \"tab\\there\\nnewline\"\n").at("s").as_string() == "tab\there\nnewline");
}

TEST_CASE("text that is not UTF-8 is refused at the line of the first bad byte") {
  for (const std::string bad : {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"}) {
    const auto e = input_error([&] { (void)parse("a = 1\n# ok\ntitle = \"x" + bad + "\"\n"); });
    CHECK(e.line() == 3);
    CHECK_THAT(e.detail(), Catch::Contains("not valid UTF-8"));
  }
  CHECK(parse("t = \"Glasgow – Ünïcödé 😀\"\n").at("t").as_string() == "Glasgow – Ünïcödé 😀");
}

TEST_CASE("strings and keys longer than the limits are refused, naming their length") {
  sim::config::ReadLimits limits;
  limits.max_string_bytes = 100;
  limits.max_key_bytes = 10;
  CHECK(parse("s = \"" + std::string(100, 'x') + "\"\n", limits).at("s").as_string().size() == 100);
  const auto e = input_error([&] { (void)parse("a = 1\ns = \"" + std::string(101, 'x') + "\"\n", limits); });
  CHECK(e.line() == 2);
  CHECK_THAT(e.detail(), Catch::Contains("101 bytes is longer than the limit of 100"));
  const auto k = input_error([&] { (void)parse(std::string(11, 'k') + " = 1\n", limits); });
  CHECK_THAT(k.detail(), Catch::Contains("a key of 11 bytes"));
  // The default allows a long description but not a 10 MB name.
  const auto big = input_error([&] { (void)parse("name = \"" + std::string(10'000'000, 'n') + "\"\n"); });
  CHECK_THAT(big.detail(), Catch::Contains("10000000 bytes"));
  CHECK(std::string(big.what()).size() < 1000);
}

TEST_CASE("a device is not read as a scenario file") {
  const auto e = input_error([] { (void)sim::config::read_toml_file("/dev/zero"); });
  CHECK(e.file() == "/dev/zero");
  CHECK_THAT(e.detail(), Catch::Contains("device"));
}

TEST_CASE("write_toml round-trips keys that need quoting") {
  Value root = Value::make_table({}, "");
  for (const std::string key : {"plain_key", "with space", "dotted.key", "quote\"key", "ünï", "123", "true",
                                "a-b", "", "a]b", "a[b", "#x", "a=b", "new\nline", "tab\tkey"}) {
    Value table = Value::make_table({}, key);
    table.set(key, Value::make_integer({}, "", 1));
    root.set(key + "_value", Value::make_integer({}, "", 2));
    root.set(key, table);
  }
  check_round_trip(root);
}

TEST_CASE("write_toml round-trips extreme integers and booleans") {
  Value root = Value::make_table({}, "");
  root.set("min", Value::make_integer({}, "", std::numeric_limits<std::int64_t>::min()));
  root.set("max", Value::make_integer({}, "", std::numeric_limits<std::int64_t>::max()));
  root.set("zero", Value::make_integer({}, "", 0));
  root.set("yes", Value::make_boolean({}, "", true));
  root.set("no", Value::make_boolean({}, "", false));
  check_round_trip(root);
}

TEST_CASE("write_toml round-trips arrays of tables nested in tables and in each other") {
  Value root = Value::make_table({}, "");
  Value outer = Value::make_table({}, "");
  Value practices = Value::make_array({}, "");
  for (int p = 0; p < 3; ++p) {
    Value practice = Value::make_table({}, "");
    practice.set("name", Value::make_string({}, "", "practice " + std::to_string(p)));
    practice.set("share", Value::make_real({}, "", 0.1 * p));
    Value staff = Value::make_array({}, "");
    for (int s = 0; s < p; ++s) {
      Value member = Value::make_table({}, "");
      member.set("role", Value::make_string({}, "", s == 0 ? "lead GP" : "nurse"));
      Value ties = Value::make_table({}, "");
      ties.set("strength", Value::make_real({}, "", 0.25 * s));
      member.set("ties", ties);
      staff.mutable_items().push_back(member);
    }
    if (p > 0) practice.set("staff", staff);
    Value location = Value::make_table({}, "");
    location.set("locality", Value::make_string({}, "", "Glasgow"));
    practice.set("location", location);
    practices.mutable_items().push_back(practice);
  }
  outer.set("practice", practices);
  outer.set("after", Value::make_integer({}, "", 1));  // a plain key after the tables
  root.set("scenario", outer);
  // An array of inline tables inside an array.
  Value grid = Value::make_array({}, "");
  Value row = Value::make_array({}, "");
  Value cell = Value::make_table({}, "");
  cell.set("x", Value::make_integer({}, "", 1));
  row.mutable_items().push_back(cell);
  grid.mutable_items().push_back(row);
  root.set("grid", grid);
  check_round_trip(root);
}
