#pragma once
/// \file
/// The one supervisor: it waits for every child sockwrap starts, receives every signal
/// sockwrap handles (SIGCHLD, SIGINT, SIGTERM, SIGHUP, through one signalfd), passes them on,
/// and kills what outlives the grace period.

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <unordered_map>

#include "core/event_loop.hpp"
#include "core/log.hpp"
#include "core/signal_reader.hpp"

namespace sockwrap {

/// It reaps with waitpid(-1): it is the one part of sockwrap that waits for children.
/// Create it before the first child exists: from then on the signals are held, so none can end
/// sockwrap and orphan a child; one that arrived before a child existed is handled once the
/// loop runs. Signals still pending when it is destroyed are discarded and the previous signal
/// mask comes back.
class supervisor : public event_source {
  public:
    /// Called with the waitpid() status of a child once it has been reaped.
    using exit_handler = std::function<void(int wait_status)>;

    /// Takes part in `loop` until destroyed. Throws std::system_error.
    supervisor(event_loop& loop, std::chrono::milliseconds grace, const verbose_log& log);
    ~supervisor() override;
    supervisor(const supervisor&) = delete;
    supervisor& operator=(const supervisor&) = delete;

    /// Watches `pid`, a child just started.
    void adopt(pid_t pid, exit_handler on_exit);
    /// Children adopted and not yet reaped.
    std::size_t running() const noexcept { return children_.size(); }

    /// What SIGINT, SIGTERM and SIGHUP do. The default passes each one on to every child.
    void on_stop_signal(std::function<void(int)> handler);
    /// Sends `signal` to every child; the first time, starts the grace period, after which
    /// the children still running get SIGKILL.
    void pass_on(int signal);
    /// Sends SIGKILL to every child now; the grace period is over.
    void kill_all() noexcept;
    /// When the grace period ends (time_point::max() before any signal was passed on).
    steady_clock::time_point grace_deadline() const noexcept { return grace_deadline_; }
    /// True once the grace period is over and SIGKILL was sent.
    bool killed() const noexcept { return killed_; }
    /// Kills every child and waits for each, without the loop: the last resort when the loop
    /// itself fails.
    void kill_and_reap_all() noexcept;

    void add_pollfds(std::vector<pollfd>& fds) override;
    void on_ready(std::span<const pollfd> ready) override;
    steady_clock::time_point deadline() const override;
    void on_time(steady_clock::time_point now) override;

  private:
    void reap();

    event_loop& loop_;
    std::chrono::milliseconds grace_;
    const verbose_log& log_;
    signal_reader signals_{SIGCHLD, SIGINT, SIGTERM, SIGHUP};
    std::unordered_map<pid_t, exit_handler> children_;
    std::function<void(int)> on_stop_;
    steady_clock::time_point grace_deadline_ = steady_clock::time_point::max();
    bool killed_ = false;
};

/// Runs `loop` until the child `pid` (adopted by `s` here) has ended and returns its
/// waitpid() status.
int wait_for_child(event_loop& loop, supervisor& s, pid_t pid);

}  // namespace sockwrap
