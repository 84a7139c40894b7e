#pragma once
/// \file
/// The relay engine: one direction of a relay, on sockwrap's event loop. Every path where
/// bytes pass through sockwrap (the stdio relay without PROGRAM, --pty) is flows between
/// byte streams (stream.hpp).

#include <cstddef>
#include <functional>
#include <vector>

#include "core/event_loop.hpp"
#include "relay/stream.hpp"

namespace sockwrap::relay {

/// How a flow ended.
struct flow_end {
    enum class how {
        complete,       ///< the source ended, every byte was written and the sink finished
        source_failed,  ///< reading failed (`error`)
        sink_failed     ///< writing or finishing failed (`error`; EPIPE: the reader is gone)
    };
    how what = how::complete;
    int error = 0;
};

/// Moves bytes from a source to a sink until the source ends, then finishes the sink.
///
/// Back-pressure and bounded memory: bytes wait in one buffer of `capacity`; while it is full
/// the flow does not read, so a slow sink slows the writer at the source. Half-close: the end
/// of the source is passed on by the sink's finish() and nothing else stops; the other
/// direction of a connection is another flow. Fairness: after a bounded amount of work the
/// flow yields to the rest of the loop (signals, the other direction). Where both ends offer
/// a splice descriptor and one of them is a pipe, splice() moves the bytes inside the kernel;
/// if the kernel refuses the pair, the flow copies instead, losing nothing.
class flow : public event_source {
  public:
    /// Called once, from the loop, when the flow ends (not after stop()).
    using done_handler = std::function<void(const flow_end&)>;

    /// Starts at the next round of `loop`. `from` and `to` must outlive the flow.
    flow(event_loop& loop, byte_source& from, byte_sink& to, std::size_t capacity,
         done_handler done);
    ~flow() override;
    flow(const flow&) = delete;
    flow& operator=(const flow&) = delete;

    /// Stops for good without calling the done handler. Idempotent.
    void stop() noexcept;
    /// True until the flow ended or was stopped.
    bool running() const noexcept { return !over_; }
    /// True while the bytes move by splice().
    bool splicing() const noexcept { return splicing_; }

    void add_pollfds(std::vector<pollfd>& fds) override;
    void on_ready(std::span<const pollfd> ready) override;
    steady_clock::time_point deadline() const override;
    void on_time(steady_clock::time_point now) override;

  private:
    void pump();
    void copy_some();
    void splice_some();
    bool fill();
    bool drain();
    void finish_sink();
    void end(flow_end::how what, int error) noexcept;

    event_loop& loop_;
    byte_source& from_;
    byte_sink& to_;
    std::size_t capacity_;
    std::vector<char> buffer_;  // empty while splicing
    std::size_t begin_ = 0;     // first byte not yet written
    std::size_t end_ = 0;       // one past the last byte read
    bool source_ended_ = false;
    bool splicing_ = false;
    bool sink_is_pipe_ = false;     // splicing into a pipe: EPIPE means its reader is gone
    pollfd source_wait_{-1, 0, 0};  // fd -1: not waiting for the source
    pollfd sink_wait_{-1, 0, 0};
    int polled_ = 0;        // which waits add_pollfds() gave this round: 1 source, 2 sink
    bool runnable_ = true;  // run in the next round without waiting for a descriptor
    bool over_ = false;
    done_handler done_;
};

}  // namespace sockwrap::relay
