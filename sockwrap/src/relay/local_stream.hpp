#pragma once
/// \file
/// sockwrap's own stdin and stdout as non-blocking descriptors for the relay engine.

#include "redirect/fd.hpp"

namespace sockwrap {

/// A non-blocking descriptor for fd 0 or 1 that the relay owns. O_NONBLOCK is a flag of the
/// open file description, which sockwrap's stdin/stdout share with the shell and with other
/// programs in the pipeline: setting it there can make *them* fail with EAGAIN. So a pipe,
/// FIFO or terminal is reopened through /proc/self/fd (a description of its own); anything
/// else (a socket, a regular file) is duplicated, made non-blocking, and its original flags
/// are restored by restore() or on destruction.
class local_stream {
  public:
    /// Prepares `std_fd` (0 or 1). Throws sockwrap::failure.
    explicit local_stream(int std_fd);
    ~local_stream();
    local_stream(const local_stream&) = delete;
    local_stream& operator=(const local_stream&) = delete;

    /// The descriptor (-1 once closed by detach_stdout()).
    int fd() const noexcept { return fd_.get(); }
    /// Puts back the original flags of a shared description. Idempotent.
    void restore() noexcept;
    /// Restores the flags, closes the descriptor, then replaces fd 1 with /dev/null so the
    /// reader of sockwrap's stdout sees end-of-file now, not when sockwrap exits (stdout
    /// only). Idempotent.
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
