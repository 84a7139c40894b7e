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

    /// For a redirection ended while a newer one still holds `target`: the newer one will
    /// put back what this one saved, and this one restores nothing.
    void hand_over_to(fd_binding& newer) noexcept;

  private:
    int target_;       // -1 once handed over
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

    /// As fd_binding::hand_over_to(): the newer one restores the mode saved here.
    void hand_over_to(stdout_buffering& newer) noexcept;

  private:
    int previous_mode_;  // -1 once handed over
};

/// Drops what C stdin has buffered from its previous source, and its end-of-file and error
/// flags, so that no byte of one source is read as coming from the other.
void reset_stdin() noexcept;

}  // namespace redirect::detail
