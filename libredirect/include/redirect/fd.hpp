#pragma once
/// \file
/// A move-only owner of one file descriptor.

#include <utility>

namespace redirect {

/// Owns one file descriptor and closes it when destroyed. Move-only; -1 means empty.
class unique_fd {
  public:
    unique_fd() noexcept = default;
    /// Takes ownership of `fd` (which may be -1).
    explicit unique_fd(int fd) noexcept : fd_(fd) {}
    unique_fd(unique_fd&& other) noexcept : fd_(other.release()) {}
    unique_fd& operator=(unique_fd&& other) noexcept {
        reset(other.release());
        return *this;
    }
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    ~unique_fd() { reset(); }

    /// The descriptor, still owned; -1 when empty.
    int get() const noexcept { return fd_; }
    bool valid() const noexcept { return fd_ >= 0; }
    explicit operator bool() const noexcept { return valid(); }

    /// Gives up ownership and returns the descriptor.
    int release() noexcept { return std::exchange(fd_, -1); }

    /// Closes the owned descriptor (if any) and takes `fd` instead. close() is never retried
    /// on EINTR: on Linux the descriptor is gone whatever close() returns.
    void reset(int fd = -1) noexcept;

  private:
    int fd_ = -1;
};

/// Sets or clears O_NONBLOCK on the open file description of `fd`. Throws std::system_error.
void set_nonblocking(int fd, bool on);

}  // namespace redirect
