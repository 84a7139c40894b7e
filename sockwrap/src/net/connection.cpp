// Connecting, or listening and accepting one connection; the --port-file.

#include "net/connection.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <string_view>
#include <system_error>

#include "core/failure.hpp"
#include "core/signal_reader.hpp"

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

// Returns false with errno set when the write failed.
bool write_all(int fd, std::string_view text) {
    while (!text.empty()) {
        ssize_t n = ::write(fd, text.data(), text.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// The next connection on `l` (non-blocking), or the end of sockwrap when a stop signal comes
// first.
redirect::unique_fd accept_or_stop(redirect::listener& l, signal_reader& stops,
                                   redirect::socket_address& peer) {
    for (;;) {
        pollfd ready[2] = {{l.fd(), POLLIN, 0}, {stops.fd(), POLLIN, 0}};
        if (::poll(ready, 2, -1) < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::generic_category(), "poll");
        }
        if (int sig = stops.next(); sig != 0) {
            l.close();
            end_by_signal(sig);
        }
        if (ready[0].revents == 0) continue;
        try {
            return l.accept(&peer);
        } catch (const std::system_error& e) {
            // The connection poll() saw was reset before accept() took it: wait again.
            if (e.code() != std::errc::operation_would_block) throw;
        }
    }
}

}  // namespace

void write_port_file(const std::string& path, unsigned port) {
    // A unique name made with O_EXCL: nothing planted beside FILE (a symlink at a guessable
    // name) can redirect the write; rename() then replaces FILE itself, never a link's target.
    std::string temp = path + ".XXXXXX";
    redirect::unique_fd fd(::mkostemp(temp.data(), O_CLOEXEC));
    const bool created = fd.valid();
    const bool written = created &&
                         ::fchmod(fd.get(), 0644) == 0 &&  // a port is no secret; mkstemp: 0600
                         write_all(fd.get(), std::to_string(port) + "\n") &&
                         ::close(fd.release()) == 0 && ::rename(temp.c_str(), path.c_str()) == 0;
    if (written) return;
    const int error = errno;
    if (created) ::unlink(temp.c_str());
    throw failure(exit_failure,
                  describe("write port file '" + path + "'", {error, std::generic_category()}));
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
        // Stop signals are taken as data while the client is awaited: one that arrives
        // before the client closes the listener (a UNIX socket file goes with it) and then
        // ends sockwrap as it would have.
        signal_reader stops({SIGINT, SIGTERM, SIGHUP});
        redirect::listener l(o.endpoint, 1, o.family);
        redirect::set_nonblocking(l.fd(), true);
        log.line("listening on " + l.address().to_string());
        if (o.port_file) write_port_file(*o.port_file, l.port());
        redirect::socket_address peer;
        auto fd = accept_or_stop(l, stops, peer);
        // A refused peer is closed at once (it reads end-of-file) and the wait goes on.
        while (!o.access.permits(reinterpret_cast<const sockaddr*>(&peer.storage), peer.length)) {
            log.line([&] {
                return "refused " + peer.to_string() + " at " + ctime_now() + " (access rules)";
            });
            fd.reset();  // now, not when the next client arrives
            fd = accept_or_stop(l, stops, peer);
        }
        l.close();
        if (int sig = stops.next(); sig != 0) end_by_signal(sig);  // came with the client
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
