#pragma once
/// \file
/// Closing a connection without destroying the last bytes the peer has not read yet.

#include <chrono>

#include "redirect/fd.hpp"

namespace sockwrap {

/// Sends FIN (shutdown(SHUT_WR)), then closes as soon as closing is harmless, at the latest
/// after `limit`. Closing a socket that still has unread input makes the kernel send RST
/// instead of FIN and drop whatever of our output is not yet delivered: the child's last
/// bytes. So until the peer has acknowledged all our output and no input is waiting (or the
/// peer has closed), what the peer sends is read and discarded.
void lingering_close(redirect::unique_fd fd,
                     std::chrono::milliseconds limit = std::chrono::seconds(2)) noexcept;

}  // namespace sockwrap
