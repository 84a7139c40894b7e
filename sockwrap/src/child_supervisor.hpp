#pragma once
/// \file
/// Waiting for the one child of a run without a pseudo-terminal: a poll() loop on a signalfd,
/// no event loop to build or tear down.

#include <sys/types.h>

#include <chrono>

#include "log.hpp"
#include "signal_reader.hpp"

namespace sockwrap {

/// Holds SIGCHLD, SIGINT, SIGTERM and SIGHUP for as long as it lives. Create it before the
/// child exists, so no signal can end sockwrap and orphan it; signals that arrive after the
/// child has been reaped are discarded (the previous mask comes back on destruction).
class child_supervisor {
  public:
    /// Throws std::system_error.
    child_supervisor();

    /// Waits until `pid` (a child of this process) ends, passing SIGINT/SIGTERM/SIGHUP on to
    /// it; a child still running `grace` after the first passed-on signal gets SIGKILL.
    /// Returns the waitpid() status. Throws sockwrap::failure if the child cannot be waited
    /// for.
    int wait(pid_t pid, const verbose_log& log, std::chrono::milliseconds grace);

  private:
    /// Passes on the termination signals pending since the last look; true if there was one.
    bool pass_on_signals(pid_t pid, const verbose_log& log);

    signal_reader signals_{SIGCHLD, SIGINT, SIGTERM, SIGHUP};
};

}  // namespace sockwrap
