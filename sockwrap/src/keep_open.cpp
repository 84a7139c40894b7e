#include "keep_open.hpp"

#include <system_error>

#include "connection.hpp"
#include "connection_launcher.hpp"
#include "failure.hpp"
#include "redirect/socket.hpp"
#include "run.hpp"
#include "server.hpp"

extern char** environ;

namespace sockwrap {

namespace {

// The kernel's queue of connections not yet accepted: where clients wait while --max-clients
// children run. The kernel caps it at net.core.somaxconn.
constexpr int listen_backlog = 1024;

server_settings settings_of(const options& o) {
    server_settings s;
    s.max_clients = o.max_clients;
    s.grace = o.grace;
    s.access = o.access;
    for (char** entry = environ; *entry != nullptr; ++entry)
        s.environment.emplace_back(*entry);
    if (o.line_buffered) s.environment = line_buffered_environment(std::move(s.environment));
    return s;
}

}  // namespace

int run_keep_open(const options& o, const std::string& executable, const verbose_log& log) {
    redirect::listener listener;
    try {
        listener = redirect::listener(o.endpoint, listen_backlog, o.family);
    } catch (const std::system_error& e) {
        throw failure(exit_failure, describe(e));
    }
    log.line("listening on " + listener.address().to_string() + ", one " + o.program.front() +
             " per connection, at most " + std::to_string(o.max_clients) + " at once");
    if (o.port_file) write_port_file(*o.port_file, listener.port());
    connection_streams streams{reads_socket(o.mode), writes_socket(o.mode), o.child_stderr};
    connection_launcher launcher(executable, o.program, streams);
    return serve_clients(listener, settings_of(o), launcher, log);
}

}  // namespace sockwrap
