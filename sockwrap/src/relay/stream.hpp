#pragma once
/// \file
/// The relay engine's byte streams: what a flow (flow.hpp) reads from and writes to.
///
/// Every end is non-blocking and says, when it cannot go on, what to wait for: a descriptor
/// and poll() events. That is the whole contract, and it is what makes the engine open to
/// ends that are not plain descriptors:
///
/// - A *transforming* stream (a TLS session, WebSocket framing, the terminal input quoting of
///   pty/terminal_input.hpp) is an adapter that implements byte_source or byte_sink on top of
///   another end: it reads or writes the inner end, transforms, and passes the inner end's
///   would-block (or one of its own: a TLS read that must first write says POLLOUT) up
///   unchanged. Bytes it has transformed but not yet handed on stay in the adapter, which
///   reads the inner end again only once they are gone, so back-pressure goes through it.
/// - *One source, many sinks* (a shared program's output to many clients) is a byte_sink
///   that writes to several others and reports progress only as far as its policy allows
///   (the slowest, or each sink with a bounded queue of its own).
///
/// Neither needs a change in the engine: the flow only ever sees a byte_source and a
/// byte_sink. Where both ends are descriptors the kernel can splice (one of them a pipe), the
/// flow moves the bytes with splice() instead, never through user space.

#include <poll.h>

#include <cstddef>
#include <span>
#include <string>

namespace sockwrap::relay {

/// What one non-blocking read, write or finish did.
struct transfer {
    enum class status { moved, would_block, end_of_file, failed };
    status what = status::moved;
    std::size_t bytes = 0;  ///< status::moved: how many
    int error = 0;          ///< status::failed: the errno value
    pollfd wait{-1, 0, 0};  ///< status::would_block: what to wait for before trying again

    static transfer moved(std::size_t n) noexcept { return {status::moved, n, 0, {-1, 0, 0}}; }
    static transfer blocked(int fd, short events) noexcept {
        return {status::would_block, 0, 0, {fd, events, 0}};
    }
    static transfer end() noexcept { return {status::end_of_file, 0, 0, {-1, 0, 0}}; }
    static transfer failed_with(int error) noexcept {
        return {status::failed, 0, error, {-1, 0, 0}};
    }
    /// Interprets a read()/recv() result and errno for `fd`: 0 bytes is end-of-file.
    static transfer from_read(long result, int fd) noexcept;
    /// Interprets a write()/send() result and errno for `fd`.
    static transfer from_write(long result, int fd) noexcept;
};

/// Where a flow's bytes come from.
class byte_source {
  public:
    virtual ~byte_source() = default;
    /// Reads into `into` (never empty) without blocking.
    virtual transfer read(std::span<char> into) = 0;
    /// A descriptor splice() may read directly (non-blocking, this source's alone), or -1.
    virtual int splice_fd() const noexcept { return -1; }
    /// How messages name it: "standard input", "127.0.0.1:40112".
    virtual std::string name() const = 0;
};

/// Where a flow's bytes go.
class byte_sink {
  public:
    virtual ~byte_sink() = default;
    /// Writes from `from` (never empty) without blocking.
    virtual transfer write(std::span<const char> from) = 0;
    /// The source has ended and every byte is written: passes the end on (shutdown for
    /// writing, close, a terminal's VEOF). Called again after a would-block.
    virtual transfer finish() = 0;
    /// A descriptor splice() may write directly (non-blocking, this sink's alone), or -1.
    virtual int splice_fd() const noexcept { return -1; }
    /// How messages name it.
    virtual std::string name() const = 0;
};

}  // namespace sockwrap::relay
