#pragma once
/// \file
/// --keep-open: one fresh PROGRAM per accepted connection, served concurrently.

#include <chrono>
#include <cstddef>

#include "child/launcher.hpp"
#include "cli/options.hpp"
#include "core/log.hpp"
#include "net/access_list.hpp"
#include "redirect/socket.hpp"

namespace sockwrap {

/// How the server behaves; the defaults are the documented ones.
struct server_settings {
    /// --max-clients: with this many children running, no connection is accepted (new ones
    /// wait in the kernel's backlog) until one exits.
    std::size_t max_clients = 64;
    /// --grace: after SIGINT/SIGTERM/SIGHUP, how long children may take to exit before SIGKILL.
    std::chrono::milliseconds grace{5000};
    /// How long a finished connection is drained before it is closed (lingering close).
    std::chrono::milliseconds linger{2000};
    /// The pause after accept() or a spawn fails for want of resources (EMFILE, EAGAIN, ...).
    std::chrono::milliseconds backoff{100};
    /// --allow / --deny: peers refused here are closed at once; nothing runs for them.
    access_list access;
    /// PROGRAM as every connection's child starts: the executable, argv and the environment
    /// (sockwrap's own with --line-buffered's additions; the connection's variables are added
    /// per child). Its stdio is filled in per connection from `streams`.
    child_spec program;
    /// Which of the child's streams are the connection.
    socket_streams streams;
};

/// Accepts connections on `listener` and starts one child per connection, reaping children
/// as they exit, until SIGINT, SIGTERM or SIGHUP: then it closes the listener, passes the
/// signal to every child, waits up to `grace` for them, kills the rest with SIGKILL, and
/// returns 0. A listener that fails for good (not a transient shortage) is reported on
/// stderr, the children are stopped the same way, and the result is 125.
int serve_clients(redirect::listener& listener, const server_settings& settings,
                  const verbose_log& log);

}  // namespace sockwrap
