#include "spawn.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <thread>

#include "child/launcher.hpp"
#include "child/program.hpp"

extern char** environ;

namespace pty_test {

namespace {

bool has_name(const std::string& entry, const std::string& name) {
    return entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 &&
           entry[name.size()] == '=';
}

std::vector<std::string> environment(const std::vector<std::string>& set,
                                     const std::vector<std::string>& unset) {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry(*e);
        bool drop = false;
        for (const auto& name : unset)
            drop = drop || has_name(entry, name);
        for (const auto& s : set)
            drop = drop || has_name(entry, s.substr(0, s.find('=')));
        if (!drop) env.push_back(entry);
    }
    env.insert(env.end(), set.begin(), set.end());
    return env;
}

}  // namespace

child::child(const std::vector<std::string>& argv, child_stdio stdio, int terminal,
             const std::vector<std::string>& env_set, const std::vector<std::string>& env_unset) {
    sockwrap::child_spec spec;
    spec.executable = sockwrap::find_program(argv.at(0));
    spec.argv = argv;
    spec.env = environment(env_set, env_unset);
    // A stream given its own number stays as it is.
    spec.stdio = {stdio.in == 0 ? -1 : stdio.in, stdio.out == 1 ? -1 : stdio.out,
                  stdio.err == 2 ? -1 : stdio.err};
    spec.terminal = terminal;
    pid_ = sockwrap::spawn_child(spec);
}

child::~child() {
    if (status_ || pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
}

std::optional<int> child::wait_for(std::chrono::milliseconds timeout) {
    if (status_) return status_;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            status_ = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
            return status_;
        }
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

}  // namespace pty_test
