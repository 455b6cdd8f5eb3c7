#pragma once
// Thin RAII and error handling over the HDF5 C API. HDF5's automatic error printing is turned
// off; failures become sim::OutputError with the innermost HDF5 message and the OS error (so a
// full disk says "No space left on device").

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <hdf5.h>

#include "sim/schema.hpp"

namespace sim::h5 {

/// A failure reading or writing an HDF5 file.
class OutputError : public std::runtime_error {
 public:
  OutputError(const std::string& file, const std::string& what);
  [[nodiscard]] const std::string& file() const noexcept { return file_; }

 private:
  std::string file_;
};

/// Silences HDF5's own error printing and caps its free lists, for the life of the process
/// (idempotent).
void quiet_errors();

/// The innermost message on HDF5's error stack, with errno text if the OS reported one.
std::string last_error();

/// Owns an HDF5 identifier and closes it with the right function.
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept : id_(other.release()) {}
  Handle& operator=(Handle&& other) noexcept;
  ~Handle();

  [[nodiscard]] hid_t get() const noexcept { return id_; }
  [[nodiscard]] bool valid() const noexcept { return id_ >= 0; }
  hid_t release() noexcept {
    const hid_t id = id_;
    id_ = -1;
    return id;
  }
  /// Closes now, reporting failure (closing a file flushes it).
  void close(const std::string& file);

 private:
  hid_t id_ = -1;
};

/// Throws OutputError(file, what + last_error()) when id < 0.
hid_t check_id(hid_t id, const std::string& file, const std::string& what);
void check_ok(herr_t status, const std::string& file, const std::string& what);

hid_t native_type(DType type);

/// The fixed-length UTF-8 string type of `width` bytes (at least 1), padded with NULs: how lwsim
/// stores text. Variable-length strings live in HDF5's global heap, which has no checksum, and
/// HDF5 1.10 reads a damaged one out of bounds; fixed-length text sits in the checksummed object
/// header (attributes) or in the dataset's own storage.
Handle fixed_string_type(std::size_t width, const std::string& file);

/// The `count` strings of a dataset, or of an attribute when `attribute`, stored as fixed-length
/// or (older lwsim files) variable-length strings; trailing NULs are dropped.
std::vector<std::string> read_strings(hid_t object, bool attribute, std::size_t count,
                                      const std::string& file, const std::string& what);

/// Attribute helpers (fixed-length UTF-8 strings, 64-bit integers and doubles).
void write_attribute(hid_t object, const std::string& name, const std::string& value,
                     const std::string& file);
void write_attribute(hid_t object, const std::string& name, std::int64_t value, const std::string& file);
void write_attribute(hid_t object, const std::string& name, double value, const std::string& file);
bool has_attribute(hid_t object, const std::string& name);
std::string read_string_attribute(hid_t object, const std::string& name, const std::string& file);
std::int64_t read_int_attribute(hid_t object, const std::string& name, const std::string& file);

/// Creates every missing group on the way to `path` (an absolute dataset path's parent).
void ensure_parent_groups(hid_t file, const std::string& path, const std::string& file_name);

/// Shape of an open dataset.
std::vector<hsize_t> dataset_shape(hid_t dataset, const std::string& file);

}  // namespace sim::h5
