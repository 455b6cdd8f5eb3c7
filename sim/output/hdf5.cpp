#include "sim/output/hdf5.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>

#include <fmt/format.h>

#include "sim/util/text.hpp"

namespace sim::h5 {

OutputError::OutputError(const std::string& file, const std::string& what)
    : std::runtime_error(fmt::format("{}: {}", file, what)), file_(file) {}

void quiet_errors() {
  static std::once_flag once;
  std::call_once(once, [] {
    // HDF5 1.10 crashes at exit (in H5_term_library) when a file failed to close, which is what a
    // full disk makes of the last flush; lwsim closes every file itself and reports the failure, so
    // HDF5's own clean-up at exit is not needed. Must precede the library's initialisation.
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    // HDF5 keeps freed blocks on free lists that otherwise grow with the number of writes (and so
    // with the number of design points); cap them so a sweep's memory does not grow with its size.
    H5set_free_list_limits(1 << 20, 256 << 10, 1 << 20, 256 << 10, 1 << 20, 256 << 10);
  });
}

namespace {
herr_t innermost(unsigned n, const H5E_error2_t* err, void* client) {
  auto* out = static_cast<std::string*>(client);
  if (n == 0 && err->desc != nullptr) *out = err->desc;
  return 0;
}
}  // namespace

std::string last_error() {
  std::string message;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &message);
  // The sec2 driver's text is long ("file write failed: time = ..., filename = '...', file
  // descriptor = 5, errno = 28, error message = 'No space left on device', buf = 0x..., ...");
  // the operating system's message is what the user needs.
  const std::string os_marker = "error message = '";
  const int saved = errno;
  if (const auto at = message.find(os_marker); at != std::string::npos) {
    const auto start = at + os_marker.size();
    const auto end = message.find('\'', start);
    const std::string what = message.substr(0, message.find(':'));
    message =
        fmt::format("{}: {}", what, message.substr(start, end == std::string::npos ? end : end - start));
  } else if (saved != 0 && saved != ENOENT) {
    message += fmt::format(" ({})", std::strerror(saved));
  }
  H5Eclear2(H5E_DEFAULT);
  return message.empty() ? std::string("HDF5 error") : message;
}

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    if (valid()) H5Idec_ref(id_);
    id_ = other.release();
  }
  return *this;
}

Handle::~Handle() {
  if (valid()) H5Idec_ref(id_);
}

void Handle::close(const std::string& file) {
  if (!valid()) return;
  const hid_t id = release();
  if (H5Idec_ref(id) < 0) throw OutputError(file, "closing failed: " + last_error());
}

hid_t check_id(hid_t id, const std::string& file, const std::string& what) {
  if (id < 0) throw OutputError(file, fmt::format("{}: {}", what, last_error()));
  return id;
}

void check_ok(herr_t status, const std::string& file, const std::string& what) {
  if (status < 0) throw OutputError(file, fmt::format("{}: {}", what, last_error()));
}

hid_t native_type(DType type) {
  switch (type) {
    case DType::u8: return H5T_NATIVE_UINT8;
    case DType::i16: return H5T_NATIVE_INT16;
    case DType::i32: return H5T_NATIVE_INT32;
    case DType::i64: return H5T_NATIVE_INT64;
    case DType::f32: return H5T_NATIVE_FLOAT;
    case DType::f64: return H5T_NATIVE_DOUBLE;
  }
  return H5T_NATIVE_DOUBLE;
}

namespace {
Handle vlen_string_type(const std::string& file) {
  Handle type(check_id(H5Tcopy(H5T_C_S1), file, "string type"));
  check_ok(H5Tset_size(type.get(), H5T_VARIABLE), file, "string type");
  check_ok(H5Tset_cset(type.get(), H5T_CSET_UTF8), file, "string type");
  return type;
}

void replace_attribute(hid_t object, const std::string& name, const std::string& file) {
  if (H5Aexists(object, name.c_str()) > 0) {
    check_ok(H5Adelete(object, name.c_str()), file, "replacing attribute " + name);
  }
}
}  // namespace

Handle fixed_string_type(std::size_t width, const std::string& file) {
  Handle type(check_id(H5Tcopy(H5T_C_S1), file, "string type"));
  check_ok(H5Tset_size(type.get(), std::max<std::size_t>(width, 1)), file, "string type");
  check_ok(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), file, "string type");
  check_ok(H5Tset_cset(type.get(), H5T_CSET_UTF8), file, "string type");
  return type;
}

std::vector<std::string> read_strings(hid_t object, bool attribute, std::size_t count,
                                      const std::string& file, const std::string& what) {
  Handle stored(check_id(attribute ? H5Aget_type(object) : H5Dget_type(object), file, "type of " + what));
  if (H5Tget_class(stored.get()) != H5T_STRING) throw OutputError(file, what + " is not a string");
  const auto read = [&](hid_t memory, void* buffer) {
    return attribute ? H5Aread(object, memory, buffer)
                     : H5Dread(object, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
  };
  std::vector<std::string> out;
  out.reserve(count);
  if (H5Tis_variable_str(stored.get()) > 0) {
    Handle type = vlen_string_type(file);
    std::vector<char*> raw(count, nullptr);
    const bool ok = count == 0 || read(type.get(), raw.data()) >= 0;
    for (char* s : raw) {
      if (ok) out.emplace_back(s != nullptr ? s : "");
      H5free_memory(s);  // after a failure, whatever a damaged file let HDF5 allocate
    }
    if (!ok) throw OutputError(file, "reading " + what + ": " + last_error());
    return out;
  }
  const std::size_t width = H5Tget_size(stored.get());
  constexpr std::size_t limit = std::size_t{64} << 20;  // labels and resolved input files, not results
  if (width == 0 || (count > 0 && width > limit / count))
    throw OutputError(file, what + " has an implausible size");
  std::vector<char> buffer(count * width, '\0');
  if (count > 0) check_ok(read(stored.get(), buffer.data()), file, "reading " + what);
  for (std::size_t i = 0; i < count; ++i) {
    const char* begin = buffer.data() + i * width;
    out.emplace_back(begin, std::find(begin, begin + width, '\0'));
  }
  return out;
}

void write_attribute(hid_t object, const std::string& name, const std::string& value,
                     const std::string& file) {
  replace_attribute(object, name, file);
  // Declared UTF-8, so it must be: readers (h5py) fail on anything else. Paths and command lines
  // can hold any bytes; they are stored with U+FFFD in place of invalid ones.
  const std::string utf8 = text::valid_utf8(value);
  Handle type = fixed_string_type(utf8.size(), file);
  Handle space(check_id(H5Screate(H5S_SCALAR), file, "attribute space"));
  Handle attr(check_id(H5Acreate2(object, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                       file, "creating attribute " + name));
  std::string padded = utf8;
  padded.resize(std::max<std::size_t>(utf8.size(), 1), '\0');
  check_ok(H5Awrite(attr.get(), type.get(), padded.data()), file, "writing attribute " + name);
}

void write_attribute(hid_t object, const std::string& name, std::int64_t value, const std::string& file) {
  replace_attribute(object, name, file);
  Handle space(check_id(H5Screate(H5S_SCALAR), file, "attribute space"));
  Handle attr(check_id(H5Acreate2(object, name.c_str(), H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                       file, "creating attribute " + name));
  check_ok(H5Awrite(attr.get(), H5T_NATIVE_INT64, &value), file, "writing attribute " + name);
}

void write_attribute(hid_t object, const std::string& name, double value, const std::string& file) {
  replace_attribute(object, name, file);
  Handle space(check_id(H5Screate(H5S_SCALAR), file, "attribute space"));
  Handle attr(
      check_id(H5Acreate2(object, name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), file,
               "creating attribute " + name));
  check_ok(H5Awrite(attr.get(), H5T_NATIVE_DOUBLE, &value), file, "writing attribute " + name);
}

bool has_attribute(hid_t object, const std::string& name) {
  return H5Aexists(object, name.c_str()) > 0;
}

std::string read_string_attribute(hid_t object, const std::string& name, const std::string& file) {
  if (!has_attribute(object, name)) throw OutputError(file, "missing attribute " + name);
  Handle attr(check_id(H5Aopen(object, name.c_str(), H5P_DEFAULT), file, "opening attribute " + name));
  Handle space(check_id(H5Aget_space(attr.get()), file, "attribute space"));
  if (H5Sget_simple_extent_npoints(space.get()) != 1)
    throw OutputError(file, "attribute " + name + " is not a scalar");
  return read_strings(attr.get(), true, 1, file, "attribute " + name).front();
}

std::int64_t read_int_attribute(hid_t object, const std::string& name, const std::string& file) {
  if (!has_attribute(object, name)) throw OutputError(file, "missing attribute " + name);
  Handle attr(check_id(H5Aopen(object, name.c_str(), H5P_DEFAULT), file, "opening attribute " + name));
  Handle stored(check_id(H5Aget_type(attr.get()), file, "attribute type"));
  if (H5Tget_class(stored.get()) != H5T_INTEGER)
    throw OutputError(file, "attribute " + name + " is not an integer");
  Handle space(check_id(H5Aget_space(attr.get()), file, "attribute space"));
  if (H5Sget_simple_extent_npoints(space.get()) != 1)
    throw OutputError(file, "attribute " + name + " is not a scalar");
  std::int64_t value = 0;
  check_ok(H5Aread(attr.get(), H5T_NATIVE_INT64, &value), file, "reading attribute " + name);
  return value;
}

void ensure_parent_groups(hid_t file, const std::string& path, const std::string& file_name) {
  std::size_t pos = 1;
  while ((pos = path.find('/', pos)) != std::string::npos) {
    const std::string group = path.substr(0, pos);
    const htri_t exists = H5Lexists(file, group.c_str(), H5P_DEFAULT);
    if (exists < 0) throw OutputError(file_name, "checking group " + group + ": " + last_error());
    if (exists == 0) {
      Handle g(check_id(H5Gcreate2(file, group.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), file_name,
                        "creating group " + group));
    }
    ++pos;
  }
}

std::vector<hsize_t> dataset_shape(hid_t dataset, const std::string& file) {
  Handle space(check_id(H5Dget_space(dataset), file, "dataset space"));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0 || rank > 16) throw OutputError(file, "dataset with an implausible rank");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return dims;
}

}  // namespace sim::h5
