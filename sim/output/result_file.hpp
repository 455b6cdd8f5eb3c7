#pragma once
// A result file on disk. While a run is in progress the file holds every dataset preallocated
// and uncompressed, so that writing results changes no HDF5 metadata: a process killed at any
// moment (kill -9 included) leaves a file that opens, whose /status/completed says which points
// are whole. A finished file is rewritten chunked and compressed into a temporary file that
// replaces it atomically (docs/output.md; docs/reliability.md, *Faults*).

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/output/hdf5.hpp"
#include "sim/output/layout.hpp"

namespace sim::output {

enum class Storage { streaming, compressed };

/// Wall time spent inside a file's writes and flushes, for `lwsim bench` (the share of a sweep
/// spent writing HDF5). Only the thread that writes the file updates it.
struct WriteClock {
  std::chrono::steady_clock::duration spent{};
  std::uint64_t calls = 0;
};

using AttributeValue = std::variant<std::string, std::int64_t, double>;
using Attributes = std::vector<std::pair<std::string, AttributeValue>>;

class ResultFile {
 public:
  /// Creates a file with every dataset of `layout` (constants and scales written).
  static ResultFile create(const std::string& path, const FileLayout& layout, const Attributes& attributes,
                           Storage storage);
  /// Opens an existing file (read-only or for writing results).
  static ResultFile open(const std::string& path, bool writable);

  ResultFile(ResultFile&&) noexcept = default;
  ResultFile& operator=(ResultFile&&) noexcept = default;
  ~ResultFile();

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] hid_t id() const noexcept { return file_.get(); }

  [[nodiscard]] bool has_dataset(const std::string& path) const;
  [[nodiscard]] std::vector<hsize_t> shape(const std::string& path) const;
  [[nodiscard]] std::string attribute_string(const std::string& name) const;
  [[nodiscard]] std::int64_t attribute_int(const std::string& name) const;
  [[nodiscard]] bool has_attribute(const std::string& name) const;
  void set_attribute(const std::string& name, const AttributeValue& value);

  /// Writes `rows` leading-dimension slices [first, first + rows) of a dataset starting at
  /// index `point` in dimension 0 and `first` in dimension 1 (fields), or at `point` (rank 1+).
  void write_block(const std::string& path, DType type, hsize_t point, hsize_t first, hsize_t count,
                   const void* data);
  void write_point(const std::string& path, DType type, hsize_t point, const void* data);
  /// Reads points [first, first + count) of a dataset (all trailing dimensions) as `type`.
  void read_points(const std::string& path, DType type, hsize_t first, hsize_t count, void* out) const;
  /// Reads a whole dataset of `expected` elements; one of another size (a damaged or crafted file:
  /// a never-written chunked dataset costs nothing on disk at any size) is an OutputError naming
  /// the dataset, before anything is allocated.
  std::vector<double> read_doubles(const std::string& path, std::size_t expected) const;
  /// The whole dataset at the size the file states: only for a file this process wrote (tests).
  std::vector<double> read_doubles(const std::string& path) const;
  std::vector<std::string> read_strings(const std::string& path) const;
  /// /status/completed: one flag per point, as many as /dims/point has (when the file has it) and
  /// at most kMaxStoredPoints; otherwise an OutputError before anything is allocated.
  std::vector<std::uint8_t> read_status() const;

  /// Pushes everything written so far to the operating system and the disk.
  void flush_to_disk();
  /// Adds the time of every later write_block, write_point and flush_to_disk to `clock`
  /// (nullptr: stop timing). The clock must outlive the file or be detached first.
  void time_writes(WriteClock* clock) noexcept { clock_ = clock; }
  /// Throws OutputError when the file has been deleted (or its directory removed) while open:
  /// whatever is written to it from then on is lost.
  void check_not_deleted() const;
  /// Closes, reporting any failure (the destructor closes silently).
  void close();

 private:
  ResultFile(std::string path, h5::Handle file) : path_(std::move(path)), file_(std::move(file)) {}
  hid_t dataset(const std::string& path) const;

  std::string path_;
  h5::Handle file_;
  mutable std::map<std::string, h5::Handle> datasets_;
  WriteClock* clock_ = nullptr;
};

/// Thrown by write_copy when `stop` asks it to stop (the destination is left incomplete: the
/// caller removes it).
class CopyInterrupted : public std::runtime_error {
 public:
  CopyInterrupted() : std::runtime_error("interrupted while copying") {}
};

/// Copies every result (fields, summaries, status) of a file into a new file at `destination`
/// with the same layout, the given attributes and the given storage (compressed for finished
/// files, streaming to continue an unfinished one). `stop`, when given, is asked between slabs
/// (about 1 MiB each) whether to give up (CopyInterrupted).
void write_copy(const ResultFile& source, const FileLayout& layout, const Attributes& attributes,
                const std::string& destination, Storage storage, const std::function<bool()>& stop = {});

/// The shape of the slabs write_copy moves at a time for one dataset: whole chunks of the
/// destination, about 1 MiB, split along the point dimension first and then along the later ones
/// (a run's single point is copied in bands of replicates), so that the copy's memory does not
/// grow with the points or the replicates.
std::vector<hsize_t> copy_slab_shape(const DatasetPlan& plan, Storage storage);

/// Reads the root attributes written by lwsim.
Attributes read_root_attributes(const ResultFile& file);

}  // namespace sim::output
