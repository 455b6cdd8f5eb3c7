#include "sim/output/result_file.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <hdf5_hl.h>

namespace sim::output {
using h5::check_id;
using h5::check_ok;
using h5::Handle;
using h5::OutputError;

namespace {

constexpr std::size_t kChunkTargetBytes = std::size_t{1} << 20;
constexpr std::size_t kCopySlabBytes = std::size_t{1} << 20;

/// Adds the lifetime of a scope to a WriteClock, when there is one.
class TimedScope {
 public:
  explicit TimedScope(WriteClock* clock) noexcept
      : clock_(clock),
        start_(clock != nullptr ? std::chrono::steady_clock::now()
                                : std::chrono::steady_clock::time_point{}) {}
  TimedScope(const TimedScope&) = delete;
  TimedScope& operator=(const TimedScope&) = delete;
  ~TimedScope() {
    if (clock_ == nullptr) return;
    clock_->spent += std::chrono::steady_clock::now() - start_;
    ++clock_->calls;
  }

 private:
  WriteClock* clock_;
  std::chrono::steady_clock::time_point start_;
};

// The width of the fixed-length strings that hold a plan's text (its longest value, in bytes).
std::size_t string_width(const DatasetPlan& plan) {
  std::size_t width = 1;
  if (const auto* v = std::get_if<std::vector<std::string>>(&plan.data)) {
    for (const std::string& s : *v) width = std::max(width, s.size());
  }
  return width;
}

hid_t file_type(DType type) {
  switch (type) {
    case DType::u8: return H5T_STD_U8LE;
    case DType::i16: return H5T_STD_I16LE;
    case DType::i32: return H5T_STD_I32LE;
    case DType::i64: return H5T_STD_I64LE;
    case DType::f32: return H5T_IEEE_F32LE;
    case DType::f64: return H5T_IEEE_F64LE;
  }
  return H5T_IEEE_F64LE;
}

std::vector<hsize_t> chunk_shape(const DatasetPlan& plan) {
  std::vector<hsize_t> chunk = plan.shape;
  const std::size_t element = plan.is_string ? string_width(plan) : dtype_size(plan.type);
  const auto bytes = [&] {
    std::size_t n = element;
    for (hsize_t c : chunk) n *= static_cast<std::size_t>(c);
    return n;
  };
  for (std::size_t d = 0; d < chunk.size() && bytes() > kChunkTargetBytes; ++d) {
    while (chunk[d] > 1 && bytes() > kChunkTargetBytes) chunk[d] = (chunk[d] + 1) / 2;
  }
  return chunk;
}

void write_attributes(hid_t object, const Attributes& attributes, const std::string& file) {
  for (const auto& attribute : attributes) {
    const std::string& name = attribute.first;  // (clang 14 cannot capture structured bindings)
    std::visit([&](const auto& v) { h5::write_attribute(object, name, v, file); }, attribute.second);
  }
}

Handle create_dataset(hid_t file, const DatasetPlan& plan, Storage storage, const std::string& name) {
  h5::ensure_parent_groups(file, plan.path, name);
  Handle space(check_id(
      plan.shape.empty() ? H5Screate(H5S_SCALAR)
                         : H5Screate_simple(static_cast<int>(plan.shape.size()), plan.shape.data(), nullptr),
      name, "dataspace for " + plan.path));
  Handle dcpl(check_id(H5Pcreate(H5P_DATASET_CREATE), name, "dataset properties"));
  const bool streamed = plan.role == Role::field || plan.role == Role::summary || plan.role == Role::status;
  if (storage == Storage::compressed && plan.elements() > 0 && !plan.shape.empty()) {
    const auto chunk = chunk_shape(plan);
    check_ok(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), name, "chunking");
    if (!plan.is_string) check_ok(H5Pset_shuffle(dcpl.get()), name, "shuffle filter");
    check_ok(H5Pset_deflate(dcpl.get(), 1), name, "deflate filter");
  } else if (streamed) {
    // Allocated and zero-filled now, so that writing results later changes no metadata.
    check_ok(H5Pset_layout(dcpl.get(), H5D_CONTIGUOUS), name, "layout");
    check_ok(H5Pset_alloc_time(dcpl.get(), H5D_ALLOC_TIME_EARLY), name, "allocation time");
    check_ok(H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_ALLOC), name, "fill time");
  }
  Handle str;
  hid_t type = file_type(plan.type);
  if (plan.is_string) {
    str = h5::fixed_string_type(string_width(plan), name);
    type = str.get();
  }
  Handle ds(
      check_id(H5Dcreate2(file, plan.path.c_str(), type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
               name, "creating dataset " + plan.path));
  h5::write_attribute(ds.get(), "description", plan.description, name);
  h5::write_attribute(ds.get(), "units", plan.units, name);
  return ds;
}

void write_data(hid_t ds, const DatasetPlan& plan, const std::string& name) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          const std::size_t width = string_width(plan);
          std::vector<char> packed(v.size() * width, '\0');
          for (std::size_t i = 0; i < v.size(); ++i)
            std::memcpy(packed.data() + i * width, v[i].data(), v[i].size());
          Handle type = h5::fixed_string_type(width, name);
          if (!v.empty()) {
            check_ok(H5Dwrite(ds, type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, packed.data()), name,
                     "writing " + plan.path);
          }
        } else if constexpr (std::is_same_v<T, std::vector<std::int64_t>>) {
          if (!v.empty()) {
            check_ok(H5Dwrite(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), name,
                     "writing " + plan.path);
          }
        } else if constexpr (std::is_same_v<T, std::vector<double>>) {
          if (!v.empty()) {
            check_ok(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), name,
                     "writing " + plan.path);
          }
        }
      },
      plan.data);
}

Handle file_access(const std::string& path) {
  h5::quiet_errors();
  Handle fapl(check_id(H5Pcreate(H5P_FILE_ACCESS), path, "file access properties"));
  check_ok(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), path, "close degree");
  // lwsim writes whole rows; HDF5's per-dataset sieve buffers would only hold memory that grows
  // with the number of datasets and points.
  check_ok(H5Pset_sieve_buf_size(fapl.get(), 0), path, "sieve buffer");
  // Bound HDF5's metadata cache (its default maximum is 32 MiB): a large file's chunk indexes
  // would otherwise make memory grow with the number of design points.
  H5AC_cache_config_t cache{};
  cache.version = H5AC__CURR_CACHE_CONFIG_VERSION;
  check_ok(H5Pget_mdc_config(fapl.get(), &cache), path, "metadata cache");
  cache.set_initial_size = true;
  cache.initial_size = std::size_t{1} << 20;
  cache.max_size = std::size_t{4} << 20;
  cache.min_size = std::min(cache.min_size, cache.initial_size);
  check_ok(H5Pset_mdc_config(fapl.get(), &cache), path, "metadata cache");
  return fapl;
}

Handle create_file(const std::string& path) {
  Handle fapl = file_access(path);
  // The HDF5 1.8 file format: its superblock, object headers (attributes, links) and group indexes
  // carry checksums, so a damaged file is refused with an error where the default (1.0) format
  // sends HDF5 1.10 into a crash on some damaged attribute tables (found by fuzz_result_file).
  // Not the 1.10 format: its superblock marks a file open for writing, and a sweep killed by
  // kill -9 would leave a file that --resume could not open without h5clear.
  check_ok(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V18, H5F_LIBVER_V18), path, "file format");
  errno = 0;
  const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, fapl.get());
  if (id < 0) {
    const int error = errno;
    const std::string detail = error != 0 ? std::string(std::strerror(error)) : h5::last_error();
    H5Eclear2(H5E_DEFAULT);
    throw OutputError(path, "cannot create the file: " + detail);
  }
  return Handle(id);
}

}  // namespace

ResultFile ResultFile::create(const std::string& path, const FileLayout& layout, const Attributes& attributes,
                              Storage storage) {
  ResultFile out(path, create_file(path));
  const hid_t file = out.id();
  write_attributes(file, attributes, path);
  std::map<std::string, Handle> scales;
  for (const DatasetPlan& plan : layout.datasets) {
    Handle ds = create_dataset(file, plan, storage, path);
    if (plan.role == Role::scale || plan.role == Role::constant) write_data(ds.get(), plan, path);
    if (plan.role == Role::scale) {
      check_ok(H5DSset_scale(ds.get(), plan.dims.front().c_str()), path, "dimension scale " + plan.path);
      scales.emplace(plan.dims.front(), std::move(ds));
      continue;
    }
    for (std::size_t i = 0; i < plan.dims.size(); ++i) {
      const auto it = scales.find(plan.dims[i]);
      if (it == scales.end()) throw OutputError(path, "no scale for dimension " + plan.dims[i]);
      check_ok(H5DSattach_scale(ds.get(), it->second.get(), static_cast<unsigned>(i)), path,
               "attaching dimension " + plan.dims[i] + " to " + plan.path);
      check_ok(H5DSset_label(ds.get(), static_cast<unsigned>(i), plan.dims[i].c_str()), path,
               "labelling dimension of " + plan.path);
    }
  }
  scales.clear();
  check_ok(H5Fflush(file, H5F_SCOPE_GLOBAL), path, "flushing the new file");
  return out;
}

ResultFile ResultFile::open(const std::string& path, bool writable) {
  h5::quiet_errors();
  if (access(path.c_str(), F_OK) != 0) throw OutputError(path, "no such file");
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
  if (is_hdf5 <= 0) throw OutputError(path, "not an HDF5 file (or truncated, or unreadable)");
  Handle fapl = file_access(path);
  // A reader needs no lock: a file being written is consistent at every moment, and `lwsim
  // report` must be able to read it while a sweep runs (the writer keeps its exclusive lock).
  if (!writable) check_ok(H5Pset_file_locking(fapl.get(), false, true), path, "file locking");
  const hid_t id = H5Fopen(path.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, fapl.get());
  if (id < 0) throw OutputError(path, "cannot open: " + h5::last_error());
  return ResultFile(path, Handle(id));
}

ResultFile::~ResultFile() {
  datasets_.clear();
}

hid_t ResultFile::dataset(const std::string& path) const {
  const auto it = datasets_.find(path);
  if (it != datasets_.end()) return it->second.get();
  const hid_t id = H5Dopen2(file_.get(), path.c_str(), H5P_DEFAULT);
  if (id < 0) throw OutputError(path_, "no dataset " + path + " (" + h5::last_error() + ")");
  return datasets_.emplace(path, Handle(id)).first->second.get();
}

bool ResultFile::has_dataset(const std::string& path) const {
  // H5Lexists fails on a missing intermediate group; check each level.
  std::size_t pos = 1;
  for (;;) {
    pos = path.find('/', pos);
    const std::string prefix = path.substr(0, pos);
    const htri_t exists = H5Lexists(file_.get(), prefix.c_str(), H5P_DEFAULT);
    if (exists <= 0) {
      H5Eclear2(H5E_DEFAULT);
      return false;
    }
    if (pos == std::string::npos) break;
    ++pos;
  }
  H5O_info_t info;
  if (H5Oget_info_by_name2(file_.get(), path.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) {
    H5Eclear2(H5E_DEFAULT);
    return false;
  }
  return info.type == H5O_TYPE_DATASET;
}

std::vector<hsize_t> ResultFile::shape(const std::string& path) const {
  return h5::dataset_shape(dataset(path), path_);
}

std::string ResultFile::attribute_string(const std::string& name) const {
  return h5::read_string_attribute(file_.get(), name, path_);
}
std::int64_t ResultFile::attribute_int(const std::string& name) const {
  return h5::read_int_attribute(file_.get(), name, path_);
}
bool ResultFile::has_attribute(const std::string& name) const {
  return h5::has_attribute(file_.get(), name);
}
void ResultFile::set_attribute(const std::string& name, const AttributeValue& value) {
  std::visit([&](const auto& v) { h5::write_attribute(file_.get(), name, v, path_); }, value);
}

namespace {
// Selects [point, first:first+count, ...] (rank ≥ 2, has_first) or [point:point+count, ...].
Handle select(hid_t ds, const std::vector<hsize_t>& shape, hsize_t point, hsize_t first, hsize_t count,
              bool has_first, const std::string& name, std::vector<hsize_t>& mem_shape) {
  Handle space(check_id(H5Dget_space(ds), name, "dataspace"));
  std::vector<hsize_t> start(shape.size(), 0), extent = shape;
  start[0] = point;
  if (has_first) {
    extent[0] = 1;
    start[1] = first;
    extent[1] = count;
  } else {
    extent[0] = count;
  }
  for (std::size_t d = 0; d < shape.size(); ++d) {
    if (start[d] + extent[d] > shape[d]) throw OutputError(name, "write outside the dataset's extent");
  }
  check_ok(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, extent.data(), nullptr),
           name, "selecting a hyperslab");
  mem_shape = extent;
  return space;
}
}  // namespace

void ResultFile::write_block(const std::string& path, DType type, hsize_t point, hsize_t first, hsize_t count,
                             const void* data) {
  const TimedScope timed(clock_);
  const hid_t ds = dataset(path);
  const auto shape = h5::dataset_shape(ds, path_);
  std::vector<hsize_t> mem_shape;
  Handle file_space = select(ds, shape, point, first, count, true, path_, mem_shape);
  Handle mem_space(check_id(H5Screate_simple(static_cast<int>(mem_shape.size()), mem_shape.data(), nullptr),
                            path_, "memory space"));
  check_ok(H5Dwrite(ds, h5::native_type(type), mem_space.get(), file_space.get(), H5P_DEFAULT, data), path_,
           "writing " + path);
}

void ResultFile::write_point(const std::string& path, DType type, hsize_t point, const void* data) {
  const TimedScope timed(clock_);
  const hid_t ds = dataset(path);
  const auto shape = h5::dataset_shape(ds, path_);
  std::vector<hsize_t> mem_shape;
  Handle file_space = select(ds, shape, point, 0, 1, false, path_, mem_shape);
  Handle mem_space(check_id(H5Screate_simple(static_cast<int>(mem_shape.size()), mem_shape.data(), nullptr),
                            path_, "memory space"));
  check_ok(H5Dwrite(ds, h5::native_type(type), mem_space.get(), file_space.get(), H5P_DEFAULT, data), path_,
           "writing " + path);
}

void ResultFile::read_points(const std::string& path, DType type, hsize_t first, hsize_t count,
                             void* out) const {
  const hid_t ds = dataset(path);
  const auto shape = h5::dataset_shape(ds, path_);
  if (shape.empty()) throw OutputError(path_, path + " is a scalar");
  std::vector<hsize_t> mem_shape;
  Handle file_space = select(ds, shape, first, 0, count, false, path_, mem_shape);
  Handle mem_space(check_id(H5Screate_simple(static_cast<int>(mem_shape.size()), mem_shape.data(), nullptr),
                            path_, "memory space"));
  check_ok(H5Dread(ds, h5::native_type(type), mem_space.get(), file_space.get(), H5P_DEFAULT, out), path_,
           "reading " + path);
}

std::vector<double> ResultFile::read_doubles(const std::string& path, std::size_t expected) const {
  const hid_t ds = dataset(path);
  const auto shape = h5::dataset_shape(ds, path_);
  std::uint64_t n = 1;
  for (hsize_t d : shape) {
    n = d == 0 || n <= std::numeric_limits<std::uint64_t>::max() / d
            ? n * d
            : std::numeric_limits<std::uint64_t>::max();
  }
  if (n != expected) {
    throw OutputError(path_, fmt::format("{} has {} values where its dimensions give {}", path, n, expected));
  }
  std::vector<double> out(static_cast<std::size_t>(n));
  if (n > 0) {
    check_ok(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), path_,
             "reading " + path);
  }
  return out;
}

std::vector<double> ResultFile::read_doubles(const std::string& path) const {
  std::size_t n = 1;
  for (hsize_t d : shape(path)) n *= static_cast<std::size_t>(d);
  return read_doubles(path, n);
}

std::vector<std::string> ResultFile::read_strings(const std::string& path) const {
  const hid_t ds = dataset(path);
  const auto shape = h5::dataset_shape(ds, path_);
  std::size_t n = 1;
  for (hsize_t d : shape) n *= static_cast<std::size_t>(d);
  return h5::read_strings(ds, false, n, path_, path);
}

std::vector<std::uint8_t> ResultFile::read_status() const {
  const auto shape = this->shape(kStatusPath);
  if (shape.size() != 1) throw OutputError(path_, "malformed /status/completed");
  if (has_dataset("/dims/point")) {
    const auto points = this->shape("/dims/point");
    if (points.size() != 1 || points[0] != shape[0]) {
      throw OutputError(path_, fmt::format("{} has {} entries, but /dims/point gives {} points", kStatusPath,
                                           shape[0], points.empty() ? 0 : points[0]));
    }
  }
  if (shape[0] > kMaxStoredPoints) {
    throw OutputError(path_, fmt::format("{} has {} entries, more than the {} points a result file can hold",
                                         kStatusPath, shape[0], kMaxStoredPoints));
  }
  std::vector<std::uint8_t> out(static_cast<std::size_t>(shape[0]));
  if (!out.empty()) read_points(kStatusPath, DType::u8, 0, shape[0], out.data());
  return out;
}

void ResultFile::flush_to_disk() {
  const TimedScope timed(clock_);
  check_ok(H5Fflush(file_.get(), H5F_SCOPE_LOCAL), path_, "flushing");
  void* handle = nullptr;
  if (H5Fget_vfd_handle(file_.get(), H5P_DEFAULT, &handle) >= 0 && handle != nullptr) {
    const int fd = *static_cast<int*>(handle);
    if (fsync(fd) != 0) throw OutputError(path_, fmt::format("fsync failed: {}", std::strerror(errno)));
  }
  H5Eclear2(H5E_DEFAULT);
}

void ResultFile::check_not_deleted() const {
  void* handle = nullptr;
  if (H5Fget_vfd_handle(file_.get(), H5P_DEFAULT, &handle) < 0 || handle == nullptr) {
    H5Eclear2(H5E_DEFAULT);
    return;
  }
  struct stat info {};
  if (fstat(*static_cast<int*>(handle), &info) == 0 && info.st_nlink == 0) {
    throw OutputError(path_,
                      "the file was deleted (or its directory removed) while lwsim was writing it; what "
                      "it held is lost");
  }
}

void ResultFile::close() {
  datasets_.clear();
  file_.close(path_);
}

// Whole chunks (a chunk written in two parts would be compressed, read back and compressed
// again), about kCopySlabBytes. Dimensions are split from the first: dimension d takes as many
// whole chunks as fit once the dimensions before it are down to one chunk each, and the
// dimensions after it are whole. So a slab is a few rows of a sweep's points, or, for a run's
// single point, a band of its replicates.
std::vector<hsize_t> copy_slab_shape(const DatasetPlan& plan, Storage storage) {
  const std::vector<hsize_t> chunk =
      storage == Storage::compressed ? chunk_shape(plan) : std::vector<hsize_t>(plan.shape.size(), 1);
  std::vector<hsize_t> slab = plan.shape;
  std::size_t outer = 1;  // elements of a slab in the dimensions before d
  for (std::size_t d = 0; d < slab.size(); ++d) {
    std::size_t inner = dtype_size(plan.type);  // bytes of one index of d, later dimensions whole
    for (std::size_t k = d + 1; k < slab.size(); ++k) inner *= static_cast<std::size_t>(plan.shape[k]);
    const std::size_t band = outer * inner * static_cast<std::size_t>(chunk[d]);  // one chunk of d
    if (band <= kCopySlabBytes || d + 1 == slab.size()) {
      const hsize_t bands = std::max<std::size_t>(1, kCopySlabBytes / band);
      slab[d] = std::min(plan.shape[d], bands * chunk[d]);
      return slab;
    }
    slab[d] = chunk[d];
    outer *= static_cast<std::size_t>(chunk[d]);
  }
  return slab;
}

namespace {

/// Moves to the next slab start in row-major order; false after the last.
bool next_slab(std::vector<hsize_t>& start, const std::vector<hsize_t>& slab,
               const std::vector<hsize_t>& shape) {
  for (std::size_t d = start.size(); d-- > 0;) {
    start[d] += slab[d];
    if (start[d] < shape[d]) return true;
    start[d] = 0;
  }
  return false;
}

}  // namespace

void write_copy(const ResultFile& source, const FileLayout& layout, const Attributes& attributes,
                const std::string& destination, Storage storage, const std::function<bool()>& stop) {
  ResultFile out = ResultFile::create(destination, layout, attributes, storage);
  // Whole chunks are written at once, so HDF5's chunk cache would only delay the writes to the
  // dataset's close, where a failure (a full disk) leaves the dataset half-closed in the library.
  Handle dapl(check_id(H5Pcreate(H5P_DATASET_ACCESS), destination, "dataset access properties"));
  check_ok(H5Pset_chunk_cache(dapl.get(), 0, 0, H5D_CHUNK_CACHE_W0_DEFAULT), destination, "chunk cache");
  std::vector<std::byte> buffer;
  for (const DatasetPlan& plan : layout.datasets) {
    if (plan.role != Role::field && plan.role != Role::summary && plan.role != Role::status) continue;
    if (plan.elements() == 0) continue;
    const std::vector<hsize_t> slab = copy_slab_shape(plan, storage);
    std::size_t slab_bytes = dtype_size(plan.type);
    for (hsize_t n : slab) slab_bytes *= static_cast<std::size_t>(n);
    buffer.resize(slab_bytes);

    const hid_t from_id = H5Dopen2(source.id(), plan.path.c_str(), H5P_DEFAULT);
    Handle from(check_id(from_id, source.path(), "opening " + plan.path));
    Handle from_space(check_id(H5Dget_space(from.get()), source.path(), "dataspace"));
    const std::vector<hsize_t> stored = h5::dataset_shape(from.get(), source.path());
    for (std::size_t d = 0; d < plan.shape.size(); ++d) {
      if (stored.size() != plan.shape.size() || stored[d] < plan.shape[d]) {
        throw OutputError(source.path(), "read outside the extent of " + plan.path);
      }
    }
    const hid_t to_id = H5Dopen2(out.id(), plan.path.c_str(), dapl.get());
    Handle to(check_id(to_id, destination, "opening " + plan.path));
    Handle to_space(check_id(H5Dget_space(to.get()), destination, "dataspace"));
    const hid_t memory_type = h5::native_type(plan.type);

    std::vector<hsize_t> start(plan.shape.size(), 0);
    do {
      if (stop && stop()) throw CopyInterrupted();
      std::vector<hsize_t> count(plan.shape.size());
      for (std::size_t d = 0; d < count.size(); ++d) count[d] = std::min(slab[d], plan.shape[d] - start[d]);
      Handle mem_space(check_id(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr),
                                destination, "memory space"));
      check_ok(
          H5Sselect_hyperslab(from_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
          source.path(), "selecting");
      check_ok(
          H5Dread(from.get(), memory_type, mem_space.get(), from_space.get(), H5P_DEFAULT, buffer.data()),
          source.path(), "reading " + plan.path);
      check_ok(
          H5Sselect_hyperslab(to_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
          destination, "selecting");
      check_ok(H5Dwrite(to.get(), memory_type, mem_space.get(), to_space.get(), H5P_DEFAULT, buffer.data()),
               destination, "writing " + plan.path);
    } while (next_slab(start, slab, plan.shape));
  }
  out.flush_to_disk();
  out.close();
}

Attributes read_root_attributes(const ResultFile& file) {
  Attributes out;
  const hid_t id = file.id();
  H5O_info_t info;
  if (H5Oget_info2(id, &info, H5O_INFO_NUM_ATTRS) < 0) throw OutputError(file.path(), "reading attributes");
  for (hsize_t i = 0; i < info.num_attrs; ++i) {
    Handle attr(H5Aopen_by_idx(id, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, H5P_DEFAULT, H5P_DEFAULT));
    if (!attr.valid()) {
      attr = Handle(H5Aopen_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, i, H5P_DEFAULT, H5P_DEFAULT));
    }
    if (!attr.valid()) throw OutputError(file.path(), "reading attribute: " + h5::last_error());
    char name[256] = {};
    H5Aget_name(attr.get(), sizeof name, name);
    Handle type(H5Aget_type(attr.get()));
    switch (H5Tget_class(type.get())) {
      case H5T_STRING: out.emplace_back(name, file.attribute_string(name)); break;
      case H5T_INTEGER: out.emplace_back(name, file.attribute_int(name)); break;
      case H5T_FLOAT: {
        double v = 0.0;
        H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &v);
        out.emplace_back(name, v);
        break;
      }
      default: break;
    }
  }
  H5Eclear2(H5E_DEFAULT);
  return out;
}

}  // namespace sim::output
