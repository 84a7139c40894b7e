#pragma once
// Private: claiming a UNIX socket's path for a listener, and giving it back.

#include <sys/types.h>

#include <string>

#include "redirect/fd.hpp"

namespace redirect::detail {

/// The right to bind a UNIX socket at one path, held through an exclusive lock on the file
/// `PATH.lock` beside it, for as long as a listener lives. Two listeners started at once on
/// one path: the second finds the lock taken and fails, without connecting to the first (a
/// probe connection would be accepted by a single-connection listener as its one client).
class unix_socket_claim {
  public:
    /// Takes the lock and makes `path` free to bind: nothing is there, or a socket nobody
    /// listens on (left by a dead process), which is removed. Anything else at `path` (a
    /// regular file, a FIFO, a symlink, a directory) is never touched. Throws
    /// std::system_error whose what() begins with `what`: EADDRINUSE when the lock is held or
    /// the socket is live, EEXIST when something other than a socket is there.
    unix_socket_claim(const std::string& path, const std::string& what);
    unix_socket_claim(const unix_socket_claim&) = delete;
    unix_socket_claim& operator=(const unix_socket_claim&) = delete;
    ~unix_socket_claim();

    /// Records the socket file just bound, so that release() removes it and nothing else.
    void bound();
    /// Removes the socket file (if it is still the one bound) and the lock file, then drops
    /// the lock. Idempotent.
    void release() noexcept;

  private:
    std::string path_;
    unique_fd lock_;
    dev_t socket_dev_ = 0;
    ino_t socket_ino_ = 0;
    bool socket_bound_ = false;
};

}  // namespace redirect::detail
