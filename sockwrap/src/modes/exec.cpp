// --exec: the connection bound and PROGRAM executed in place of sockwrap.

#include "modes/exec.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "child/launcher.hpp"
#include "core/failure.hpp"
#include "modes/program.hpp"

namespace sockwrap {

void exec_program(const options& o, const child_spec& program, connection c,
                  const verbose_log& log) {
    const child_spec spec = program_on(o, program, c);
    log.line([&] {
        return "executing " + o.program.front() + " in place, pid " + std::to_string(::getpid());
    });

    // With --stderr the connection takes fd 2; an exec error must still reach the user.
    redirect::unique_fd own_stderr(o.child_stderr ? ::fcntl(2, F_DUPFD_CLOEXEC, 3) : -1);
    // The connection's own descriptor is close-on-exec: after the exec PROGRAM's standard
    // streams are the only references, so the peer sees end-of-file when PROGRAM ends.
    const int error = exec_child(spec);
    if (own_stderr) ::dup2(own_stderr.get(), 2);
    ::signal(SIGPIPE, SIG_IGN);  // exec_child() gave it back its default
    throw launch_failure(o.program.front(), error);
}

}  // namespace sockwrap
