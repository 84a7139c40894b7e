#pragma once
/// \file
/// One direction of a relay: moves bytes from a non-blocking source to a non-blocking sink
/// through a bounded buffer, on a Boost.Asio event loop. When the sink is slow the buffer fills
/// and the pump stops reading, so the writer at the source blocks: memory stays bounded.

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <system_error>
#include <vector>

namespace sockwrap {

/// What one non-blocking read or write did.
struct transfer {
    enum class status { moved, would_block, end_of_file, failed };
    status what = status::moved;
    std::size_t bytes = 0;  ///< with status::moved
    int error = 0;          ///< errno with status::failed

    /// Interprets the return value of read()/write()/send()/recv() and errno. A read of 0
    /// bytes is the end of the file; EIO too (a pty master whose child has gone).
    static transfer from_read(ssize_t result) noexcept;
    /// Interprets the return value of write()/send() and errno.
    static transfer from_write(ssize_t result) noexcept;
};

/// Called when an awaited descriptor may be ready (or the wait was cancelled).
using wait_handler = std::function<void(const boost::system::error_code&)>;

/// Waits for readiness of a descriptor that Asio must not own. Asio sets O_NONBLOCK on the open
/// file description of every descriptor it waits on, and a socket the child holds as its stdin
/// shares that description: the child's blocking reads would start failing with EAGAIN. So the
/// descriptor goes into an epoll instance of its own (level-triggered), and Asio waits on that
/// epoll descriptor instead, which is readable exactly when the watched descriptor is ready.
class readiness_watch {
  public:
    /// Watches `fd` (not owned; it must stay open while the watch exists) for `events`
    /// (EPOLLIN or EPOLLOUT). Throws std::system_error.
    readiness_watch(boost::asio::io_context& io, int fd, std::uint32_t events);

    /// Calls `handler` once `fd` is ready (or the watch is closed).
    void async_wait(wait_handler handler);
    /// Cancels a pending wait and releases the epoll instance.
    void close() noexcept;

  private:
    boost::asio::posix::stream_descriptor epoll_;
};

/// Moves bytes from a source to a sink until the source ends, then finishes the sink.
class byte_pump : public std::enable_shared_from_this<byte_pump> {
  public:
    /// Where bytes come from.
    struct source {
        /// Reads into the span without blocking.
        std::function<transfer(std::span<char>)> read;
        /// Waits until read() may make progress.
        std::function<void(wait_handler)> wait;
        /// Bytes to deliver after the source ended (may be empty).
        std::function<std::string()> trailer;
        /// The least free space read() needs (a source that expands what it reads needs more
        /// than one byte).
        std::size_t min_room = 1;
    };
    /// Where bytes go.
    struct sink {
        /// Writes from the span without blocking.
        std::function<transfer(std::span<const char>)> write;
        /// Waits until write() may make progress.
        std::function<void(wait_handler)> wait;
        /// Called once everything, the trailer included, is written; returns errno or 0.
        std::function<int()> finish;
    };
    /// Called once: no error after a complete transfer, else the error that stopped it.
    using done_handler = std::function<void(std::error_code)>;

    /// A pump with a buffer of `capacity` bytes.
    static std::shared_ptr<byte_pump> create(source from, sink to, std::size_t capacity);

    /// Starts moving bytes; `done` is called from the event loop.
    void start(done_handler done);
    /// Stops for good without calling `done`. Pending waits complete harmlessly later: each
    /// holds the pump alive, and a stopped pump ignores them.
    void stop() noexcept;

    byte_pump(source from, sink to, std::size_t capacity);

  private:
    void pump();
    bool fill();
    bool drain();
    bool make_room();
    void await_source();
    void await_sink();
    void complete(std::error_code ec);

    source from_;
    sink to_;
    std::vector<char> buffer_;
    std::size_t begin_ = 0;  // first byte not yet written
    std::size_t end_ = 0;    // one past the last byte read
    bool source_ended_ = false;
    bool source_dry_ = false;  // the last read would have blocked
    bool sink_full_ = false;   // the last write would have blocked
    bool waiting_source_ = false;
    bool waiting_sink_ = false;
    bool stopped_ = false;
    done_handler done_;
};

}  // namespace sockwrap
