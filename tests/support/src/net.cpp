#include "sockwrap_test/net.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace sockwrap_test {

namespace {

[[noreturn]] void throw_errno(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

struct ip_address {
    sockaddr_storage storage{};
    socklen_t length = 0;
};

ip_address make_address(const std::string& ip, std::uint16_t port) {
    ip_address a;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&a.storage);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
    if (::inet_pton(AF_INET, ip.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        a.length = sizeof *v4;
    } else if (::inet_pton(AF_INET6, ip.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        a.length = sizeof *v6;
    } else {
        throw std::invalid_argument("not an IP address: " + ip);
    }
    return a;
}

sockaddr_un unix_address(const std::string& path) {
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    if (path.size() >= sizeof a.sun_path) throw std::invalid_argument("path too long: " + path);
    std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
    return a;
}

std::uint16_t bound_port(int fd) {
    sockaddr_storage s{};
    socklen_t len = sizeof s;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&s), &len) != 0) throw_errno("getsockname");
    if (s.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&s)->sin_port);
    return ntohs(reinterpret_cast<sockaddr_in6*>(&s)->sin6_port);
}

}  // namespace

test_listener bound_not_listening(const std::string& ip) {
    auto a = make_address(ip, 0);
    redirect::unique_fd fd(::socket(a.storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) throw_errno("socket");
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a.storage), a.length) != 0)
        throw_errno("bind " + ip);
    test_listener l;
    l.port = bound_port(fd.get());
    l.fd = std::move(fd);
    return l;
}

test_listener listen_tcp(const std::string& ip) {
    auto l = bound_not_listening(ip);
    if (::listen(l.fd.get(), 64) != 0) throw_errno("listen");
    return l;
}

redirect::unique_fd listen_unix(const std::string& path) {
    auto a = unix_address(path);
    redirect::unique_fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) throw_errno("socket");
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
        throw_errno("bind " + path);
    if (::listen(fd.get(), 64) != 0) throw_errno("listen");
    return fd;
}

redirect::unique_fd accept_within(int listen_fd, std::chrono::milliseconds timeout) {
    pollfd p{listen_fd, POLLIN, 0};
    int n;
    do {
        n = ::poll(&p, 1, static_cast<int>(timeout.count()));
    } while (n < 0 && errno == EINTR);
    if (n <= 0) return {};
    return redirect::unique_fd(::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC));
}

socket_pair connected_tcp_pair(const std::string& ip) {
    test_listener l = listen_tcp(ip);
    socket_pair pair;
    pair.client = connect_tcp(ip, l.port);
    // The connection is already queued on the listener: accept() does not wait for anything.
    pair.server = redirect::unique_fd(::accept4(l.fd.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!pair.server) throw_errno("accept");
    return pair;
}

socket_pair connected_unix_pair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) throw_errno("socketpair");
    return {redirect::unique_fd(fds[0]), redirect::unique_fd(fds[1])};
}

redirect::unique_fd connect_tcp(const std::string& ip, std::uint16_t port) {
    auto a = make_address(ip, port);
    redirect::unique_fd fd(::socket(a.storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) throw_errno("socket");
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&a.storage), a.length) != 0)
        throw_errno("connect to " + ip + " port " + std::to_string(port));
    return fd;
}

redirect::unique_fd connect_unix(const std::string& path) {
    auto a = unix_address(path);
    redirect::unique_fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) throw_errno("socket");
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
        throw_errno("connect to " + path);
    return fd;
}

void close_with_reset(redirect::unique_fd fd) {
    linger l{1, 0};
    ::setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
    fd.reset();
}

void shutdown_write(int fd) {
    if (::shutdown(fd, SHUT_WR) != 0) throw_errno("shutdown");
}

bool ipv6_loopback_available() {
    try {
        (void)bound_not_listening("::1");
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace sockwrap_test
