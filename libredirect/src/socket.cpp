#include "redirect/socket.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <thread>
#include <vector>

#include "unix_socket_file.hpp"

namespace redirect {

namespace {

using clock = std::chrono::steady_clock;

class resolver_category_t : public std::error_category {
  public:
    const char* name() const noexcept override { return "getaddrinfo"; }
    std::string message(int code) const override { return ::gai_strerror(code); }
};

const std::error_category& resolver_category() {
    static const resolver_category_t category;
    return category;
}

[[noreturn]] void throw_errno(int error, const std::string& what) {
    throw std::system_error(error, std::generic_category(), what);
}

socket_address ip_address(int family, const void* ip, std::uint16_t port) {
    socket_address a;
    if (family == AF_INET) {
        auto* sin = reinterpret_cast<sockaddr_in*>(&a.storage);
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        std::memcpy(&sin->sin_addr, ip, sizeof sin->sin_addr);
        a.length = sizeof *sin;
    } else {
        auto* sin6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(port);
        std::memcpy(&sin6->sin6_addr, ip, sizeof sin6->sin6_addr);
        a.length = sizeof *sin6;
    }
    return a;
}

socket_address unix_address(const std::string& path) {
    socket_address a;
    auto* sun = reinterpret_cast<sockaddr_un*>(&a.storage);
    sun->sun_family = AF_UNIX;
    std::memcpy(sun->sun_path, path.data(), path.size());
    a.length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + 1);
    return a;
}

bool family_allowed(int family, int wanted) {
    return wanted == AF_UNSPEC || wanted == family;
}

// The addresses to try for `ep`, in order. `passive` selects the listening meaning of a
// wildcard; `:PORT` is loopback either way.
std::vector<socket_address> resolve(const endpoint& ep, bool passive, int family) {
    std::vector<socket_address> out;
    if (ep.is_unix()) {
        out.push_back(unix_address(ep.path));
        return out;
    }
    auto add_fixed = [&](in_addr v4, in6_addr v6) {
        if (family_allowed(AF_INET6, family) &&
            (passive && ep.host_type == endpoint::host_kind::any))
            out.push_back(ip_address(AF_INET6, &v6, ep.port));
        if (family_allowed(AF_INET, family)) out.push_back(ip_address(AF_INET, &v4, ep.port));
        if (family_allowed(AF_INET6, family) &&
            !(passive && ep.host_type == endpoint::host_kind::any))
            out.push_back(ip_address(AF_INET6, &v6, ep.port));
    };
    if (ep.host_type == endpoint::host_kind::any && passive) {
        add_fixed(in_addr{htonl(INADDR_ANY)}, in6addr_any);
        return out;
    }
    if (ep.host_type != endpoint::host_kind::named) {
        add_fixed(in_addr{htonl(INADDR_LOOPBACK)}, in6addr_loopback);
        // A loopback listener takes one address: 127.0.0.1, or ::1 when IPv6 is asked for.
        if (passive) out.resize(1);
        return out;
    }
    addrinfo hints{};
    hints.ai_family = family;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
    addrinfo* list = nullptr;
    std::string port = std::to_string(ep.port);
    int rc = ::getaddrinfo(ep.host.c_str(), port.c_str(), &hints, &list);
    if (rc == EAI_SYSTEM) throw_errno(errno, "resolve '" + printable(ep.host) + "'");
    if (rc != 0)
        throw std::system_error(rc, resolver_category(), "resolve '" + printable(ep.host) + "'");
    for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
        socket_address a;
        std::memcpy(&a.storage, ai->ai_addr, ai->ai_addrlen);
        a.length = ai->ai_addrlen;
        out.push_back(a);
    }
    ::freeaddrinfo(list);
    return out;
}

// One connection attempt, bounded by `deadline` (clock::time_point::max() for none).
// Returns 0 or the errno of the failure.
int try_connect(const socket_address& to, clock::time_point deadline, unique_fd& out) {
    unique_fd fd(::socket(to.family(), SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!fd) return errno;
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&to.storage), to.length) != 0) {
        if (errno != EINPROGRESS && errno != EINTR && errno != EAGAIN) return errno;
        // Waiting with poll() makes the connect immune to EINTR and bounded by the deadline.
        for (;;) {
            int timeout = -1;
            if (deadline != clock::time_point::max()) {
                auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now());
                timeout = static_cast<int>(std::max<long long>(0, left.count()));
            }
            pollfd p{fd.get(), POLLOUT, 0};
            int n = ::poll(&p, 1, timeout);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return errno;
            if (n == 0) return ETIMEDOUT;
            break;
        }
        int error = 0;
        socklen_t len = sizeof error;
        if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &len) != 0) return errno;
        if (error != 0) return error;
    }
    set_nonblocking(fd.get(), false);
    out = std::move(fd);
    return 0;
}

// Failures that mean "nobody is listening yet": worth retrying while the caller waits.
bool listener_missing(int error) {
    return error == ECONNREFUSED || error == ENOENT || error == EAGAIN;
}

}  // namespace

std::string socket_address::ip() const {
    char text[INET6_ADDRSTRLEN] = {};
    if (family() == AF_INET) {
        auto* sin = reinterpret_cast<const sockaddr_in*>(&storage);
        ::inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text);
    } else if (family() == AF_INET6) {
        auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&storage);
        if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
            ::inet_ntop(AF_INET, &sin6->sin6_addr.s6_addr[12], text, sizeof text);
        else
            ::inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof text);
    }
    return text;
}

std::uint16_t socket_address::port() const noexcept {
    if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
    if (family() == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
    return 0;
}

std::string socket_address::path() const {
    if (family() != AF_UNIX || length <= offsetof(sockaddr_un, sun_path)) return {};
    auto* sun = reinterpret_cast<const sockaddr_un*>(&storage);
    std::size_t max = length - offsetof(sockaddr_un, sun_path);
    return std::string(sun->sun_path, ::strnlen(sun->sun_path, max));
}

std::string socket_address::to_string() const {
    if (family() == AF_UNIX) return "unix:" + path();
    std::string host = ip();
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return host + ":" + std::to_string(port());
}

socket_address local_address(int fd) {
    socket_address a;
    a.length = sizeof a.storage;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&a.storage), &a.length) != 0)
        throw_errno(errno, "getsockname");
    return a;
}

socket_address peer_address(int fd) {
    socket_address a;
    a.length = sizeof a.storage;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&a.storage), &a.length) != 0)
        throw_errno(errno, "getpeername");
    return a;
}

unique_fd connect_to(const endpoint& ep, const connect_options& options) {
    auto addresses = resolve(ep, false, options.family);
    if (addresses.empty()) throw_errno(EAFNOSUPPORT, "connect to " + printable(ep.to_string()));
    const bool waiting = options.wait.count() > 0;
    const auto deadline = waiting ? clock::now() + options.wait : clock::time_point::max();
    auto backoff = std::chrono::milliseconds(5);
    for (;;) {
        int error = 0;
        for (const auto& address : addresses) {
            unique_fd fd;
            error = try_connect(address, deadline, fd);
            if (error == 0) return fd;
        }
        if (!waiting || !listener_missing(error) || clock::now() >= deadline)
            throw_errno(error, "connect to " + printable(ep.to_string()));
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
        std::this_thread::sleep_for(
            std::min(backoff, std::max(left, std::chrono::milliseconds(0))));
        backoff = std::min(backoff * 2, std::chrono::milliseconds(100));
    }
}

listener::listener(const endpoint& ep, int backlog, int family) {
    const std::string what = "listen on " + printable(ep.to_string());
    auto addresses = resolve(ep, true, family);
    if (addresses.empty()) throw_errno(EAFNOSUPPORT, what);
    std::unique_ptr<detail::unix_socket_claim> claim;
    if (ep.is_unix()) claim = std::make_unique<detail::unix_socket_claim>(ep.path, what);
    int error = 0;
    for (const auto& address : addresses) {
        unique_fd fd(::socket(address.family(), SOCK_STREAM | SOCK_CLOEXEC, 0));
        if (!fd) {
            error = errno;
            continue;
        }
        int on = 1;
        if (address.is_ip()) ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (address.family() == AF_INET6 && ep.host_type == endpoint::host_kind::any) {
            int v6only = family == AF_INET6 ? 1 : 0;  // `*` means both families unless -6
            ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
        }
        if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address.storage), address.length) !=
            0) {
            error = errno;
            continue;
        }
        if (claim) claim->bound();
        if (::listen(fd.get(), backlog) != 0) {
            error = errno;
            continue;
        }
        fd_ = std::move(fd);
        address_ = local_address(fd_.get());
        unix_claim_ = std::move(claim);
        return;
    }
    throw_errno(error, what);
}

listener::listener() noexcept = default;
listener::listener(listener&& other) noexcept = default;
listener& listener::operator=(listener&& other) noexcept = default;

listener::~listener() = default;

void listener::close() noexcept {
    fd_.reset();
    unix_claim_.reset();  // removes the socket file, if still ours, and the lock
}

unique_fd listener::accept(socket_address* peer) const {
    for (;;) {
        socket_address a;
        a.length = sizeof a.storage;
        int fd =
            ::accept4(fd_.get(), reinterpret_cast<sockaddr*>(&a.storage), &a.length, SOCK_CLOEXEC);
        if (fd >= 0) {
            if (peer) *peer = a;
            return unique_fd(fd);
        }
        // A connection reset before we took it is the peer's business, not a failure.
        if (errno == EINTR || errno == ECONNABORTED) continue;
        throw_errno(errno, "accept on " + printable(address_.to_string()));
    }
}

}  // namespace redirect
