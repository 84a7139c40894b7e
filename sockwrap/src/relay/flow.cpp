// One direction of a relay: copy or splice, back-pressure, half-close, fairness.

#include "relay/flow.hpp"

#include <cerrno>
#include <cstring>
#include <utility>

#include "relay/splice.hpp"

namespace sockwrap::relay {

namespace {

// Work done in one turn before the flow yields to the rest of the loop: a direction whose
// both ends keep up never has to wait, and must not starve signals or the other direction.
constexpr int rounds_per_turn = 16;

}  // namespace

flow::flow(event_loop& loop, byte_source& from, byte_sink& to, std::size_t capacity,
           done_handler done)
    : loop_(loop), from_(from), to_(to), capacity_(capacity), done_(std::move(done)) {
    const int in = from_.splice_fd(), out = to_.splice_fd();
    sink_is_pipe_ = out >= 0 && is_pipe(out);
    splicing_ = in >= 0 && out >= 0 && (sink_is_pipe_ || is_pipe(in));
    if (!splicing_) buffer_.resize(capacity_);
    loop_.add(*this);
}

flow::~flow() {
    loop_.remove(*this);
}

void flow::stop() noexcept {
    over_ = true;
    loop_.remove(*this);
}

void flow::add_pollfds(std::vector<pollfd>& fds) {
    polled_ = 0;
    if (source_wait_.fd >= 0) {
        fds.push_back(source_wait_);
        polled_ |= 1;
    }
    if (sink_wait_.fd >= 0) {
        fds.push_back(sink_wait_);
        polled_ |= 2;
    }
}

void flow::on_ready(std::span<const pollfd> ready) {
    std::size_t i = 0;
    // An error or hang-up counts as ready: the next read or write says what it is.
    if ((polled_ & 1) != 0 && ready[i++].revents != 0) source_wait_.fd = -1;
    if ((polled_ & 2) != 0 && ready[i].revents != 0) sink_wait_.fd = -1;
    pump();
}

steady_clock::time_point flow::deadline() const {
    return runnable_ ? steady_clock::time_point::min() : steady_clock::time_point::max();
}

void flow::on_time(steady_clock::time_point) {
    runnable_ = false;
    pump();
}

void flow::pump() {
    if (over_) return;
    if (splicing_)
        splice_some();
    else
        copy_some();
}

void flow::copy_some() {
    for (int round = 0; round < rounds_per_turn; ++round) {
        const bool read_some = fill();
        if (over_) return;
        const bool wrote_some = drain();
        if (over_) return;
        if (source_ended_ && begin_ == end_) return finish_sink();
        if (!read_some && !wrote_some) return;  // waiting for a descriptor
    }
    runnable_ = true;
}

// Reads while there is room; stops at a full buffer (that is the back-pressure).
bool flow::fill() {
    bool progressed = false;
    while (!source_ended_ && source_wait_.fd < 0) {
        if (end_ == buffer_.size() && begin_ > 0) {
            std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
            end_ -= begin_;
            begin_ = 0;
        }
        if (end_ == buffer_.size()) break;
        const transfer t = from_.read(std::span<char>(buffer_).subspan(end_));
        switch (t.what) {
            case transfer::status::moved:
                end_ += t.bytes;
                progressed = true;
                break;
            case transfer::status::would_block:
                source_wait_ = t.wait;
                break;
            case transfer::status::end_of_file:
                source_ended_ = true;
                progressed = true;
                break;
            case transfer::status::failed:
                end(flow_end::how::source_failed, t.error);
                return false;
        }
    }
    return progressed;
}

bool flow::drain() {
    bool progressed = false;
    while (begin_ != end_ && sink_wait_.fd < 0) {
        const transfer t = to_.write(std::span<const char>(buffer_).subspan(begin_, end_ - begin_));
        switch (t.what) {
            case transfer::status::moved:
                begin_ += t.bytes;
                if (begin_ == end_) begin_ = end_ = 0;
                progressed = true;
                break;
            case transfer::status::would_block:
                sink_wait_ = t.wait;
                break;
            case transfer::status::end_of_file:
            case transfer::status::failed:
                end(flow_end::how::sink_failed, t.error != 0 ? t.error : EPIPE);
                return false;
        }
    }
    return progressed;
}

void flow::splice_some() {
    for (int round = 0; round < rounds_per_turn; ++round) {
        const transfer t = splice_once(from_.splice_fd(), to_.splice_fd());
        switch (t.what) {
            case transfer::status::moved:
                continue;
            case transfer::status::end_of_file:
                source_ended_ = true;
                return finish_sink();
            case transfer::status::would_block:
                if (t.wait.fd < 0) break;  // both looked ready again: next round
                (t.wait.fd == from_.splice_fd() ? source_wait_ : sink_wait_) = t.wait;
                return;
            case transfer::status::failed:
                if (t.error == EINVAL) {  // the kernel refuses this pair: copy the rest
                    splicing_ = false;
                    buffer_.resize(capacity_);
                    return copy_some();
                }
                if (t.error == EPIPE && sink_is_pipe_)
                    return end(flow_end::how::sink_failed, EPIPE);
                // Other errors come from the end that is not the pipe.
                return end(
                    sink_is_pipe_ ? flow_end::how::source_failed : flow_end::how::sink_failed,
                    t.error);
        }
        break;
    }
    runnable_ = true;
}

void flow::finish_sink() {
    const transfer t = to_.finish();
    switch (t.what) {
        case transfer::status::would_block:
            sink_wait_ = t.wait;
            return;
        case transfer::status::failed:
            return end(flow_end::how::sink_failed, t.error);
        default:
            return end(flow_end::how::complete, 0);
    }
}

void flow::end(flow_end::how what, int error) noexcept {
    over_ = true;
    loop_.remove(*this);
    if (done_) std::exchange(done_, nullptr)(flow_end{what, error});
}

}  // namespace sockwrap::relay
