// The lingering close of one connection, blocking with a bound.

#include "net/linger.hpp"

#include <linux/sockios.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace sockwrap {

namespace {

enum class drained { peer_closed, empty, more };

// Reads and discards what is waiting, without blocking.
drained discard_input(int fd) {
    char buffer[65536];
    for (;;) {
        ssize_t got = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (got > 0) continue;
        if (got == 0) return drained::peer_closed;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return drained::empty;
        return drained::peer_closed;  // reset or other error: nothing left to protect
    }
}

// Bytes of our output the peer has not acknowledged yet; 0 for sockets without the notion
// (UNIX-domain sockets deliver on write).
int unacknowledged(int fd) {
    int queued = 0;
    if (::ioctl(fd, SIOCOUTQ, &queued) != 0) return 0;
    return queued;
}

}  // namespace

void lingering_close(redirect::unique_fd fd, std::chrono::milliseconds limit) noexcept {
    using clock = std::chrono::steady_clock;
    if (!fd) return;
    ::shutdown(fd.get(), SHUT_WR);
    const auto deadline = clock::now() + limit;
    for (;;) {
        if (discard_input(fd.get()) == drained::peer_closed) break;
        if (unacknowledged(fd.get()) == 0) break;
        auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now());
        if (left.count() <= 0) break;
        // Acknowledgements raise no event: look again after a short while, or on input.
        pollfd p{fd.get(), POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 10)));
    }
    fd.reset();
}

}  // namespace sockwrap
