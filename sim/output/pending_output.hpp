#pragma once
// How a command writes a file the user named: whole or not at all. The file is written to a
// temporary beside it and renamed onto it atomically once complete; a failure, an exception or a
// stop asked for by SIGINT or SIGTERM leaves the target as it was and removes the temporary. The
// rules an output path must satisfy live here too, checked before any work starts, so that a bad
// path costs nothing and leaves nothing behind. Every command that writes goes through this one
// type; the rules of output paths belong in it alone.

#include <string>
#include <vector>

namespace sim::output {

/// A file a command means to write, and what may already be there.
struct OutputTarget {
  std::string path;
  std::string option = "-o";        // the command-line key that errors about the path name
  bool may_exist = false;           // an existing file is replaced (or resumed) rather than refused
  std::string hint;                 // what to do instead, said when the file exists and may not
  std::vector<std::string> inputs;  // files the command reads: the output must be none of them
};

/// Throws an InputError (file: the path, key: the option) unless the target can be written: the
/// path is not empty; it is absent or a regular file (never a directory, device, pipe or socket);
/// its directory exists and is writable; an existing file is writable, and refused, with the
/// hint, unless it may exist; and it is not the same file as any of the inputs.
void check_output_target(const OutputTarget& target);

class PendingOutput {
 public:
  /// Checks `target` (check_output_target), takes the lock that makes this process the output's
  /// only writer (an InputError "OUT is being written by another lwsim (pid N)" when another holds
  /// it), and removes what an earlier, stopped command may have left at this output's temporary
  /// names. Creates only the lock file, OUT.lock, which the destructor removes.
  explicit PendingOutput(OutputTarget target);
  PendingOutput(const PendingOutput&) = delete;
  PendingOutput& operator=(const PendingOutput&) = delete;
  PendingOutput(PendingOutput&&) = delete;
  PendingOutput& operator=(PendingOutput&&) = delete;
  /// Removes the temporary and the scratch file (a committed temporary is no longer there), then
  /// the lock file, giving up the lock.
  ~PendingOutput();

  [[nodiscard]] const std::string& target() const noexcept { return target_.path; }
  /// Where to write the file that replaces the target on commit().
  [[nodiscard]] const std::string& temporary() const noexcept { return temporary_; }
  /// A second file beside the target for a command that builds its output in two steps (a
  /// streaming file copied, compressed, into the temporary at the end): never renamed onto the
  /// target, always removed.
  [[nodiscard]] const std::string& scratch() const noexcept { return scratch_; }

  /// Renames the temporary onto the target atomically; a failure to do so is a runtime error and
  /// removes the temporary. The temporary may then be written again for a later commit (a
  /// calibration rewrites its output after every generation).
  void commit();
  /// Removes the temporary and the scratch file now (as the destructor does).
  void discard() noexcept;

  /// Commits several outputs written together (export's tables) all or none: when one cannot be
  /// renamed onto its target, the targets already replaced get their earlier files back (kept
  /// meanwhile under a hard link OUT.old) and those created are removed, then the error goes up.
  static void commit_all(const std::vector<PendingOutput*>& outputs);

 private:
  static int lock(const OutputTarget& target, const std::string& lock_path);

  OutputTarget target_;
  std::string temporary_;
  std::string scratch_;
  std::string backup_;
  std::string lock_path_;
  int lock_fd_ = -1;
};

}  // namespace sim::output
