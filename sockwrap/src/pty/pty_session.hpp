#pragma once
/// \file
/// --pty in a run: the pseudo-terminal put in place of the socket on the child's streams, and
/// the relay between them from the launch until the child's last output is delivered.

#include <memory>

#include "child/launcher.hpp"
#include "child/supervisor.hpp"
#include "core/event_loop.hpp"
#include "core/log.hpp"
#include "core/socket_streams.hpp"
#include "pty/pty_relay.hpp"
#include "redirect/fd.hpp"

namespace sockwrap {

/// The terminal of one run and its relay.
class pty_session {
  public:
    /// Opens the terminal, rebinds the streams of `spec` named by `on_terminal` to it (the
    /// child will be a session leader with it as controlling terminal) and prepares the relay
    /// between it and `socket` on `loop`. Everything that can fail happens here, before the
    /// child exists. Throws sockwrap::failure.
    pty_session(event_loop& loop, child_spec& spec, const socket_streams& on_terminal, int socket);

    /// After the launch: drops sockwrap's copy of the terminal (so the master reads EIO once
    /// the child is gone) and starts relaying. A relay that fails is reported on `log`.
    void start(const verbose_log& log);

    /// After the child ended: runs `loop` until the relay has delivered everything and shut
    /// the socket down for writing. A stop signal reaching `signals` stops the relay instead.
    void finish(event_loop& loop, supervisor& signals);

  private:
    redirect::unique_fd slave_;
    std::unique_ptr<pty_relay> relay_;
    bool done_ = false;
};

}  // namespace sockwrap
