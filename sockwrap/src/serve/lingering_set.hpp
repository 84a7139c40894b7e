#pragma once
/// \file
/// Lingering closes done inside the server's event loop, so a slow peer never stalls accept.

#include <poll.h>

#include <chrono>
#include <cstddef>
#include <vector>

#include "core/event_loop.hpp"
#include "redirect/fd.hpp"

namespace sockwrap {

/// Ends `connection` at once when a lingering close has nothing to protect: nothing the peer
/// sent is left unread (so close() sends FIN, not RST) and everything sent has been
/// acknowledged (so the child's output is already in the peer's hands even if a late write of
/// the peer draws a reset). Sends FIN and closes it then, and returns true; otherwise leaves it
/// untouched and returns false. Saves the server a wake-up for the peer's end-of-file.
bool close_if_settled(redirect::unique_fd& connection);

/// Connections whose child has exited: each has sent FIN and is drained of what the peer still
/// sends until the peer closes or its deadline passes, then closed (see linger.hpp for why a
/// plain close could destroy the child's last output). Takes part in the server's event loop.
class lingering_set final : public event_source {
  public:
    using clock = steady_clock;

    /// Sends FIN on `connection` and keeps it until `deadline`.
    void add(redirect::unique_fd connection, clock::time_point deadline);
    std::size_t size() const noexcept { return entries_.size(); }
    bool empty() const noexcept { return entries_.empty(); }

    /// Appends one pollfd (POLLIN) per connection, in order, for poll().
    void add_pollfds(std::vector<pollfd>& out) override;
    /// Handles the poll() results for the `count` entries add_pollfds() added (`ready` points
    /// at the first of them): drains readable connections, closes those the peer has closed.
    /// Call it before anything else changes the set, so the entries still match the pollfds.
    void drain(const pollfd* ready, std::size_t count);
    /// Closes every connection whose deadline is at or before `now`.
    void expire(clock::time_point now);
    /// Closes every connection now.
    void close_all() noexcept { entries_.clear(); }
    /// The earliest deadline; clock::time_point::max() when empty.
    clock::time_point next_deadline() const noexcept;

    void on_ready(std::span<const pollfd> ready) override { drain(ready.data(), ready.size()); }
    clock::time_point deadline() const override { return next_deadline(); }
    void on_time(clock::time_point now) override { expire(now); }

  private:
    struct entry {
        redirect::unique_fd connection;
        clock::time_point deadline;
    };
    std::vector<entry> entries_;
};

}  // namespace sockwrap
