#include "exec_in_place.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "child_env.hpp"
#include "launch.hpp"
#include "run.hpp"

extern char** environ;

namespace sockwrap {

namespace {

std::vector<char*> pointers_to(std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (auto& s : strings)
        out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

}  // namespace

void exec_in_place(const options& o, const std::string& executable, connection c,
                   const verbose_log& log) {
    auto env = child_environment(environ, c.local, c.peer);
    if (o.line_buffered) env = line_buffered_environment(std::move(env));
    std::vector<std::string> argv = o.program;
    auto envp = pointers_to(env);
    auto argvp = pointers_to(argv);
    if (log.enabled())
        log.line("executing " + o.program.front() + " in place, pid " + std::to_string(::getpid()));

    // With --stderr the connection takes fd 2; an exec error must still reach the user.
    redirect::unique_fd own_stderr(o.child_stderr ? ::fcntl(2, F_DUPFD_CLOEXEC, 3) : -1);
    const int socket = c.fd.get();
    bool bound = (!reads_socket(o.mode) || ::dup2(socket, 0) == 0) &&
                 (!writes_socket(o.mode) || ::dup2(socket, 1) == 1) &&
                 (!o.child_stderr || ::dup2(socket, 2) == 2);
    int error = bound ? prepare_exec_in_child() : errno;
    if (error == 0) {
        // The connection's own descriptor is close-on-exec: after the exec PROGRAM's standard
        // streams are the only references, so the peer sees end-of-file when PROGRAM ends.
        ::execve(executable.c_str(), argvp.data(), envp.data());
        error = errno;
    }
    if (own_stderr) ::dup2(own_stderr.get(), 2);
    ::signal(SIGPIPE, SIG_IGN);  // prepare_exec_in_child() gave it back its default
    throw launch_failure(o.program.front(), error);
}

}  // namespace sockwrap
