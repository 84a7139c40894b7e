#pragma once
// Private: the process-wide part of a redirection (file descriptors 0/1 and C stdio).

#include <cstdio>

#include "redirect/fd.hpp"
#include "redirect/socket_streambuf.hpp"

namespace redirect::detail {

/// Makes `target` (0 or 1) another descriptor of `socket` and puts back what `target` was
/// (or closes it, if it was closed) when destroyed. The saved descriptor is close-on-exec,
/// so child processes see only the socket. `socket` must not be 0, 1 or 2.
class fd_binding {
  public:
    fd_binding(int socket, int target);  ///< throws std::system_error
    fd_binding(const fd_binding&) = delete;
    fd_binding& operator=(const fd_binding&) = delete;
    ~fd_binding();

  private:
    int target_;
    unique_fd saved_;  // the previous `target`; empty if it was closed
};

/// Sets the buffering of C stdout to match a flush policy (_IOLBF for line, _IONBF for unit,
/// _IOFBF for full) and restores the previous mode when destroyed. Flushes both times.
class stdout_buffering {
  public:
    explicit stdout_buffering(flush_policy policy);
    stdout_buffering(const stdout_buffering&) = delete;
    stdout_buffering& operator=(const stdout_buffering&) = delete;
    ~stdout_buffering();

  private:
    int previous_mode_;
};

/// Drops what C stdin has buffered from its previous source, when the redirection starts and
/// when it ends, so that no byte of one source is read as coming from the other.
class stdin_reset {
  public:
    stdin_reset() noexcept;
    stdin_reset(const stdin_reset&) = delete;
    stdin_reset& operator=(const stdin_reset&) = delete;
    ~stdin_reset();
};

}  // namespace redirect::detail
