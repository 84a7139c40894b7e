#pragma once
/// \file
/// Launching PROGRAM with Boost.Process v2, its standard streams bound to raw descriptors (the
/// --pty path; without a pty, run_program() starts PROGRAM with connection_launcher).

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <string>
#include <vector>

#include "failure.hpp"

namespace sockwrap {

/// What to run and how its standard streams are bound.
struct launch_request {
    std::string executable;         ///< the file to execute (see find_program())
    std::vector<std::string> argv;  ///< argv, argv[0] as the user wrote it
    std::vector<std::string> env;   ///< the complete environment, `NAME=VALUE`
    int stdin_fd = 0;               ///< becomes the child's fd 0 (0: inherit sockwrap's)
    int stdout_fd = 1;              ///< becomes the child's fd 1 (1: inherit)
    int stderr_fd = 2;              ///< becomes the child's fd 2 (2: inherit)
    /// A terminal the child makes its controlling terminal, as leader of a new session
    /// (--pty); -1 for none.
    int controlling_terminal = -1;
};

/// Starts the child and returns its pid; the caller must reap it. The child has exactly fds
/// 0, 1 and 2, default signal dispositions and an empty signal mask. SIGINT, SIGTERM, SIGHUP
/// and SIGCHLD are blocked in sockwrap around the fork, so a handler installed on `ctx` never
/// runs in the child. Throws sockwrap::failure: 127 (not found) or 126 (cannot execute) for
/// exec errors, 125 when the process cannot be created.
pid_t launch(boost::asio::io_context& ctx, const launch_request& request);

/// Prepares the current process to become the child; run between fork and exec. Resets every
/// signal disposition to the default, clears close-on-exec on fds 0-2 (a dup2(fd, fd) that
/// left the flag would lose the socket at exec), marks every fd above 2 close-on-exec and
/// empties the signal mask. Async-signal-safe. Returns 0 or an errno value.
int prepare_exec_in_child() noexcept;

}  // namespace sockwrap
