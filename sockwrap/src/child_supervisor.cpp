#include "child_supervisor.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <system_error>

#include "deadline.hpp"
#include "failure.hpp"

namespace sockwrap {

namespace {

using clock = std::chrono::steady_clock;

// The child's waitpid() status once it has ended, without blocking.
std::optional<int> try_reap(pid_t pid) {
    int status = 0;
    pid_t r;
    do {
        r = ::waitpid(pid, &status, WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == 0) return std::nullopt;
    if (r < 0)
        throw failure(exit_failure, describe("wait for pid " + std::to_string(pid),
                                             {errno, std::generic_category()}));
    return status;
}

}  // namespace

child_supervisor::child_supervisor() = default;

bool child_supervisor::pass_on_signals(pid_t pid, const verbose_log& log) {
    bool passed = false;
    while (int sig = signals_.next()) {
        if (sig == SIGCHLD) continue;  // only a reason to look at the child again
        log.line("passing signal " + std::to_string(sig) + " (" + ::strsignal(sig) + ") to pid " +
                 std::to_string(pid));
        ::kill(pid, sig);
        passed = true;
    }
    return passed;
}

int child_supervisor::wait(pid_t pid, const verbose_log& log, std::chrono::milliseconds grace) {
    auto kill_at = clock::time_point::max();
    bool grace_started = false;
    for (;;) {
        // Signals first: one that came with the child's end was sent while it still ran.
        if (pass_on_signals(pid, log) && !grace_started) {
            grace_started = true;
            kill_at = clock::now() + grace;
        }
        // SIGCHLD stays pending in the signalfd, so an end after this look wakes the poll.
        if (auto status = try_reap(pid)) return *status;
        auto now = clock::now();
        if (now >= kill_at) {
            log.line("pid " + std::to_string(pid) + " still runs; sending SIGKILL");
            ::kill(pid, SIGKILL);
            kill_at = clock::time_point::max();
        }
        pollfd p{signals_.fd(), POLLIN, 0};
        ::poll(&p, 1, milliseconds_until(kill_at, now));
    }
}

}  // namespace sockwrap
