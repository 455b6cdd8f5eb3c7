#pragma once
// SIGINT and SIGTERM ask a run to stop cleanly: workers take no new work, finished results are
// written and the file is left resumable. The flag a signal handler sets is necessarily
// process-wide; it is read only through these functions.

namespace sim {

/// Installs handlers for SIGINT and SIGTERM that request a stop (a second signal exits at once).
void install_interrupt_handlers();
/// True once SIGINT or SIGTERM has arrived (or request_stop was called).
[[nodiscard]] bool stop_requested() noexcept;
/// The signal that requested the stop, or 0.
[[nodiscard]] int stop_signal() noexcept;
/// Requests a stop from inside the program (tests, fatal writer errors).
void request_stop(int signal = 0) noexcept;
/// Clears a request (for tests that run several jobs in one process).
void clear_stop_request() noexcept;

}  // namespace sim
