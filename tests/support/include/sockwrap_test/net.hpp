#pragma once
/// \file
/// Loopback and UNIX-domain socket helpers for tests. Every port is chosen by the kernel
/// (port 0); every descriptor is close-on-exec.

#include <chrono>
#include <cstdint>
#include <string>

#include "redirect/fd.hpp"

namespace sockwrap_test {

/// A listening socket and the port the kernel gave it.
struct test_listener {
    redirect::unique_fd fd;
    std::uint16_t port = 0;
};

/// Listens on `ip` ("127.0.0.1" or "::1") at a free port. Throws std::system_error.
test_listener listen_tcp(const std::string& ip = "127.0.0.1");

/// Listens on a UNIX-domain socket at `path`. Throws std::system_error.
redirect::unique_fd listen_unix(const std::string& path);

/// A TCP socket bound to a free port on `ip` but not listening: connecting to it is refused
/// until listen() is called on it, and nobody else can take the port meanwhile.
test_listener bound_not_listening(const std::string& ip = "127.0.0.1");

/// The two ends of one stream connection: `client` is the end that connected (for a socket
/// pair, just the first end), `server` the end that was accepted.
struct socket_pair {
    redirect::unique_fd client;
    redirect::unique_fd server;
};

/// One loopback TCP connection on `ip` ("127.0.0.1" or "::1"), through a listener on a free
/// port that is closed again. Throws std::system_error.
socket_pair connected_tcp_pair(const std::string& ip = "127.0.0.1");

/// A connected pair of UNIX-domain stream sockets (socketpair(2)). Throws std::system_error.
socket_pair connected_unix_pair();

/// Accepts one connection within `timeout`; an empty fd on timeout.
redirect::unique_fd accept_within(int listen_fd, std::chrono::milliseconds timeout);

/// Connects to `ip`:`port` (blocking). Throws std::system_error.
redirect::unique_fd connect_tcp(const std::string& ip, std::uint16_t port);

/// Connects to the UNIX-domain socket at `path`. Throws std::system_error.
redirect::unique_fd connect_unix(const std::string& path);

/// Closes `fd` with SO_LINGER {on, 0}: the kernel sends RST instead of FIN.
void close_with_reset(redirect::unique_fd fd);

/// Shuts down the writing side of a socket (the peer reads end-of-file).
void shutdown_write(int fd);

/// True when this machine can bind ::1.
bool ipv6_loopback_available();

}  // namespace sockwrap_test
