#include "splice_relay.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <system_error>

#include "failure.hpp"

namespace sockwrap {

namespace {

namespace asio = boost::asio;
using descriptor = asio::posix::stream_descriptor;
constexpr auto no_throw = asio::as_tuple(asio::use_awaitable);

// One splice() asks for up to this much; the pipe's free space (or content) limits it anyway.
constexpr std::size_t splice_chunk = relay_pipe_size;

// A direction whose both ends keep up never sees EAGAIN; after this many splices in a row it
// lets the other direction and the signal handlers run.
constexpr int splices_between_turns = 16;

// SPLICE_F_MOVE: move pages rather than copy where the kernel can. SPLICE_F_NONBLOCK: the
// pipe side never blocks even if the pipe's description is blocking (it may be shared with
// other processes, whose flags we must not change).
constexpr unsigned splice_flags = SPLICE_F_MOVE | SPLICE_F_NONBLOCK;

// Why not one blocking splice per direction on a thread: the two directions, the signals and
// the ends of both must stay on one event loop, as in the copy path. So splice() never
// blocks, and on EAGAIN the relay waits for readiness on the Asio loop. EAGAIN does not say
// which side blocked (an empty source or a full sink), so a zero-timeout poll() asks the
// descriptors themselves. That level check also matters because Asio's epoll is
// edge-triggered: a wait is started only for a side seen not ready, so its becoming ready
// later is an edge the loop cannot miss. Only async_wait() is used on these descriptors,
// never Asio's reads or writes, which would set O_NONBLOCK on the pipe's description.
// Lets the other direction and the signal handlers run before this one goes on.
asio::awaitable<void> take_turn() {
    const auto executor = co_await asio::this_coro::executor;
    co_await asio::post(executor, asio::use_awaitable);
}

// A failed wait is not reported here: the next splice() meets the same condition and names it.
asio::awaitable<void> wait_for_progress(descriptor& from, descriptor& to) {
    pollfd ends[2] = {{from.native_handle(), POLLIN, 0}, {to.native_handle(), POLLOUT, 0}};
    ::poll(ends, 2, 0);
    if (ends[0].revents == 0) {
        co_await from.async_wait(descriptor::wait_read, no_throw);
    } else if (ends[1].revents == 0) {
        co_await to.async_wait(descriptor::wait_write, no_throw);
    } else {
        // Both looked ready yet splice() would have blocked: the state changed in between.
        // Let the other direction run, then try again.
        co_await take_turn();
    }
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

asio::awaitable<splice_end> splice_copy(descriptor& from, descriptor& to, std::string peer_name) {
    const bool into_pipe = is_pipe(to.native_handle());
    int in_a_row = 0;
    for (;;) {
        const ssize_t n = ::splice(from.native_handle(), nullptr, to.native_handle(), nullptr,
                                   splice_chunk, splice_flags);
        if (n > 0) {
            if (++in_a_row < splices_between_turns) continue;
            in_a_row = 0;
            co_await take_turn();
            continue;
        }
        in_a_row = 0;
        if (n == 0) co_return splice_end::end_of_file;
        if (errno == EINTR) continue;
        if (errno == EAGAIN) {
            co_await wait_for_progress(from, to);
            continue;
        }
        if (errno == EINVAL) co_return splice_end::unsupported;
        if (errno == EPIPE && into_pipe) co_return splice_end::reader_gone;
        const std::error_code error(errno, std::generic_category());
        throw failure(exit_failure,
                      describe((into_pipe ? "read from " : "write to ") + peer_name, error));
    }
}

}  // namespace sockwrap
