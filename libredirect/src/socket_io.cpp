#include "socket_io.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <ctime>

namespace redirect::detail {

namespace {

// EAGAIN has two meanings. On a non-blocking descriptor (the user's choice, or shared with
// someone who set O_NONBLOCK) it means "not ready": wait with poll() and retry, rather than
// spin. On a blocking one it means a timeout set with SO_RCVTIMEO / SO_SNDTIMEO expired:
// that is the caller's bound, so it is reported. Returns whether to retry.
bool wait_ready(int fd, short events) noexcept {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || (flags & O_NONBLOCK) == 0) return false;
    pollfd p{fd, events, 0};
    while (::poll(&p, 1, -1) < 0 && errno == EINTR) {
    }
    return true;
}

// writev() on a pipe whose reader is gone raises SIGPIPE, which would kill the process:
// hold the signal back for the call and consume the one it generated, so only EPIPE remains.
ssize_t writev_nosignal(int fd, const iovec* parts, int count) noexcept {
    sigset_t pipe_only;
    sigset_t old_mask;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, &old_mask);
    sigset_t pending;
    sigpending(&pending);
    const bool already_pending = sigismember(&pending, SIGPIPE) == 1;
    ssize_t n = ::writev(fd, parts, count);
    const int error = errno;
    if (n < 0 && error == EPIPE && !already_pending) {
        const timespec no_wait{};
        while (sigtimedwait(&pipe_only, nullptr, &no_wait) < 0 && errno == EINTR) {
        }
    }
    pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    errno = error;
    return n;
}

ssize_t send_some(int fd, iovec* parts, int count, bool not_socket) noexcept {
    if (not_socket) return writev_nosignal(fd, parts, count);
    msghdr message{};
    message.msg_iov = parts;
    message.msg_iovlen = static_cast<std::size_t>(count);
    return ::sendmsg(fd, &message, MSG_NOSIGNAL);
}

}  // namespace

int send_all(int fd, const char* first, std::size_t first_size, const char* second,
             std::size_t second_size, bool& not_socket) noexcept {
    iovec parts[2] = {{const_cast<char*>(first), first_size},
                      {const_cast<char*>(second), second_size}};
    iovec* next = parts;
    int count = 2;
    for (;;) {
        // Skip the pieces already sent (or empty from the start).
        while (count > 0 && next->iov_len == 0) {
            ++next;
            --count;
        }
        if (count == 0) return 0;
        ssize_t n = send_some(fd, next, count, not_socket);
        if (n < 0) {
            const int error = errno;
            if (error == EINTR) continue;
            if (error == ENOTSOCK && !not_socket) {
                not_socket = true;
                continue;
            }
            if ((error == EAGAIN || error == EWOULDBLOCK) && wait_ready(fd, POLLOUT)) continue;
            return error;
        }
        // A partial write: advance through the pieces by the count sent.
        auto sent = static_cast<std::size_t>(n);
        for (; count > 0 && sent > 0; ++next, --count) {
            if (sent < next->iov_len) {
                next->iov_base = static_cast<char*>(next->iov_base) + sent;
                next->iov_len -= sent;
                break;
            }
            sent -= next->iov_len;
            next->iov_len = 0;
        }
    }
}

std::ptrdiff_t receive_some(int fd, char* data, std::size_t size, bool& not_socket) noexcept {
    for (;;) {
        ssize_t n = not_socket ? ::read(fd, data, size) : ::recv(fd, data, size, 0);
        if (n >= 0) return n;
        const int error = errno;
        if (error == EINTR) continue;
        if (error == ENOTSOCK && !not_socket) {
            not_socket = true;
            continue;
        }
        if ((error == EAGAIN || error == EWOULDBLOCK) && wait_ready(fd, POLLIN)) continue;
        return -error;
    }
}

}  // namespace redirect::detail
