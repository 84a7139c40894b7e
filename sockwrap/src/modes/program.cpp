// PROGRAM as a child on one connection, directly or through a pseudo-terminal.

#include "modes/program.hpp"

#include "child/environment.hpp"
#include "child/exit_status.hpp"
#include "child/program.hpp"
#include "child/supervisor.hpp"
#include "core/event_loop.hpp"
#include "net/linger.hpp"
#include "pty/pty_session.hpp"

namespace sockwrap {

child_spec program_of(const options& o) {
    child_spec program;
    program.executable = find_program(o.program.front());
    program.argv = o.program;
    program.env = program_environment(o);
    return program;
}

child_spec program_on(const options& o, const child_spec& program, const connection& c) {
    child_spec spec;
    spec.executable = program.executable;
    spec.argv = program.argv;
    spec.env = child_environment(program.env, c.local, c.peer);
    spec.stdio = child_stdio::on(c.fd.get(), socket_streams_of(o));
    return spec;
}

int run_program(const options& o, const child_spec& program, connection c, const verbose_log& log) {
    child_spec spec = program_on(o, program, c);

    event_loop loop;
    supervisor children(loop, o.grace, log);  // from now on no signal can orphan the child
    std::optional<pty_session> pty;
    const socket_streams on_terminal = terminal_streams_of(o);
    if (on_terminal.in || on_terminal.out || on_terminal.err)
        pty.emplace(loop, spec, on_terminal, c.fd.get());

    const pid_t pid = spawn_child(spec);
    log.line([&] { return "started " + o.program.front() + " as pid " + std::to_string(pid); });
    if (pty) pty->start(log);
    // sockwrap's copy of the connection stays open only for the lingering close below (it
    // is close-on-exec, so the child holds the connection only on its standard fds).
    const int status = wait_for_child(loop, children, pid);
    log.line([&] { return "pid " + std::to_string(pid) + " " + describe_end(status); });
    if (pty) pty->finish(loop, children);  // the child's last output, then end-of-file
    lingering_close(std::move(c.fd));
    return exit_status_of(status);
}

}  // namespace sockwrap
