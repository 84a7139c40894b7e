#pragma once
/// \file
/// --pty in a run: the pseudo-terminal put in place of the socket on the child's streams, and
/// the relay between them from the launch until the child's last output is delivered.

#include <boost/asio/io_context.hpp>
#include <memory>
#include <system_error>

#include "launch.hpp"
#include "log.hpp"
#include "pty.hpp"
#include "pty_relay.hpp"
#include "supervise.hpp"

namespace sockwrap {

/// Which of the child's socket-bound streams go through the terminal.
struct pty_plan {
    bool stdout_on_pty = false;  ///< --pty, and stdout is bound to the socket
    bool stderr_on_pty = false;  ///< --pty with --stderr
    bool stdin_on_pty = false;   ///< --pty-stdin, and stdin is bound to the socket

    /// True when the plan puts any stream on a terminal.
    bool any() const noexcept { return stdout_on_pty || stderr_on_pty || stdin_on_pty; }
};

/// The terminal of one run and its relay.
class pty_session {
  public:
    /// Opens the terminal and rebinds the planned streams of `request` to it; the child will
    /// be a session leader with it as controlling terminal. Throws sockwrap::failure.
    pty_session(launch_request& request, const pty_plan& plan);

    /// After the launch: drops sockwrap's copy of the terminal (so the master reads EIO once
    /// the child is gone) and starts relaying it and `socket` on `ctx`.
    void start(boost::asio::io_context& ctx, int socket, const verbose_log& log);

    /// After the child ended: runs `ctx` until the relay has delivered everything and shut the
    /// socket down for writing. A signal from `signals` stops the relay instead.
    void finish(boost::asio::io_context& ctx, signal_catcher& signals);

  private:
    pty_stdin input_;
    pty_pair pty_;
    std::unique_ptr<pty_relay> relay_;
    bool done_ = false;
};

}  // namespace sockwrap
