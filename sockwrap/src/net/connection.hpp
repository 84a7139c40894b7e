#pragma once
/// \file
/// Getting the connected socket: connect, or listen and accept one, as the mode says.

#include "cli/options.hpp"
#include "core/log.hpp"
#include "redirect/fd.hpp"
#include "redirect/socket.hpp"

namespace sockwrap {

/// A connected stream socket and both of its addresses.
struct connection {
    redirect::unique_fd fd;  ///< close-on-exec
    redirect::socket_address local;
    redirect::socket_address peer;
};

/// Connects to `o.endpoint` (retrying a refused connection for `o.wait`, restricted to
/// `o.family`). Throws sockwrap::failure.
connection connect_endpoint(const options& o, const verbose_log& log);

/// Listens on `o.endpoint`, writes --port-file, accepts one connection and closes the
/// listener before returning, so no child ever inherits it. Throws sockwrap::failure.
connection accept_endpoint(const options& o, const verbose_log& log);

/// connect_endpoint() or accept_endpoint(), as the mode says.
connection open_connection(const options& o, const verbose_log& log);

/// Writes `port` and a newline to `path` atomically (a reader never sees a partial line).
/// Throws sockwrap::failure.
void write_port_file(const std::string& path, unsigned port);

}  // namespace sockwrap
