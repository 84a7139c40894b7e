// Pipes: telling them apart, growing them, and one non-blocking splice().

#include "relay/splice.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>

#include <cerrno>

namespace sockwrap::relay {

namespace {

// One splice() asks for up to this much; the pipe's free space (or content) limits it anyway.
constexpr std::size_t splice_chunk = relay_pipe_size;

// SPLICE_F_MOVE: move pages rather than copy where the kernel can. SPLICE_F_NONBLOCK: the
// pipe side never blocks even if the pipe's description is blocking (it may be shared with
// other processes, whose flags must not change).
constexpr unsigned splice_flags = SPLICE_F_MOVE | SPLICE_F_NONBLOCK;

// EAGAIN does not say which side blocked (an empty source or a full sink), so a zero-timeout
// poll() asks the descriptors themselves.
transfer blocked_side(int from, int to) noexcept {
    pollfd ends[2] = {{from, POLLIN, 0}, {to, POLLOUT, 0}};
    ::poll(ends, 2, 0);
    if (ends[0].revents == 0) return transfer::blocked(from, POLLIN);
    if (ends[1].revents == 0) return transfer::blocked(to, POLLOUT);
    return transfer::blocked(-1, 0);  // the state changed in between
}

}  // namespace

bool is_pipe(int fd) noexcept {
    struct stat st {};
    return ::fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

void grow_pipe(int fd, int bytes) noexcept {
    const int now = ::fcntl(fd, F_GETPIPE_SZ);
    if (now >= 0 && now < bytes) ::fcntl(fd, F_SETPIPE_SZ, bytes);
}

transfer splice_once(int from, int to) noexcept {
    for (;;) {
        const ssize_t n = ::splice(from, nullptr, to, nullptr, splice_chunk, splice_flags);
        if (n > 0) return transfer::moved(static_cast<std::size_t>(n));
        if (n == 0) return transfer::end();
        if (errno == EINTR) continue;
        if (errno == EAGAIN) return blocked_side(from, to);
        return transfer::failed_with(errno);
    }
}

}  // namespace sockwrap::relay
