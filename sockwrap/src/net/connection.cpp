// Connecting, or listening and accepting one connection; the --port-file.

#include "net/connection.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "core/failure.hpp"

namespace sockwrap {

namespace {

// How -v names the other side: its address, or for an unnamed UNIX client its process.
std::string peer_text(const connection& c) {
    if (c.peer.family() != AF_UNIX || !c.peer.path().empty()) return c.peer.to_string();
    ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(c.fd.get(), SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0)
        return "pid " + std::to_string(cred.pid) + " on " + c.local.to_string();
    return "a client on " + c.local.to_string();
}

connection describe_connected(redirect::unique_fd fd) {
    connection c;
    c.local = redirect::local_address(fd.get());
    c.peer = redirect::peer_address(fd.get());
    c.fd = std::move(fd);
    return c;
}

void write_all(int fd, const std::string& text, const std::string& path) {
    std::string_view rest = text;
    while (!rest.empty()) {
        ssize_t n = ::write(fd, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            throw failure(exit_failure,
                          describe("write " + path, {errno, std::generic_category()}));
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace

void write_port_file(const std::string& path, unsigned port) {
    std::string temp = path + ".tmp." + std::to_string(::getpid());
    redirect::unique_fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    auto fail = [&](const std::string& what) {
        int error = errno;
        ::unlink(temp.c_str());
        throw failure(exit_failure, describe(what, {error, std::generic_category()}));
    };
    if (!fd) fail("write port file " + path);
    write_all(fd.get(), std::to_string(port) + "\n", path);
    if (::close(fd.release()) != 0) fail("write port file " + path);
    if (::rename(temp.c_str(), path.c_str()) != 0) fail("write port file " + path);
}

connection connect_endpoint(const options& o, const verbose_log& log) {
    try {
        redirect::connect_options how;
        how.wait = o.wait;
        how.family = o.family;
        auto c = describe_connected(redirect::connect_to(o.endpoint, how));
        log.line([&] { return "connected to " + peer_text(c) + " at " + ctime_now(); });
        return c;
    } catch (const std::system_error& e) {
        throw failure(exit_failure, describe(e));
    }
}

connection accept_endpoint(const options& o, const verbose_log& log) {
    try {
        redirect::listener l(o.endpoint, 1, o.family);
        log.line("listening on " + l.address().to_string());
        if (o.port_file) write_port_file(*o.port_file, l.port());
        redirect::socket_address peer;
        auto fd = l.accept(&peer);
        // A refused peer is closed at once (it reads end-of-file) and the wait goes on.
        while (!o.access.permits(reinterpret_cast<const sockaddr*>(&peer.storage), peer.length)) {
            log.line([&] {
                return "refused " + peer.to_string() + " at " + ctime_now() + " (access rules)";
            });
            fd.reset();  // now, not when the next client arrives
            fd = l.accept(&peer);
        }
        l.close();
        auto c = describe_connected(std::move(fd));
        c.peer = peer.length > 0 ? peer : c.peer;
        log.line([&] { return "connected by " + peer_text(c) + " at " + ctime_now(); });
        return c;
    } catch (const std::system_error& e) {
        throw failure(exit_failure, describe(e));
    }
}

connection open_connection(const options& o, const verbose_log& log) {
    return is_listening(o.mode) ? accept_endpoint(o, log) : connect_endpoint(o, log);
}

}  // namespace sockwrap
