#pragma once
/// \file
/// Closing a connection without destroying the last bytes the peer has not read yet.

#include <chrono>

#include "redirect/fd.hpp"

namespace sockwrap {

/// Sends FIN (shutdown(SHUT_WR)), then reads and discards what the peer still sends until it
/// closes its side or `limit` passes, then closes. Closing a socket with unread input makes
/// the kernel send RST instead of FIN, and a peer that gets RST may lose the end of the data
/// sent to it (the child's last output); draining first avoids that.
void lingering_close(redirect::unique_fd fd,
                     std::chrono::milliseconds limit = std::chrono::seconds(2)) noexcept;

}  // namespace sockwrap
