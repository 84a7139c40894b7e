#pragma once
/// \file
/// sockwrap's own stdin and stdout as descriptors an event loop may make non-blocking.

#include "redirect/fd.hpp"

namespace sockwrap {

/// A descriptor for fd 0 or 1 that the relay owns. O_NONBLOCK is a flag of the open file
/// description, which sockwrap's stdin/stdout share with the shell and with other programs in
/// the pipeline: setting it there can make *them* fail with EAGAIN. So a pipe, FIFO or
/// terminal is reopened through /proc/self/fd (a description of its own); anything else (a
/// socket, a regular file) is duplicated and its original flags are restored when the stream
/// is released or destroyed.
class local_stream {
  public:
    /// Prepares `std_fd` (0 or 1). Throws sockwrap::failure.
    explicit local_stream(int std_fd);
    ~local_stream();
    local_stream(const local_stream&) = delete;
    local_stream& operator=(const local_stream&) = delete;

    /// Hands the descriptor to its new owner (the event loop).
    int release_fd() noexcept { return fd_.release(); }
    /// True when the descriptor shares its open file description with `std_fd`.
    bool shared() const noexcept { return saved_flags_ >= 0; }
    /// Puts back the original flags of a shared description. Idempotent.
    void restore() noexcept;
    /// Restores the flags, then replaces fd 1 with /dev/null so the reader of sockwrap's
    /// stdout sees end-of-file now, not when sockwrap exits (stdout only).
    void detach_stdout() noexcept;

  private:
    int std_fd_;
    redirect::unique_fd fd_;
    int saved_flags_ = -1;
};

/// Opens /dev/null on any of fds 0, 1, 2 that is closed, so that sockets and pipes never land
/// on them (a socket that became fd 0 by accident would be the child's stdin). Throws
/// sockwrap::failure.
void ensure_standard_fds();

}  // namespace sockwrap
