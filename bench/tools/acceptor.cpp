/// bench_acceptor: a sink for many short connections. Accepts every connection and reads
/// each to end-of-file, discarding the bytes, until it is stopped or its time runs out.
///
///   bench_acceptor --listen EP [--port-file FILE] [--max-seconds S]
///
/// One poll() loop serves the listener and every open connection, so a slow client never
/// holds up the next one's accept.

#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <exception>
#include <vector>

#include "bench_common.hpp"

namespace {

constexpr std::string_view program = "bench_acceptor";

/// Reads what is pending on `fd`; returns false once the peer has closed (or failed).
bool drain_some(int fd) {
    std::array<char, 16384> buffer{};
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    return n > 0 || (n < 0 && errno == EINTR);
}

}  // namespace

int main(int argc, char** argv) try {
    constexpr std::array<std::string_view, 3> valued{"listen", "port-file", "max-seconds"};
    bench::options opts(program, argc, argv, valued, {});
    auto limit = std::chrono::seconds(opts.number("max-seconds", 600));
    std::string where = opts.text("listen");
    if (where.empty()) bench::fail(program, "--listen is required");
    auto server = bench::listen_on(where, opts.text("port-file"));

    std::vector<redirect::unique_fd> open;
    auto start = bench::clock::now();
    while (bench::clock::now() - start < limit) {
        std::vector<pollfd> watched{{server.fd(), POLLIN, 0}};
        for (auto& connection : open)
            watched.push_back({connection.get(), POLLIN, 0});
        if (::poll(watched.data(), watched.size(), 1000) < 0 && errno != EINTR)
            bench::fail(program, "poll failed");
        std::vector<redirect::unique_fd> still_open;
        for (std::size_t i = 1; i < watched.size(); ++i) {
            bool alive = watched[i].revents == 0 || drain_some(watched[i].fd);
            if (alive) still_open.push_back(std::move(open[i - 1]));
        }
        open = std::move(still_open);
        if (watched[0].revents & POLLIN) open.push_back(server.accept());
    }
    return 0;
} catch (const std::exception& error) {
    bench::fail(program, error.what());
}
