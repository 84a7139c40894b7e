#include "linger.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace sockwrap {

void lingering_close(redirect::unique_fd fd, std::chrono::milliseconds limit) noexcept {
    using clock = std::chrono::steady_clock;
    if (!fd) return;
    ::shutdown(fd.get(), SHUT_WR);
    const auto deadline = clock::now() + limit;
    char buffer[65536];
    for (;;) {
        auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now());
        if (left.count() <= 0) break;
        pollfd p{fd.get(), POLLIN, 0};
        int n = ::poll(&p, 1, static_cast<int>(left.count()));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        ssize_t got = ::recv(fd.get(), buffer, sizeof buffer, MSG_DONTWAIT);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (got <= 0) break;  // the peer closed (or reset): nothing left to protect
    }
    fd.reset();
}

}  // namespace sockwrap
