#pragma once
/// \file
/// Connected and listening stream sockets (TCP and UNIX-domain). Every descriptor made here is
/// close-on-exec. Errors at setup are thrown as std::system_error whose what() names the step
/// and the endpoint, e.g. "connect to 127.0.0.1:9: Connection refused".

#include <sys/socket.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "redirect/endpoint.hpp"
#include "redirect/fd.hpp"

namespace redirect {

namespace detail {
class unix_socket_claim;
}

/// A socket address of any family (IPv4, IPv6, UNIX).
struct socket_address {
    sockaddr_storage storage{};
    socklen_t length = 0;

    int family() const noexcept { return storage.ss_family; }
    bool is_ip() const noexcept { return family() == AF_INET || family() == AF_INET6; }
    /// The numeric IP address ("127.0.0.1", "::1"); an IPv4-mapped IPv6 address is shown as
    /// IPv4. Empty for non-IP addresses.
    std::string ip() const;
    /// The port (IP only; 0 otherwise).
    std::uint16_t port() const noexcept;
    /// The path (UNIX only; empty for an unnamed socket).
    std::string path() const;
    /// `IP:PORT`, `[IPV6]:PORT` or `unix:PATH`.
    std::string to_string() const;
};

/// The local address of a socket. Throws std::system_error.
socket_address local_address(int fd);
/// The peer address of a connected socket. Throws std::system_error.
socket_address peer_address(int fd);

/// How connect_to() behaves.
struct connect_options {
    /// For how long a refused connection (nobody listening yet) is retried, with a short
    /// back-off. Zero: try once.
    std::chrono::milliseconds wait{0};
    /// AF_UNSPEC (any), AF_INET or AF_INET6: restricts the addresses tried.
    int family = AF_UNSPEC;
};

/// Connects a stream socket to `ep`, trying every address the host resolves to in order
/// (`:PORT` means 127.0.0.1, then ::1). Throws std::system_error.
unique_fd connect_to(const endpoint& ep, const connect_options& options = {});

/// A listening socket. A UNIX-domain listener at PATH holds an exclusive lock on the file
/// `PATH.lock` beside its socket while it lives, and removes both files when destroyed.
/// redirect::listen() (redirect.hpp) makes one from an endpoint's text.
class listener {
  public:
    listener() noexcept;
    /// Binds and listens on `ep` (SO_REUSEADDR). `:PORT` binds loopback only; every interface
    /// only for `*:PORT` or an explicit wildcard address. At a UNIX path, only a stale socket
    /// (nobody listening, no listener holding the lock) is replaced; a live one, or one whose
    /// lock another listener holds, is EADDRINUSE; a file of any other kind (regular, FIFO,
    /// symbolic link, directory) is EEXIST and left untouched. Throws std::system_error.
    explicit listener(const endpoint& ep, int backlog = 128, int family = AF_UNSPEC);
    listener(listener&& other) noexcept;
    listener& operator=(listener&&) noexcept;
    ~listener();

    int fd() const noexcept { return fd_.get(); }
    const socket_address& address() const noexcept { return address_; }
    /// The bound port (IP listeners; useful after binding port 0).
    std::uint16_t port() const noexcept { return address_.port(); }

    /// Waits for one connection; returns it (close-on-exec) and stores the peer's address.
    /// Call it again for the next client. EINTR is retried. Throws std::system_error.
    unique_fd accept(socket_address* peer = nullptr) const;

    /// Closes the listening socket now (and removes a UNIX socket file).
    void close() noexcept;

  private:
    unique_fd fd_;
    socket_address address_;
    std::unique_ptr<detail::unix_socket_claim> unix_claim_;  // UNIX: the socket file, its lock
};

}  // namespace redirect
