// Turning read()/write() results and errno into the engine's transfers.

#include "relay/stream.hpp"

#include <cerrno>

namespace sockwrap::relay {

transfer transfer::from_read(long result, int fd) noexcept {
    if (result > 0) return moved(static_cast<std::size_t>(result));
    if (result == 0) return end();
    // EINTR: try again once the descriptor reports ready, which it does at once.
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return blocked(fd, POLLIN);
    return failed_with(errno);
}

transfer transfer::from_write(long result, int fd) noexcept {
    if (result >= 0) return moved(static_cast<std::size_t>(result));
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return blocked(fd, POLLOUT);
    return failed_with(errno);
}

}  // namespace sockwrap::relay
