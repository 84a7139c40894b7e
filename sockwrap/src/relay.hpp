#pragma once
/// \file
/// The no-PROGRAM mode: sockwrap copies between the connection and its own stdin/stdout.

#include <string>

#include "log.hpp"
#include "redirect/fd.hpp"

namespace sockwrap {

/// Which directions the relay copies, and how to name the connection in messages.
struct relay_plan {
    bool stdin_to_socket = true;   ///< sockwrap's stdin goes to the socket
    bool socket_to_stdout = true;  ///< what arrives goes to sockwrap's stdout
    std::string peer_name;         ///< e.g. "127.0.0.1:40112", for error messages
};

/// Relays on an Asio event loop. Where stdin or stdout is a pipe, the pipe is grown to 1 MiB
/// (best effort) and splice() moves the bytes inside the kernel; a terminal, a regular file or
/// anything splice() refuses is copied 256 KiB at a time, reading again only once the last
/// chunk is written. Either way a slow reader slows the writer and memory stays bounded.
/// End-of-file on stdin shuts down the socket's writing side; end-of-file from the socket closes
/// stdout. Returns 0 once every direction of the plan reached end-of-file, or 128+N when signal N
/// (SIGINT, SIGTERM, SIGHUP) ended the relay. A reader of stdout that went away ends that
/// direction quietly. Throws sockwrap::failure (125) on any other I/O error, e.g. a peer
/// that resets the connection. The connection is closed with lingering_close().
int relay(redirect::unique_fd socket, const relay_plan& plan, const verbose_log& log);

}  // namespace sockwrap
