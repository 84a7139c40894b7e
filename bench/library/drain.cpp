#include "drain.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <system_error>
#include <vector>

namespace bench {

namespace {

std::uint64_t read_to_end(const redirect::listener& listener) {
    redirect::unique_fd conn = listener.accept();
    // Large reads keep the reader well ahead of every writer measured.
    std::vector<char> buffer(1 << 18);
    std::uint64_t total = 0;
    for (;;) {
        ssize_t n = ::recv(conn.get(), buffer.data(), buffer.size(), 0);
        if (n > 0) {
            total += static_cast<std::uint64_t>(n);
        } else if (n == 0) {
            return total;
        } else if (errno != EINTR) {
            throw std::system_error(errno, std::generic_category(), "drain: recv");
        }
    }
}

}  // namespace

drain::drain()
    : listener_(redirect::parse_endpoint(":0")),
      received_(std::async(std::launch::async, read_to_end, std::cref(listener_))) {}

drain::~drain() {
    // A writer that failed before connecting leaves the thread in accept(): connect and
    // close to release it, so that destroying the future does not wait forever.
    if (received_.valid() &&
        received_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        try {
            redirect::endpoint ep;  // loopback
            ep.port = port();
            redirect::connect_to(ep);
        } catch (const std::system_error&) {
            // The thread is past accept() and will see the writer's close.
        }
    }
}

std::uint64_t drain::total() {
    return received_.get();
}

}  // namespace bench
