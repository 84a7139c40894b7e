#pragma once
/// \file
/// sockwrap's one event loop: a poll() over the descriptors of every part that waits (the
/// supervisor's signalfd, a listener, relay streams, lingering closes) and their deadlines.

#include <poll.h>

#include <chrono>
#include <span>
#include <vector>

namespace sockwrap {

using steady_clock = std::chrono::steady_clock;

/// A part of sockwrap that waits for descriptors to become ready and/or for a time. The loop
/// asks each source afresh in every round what it waits for, so a source changes what it
/// waits for simply by changing its own state.
class event_source {
  public:
    virtual ~event_source() = default;
    /// Appends the descriptors this source waits for now (possibly none).
    virtual void add_pollfds(std::vector<pollfd>& fds) = 0;
    /// After poll(): the entries this source appended, with their results. Called only when
    /// at least one of them has an event.
    virtual void on_ready(std::span<const pollfd> ready) = 0;
    /// When on_time() is due even if no descriptor becomes ready; time_point::max() for never.
    virtual steady_clock::time_point deadline() const { return steady_clock::time_point::max(); }
    /// Called in the first round that finds `deadline()` passed.
    virtual void on_time(steady_clock::time_point /*now*/) {}
};

/// Runs the rounds. Sources are called in the order they were added; a source removed during
/// a round is not called any more, one added during a round takes part from the next.
class event_loop {
  public:
    /// Makes `source` take part. It must be removed before it is destroyed.
    void add(event_source& source);
    /// Stops asking `source`. Idempotent.
    void remove(event_source& source) noexcept;

    /// One round: poll() until a descriptor is ready or the earliest deadline passes, then call
    /// the sources concerned. Throws std::system_error if poll() fails, std::logic_error when
    /// nothing at all is waited for (the round would never end).
    void run_once();

    /// Runs rounds until `done()` is true (checked before each round).
    template <typename Predicate>
    void run_until(Predicate done) {
        while (!done())
            run_once();
    }

  private:
    // A source as added: the serial tells a source removed during a round from a new one that
    // happens to be constructed at the same address.
    struct member {
        event_source* source;
        unsigned long serial;
        bool operator==(const member&) const = default;
    };
    bool contains(const member& m) const noexcept;

    std::vector<member> sources_;
    unsigned long next_serial_ = 0;
    // Per round, reused: every source's pollfds, and where each source's slice starts.
    std::vector<pollfd> fds_;
    std::vector<std::size_t> starts_;
    std::vector<member> round_;
};

/// poll()'s timeout for waking at `deadline`: -1 (none) for time_point::max(), rounded up to
/// whole milliseconds so the wake-up is never early, at most a minute.
int milliseconds_until(steady_clock::time_point deadline, steady_clock::time_point now) noexcept;

}  // namespace sockwrap
