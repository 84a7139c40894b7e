// A child's wait status as sockwrap's exit status and as words.

#include "child/exit_status.hpp"

#include <sys/wait.h>

#include <cstring>

#include "core/failure.hpp"

namespace sockwrap {

int exit_status_of(int wait_status) noexcept {
    if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
    return exit_failure;
}

std::string describe_end(int wait_status) {
    if (WIFEXITED(wait_status))
        return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
    int sig = WTERMSIG(wait_status);
    return "was killed by signal " + std::to_string(sig) + " (" + ::strsignal(sig) + ")" +
           (WCOREDUMP(wait_status) ? ", core dumped" : "");
}

}  // namespace sockwrap
