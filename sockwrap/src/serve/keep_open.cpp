// Setting up --keep-open: the listener, the port file, the server's settings.

#include "serve/keep_open.hpp"

#include <system_error>

#include "core/failure.hpp"
#include "net/connection.hpp"
#include "redirect/socket.hpp"
#include "serve/server.hpp"

namespace sockwrap {

namespace {

// The kernel's queue of connections not yet accepted: where clients wait while --max-clients
// children run. The kernel caps it at net.core.somaxconn.
constexpr int listen_backlog = 1024;

server_settings settings_of(const options& o, const child_spec& program) {
    server_settings s;
    s.max_clients = o.max_clients;
    s.grace = o.grace;
    s.access = o.access;
    s.program = program;
    s.streams = socket_streams_of(o);
    return s;
}

}  // namespace

int run_keep_open(const options& o, const child_spec& program, const verbose_log& log) {
    const server_settings settings = settings_of(o, program);
    redirect::listener listener;
    try {
        listener = redirect::listener(o.endpoint, listen_backlog, o.family);
    } catch (const std::system_error& e) {
        throw failure(exit_failure, describe(e));
    }
    log.line("listening on " + listener.address().to_string() + ", one " + o.program.front() +
             " per connection, at most " + std::to_string(o.max_clients) + " at once");
    if (o.port_file) write_port_file(*o.port_file, listener.port());
    return serve_clients(listener, settings, log);
}

}  // namespace sockwrap
