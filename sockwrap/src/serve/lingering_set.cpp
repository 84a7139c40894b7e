// Many lingering closes at once, inside the server's event loop.

#include "serve/lingering_set.hpp"

#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

namespace sockwrap {

namespace {

// Reads and discards what is available. True when the connection is finished: the peer
// closed it, reset it, or it failed otherwise.
bool drain_available(int fd) {
    char buffer[16384];
    for (int round = 0; round < 16; ++round) {  // bounded: a fast sender cannot hog the loop
        // MSG_DONTWAIT instead of O_NONBLOCK: a grandchild of PROGRAM may still share the
        // open file description, and must not find its socket suddenly non-blocking.
        ssize_t got = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (got > 0) continue;
        if (got < 0 && errno == EINTR) continue;
        return !(got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
    }
    return false;
}

// Bytes queued in `request`'s direction (FIONREAD: unread; SIOCOUTQ: sent but not yet
// acknowledged, or not yet sent); -1 when the socket cannot tell.
int queued(int fd, unsigned long request) {
    int bytes = 0;
    return ::ioctl(fd, request, &bytes) == 0 ? bytes : -1;
}

}  // namespace

bool close_if_settled(redirect::unique_fd& connection) {
    const int fd = connection.get();
    // Output first: FIN, once queued, counts in SIOCOUTQ until the peer acknowledges it.
    if (queued(fd, SIOCOUTQ) != 0 || queued(fd, FIONREAD) != 0) return false;
    // shutdown as well as close: a grandchild of PROGRAM may still hold the socket, and the
    // peer must see end-of-file now all the same.
    ::shutdown(fd, SHUT_WR);
    connection.reset();
    return true;
}

void lingering_set::add(redirect::unique_fd connection, clock::time_point deadline) {
    ::shutdown(connection.get(), SHUT_WR);
    entries_.push_back({std::move(connection), deadline});
}

void lingering_set::add_pollfds(std::vector<pollfd>& out) {
    for (const auto& e : entries_)
        out.push_back({e.connection.get(), POLLIN, 0});
}

void lingering_set::drain(const pollfd* ready, std::size_t count) {
    std::vector<entry> kept;
    kept.reserve(entries_.size());
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        bool finished = i < count && ready[i].fd == entries_[i].connection.get() &&
                        ready[i].revents != 0 && drain_available(entries_[i].connection.get());
        if (!finished) kept.push_back(std::move(entries_[i]));
    }
    entries_.swap(kept);
}

void lingering_set::expire(clock::time_point now) {
    std::erase_if(entries_, [now](const entry& e) { return e.deadline <= now; });
}

lingering_set::clock::time_point lingering_set::next_deadline() const noexcept {
    auto earliest = clock::time_point::max();
    for (const auto& e : entries_)
        earliest = std::min(earliest, e.deadline);
    return earliest;
}

}  // namespace sockwrap
