// Claims about result files (sim/output/result_file.hpp, layout.hpp): a streaming file holds
// every dataset of its layout, self-described (dimension scales, labels, description and units),
// and what is written reads back both through ResultFile and through the plain HDF5 C API that
// h5py and R use; the compressed copy holds the same data chunked and deflated; bad paths are
// OutputErrors naming the file.

#include "sim/output/result_file.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <hdf5.h>
#include <hdf5_hl.h>

#include "sim/output/hdf5.hpp"
#include "sim/output/layout.hpp"
#include "tests/sim/builders.hpp"
#include "tests/support/test_support.hpp"

namespace {
namespace fs = std::filesystem;
using sim::output::ResultFile;
using sim::output::Storage;

constexpr hsize_t kPoints = 2;
constexpr hsize_t kReplicates = 5;

sim::OutputSchema schema() {
  sim::OutputSchema s;
  s.dims = {sim_test::dimension("practice", 3, {"Magenta", "Ochre", "Cyan"}, "practices of the scenario"),
            sim_test::dimension("week", 4, {}, "week since the start")};
  s.fields = {sim_test::field("/results/fip", sim::DType::u8, {"practice"}, "1 = fully integrated", "1"),
              sim_test::field("/results/fip_count", sim::DType::i32, {}, "number of FIPs", "practices"),
              sim_test::field("/results/weight", sim::DType::f64, {"practice"}, "a real per practice", "kg")};
  s.accumulators = {sim_test::accumulator("/timeseries/coherence", {"week", "practice"}, 32, "",
                                          "mean coherence", "score")};
  s.observables = {sim_test::observable("fip_count", "/results/fip_count", 3)};
  s.statics = {sim_test::static_array("/practices/list_size", {"practice"}, "registered patients", "patients",
                                      std::vector<std::int64_t>{2244, 4653, 5130}),
               sim_test::static_array("/practices/name", {"practice"}, "practice names", "",
                                      std::vector<std::string>{"Magenta", "Ochre", "Cyan"})};
  s.check();
  return s;
}

sim::output::FileLayout layout(const sim::OutputSchema& s) {
  sim::output::DesignInfo design;
  design.kind = "grid";
  design.points = kPoints;
  design.parameters = {"clp.departure_hazard"};
  design.values = {{0.004, 0.008}};
  sim::Observation observed;
  observed.values = {{"fip_count", 3}};
  return sim::output::make_layout(s, design, kReplicates, &observed);
}

const sim::output::Attributes kAttributes = {{"model", std::string("lwp")},
                                             {"seed", std::int64_t{20141101}},
                                             {"threads", std::int64_t{2}},
                                             {"fraction", 0.25}};

// Deterministic contents: fip[p, r, k], fip_count[p, r], weight[p, r, k] and per-point summaries.
std::uint8_t fip(hsize_t p, hsize_t r, hsize_t k) {
  return static_cast<std::uint8_t>((p + 2 * r + k) % 2);
}
std::int32_t fip_count(hsize_t p, hsize_t r) {
  return static_cast<std::int32_t>((p + r) % 4);
}
double weight(hsize_t p, hsize_t r, hsize_t k) {
  return 0.1 * static_cast<double>(p * 100 + r * 10 + k);
}

std::string fresh_path(const std::string& name) {
  const std::string path = lwsim_test::temporary_path(name);
  fs::remove(path);
  return path;
}

// Writes a complete file: every replicate of every point in blocks of 2 (the last block
// partial), summaries and status, as the writer would.
void write_everything(ResultFile& file) {
  for (hsize_t p = 0; p < kPoints; ++p) {
    for (hsize_t first = 0; first < kReplicates; first += 2) {
      const hsize_t count = std::min<hsize_t>(2, kReplicates - first);
      std::vector<std::uint8_t> f;
      std::vector<std::int32_t> c;
      std::vector<double> w;
      for (hsize_t r = first; r < first + count; ++r) {
        c.push_back(fip_count(p, r));
        for (hsize_t k = 0; k < 3; ++k) {
          f.push_back(fip(p, r, k));
          w.push_back(weight(p, r, k));
        }
      }
      file.write_block("/results/fip", sim::DType::u8, p, first, count, f.data());
      file.write_block("/results/fip_count", sim::DType::i32, p, first, count, c.data());
      file.write_block("/results/weight", sim::DType::f64, p, first, count, w.data());
    }
    std::vector<double> coherence(12);
    for (std::size_t i = 0; i < coherence.size(); ++i)
      coherence[i] = static_cast<double>(p) + 0.01 * static_cast<double>(i);
    file.write_point("/timeseries/coherence", sim::DType::f64, p, coherence.data());
    const std::vector<double> distribution = {0.1, 0.2, 0.3, 0.4};
    file.write_point("/summary/fip_count_distribution", sim::DType::f64, p, distribution.data());
    const double p_observed = 0.4 + static_cast<double>(p);
    file.write_point(sim::output::kObservedProbabilityPath, sim::DType::f64, p, &p_observed);
    const std::uint8_t one = 1;
    file.write_point(sim::output::kStatusPath, sim::DType::u8, p, &one);
  }
  file.flush_to_disk();
}

std::string create_complete_file(const std::string& name) {
  const std::string path = fresh_path(name);
  const auto s = schema();
  ResultFile file = ResultFile::create(path, layout(s), kAttributes, Storage::streaming);
  write_everything(file);
  file.close();
  return path;
}

// --- plain HDF5 C API helpers (what h5py or R would do) ---

struct Raw {
  hid_t id;
  explicit Raw(hid_t i) : id(i) { REQUIRE(id >= 0); }
  Raw(const Raw&) = delete;
  Raw& operator=(const Raw&) = delete;
  ~Raw() { H5Idec_ref(id); }
};

// Text is stored as fixed-length, NUL-padded UTF-8 (schema 2: nothing in the global heap).
std::string raw_string_attribute(hid_t object, const char* name) {
  const Raw attr(H5Aopen(object, name, H5P_DEFAULT));
  const Raw stored(H5Aget_type(attr.id));
  REQUIRE(H5Tget_class(stored.id) == H5T_STRING);
  REQUIRE(H5Tis_variable_str(stored.id) == 0);
  REQUIRE(H5Tget_cset(stored.id) == H5T_CSET_UTF8);
  REQUIRE(H5Tget_strpad(stored.id) == H5T_STR_NULLPAD);
  std::string out(H5Tget_size(stored.id), '\0');
  REQUIRE(H5Aread(attr.id, stored.id, out.data()) >= 0);
  out.resize(out.find('\0') == std::string::npos ? out.size() : out.find('\0'));
  return out;
}

template <class T>
std::vector<T> raw_read(hid_t file, const char* path, hid_t memory_type) {
  const Raw ds(H5Dopen2(file, path, H5P_DEFAULT));
  const Raw space(H5Dget_space(ds.id));
  const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.id));
  std::vector<T> out(n);
  REQUIRE(H5Dread(ds.id, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) >= 0);
  return out;
}

std::vector<hsize_t> raw_shape(hid_t file, const char* path) {
  const Raw ds(H5Dopen2(file, path, H5P_DEFAULT));
  const Raw space(H5Dget_space(ds.id));
  std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space.id)));
  H5Sget_simple_extent_dims(space.id, dims.data(), nullptr);
  return dims;
}

std::string raw_label(hid_t ds, unsigned dim) {
  char buffer[128] = {};
  REQUIRE(H5DSget_label(ds, dim, buffer, sizeof buffer) >= 0);
  return buffer;
}

template <class F>
sim::h5::OutputError output_error(F&& f) {
  try {
    f();
  } catch (const sim::h5::OutputError& e) {
    return e;
  }
  FAIL("no OutputError was thrown");
  throw std::logic_error("unreachable");
}

}  // namespace

// ---------------------------------------------------------------------------------------------

TEST_CASE("a layout lists every dataset with the dimensions of the contract") {
  const auto s = schema();
  const auto l = layout(s);
  CHECK(l.at("/results/fip").dims == std::vector<std::string>{"point", "replicate", "practice"});
  CHECK(l.at("/results/fip").shape == std::vector<hsize_t>{kPoints, kReplicates, 3});
  CHECK(l.at("/results/fip_count").shape == std::vector<hsize_t>{kPoints, kReplicates});
  CHECK(l.at("/timeseries/coherence").dims == std::vector<std::string>{"point", "week", "practice"});
  CHECK(l.at("/summary/fip_count_distribution").shape == std::vector<hsize_t>{kPoints, 4});
  CHECK(l.at("/design/clp.departure_hazard").shape == std::vector<hsize_t>{kPoints});
  CHECK(l.at(sim::output::kStatusPath).shape == std::vector<hsize_t>{kPoints});
  CHECK(l.contains(sim::output::kObservedProbabilityPath));
  CHECK(l.contains(sim::output::kObservedErrorPath));
  CHECK(l.contains("/dims/practice"));
  CHECK(l.contains("/dims/fip_count"));
  CHECK_FALSE(l.contains("/results/nothing"));
  CHECK_THROWS_AS(l.at("/results/nothing"), std::out_of_range);
  for (const auto& plan : l.datasets) {
    INFO(plan.path);
    CHECK_FALSE(plan.description.empty());
    CHECK(plan.dims.size() == plan.shape.size());
  }
}

TEST_CASE("without an observation the layout has no P(observed) datasets") {
  const auto s = schema();
  const auto l = sim::output::make_layout(s, {}, kReplicates, nullptr);
  CHECK_FALSE(l.contains(sim::output::kObservedProbabilityPath));
  CHECK(l.at("/results/fip").shape == std::vector<hsize_t>{1, kReplicates, 3});
}

TEST_CASE("a new streaming file says no point is complete and holds zeros") {
  const std::string path = fresh_path("new.h5");
  const auto s = schema();
  ResultFile file = ResultFile::create(path, layout(s), kAttributes, Storage::streaming);
  CHECK(file.read_status() == std::vector<std::uint8_t>{0, 0});
  const auto weights = file.read_doubles("/results/weight");
  CHECK(weights.size() == kPoints * kReplicates * 3);
  CHECK(std::all_of(weights.begin(), weights.end(), [](double w) { return w == 0.0; }));
}

TEST_CASE("what is written to a streaming file reads back through ResultFile") {
  const std::string path = create_complete_file("readback.h5");
  const ResultFile file = ResultFile::open(path, false);
  CHECK(file.shape("/results/fip") == std::vector<hsize_t>{kPoints, kReplicates, 3});
  CHECK(file.read_status() == std::vector<std::uint8_t>{1, 1});
  const auto weights = file.read_doubles("/results/weight");
  std::vector<std::uint8_t> flags(kPoints * kReplicates * 3);
  file.read_points("/results/fip", sim::DType::u8, 0, kPoints, flags.data());
  std::vector<std::int32_t> counts(kReplicates);
  file.read_points("/results/fip_count", sim::DType::i32, 1, 1, counts.data());
  for (hsize_t p = 0; p < kPoints; ++p) {
    for (hsize_t r = 0; r < kReplicates; ++r) {
      for (hsize_t k = 0; k < 3; ++k) {
        const std::size_t i = static_cast<std::size_t>((p * kReplicates + r) * 3 + k);
        REQUIRE(weights[i] == weight(p, r, k));
        REQUIRE(flags[i] == fip(p, r, k));
      }
      if (p == 1) REQUIRE(counts[static_cast<std::size_t>(r)] == fip_count(1, r));
    }
  }
  CHECK(file.read_strings("/dims/practice") == std::vector<std::string>{"Magenta", "Ochre", "Cyan"});
  CHECK(file.read_strings("/practices/name") == std::vector<std::string>{"Magenta", "Ochre", "Cyan"});
  CHECK(file.read_doubles("/practices/list_size") == std::vector<double>{2244, 4653, 5130});
  CHECK(file.read_doubles("/design/clp.departure_hazard") == std::vector<double>{0.004, 0.008});
  CHECK(file.read_doubles(sim::output::kObservedProbabilityPath) == std::vector<double>{0.4, 1.4});
  CHECK(file.attribute_string("model") == "lwp");
  CHECK(file.attribute_int("seed") == 20141101);
  CHECK(file.has_dataset("/results/fip"));
  CHECK_FALSE(file.has_dataset("/results/none"));
  CHECK_FALSE(file.has_dataset("/no/such/group"));
  CHECK_FALSE(file.has_dataset("/results"));  // a group, not a dataset
  const auto attributes = sim::output::read_root_attributes(file);
  CHECK(attributes.size() == kAttributes.size());
  for (const auto& [name, value] : kAttributes) {
    INFO(name);
    const auto it =
        std::find_if(attributes.begin(), attributes.end(), [&](const auto& a) { return a.first == name; });
    REQUIRE(it != attributes.end());
    CHECK(it->second == value);
  }
}

TEST_CASE("what is written reads back through the plain HDF5 C API, with named dimensions") {
  const std::string path = create_complete_file("raw.h5");
  const Raw file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  const auto flags = raw_read<std::uint8_t>(file.id, "/results/fip", H5T_NATIVE_UINT8);
  const auto counts = raw_read<std::int32_t>(file.id, "/results/fip_count", H5T_NATIVE_INT32);
  REQUIRE(flags.size() == kPoints * kReplicates * 3);
  for (hsize_t p = 0; p < kPoints; ++p) {
    for (hsize_t r = 0; r < kReplicates; ++r) {
      REQUIRE(counts[static_cast<std::size_t>(p * kReplicates + r)] == fip_count(p, r));
      for (hsize_t k = 0; k < 3; ++k)
        REQUIRE(flags[static_cast<std::size_t>((p * kReplicates + r) * 3 + k)] == fip(p, r, k));
    }
  }
  CHECK(raw_shape(file.id, "/results/fip") == std::vector<hsize_t>{kPoints, kReplicates, 3});

  SECTION("every dimension of a result carries its name, and is attached to its scale") {
    const Raw ds(H5Dopen2(file.id, "/results/fip", H5P_DEFAULT));
    CHECK(raw_label(ds.id, 0) == "point");
    CHECK(raw_label(ds.id, 1) == "replicate");
    CHECK(raw_label(ds.id, 2) == "practice");
    const Raw practice_scale(H5Dopen2(file.id, "/dims/practice", H5P_DEFAULT));
    CHECK(H5DSis_scale(practice_scale.id) > 0);
    CHECK(H5DSis_attached(ds.id, practice_scale.id, 2) > 0);
    CHECK(H5DSis_attached(ds.id, practice_scale.id, 1) == 0);
    char name[64] = {};
    REQUIRE(H5DSget_scale_name(practice_scale.id, name, sizeof name) > 0);
    CHECK(std::string(name) == "practice");
    const Raw timeseries(H5Dopen2(file.id, "/timeseries/coherence", H5P_DEFAULT));
    CHECK(raw_label(timeseries.id, 1) == "week");
    CHECK(raw_label(timeseries.id, 2) == "practice");
  }
  SECTION("every dataset has description and units attributes") {
    const Raw ds(H5Dopen2(file.id, "/results/weight", H5P_DEFAULT));
    CHECK(raw_string_attribute(ds.id, "description") == "a real per practice");
    CHECK(raw_string_attribute(ds.id, "units") == "kg");
    const auto s = schema();
    for (const auto& plan : layout(s).datasets) {
      INFO(plan.path);
      const Raw d(H5Dopen2(file.id, plan.path.c_str(), H5P_DEFAULT));
      CHECK(H5Aexists(d.id, "description") > 0);
      CHECK(H5Aexists(d.id, "units") > 0);
      CHECK(raw_string_attribute(d.id, "description") == plan.description);
    }
  }
  SECTION("practice labels are strings h5py reads as a str array") {
    const Raw ds(H5Dopen2(file.id, "/dims/practice", H5P_DEFAULT));
    const Raw type(H5Dget_type(ds.id));
    CHECK(H5Tget_class(type.id) == H5T_STRING);
    CHECK(H5Tget_cset(type.id) == H5T_CSET_UTF8);
  }
  SECTION("a streaming file is contiguous and unfiltered, so writing changes no metadata") {
    const Raw ds(H5Dopen2(file.id, "/results/fip", H5P_DEFAULT));
    const Raw plist(H5Dget_create_plist(ds.id));
    CHECK(H5Pget_layout(plist.id) == H5D_CONTIGUOUS);
    CHECK(H5Pget_nfilters(plist.id) == 0);
  }
  SECTION("root attributes hold the provenance given at creation") {
    CHECK(raw_string_attribute(file.id, "model") == "lwp");
  }
}

TEST_CASE("the compressed copy holds identical data, chunked and deflated") {
  const std::string source_path = create_complete_file("to_compress.h5");
  const std::string copy_path = fresh_path("compressed.h5");
  const auto s = schema();
  const auto l = layout(s);
  {
    const ResultFile source = ResultFile::open(source_path, false);
    sim::output::write_copy(source, l, kAttributes, copy_path, sim::output::Storage::compressed);
  }
  {
    const Raw original(H5Fopen(source_path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    const Raw copy(H5Fopen(copy_path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    for (const auto& plan : l.datasets) {
      INFO(plan.path);
      if (!plan.is_string) {
        // Compare as doubles: exact for every type used here.
        CHECK(raw_read<double>(copy.id, plan.path.c_str(), H5T_NATIVE_DOUBLE) ==
              raw_read<double>(original.id, plan.path.c_str(), H5T_NATIVE_DOUBLE));
      }
      const Raw ds(H5Dopen2(copy.id, plan.path.c_str(), H5P_DEFAULT));
      const Raw plist(H5Dget_create_plist(ds.id));
      CHECK(H5Pget_layout(plist.id) == H5D_CHUNKED);
      const int filters = H5Pget_nfilters(plist.id);
      CHECK(filters > 0);
      bool deflate = false;
      for (int f = 0; f < filters; ++f) {
        unsigned flags = 0;
        std::size_t n = 0;
        char name[64] = {};
        deflate = deflate || H5Pget_filter2(plist.id, static_cast<unsigned>(f), &flags, &n, nullptr,
                                            sizeof name, name, nullptr) == H5Z_FILTER_DEFLATE;
      }
      CHECK(deflate);
    }
    const Raw ds(H5Dopen2(copy.id, "/results/fip", H5P_DEFAULT));
    CHECK(raw_label(ds.id, 2) == "practice");
    CHECK(raw_string_attribute(ds.id, "units") == "1");
    CHECK(raw_string_attribute(copy.id, "model") == "lwp");
  }
  const ResultFile reopened = ResultFile::open(copy_path, false);
  CHECK(reopened.read_strings("/dims/practice") == std::vector<std::string>{"Magenta", "Ochre", "Cyan"});
  CHECK(reopened.read_strings("/practices/name") == std::vector<std::string>{"Magenta", "Ochre", "Cyan"});
  CHECK(reopened.read_status() == std::vector<std::uint8_t>{1, 1});
}

TEST_CASE("files are written in the checksummed HDF5 1.8 format, text as fixed-length strings") {
  const std::string path = create_complete_file("format.h5");
  {
    const Raw file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    const Raw fcpl(H5Fget_create_plist(file.id));
    unsigned superblock = 0;
    REQUIRE(H5Pget_version(fcpl.id, &superblock, nullptr, nullptr, nullptr) >= 0);
    CHECK(superblock == 2);  // 0 in the default format (no checksums); 3 marks files open for writing
    const Raw names(H5Dopen2(file.id, "/practices/name", H5P_DEFAULT));
    const Raw type(H5Dget_type(names.id));
    CHECK(H5Tget_class(type.id) == H5T_STRING);
    CHECK(H5Tis_variable_str(type.id) == 0);
  }
  CHECK(ResultFile::open(path, false).read_strings("/practices/name") ==
        std::vector<std::string>{"Magenta", "Ochre", "Cyan"});
}

TEST_CASE("text stored as variable-length strings (schema 1) still reads back") {
  const std::string path = fresh_path("schema1.h5");
  {
    const Raw file(H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT));
    const Raw type(H5Tcopy(H5T_C_S1));
    H5Tset_size(type.id, H5T_VARIABLE);
    H5Tset_cset(type.id, H5T_CSET_UTF8);
    const Raw scalar(H5Screate(H5S_SCALAR));
    const Raw attr(H5Acreate2(file.id, "model", type.id, scalar.id, H5P_DEFAULT, H5P_DEFAULT));
    const char* model = "lwp";
    REQUIRE(H5Awrite(attr.id, type.id, &model) >= 0);
    const hsize_t n = 3;
    const Raw space(H5Screate_simple(1, &n, nullptr));
    const Raw ds(H5Dcreate2(file.id, "/names", type.id, space.id, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    const char* names[] = {"Practice \xc3\xa9", "", "C"};
    REQUIRE(H5Dwrite(ds.id, type.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, names) >= 0);
  }
  const ResultFile file = ResultFile::open(path, false);
  CHECK(file.attribute_string("model") == "lwp");
  CHECK(file.read_strings("/names") == std::vector<std::string>{"Practice \xc3\xa9", "", "C"});
}

TEST_CASE("opening a file that is not HDF5 is an OutputError naming the file") {
  const std::string path = fresh_path("not_hdf5.h5");
  std::ofstream(path) << "title = \"a TOML file, not HDF5\"\n";
  const auto e = output_error([&] { (void)ResultFile::open(path, false); });
  CHECK(e.file() == path);
  CHECK_THAT(e.what(), Catch::StartsWith(path + ": ") && Catch::Contains("not an HDF5 file"));
  const auto empty = fresh_path("empty.h5");
  std::ofstream{empty};
  CHECK_THROWS_AS(ResultFile::open(empty, false), sim::h5::OutputError);
}

TEST_CASE("opening a missing file is an OutputError saying so") {
  const std::string path = fresh_path("missing.h5");
  const auto e = output_error([&] { (void)ResultFile::open(path, true); });
  CHECK(e.file() == path);
  CHECK_THAT(e.what(), Catch::Contains("no such file"));
}

TEST_CASE("creating a result file over an existing file fails and leaves it untouched") {
  const std::string path = fresh_path("existing.txt");
  std::ofstream(path) << "precious";
  const auto s = schema();
  const auto e =
      output_error([&] { (void)ResultFile::create(path, layout(s), kAttributes, Storage::streaming); });
  CHECK(e.file() == path);
  std::ifstream in(path);
  std::string content;
  in >> content;
  CHECK(content == "precious");
  // The same for an existing HDF5 result.
  const std::string h5 = create_complete_file("existing.h5");
  CHECK_THROWS_AS(ResultFile::create(h5, layout(s), kAttributes, Storage::streaming), sim::h5::OutputError);
  CHECK(ResultFile::open(h5, false).read_status() == std::vector<std::uint8_t>{1, 1});
}

TEST_CASE("writing outside a dataset's extent is refused") {
  const std::string path = fresh_path("extent.h5");
  const auto s = schema();
  ResultFile file = ResultFile::create(path, layout(s), kAttributes, Storage::streaming);
  const std::vector<std::uint8_t> f(3 * 3, 1);
  CHECK_THROWS_AS(file.write_block("/results/fip", sim::DType::u8, kPoints, 0, 1, f.data()),
                  sim::h5::OutputError);
  CHECK_THROWS_AS(file.write_block("/results/fip", sim::DType::u8, 0, kReplicates - 1, 2, f.data()),
                  sim::h5::OutputError);
  const std::uint8_t one = 1;
  CHECK_THROWS_AS(file.write_point(sim::output::kStatusPath, sim::DType::u8, kPoints, &one),
                  sim::h5::OutputError);
  CHECK_THROWS_AS(file.write_point("/results/none", sim::DType::u8, 0, &one), sim::h5::OutputError);
  CHECK(file.read_status() == std::vector<std::uint8_t>{0, 0});
}

namespace {
// One point, many replicates: the shape of `lwsim run -o` (a single design point).
constexpr hsize_t kRunReplicates = 3000;
constexpr std::size_t kRunColumns = 100;

sim::OutputSchema run_schema() {
  sim::OutputSchema s;
  s.dims = {sim_test::dimension("column", kRunColumns, {}, "columns of a wide result")};
  s.fields = {sim_test::field("/results/wide", sim::DType::f64, {"column"}, "a wide real result", "1")};
  s.check();
  return s;
}

sim::output::FileLayout run_layout(const sim::OutputSchema& s, hsize_t replicates) {
  sim::output::DesignInfo design;  // one point
  return sim::output::make_layout(s, design, replicates, nullptr);
}

double wide(hsize_t r, std::size_t c) {
  return static_cast<double>(r) + 1e-3 * static_cast<double>(c);
}
}  // namespace

TEST_CASE("the copy of a single point moves bands of replicates, not the whole dataset") {
  // /survey/responses of `lwsim run --replicates 100000`: [1, 100000, 2, 44, 20] bytes, 176 MB.
  sim::output::DatasetPlan responses;
  responses.path = "/survey/responses";
  responses.role = sim::output::Role::field;
  responses.type = sim::DType::u8;
  responses.shape = {1, 100000, 2, 44, 20};
  for (const Storage storage : {Storage::compressed, Storage::streaming}) {
    const auto slab = sim::output::copy_slab_shape(responses, storage);
    REQUIRE(slab.size() == 5);
    std::size_t bytes = 1;
    for (hsize_t n : slab) bytes *= static_cast<std::size_t>(n);
    CHECK(bytes <= (std::size_t{1} << 20));
    CHECK(slab[1] < 100000);
    CHECK(slab[2] == 2);  // the dimensions after the split stay whole
  }
  // A sweep's many small points still go in whole rows of points.
  sim::output::DatasetPlan points = responses;
  points.shape = {1000, 10, 2, 44, 20};
  const auto rows = sim::output::copy_slab_shape(points, Storage::compressed);
  CHECK(rows[0] > 1);
  CHECK(rows[1] == 10);
}

TEST_CASE("a single point larger than a slab is copied compressed with every value intact") {
  const auto s = run_schema();
  const auto l = run_layout(s, kRunReplicates);
  const std::string source_path = fresh_path("wide_source.h5");
  const std::string copy_path = fresh_path("wide_copy.h5");
  {
    ResultFile file = ResultFile::create(source_path, l, kAttributes, Storage::streaming);
    for (hsize_t first = 0; first < kRunReplicates; first += 256) {
      const hsize_t count = std::min<hsize_t>(256, kRunReplicates - first);
      std::vector<double> block;
      for (hsize_t r = first; r < first + count; ++r)
        for (std::size_t c = 0; c < kRunColumns; ++c) block.push_back(wide(r, c));
      file.write_block("/results/wide", sim::DType::f64, 0, first, count, block.data());
    }
    const std::uint8_t one = 1;
    file.write_point(sim::output::kStatusPath, sim::DType::u8, 0, &one);
    file.close();
  }
  const auto plan = std::find_if(l.datasets.begin(), l.datasets.end(),
                                 [](const auto& p) { return p.path == "/results/wide"; });
  REQUIRE(plan != l.datasets.end());
  REQUIRE(sim::output::copy_slab_shape(*plan, Storage::compressed)[1] < kRunReplicates);  // several slabs
  {
    const ResultFile source = ResultFile::open(source_path, false);
    sim::output::write_copy(source, l, kAttributes, copy_path, Storage::compressed);
  }
  const Raw copy(H5Fopen(copy_path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  const auto values = raw_read<double>(copy.id, "/results/wide", H5T_NATIVE_DOUBLE);
  REQUIRE(values.size() == kRunReplicates * kRunColumns);
  std::size_t wrong = 0;
  for (hsize_t r = 0; r < kRunReplicates; ++r)
    for (std::size_t c = 0; c < kRunColumns; ++c)
      wrong += values[r * kRunColumns + c] == wide(r, c) ? 0U : 1U;
  CHECK(wrong == 0);
  CHECK(raw_read<std::uint8_t>(copy.id, sim::output::kStatusPath, H5T_NATIVE_UINT8) ==
        std::vector<std::uint8_t>{1});
}
