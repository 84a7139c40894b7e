#pragma once
/// \file
/// The zero-copy step of the relay engine: splice() between a pipe and another descriptor,
/// so the bytes never pass through user space.

#include "relay/stream.hpp"

namespace sockwrap::relay {

/// The capacity the relay asks for a pipe at its stdin or stdout: Linux's default limit for
/// unprivileged users (/proc/sys/fs/pipe-max-size). A 64 KiB pipe costs several wake-ups per
/// megabyte; at 1 MiB the relay and the program at the other end of the pipe take turns far
/// less often.
inline constexpr int relay_pipe_size = 1 << 20;

/// True when `fd` is a pipe or a FIFO.
bool is_pipe(int fd) noexcept;

/// Grows the pipe `fd` to `bytes` when it is smaller. Best effort: the kernel refuses beyond
/// pipe-max-size or the user's pipe page quota, and then the pipe keeps its size.
void grow_pipe(int fd, int bytes) noexcept;

/// One splice() from `from` to `to`, one of them a pipe, the other non-blocking. Never blocks
/// and never changes the pipe's flags (SPLICE_F_NONBLOCK). Returns the bytes moved,
/// end-of-file, a would-block that names the side to wait for (fd -1 when both looked ready
/// again: retry in the next round), or a failure (EINVAL: the kernel refuses this pair; move
/// the rest another way, nothing is lost).
transfer splice_once(int from, int to) noexcept;

}  // namespace sockwrap::relay
