#pragma once
/// \file
/// The one place where sockwrap starts a program: every child (one connection, --keep-open,
/// --pty) is started by spawn_child(), and --exec becomes the program with exec_child(),
/// both from the same child_spec.

#include <sys/types.h>

#include <string>
#include <vector>

#include "core/socket_streams.hpp"

namespace sockwrap {

/// Which descriptors become the child's fds 0, 1 and 2; -1 leaves sockwrap's own in place.
struct child_stdio {
    int in = -1;
    int out = -1;
    int err = -1;

    /// `fd` on the streams `s` names, the others left in place.
    static child_stdio on(int fd, const socket_streams& s) noexcept {
        return {s.in ? fd : -1, s.out ? fd : -1, s.err ? fd : -1};
    }
};

/// Everything a child starts with. The child gets exactly fds 0, 1 and 2 (every other
/// descriptor is closed), the default disposition of every signal and an empty signal mask.
struct child_spec {
    std::string executable;         ///< the file to execute (see find_program())
    std::vector<std::string> argv;  ///< argv, argv[0] as the user wrote it
    std::vector<std::string> env;   ///< the complete environment, `NAME=VALUE`
    child_stdio stdio;
    /// A terminal of sockwrap's (--pty), or -1: the child becomes the leader of a new session
    /// with this terminal as its controlling terminal. Streams bound to it get the terminal.
    int terminal = -1;
};

/// Starts the child and returns its pid (the caller reaps it). Throws sockwrap::failure:
/// 127 (not found) or 126 (cannot execute) when the exec fails, 125 when no process can be
/// created now (see launch_failure()).
pid_t spawn_child(const child_spec& spec);

/// Like spawn_child(), but returns the errno value instead of throwing: 0 and the pid in
/// `pid`, or ENOENT/EACCES/... (cannot exec), EAGAIN/ENOMEM (no room for a process now).
int try_spawn_child(const child_spec& spec, pid_t& pid) noexcept;

/// Turns this very process into the child (--exec): binds the streams, resets the signal
/// state and closes-on-exec every other descriptor exactly as spawn_child() does for a child,
/// then execve()s. `spec.terminal` must be -1 (a process cannot make itself a session leader
/// with a terminal here). Returns only when the exec failed, with its errno value; the
/// standard streams and the signal state are then the child's, not sockwrap's.
int exec_child(const child_spec& spec) noexcept;

}  // namespace sockwrap
