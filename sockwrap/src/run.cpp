#include "run.hpp"

#include <boost/asio/io_context.hpp>
#include <stdexcept>

#include "child_env.hpp"
#include "child_supervisor.hpp"
#include "connection_launcher.hpp"
#include "exec_in_place.hpp"
#include "failure.hpp"
#include "keep_open.hpp"
#include "launch.hpp"
#include "linger.hpp"
#include "locate.hpp"
#include "program.hpp"
#include "pty_session.hpp"
#include "relay.hpp"
#include "supervise.hpp"

extern char** environ;

namespace sockwrap {

namespace {

// Without a pseudo-terminal the child needs nothing posix_spawn() cannot give it, and
// connection_launcher starts it without copying sockwrap's page tables. `connection` is 3 or
// above: ensure_standard_fds() filled fds 0-2 before any socket was opened.
pid_t spawn_child(const launch_request& request, int connection) {
    const connection_streams streams{request.stdin_fd == connection,
                                     request.stdout_fd == connection,
                                     request.stderr_fd == connection};
    const connection_launcher launcher(request.executable, request.argv, streams);
    int error = 0;
    const pid_t pid = launcher.launch(connection, request.env, error);
    if (pid < 0) throw launch_failure(launcher.name(), error);
    return pid;
}

// The run with a pseudo-terminal between the child and the socket: the relay and the wait
// share one event loop.
int run_on_pty(const options& o, launch_request& request, const pty_plan& plan, connection c,
               const verbose_log& log) {
    boost::asio::io_context ctx;
    signal_catcher signals(ctx);  // from now on a signal cannot end sockwrap and orphan a child
    pty_session pty(ctx, request, plan, c.fd.get());
    // The child needs the new session and controlling terminal only launch() sets up.
    const pid_t pid = launch(ctx, request);
    log.line("started " + o.program.front() + " as pid " + std::to_string(pid));
    pty.start(log);
    int status = supervise_child(ctx, signals, pid, log, o.grace);
    log.line("pid " + std::to_string(pid) + " " + describe_end(status));
    pty.finish(ctx, signals);  // the child's last output, then end-of-file
    lingering_close(std::move(c.fd));
    return exit_status_of(status);
}

}  // namespace

int run_program(const options& o, const std::string& executable, connection c,
                const verbose_log& log) {
    launch_request request;
    request.executable = executable;
    request.argv = o.program;
    request.env = child_environment(environ, c.local, c.peer);
    const int socket = c.fd.get();
    if (reads_socket(o.mode)) request.stdin_fd = socket;
    if (writes_socket(o.mode)) request.stdout_fd = socket;
    if (o.child_stderr) request.stderr_fd = socket;
    if (o.line_buffered) request.env = line_buffered_environment(std::move(request.env));
    const pty_plan plan{o.pty && writes_socket(o.mode), o.pty && o.child_stderr,
                        o.pty_stdin && reads_socket(o.mode)};
    if (plan.any()) return run_on_pty(o, request, plan, std::move(c), log);

    child_supervisor supervisor;  // from now on a signal cannot end sockwrap and orphan a child
    const pid_t pid = spawn_child(request, socket);
    log.line("started " + o.program.front() + " as pid " + std::to_string(pid));
    // sockwrap's copy of the connection stays open only for the lingering close below (it
    // is close-on-exec, so the child holds the connection only on its standard fds).
    const int status = supervisor.wait(pid, log, o.grace);
    log.line("pid " + std::to_string(pid) + " " + describe_end(status));
    lingering_close(std::move(c.fd));
    return exit_status_of(status);
}

std::vector<std::string> line_buffered_environment(std::vector<std::string> env) {
    const auto library = find_line_buffering_library();
    if (!library) {
        throw failure(exit_failure,
                      "--line-buffered: cannot find libsockwrap-linebuf.so next to sockwrap or "
                      "in its install libdir");
    }
    try {
        return with_line_buffering(std::move(env), *library);
    } catch (const std::invalid_argument& e) {
        throw failure(exit_failure, std::string("--line-buffered: ") + e.what());
    }
}

int run_relay(const options& o, connection c, const verbose_log& log) {
    relay_plan plan;
    plan.stdin_to_socket = writes_socket(o.mode);
    plan.socket_to_stdout = reads_socket(o.mode);
    plan.peer_name = c.peer.to_string();
    return relay(std::move(c.fd), plan, log);
}

int run(const options& o) {
    verbose_log log(o.verbose);
    // PROGRAM is looked up first: a missing program must not cost the peer a connection.
    std::string executable = o.program.empty() ? std::string() : find_program(o.program.front());
    if (o.keep_open) return run_keep_open(o, executable, log);
    connection c = open_connection(o, log);
    if (o.program.empty()) return run_relay(o, std::move(c), log);
    if (o.exec) exec_in_place(o, executable, std::move(c), log);
    return run_program(o, executable, std::move(c), log);
}

}  // namespace sockwrap
