#pragma once
/// \file
/// Waiting for the child inside an Asio event loop, and passing signals on to it.

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "log.hpp"

namespace sockwrap {

/// Catches SIGINT, SIGTERM and SIGHUP for as long as it lives and reports each one to a
/// callback. Create it before the child exists, so no signal can end sockwrap and orphan it.
class signal_catcher {
  public:
    explicit signal_catcher(boost::asio::io_context& ctx);
    /// Starts reporting (signals caught earlier are reported now, in order).
    void on_signal(std::function<void(int)> handler);
    /// Stops catching; signals keep their handler but are no longer reported.
    void cancel();

  private:
    void arm();

    boost::asio::signal_set signals_;
    std::function<void(int)> handler_;
};

/// Reports when a child ends, without SIGCHLD: a pidfd becomes readable when the process
/// exits (a short polling timer stands in on kernels without pidfd_open).
class child_watch {
  public:
    /// Watches `pid` (a child of this process, not yet reaped) and calls `on_exit` with its
    /// waitpid() status once it is reaped.
    child_watch(boost::asio::io_context& ctx, pid_t pid, std::function<void(int)> on_exit);
    pid_t pid() const noexcept { return pid_; }

  private:
    void wait();
    bool try_reap();

    pid_t pid_;
    std::function<void(int)> on_exit_;
    boost::asio::posix::stream_descriptor pidfd_;
    boost::asio::steady_timer poll_timer_;
};

/// Runs `ctx` until the child `pid` ended, passing SIGINT/SIGTERM/SIGHUP caught by `signals`
/// on to it; a child still running `grace` after the first passed-on signal gets SIGKILL.
/// Returns the waitpid() status.
int supervise_child(boost::asio::io_context& ctx, signal_catcher& signals, pid_t pid,
                    const verbose_log& log,
                    std::chrono::milliseconds grace = std::chrono::seconds(5));

/// The `env`/`timeout` exit status for a waitpid() status: the code, or 128+N for signal N.
int exit_status_of(int wait_status) noexcept;

/// How a child ended, for -v: "exited with status 3", "was killed by signal 15 (Terminated)".
std::string describe_end(int wait_status);

}  // namespace sockwrap
