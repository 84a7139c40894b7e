#pragma once
/// \file
/// A pseudo-terminal for the child of --pty: opened and configured in sockwrap; the launcher
/// makes it the child's controlling terminal (child/launcher.hpp).

#include <sys/ioctl.h>

#include "redirect/fd.hpp"

namespace sockwrap {

/// Which of the child's streams the terminal carries, which decides its line discipline.
enum class pty_stdin {
    /// stdin stays the socket; the terminal carries only output and is fully raw: no echo, no
    /// `\r` added, 8-bit clean. End-of-input reaches the child exactly as in direct mode.
    socket,
    /// stdin is the terminal too, for programs that insist on one. The terminal works line by
    /// line (canonical mode) so that end-of-input can be signalled with VEOF; echo, signal
    /// characters and line editing are off, and the relay escapes bytes the line discipline
    /// would interpret (see terminal_input.hpp).
    terminal
};

/// The two ends of a pseudo-terminal. Both are close-on-exec: the child receives the slave
/// only as the standard streams it is duplicated onto.
struct pty_pair {
    redirect::unique_fd master;  ///< sockwrap's end (relayed to the socket)
    redirect::unique_fd slave;   ///< the child's terminal
};

/// A conventional 24x80 window: programs that format for a terminal get a sane width.
winsize default_window_size() noexcept;

/// Opens a pseudo-terminal, sets its modes for `input`, and its window size. The master is
/// non-blocking (only sockwrap ever holds it). Throws std::system_error naming the step.
pty_pair open_pty(pty_stdin input, const winsize& size = default_window_size());

}  // namespace sockwrap
