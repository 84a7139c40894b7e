#pragma once
/// \file
/// The zero-copy path of the relay: splice() between the connection and a pipe that is
/// sockwrap's stdin or stdout, so the bytes never pass through user space.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <string>

namespace sockwrap {

/// The capacity the relay asks for a pipe on its stdin or stdout: Linux's default limit for
/// unprivileged users (/proc/sys/fs/pipe-max-size). A 64 KiB pipe costs several wake-ups per
/// megabyte; at 1 MiB the relay and the program at the other end of the pipe take turns far
/// less often.
inline constexpr int relay_pipe_size = 1 << 20;

/// True when `fd` is a pipe or a FIFO.
bool is_pipe(int fd) noexcept;

/// Grows the pipe `fd` to `bytes` when it is smaller. Best effort: the kernel refuses beyond
/// pipe-max-size or the user's pipe page quota, and then the pipe keeps its size.
void grow_pipe(int fd, int bytes) noexcept;

/// How a spliced direction ended.
enum class splice_end {
    end_of_file,  ///< the source reached end-of-file and every byte was moved
    reader_gone,  ///< the pipe being written has no reader any more
    unsupported,  ///< splice() refused this pair (EINVAL): move the rest another way
};

/// Moves bytes from `from` to `to` with splice() until the source ends. Exactly one of the two
/// is a pipe, the other the connection, which must be non-blocking and not shared with any
/// other process. The pipe's flags are never changed: splice() is called with
/// SPLICE_F_NONBLOCK. Throws sockwrap::failure on an error of the connection, naming
/// `peer_name`. Nothing is lost when it returns splice_end::unsupported.
boost::asio::awaitable<splice_end> splice_copy(boost::asio::posix::stream_descriptor& from,
                                               boost::asio::posix::stream_descriptor& to,
                                               std::string peer_name);

}  // namespace sockwrap
