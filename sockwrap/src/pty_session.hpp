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
    /// Opens the terminal, rebinds the planned streams of `request` to it (the child will be a
    /// session leader with it as controlling terminal) and prepares the relay between it and
    /// `socket` on `ctx`. Everything that can fail happens here, before the child exists.
    /// Throws sockwrap::failure.
    pty_session(boost::asio::io_context& ctx, launch_request& request, const pty_plan& plan,
                int socket);

    /// After the launch: drops sockwrap's copy of the terminal (so the master reads EIO once
    /// the child is gone) and starts relaying. A relay that fails is reported on `log`.
    void start(const verbose_log& log);

    /// After the child ended: runs `ctx` until the relay has delivered everything and shut the
    /// socket down for writing. A signal from `signals` stops the relay instead.
    void finish(boost::asio::io_context& ctx, signal_catcher& signals);

  private:
    redirect::unique_fd slave_;
    std::unique_ptr<pty_relay> relay_;
    bool done_ = false;
};

}  // namespace sockwrap
