#pragma once
/// \file
/// Which standard streams are the socket: the one encoding of it, used by the launcher, the
/// pty and the relay alike.

namespace sockwrap {

/// Which of the local side's standard streams are the socket: PROGRAM's, or sockwrap's own
/// when there is no PROGRAM.
struct socket_streams {
    bool in = false;   ///< stdin reads from the socket
    bool out = false;  ///< stdout writes to the socket
    bool err = false;  ///< stderr writes to the socket (--stderr)
};

}  // namespace sockwrap
