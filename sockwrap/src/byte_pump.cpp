#include "byte_pump.hpp"

#include <sys/epoll.h>

#include <boost/asio/error.hpp>
#include <cerrno>
#include <cstring>
#include <utility>

#include "redirect/fd.hpp"

namespace sockwrap {

transfer transfer::from_read(ssize_t result) noexcept {
    if (result > 0) return {status::moved, static_cast<std::size_t>(result), 0};
    if (result == 0) return {status::end_of_file, 0, 0};
    // EINTR: try again once the descriptor reports ready, which it does at once.
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return {status::would_block};
    // A pty master reads EIO once no process holds the slave any more: the child is gone.
    if (errno == EIO) return {status::end_of_file, 0, 0};
    return {status::failed, 0, errno};
}

transfer transfer::from_write(ssize_t result) noexcept {
    if (result >= 0) return {status::moved, static_cast<std::size_t>(result), 0};
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return {status::would_block};
    return {status::failed, 0, errno};
}

readiness_watch::readiness_watch(boost::asio::io_context& io, int fd, std::uint32_t events)
    : epoll_(io) {
    redirect::unique_fd epoll_fd(::epoll_create1(EPOLL_CLOEXEC));
    if (!epoll_fd) throw std::system_error(errno, std::generic_category(), "epoll_create1");
    epoll_event event{};
    event.events = events;
    event.data.fd = fd;
    if (::epoll_ctl(epoll_fd.get(), EPOLL_CTL_ADD, fd, &event) != 0) {
        throw std::system_error(errno, std::generic_category(), "epoll_ctl");
    }
    epoll_.assign(epoll_fd.release());
}

void readiness_watch::async_wait(wait_handler handler) {
    epoll_.async_wait(boost::asio::posix::stream_descriptor::wait_read, std::move(handler));
}

void readiness_watch::close() noexcept {
    boost::system::error_code ignored;
    epoll_.close(ignored);
}

std::shared_ptr<byte_pump> byte_pump::create(source from, sink to, std::size_t capacity) {
    return std::make_shared<byte_pump>(std::move(from), std::move(to), capacity);
}

byte_pump::byte_pump(source from, sink to, std::size_t capacity)
    : from_(std::move(from)), to_(std::move(to)), buffer_(capacity) {}

void byte_pump::start(done_handler done) {
    done_ = std::move(done);
    pump();
}

void byte_pump::stop() noexcept {
    stopped_ = true;
}

// Alternates filling and draining until neither moves a byte, then waits for whichever side
// blocked. Reading stops while the buffer is full: that is the backpressure.
void byte_pump::pump() {
    for (;;) {
        const bool read_some = fill();
        if (stopped_) return;
        const bool wrote_some = drain();
        if (stopped_) return;
        if (!read_some && !wrote_some) break;
    }
    if (source_ended_ && begin_ == end_) {
        const int error = to_.finish ? to_.finish() : 0;
        complete(error != 0 ? std::error_code(error, std::generic_category()) : std::error_code{});
        return;
    }
    if (!source_ended_ && source_dry_ && buffer_.size() - end_ >= from_.min_room &&
        !waiting_source_) {
        await_source();
    }
    if (begin_ != end_ && sink_full_ && !waiting_sink_) await_sink();
}

bool byte_pump::fill() {
    bool progressed = false;
    while (!source_ended_ && !source_dry_) {
        if (!make_room()) break;  // full: wait until the sink takes some
        const transfer t = from_.read(std::span<char>(buffer_).subspan(end_));
        switch (t.what) {
            case transfer::status::moved:
                end_ += t.bytes;
                progressed = true;
                break;
            case transfer::status::would_block:
                source_dry_ = true;
                break;
            case transfer::status::end_of_file: {
                source_ended_ = true;
                progressed = true;
                const std::string trailer = from_.trailer ? from_.trailer() : std::string();
                buffer_.insert(buffer_.begin() + static_cast<std::ptrdiff_t>(end_), trailer.begin(),
                               trailer.end());
                end_ += trailer.size();
                break;
            }
            case transfer::status::failed:
                complete(std::error_code(t.error, std::generic_category()));
                return false;
        }
    }
    return progressed;
}

// Moves unwritten bytes to the front when the free space at the end is too small.
bool byte_pump::make_room() {
    if (buffer_.size() - end_ >= from_.min_room) return true;
    if (begin_ == 0) return false;
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    return buffer_.size() - end_ >= from_.min_room;
}

bool byte_pump::drain() {
    bool progressed = false;
    while (begin_ != end_ && !sink_full_) {
        const transfer t = to_.write(std::span<const char>(buffer_).subspan(begin_, end_ - begin_));
        switch (t.what) {
            case transfer::status::moved:
                begin_ += t.bytes;
                if (begin_ == end_) begin_ = end_ = 0;
                progressed = true;
                break;
            case transfer::status::would_block:
                sink_full_ = true;
                break;
            case transfer::status::end_of_file:
            case transfer::status::failed:
                complete(std::error_code(t.error != 0 ? t.error : EPIPE, std::generic_category()));
                return false;
        }
    }
    return progressed;
}

void byte_pump::await_source() {
    waiting_source_ = true;
    from_.wait([self = shared_from_this()](const boost::system::error_code& ec) {
        self->waiting_source_ = false;
        if (self->stopped_ || ec == boost::asio::error::operation_aborted) return;
        if (ec) return self->complete(ec);
        self->source_dry_ = false;
        self->pump();
    });
}

void byte_pump::await_sink() {
    waiting_sink_ = true;
    to_.wait([self = shared_from_this()](const boost::system::error_code& ec) {
        self->waiting_sink_ = false;
        if (self->stopped_ || ec == boost::asio::error::operation_aborted) return;
        if (ec) return self->complete(ec);
        self->sink_full_ = false;
        self->pump();
    });
}

void byte_pump::complete(std::error_code ec) {
    if (stopped_) return;
    stopped_ = true;
    if (done_) std::exchange(done_, nullptr)(ec);
}

}  // namespace sockwrap
